"""Electronic certificates: issued in bulk from the applications, revoked with a reason, verified
by code. The one writer of `Certificate`; every change is audited.

Who gets one: every application admitted to expert evaluation (participant), every finalist
(finalist) and every confirmed winner (winner); one certificate per application and kind.
What it says is frozen in `data` when issued, so a later edit of the application or the
organisation never changes an issued certificate.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartdialog.audit.services import record
from smartdialog.contests.models import Edition
from smartdialog.core import pdf
from smartdialog.organizations.selectors import organizations_of
from smartdialog.reviews.decisions import winners
from smartdialog.reviews.models import Finalist
from smartdialog.submissions.selectors import admitted_in

from .models import CERTIFICATE_ALPHABET, Certificate

MANAGE = "contests.manage_edition"
Kind = Certificate.Kind
CODE_LENGTH = 12
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.]+")


def normalise_code(text: str) -> str | None:
    """`abcd efgh-jkmn` → `ABCD-EFGH-JKMN`; None when it cannot be a certificate code."""
    raw = _SEPARATORS.sub("", text or "").upper()
    if len(raw) != CODE_LENGTH or any(ch not in CERTIFICATE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def find(code: str) -> Certificate | None:
    """The certificate with this code as typed by a person, or None."""
    normal = normalise_code(code)
    if normal is None:
        return None
    return Certificate.objects.filter(code=normal).select_related("submission__edition").first()


def snapshot(submission, kind: str) -> dict:
    """What the certificate states, from the application as it is now."""
    organisation, nomination = submission.organization, submission.nomination
    direction = nomination.direction
    return {
        "kind": kind,
        "number": submission.number,
        "practice": submission.title,
        "organisation": organisation.full_name,
        "organisation_short": organisation.short_name,
        "region": organisation.region.name,
        "nomination_code": nomination.code,
        "nomination": nomination.title,
        "direction": f"{direction.number}. {direction.title}",
        "edition": submission.edition.title,
        "year": submission.edition.year,
    }


def recipients(edition) -> list[tuple[str, object]]:
    """(kind, application) for everyone entitled to a certificate of the edition."""
    related = ("organization__region", "nomination__direction", "edition")
    admitted = admitted_in(edition).select_related(*related).order_by("pk")
    finalists = (
        Finalist.objects.filter(nomination__edition=edition)
        .select_related(*(f"submission__{r}" for r in related))
        .order_by("submission_id")
    )
    found = [(Kind.PARTICIPANT, s) for s in admitted]
    found += [(Kind.FINALIST, f.submission) for f in finalists]
    found += [(Kind.WINNER, w.submission) for w in winners(edition)]
    return found


@dataclass
class Issued:
    new: Counter
    already: int

    @property
    def total_new(self) -> int:
        return sum(self.new.values())


@transaction.atomic
def issue(edition, *, by) -> Issued:
    """Issue every certificate the edition's data entitles to and that does not exist yet;
    running it again issues only what is new (a revoked certificate stays revoked)."""
    if by is None or not by.has_perm(MANAGE, edition):
        raise PermissionDenied
    Edition.objects.select_for_update().get(pk=edition.pk)  # one issuing run at a time
    existing = set(
        Certificate.objects.filter(submission__edition=edition).values_list("submission", "kind")
    )
    due = [(k, s) for k, s in recipients(edition) if (s.pk, k) not in existing]
    if not due and not existing:
        raise ValidationError(
            _("Nobody is entitled to a certificate yet: no application has been admitted.")
        )
    Certificate.objects.bulk_create(
        Certificate(submission=s, kind=k, data=snapshot(s, k), issued_by=by) for k, s in due
    )
    new = Counter(str(k) for k, _s in due)
    if due:
        record(by, "results.certificates_issued", edition, after=dict(new), edition=edition)
    return Issued(new=new, already=len(existing))


@transaction.atomic
def revoke(certificate: Certificate, *, reason: str, by) -> Certificate:
    """Revoke a certificate; the verification page then says so, with the date."""
    edition = certificate.submission.edition
    if by is None or not by.has_perm(MANAGE, edition):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError({"reason": _("This certificate is already revoked.")})
    certificate.revoked_at, certificate.revoke_reason = timezone.now(), reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    record(
        by,
        "results.certificate_revoked",
        certificate,
        after={"code": certificate.code, "kind": certificate.kind},
        reason=reason,
        edition=edition,
    )
    return certificate


def of_edition(edition):
    return (
        Certificate.objects.filter(submission__edition=edition)
        .select_related("submission__edition")
        .order_by("submission_id", "kind")
    )


def of_user(user):
    """Certificates of the applications of the organisations `user` is a member of."""
    return (
        Certificate.objects.filter(submission__organization__in=organizations_of(user))
        .select_related("submission__edition")
        .order_by("-submission__edition__year", "submission_id", "kind")
    )


# --- the document ---------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (segno, no image files)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=2)


TITLES = {
    Kind.PARTICIPANT: gettext_lazy("Certificate of a participant"),
    Kind.FINALIST: gettext_lazy("Certificate of a finalist"),
    Kind.WINNER: gettext_lazy("Certificate of the winner"),
}
STATEMENTS = {
    Kind.PARTICIPANT: gettext_lazy(
        "The practice «%(practice)s» of %(organisation)s (%(region)s) took part in the "
        "contest «%(edition)s» in the nomination %(nomination_code)s «%(nomination)s»."
    ),
    Kind.FINALIST: gettext_lazy(
        "The practice «%(practice)s» of %(organisation)s (%(region)s) became a finalist of "
        "the contest «%(edition)s» in the nomination %(nomination_code)s «%(nomination)s»."
    ),
    Kind.WINNER: gettext_lazy(
        "The practice «%(practice)s» of %(organisation)s (%(region)s) won the contest "
        "«%(edition)s» in the nomination %(nomination_code)s «%(nomination)s»."
    ),
}


def statement(certificate: Certificate) -> str:
    """What the certificate certifies, in one sentence, from its frozen data."""
    return str(STATEMENTS[certificate.kind]) % certificate.data


def title(certificate: Certificate) -> str:
    return str(TITLES[certificate.kind])


def html(certificate: Certificate, *, url: str) -> str:
    with translation.override("ru"):
        return render_to_string(
            "results/pdf/certificate.html",
            {
                "certificate": certificate,
                "title": title(certificate),
                "statement": statement(certificate),
                "url": url,
                "qr": mark_safe(qr_svg(url)),  # segno writes the markup; the URL is ours
                "issued_on": timezone.localdate(certificate.issued_at),
                "fonts": pdf.font_faces(),
            },
        )


def render(certificate: Certificate, *, url: str) -> bytes:
    """The certificate as an A4 landscape PDF with its code and a QR code of `url`."""
    return pdf.render(html(certificate, url=url))


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def may_download(user, certificate: Certificate) -> bool:
    """Members of the applicant organisation and the edition's organisers."""
    submission = certificate.submission
    return user.has_perm(MANAGE, submission.edition) or (
        organizations_of(user).filter(pk=submission.organization_id).exists()
    )
