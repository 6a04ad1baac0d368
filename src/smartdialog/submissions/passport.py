"""What a passport is made of: its fields, what submission requires, snapshots and diffs."""

import datetime
import decimal
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import ImplementationStatus
from .models import Submission

TEXT_FIELDS = [
    "title",
    "problem",
    "solution",
    "implementation",
    "municipalities",
    "target_groups",
    "resources",
    "team",
    "replication_potential",
    "replication_conditions",
    "links",
]
SCALAR_FIELDS = [
    "title",
    "problem",
    "solution",
    "implementation",
    "implementation_status",
    "started_on",
    "finished_on",
    "municipalities",
    "target_groups",
    "reach",
    "resources",
    "cost",
    "team",
    "replication_potential",
    "replication_conditions",
    "links",
]
MANY_FIELDS = ["regions", "national_projects"]
REQUIRED_FIELDS = [
    "title",
    "problem",
    "solution",
    "implementation",
    "implementation_status",
    "started_on",
    "target_groups",
    "reach",
    "resources",
    "team",
    "replication_potential",
    "regions",
]
RESULT_FIELDS = [
    "indicator",
    "unit",
    "baseline_value",
    "baseline_date",
    "achieved_value",
    "achieved_date",
]


def label(field: str) -> str:
    if field == "results":
        return str(_("measurable results"))
    if field == "attachments":
        return str(_("attachments"))
    return str(Submission._meta.get_field(field).verbose_name)


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def jsonable(data: dict) -> dict:
    """Form data as JSON: dates and decimals as text, lists and dicts walked through."""

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return _plain(value)

    return walk(data)


def snapshot(submission: Submission) -> dict:
    """The whole passport as JSON-able data, for a frozen version."""
    data = {f: _plain(getattr(submission, f)) for f in SCALAR_FIELDS}
    data["nomination"] = str(submission.nomination)
    data["regions"] = sorted(r.name for r in submission.regions.all())
    data["national_projects"] = sorted(p.name for p in submission.national_projects.all())
    data["results"] = [
        {f: _plain(getattr(r, f)) for f in RESULT_FIELDS} for r in submission.results.all()
    ]
    data["attachments"] = [
        a.as_version_data() for a in submission.attachments.filter(removed_at__isnull=True)
    ]
    return data


def missing_for_submission(submission: Submission, today=None) -> dict[str, str]:
    """What stops this passport from being submitted, by field, in words for the applicant."""
    today = today or timezone.localdate()
    missing = {}
    for field in REQUIRED_FIELDS:
        value = getattr(submission, field)
        empty = not value.exists() if field in MANY_FIELDS else value in (None, "")
        if empty:
            missing[field] = _("Fill in «%(field)s».") % {"field": label(field)}
    status = submission.implementation_status
    if status and status != ImplementationStatus.IMPLEMENTED:
        missing["implementation_status"] = _(
            "Only an implemented practice may take part: the status must be «implemented»."
        )
    if submission.started_on and submission.started_on >= today:
        missing["started_on"] = _("The implementation must have started before today.")
    if not submission.results.exists():
        missing["results"] = _("Add at least one measurable result.")
    return missing


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


def _result_line(row: dict) -> str:
    return (
        f"{row.get('indicator')}, {row.get('unit')}: {row.get('baseline_value')} "
        f"({row.get('baseline_date')}) → {row.get('achieved_value')} "
        f"({row.get('achieved_date')})"
    )


def _show(value, field: str = "") -> str:
    """A version's value as text a person reads (choice labels, one result per line)."""
    if value in (None, "", []):
        return "—"
    if field == "implementation_status":
        return str(ImplementationStatus(value).label)
    if field == "results":
        return "\n".join(_result_line(row) for row in value)
    if field == "attachments":
        return "\n".join(f"{a['name']} ({a['size']} B)" for a in value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


VERSION_FIELDS = ["nomination", *SCALAR_FIELDS, *MANY_FIELDS, "results", "attachments"]


def _version_label(field: str) -> str:
    return str(_("nomination")) if field == "nomination" else label(field)


def display_rows(data: dict) -> list[tuple[str, str]]:
    """(label, text) for every field of a version, for reading it."""
    return [
        (_version_label(f), _show(data.get(f), f)) for f in VERSION_FIELDS if f != "attachments"
    ]


def diff(old: dict, new: dict) -> list[FieldChange]:
    """Field-by-field difference between two versions' data, in passport order."""
    return [
        FieldChange(f, _version_label(f), _show(old.get(f), f), _show(new.get(f), f))
        for f in VERSION_FIELDS
        if old.get(f) != new.get(f)
    ]


def conflict_differences(saved: Submission, yours: dict) -> list[tuple[str, str, str]]:
    """(label, saved text, your text) for the fields where a lost save differs."""
    rows = []
    for field in SCALAR_FIELDS:
        mine, theirs = _show(yours.get(field), field), _show(_plain(getattr(saved, field)), field)
        if mine != theirs:
            rows.append((label(field), theirs, mine))
    return rows
