"""Publishing an edition's results: the one writer of `Publication`, audited.

Who may see the results pages is decided here too (`access`), so that every results view
and export asks the same question: published → everyone; the vote running with live counts
switched on → everyone, marked live; otherwise only the edition's organisers, as a preview.
"""

import enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record
from smartdialog.voting.models import Ballot
from smartdialog.voting.services import moscow

from .models import Publication

MANAGE = "contests.manage_edition"


class Access(enum.Enum):
    PUBLISHED = "published"
    LIVE = "live"
    PREVIEW = "preview"


def _require(by, edition):
    if by is None or not by.has_perm(MANAGE, edition):
        raise PermissionDenied


def publication(edition) -> Publication | None:
    return Publication.objects.filter(edition=edition).first()


def is_published(edition) -> bool:
    return Publication.objects.filter(edition=edition, published_at__isnull=False).exists()


def public_access(ballot, *, published: bool, now=None) -> Access | None:
    """How everyone may see the results (`access` without the organisers' preview); `ballot`
    needs only its window and live switch."""
    if ballot is None:
        return None
    now = now or timezone.now()
    if published:
        return Access.PUBLISHED
    if ballot.live_results and ballot.opens_at <= now < ballot.closes_at:
        return Access.LIVE
    return None


def access(edition, ballot: Ballot | None, user, *, published: bool, now=None) -> Access | None:
    """How `user` may see the edition's results, or None (a 404 for them)."""
    found = public_access(ballot, published=published, now=now)
    if found is None and ballot is not None and user.has_perm(MANAGE, edition):
        return Access.PREVIEW
    return found


@transaction.atomic
def publish(edition, *, by, now=None) -> Publication:
    """Make the results public. Only once the vote has closed: during the vote the public
    sees counts only through the ballot's live-results switch."""
    _require(by, edition)
    now = now or timezone.now()
    ballot = Ballot.objects.filter(edition=edition).first()
    if ballot is None:
        raise ValidationError(_("The edition has no vote: there are no results to publish."))
    if now < ballot.closes_at:
        raise ValidationError(
            _("The vote runs until %(closes)s, Moscow time: publish the results after it closes.")
            % {"closes": moscow(ballot.closes_at)}
        )
    current, _created = Publication.objects.select_for_update().get_or_create(edition=edition)
    if current.published_at is not None:
        raise ValidationError(_("The results are already published."))
    current.published_at, current.published_by = now, by
    current.save(update_fields=["published_at", "published_by"])
    record(by, "results.published", current, after={"published_at": now})
    return current


@transaction.atomic
def withdraw(edition, *, by, reason: str = "") -> Publication:
    """Hide published results again (for example to correct exclusions); audited."""
    _require(by, edition)
    current = Publication.objects.select_for_update().filter(edition=edition).first()
    if current is None or current.published_at is None:
        raise ValidationError(_("The results are not published."))
    before = {"published_at": current.published_at}
    current.published_at, current.published_by = None, None
    current.save(update_fields=["published_at", "published_by"])
    record(
        by, "results.withdrawn", current, before=before, after={"published_at": None}, reason=reason
    )
    return current
