"""Press texts: the generated summary of the vote, edited and published by organisers.

The one writer of `PressText`, each change audited. A draft keeps the numbers it was written
from, so the published text always links to them; an edition has at most one published text
(publishing another withdraws the previous one in the same transaction).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record
from smartdialog.voting.models import Ballot

from . import figures, services
from .models import PressText
from .summary import generate, numbers_for

MANAGE = "contests.manage_edition"


def _require(by, edition):
    if by is None or not by.has_perm(MANAGE, edition):
        raise PermissionDenied


def _locked(press_text: PressText) -> PressText:
    return PressText.objects.select_for_update().get(pk=press_text.pk)


@transaction.atomic
def create_draft(edition, *, by) -> PressText:
    """A draft from the current numbers: the generated text, ready to edit."""
    _require(by, edition)
    numbers = numbers_for(edition)
    text = generate(numbers)
    if not text:
        raise ValidationError(
            _("There is nothing to write about yet: no votes and no applications.")
        )
    draft = PressText.objects.create(
        edition=edition,
        generated_text=text,
        text=text,
        numbers=numbers,
        computed_at=datetime.datetime.fromisoformat(numbers["computed_at"]),
        created_by=by,
    )
    record(by, "results.press_drafted", draft, after={"computed_at": numbers["computed_at"]})
    return draft


@transaction.atomic
def edit(press_text: PressText, text: str, *, by) -> PressText:
    """Replace the text; the generated text and the numbers stay as they were."""
    _require(by, press_text.edition)
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": _("The text is empty: write the press text or restore the generated one.")}
        )
    press_text = _locked(press_text)
    before = press_text.text
    if text != before:
        press_text.text = text
        press_text.save(update_fields=["text"])
        record(
            by, "results.press_edited", press_text, before={"text": before}, after={"text": text}
        )
    return press_text


@transaction.atomic
def publish(press_text: PressText, *, by) -> PressText:
    """Make this the edition's published press text, withdrawing any other."""
    _require(by, press_text.edition)
    previous = (
        PressText.objects.select_for_update()
        .filter(edition=press_text.edition, published_at__isnull=False)
        .exclude(pk=press_text.pk)
    )
    for other in previous:
        _withdraw(other, by=by, reason=_("Another press text was published."))
    press_text = _locked(press_text)
    if press_text.published_at is None:
        press_text.published_at = timezone.now()
        press_text.published_by = by
        press_text.save(update_fields=["published_at", "published_by"])
        record(by, "results.press_published", press_text, after={"text": press_text.text})
    return press_text


def _withdraw(press_text: PressText, *, by, reason: str = "") -> None:
    before = {"published_at": press_text.published_at}
    press_text.published_at = None
    press_text.published_by = None
    press_text.save(update_fields=["published_at", "published_by"])
    record(by, "results.press_unpublished", press_text, before=before, reason=reason)


@transaction.atomic
def unpublish(press_text: PressText, *, by) -> PressText:
    """Withdraw a published text: the public page shows the generated summary again."""
    _require(by, press_text.edition)
    press_text = _locked(press_text)
    if press_text.published_at is not None:
        _withdraw(press_text, by=by)
    return press_text


def published(edition) -> PressText | None:
    return PressText.objects.filter(edition=edition, published_at__isnull=False).first()


def public_summary(edition) -> dict:
    """Context for `results/public/_summary.html` on the public results page: the published
    press text if there is one, else the summary generated from the cached figures when the
    results are public."""
    press_text = published(edition)
    if press_text:
        return {"press_text": press_text, "edition": edition}
    ballot = Ballot.objects.filter(edition=edition).first()
    if ballot is None or not services.is_published(edition):
        return {}
    return {"generated": generate(numbers_for(edition, figures.cached(ballot))), "edition": edition}
