"""`record` is the one way to write the audit trail; call it inside the change's transaction."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _jsonable(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """Field values of `obj` as JSON-able data, for `before`/`after`."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = _jsonable(value)
    return data


def record(actor, action: str, obj=None, *, before=None, after=None, reason="", edition=None):
    if edition is None and obj is not None:
        edition = getattr(obj, "audit_edition", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        edition=edition,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
