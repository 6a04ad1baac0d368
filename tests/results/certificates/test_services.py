"""Issuing in bulk (idempotent, audited), revoking with a reason, finding by a typed code."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartdialog.audit.models import AuditEntry
from smartdialog.results import certificates
from smartdialog.results.models import Certificate

pytestmark = pytest.mark.django_db


def _kinds(submission) -> set[str]:
    return set(Certificate.objects.filter(submission=submission).values_list("kind", flat=True))


def test_issue_gives_participants_finalists_and_the_winner(edition, organiser, contest):
    issued = certificates.issue(edition, by=organiser)
    assert dict(issued.new) == {"participant": 4, "finalist": 3, "winner": 1}
    assert issued.already == 0
    assert _kinds(contest["winner"]) == {"participant", "finalist", "winner"}
    assert _kinds(contest["finalists"][1].submission) == {"participant", "finalist"}
    assert _kinds(contest["other"]) == {"participant"}
    entry = AuditEntry.objects.get(action="results.certificates_issued")
    assert entry.after == {"participant": 4, "finalist": 3, "winner": 1}
    assert entry.edition == edition


def test_issued_certificate_freezes_the_application_data(edition, organiser, contest):
    certificates.issue(edition, by=organiser)
    winner = contest["winner"]
    certificate = Certificate.objects.get(submission=winner, kind="winner")
    assert certificate.data == {
        "kind": "winner",
        "number": winner.number,
        "practice": "Единое окно обращений",
        "organisation": winner.organization.full_name,
        "organisation_short": winner.organization.short_name,
        "region": "Москва",
        "nomination_code": "1.1",
        "nomination": "Номинация 1.1",
        "direction": "1. Здравоохранение",
        "edition": edition.title,
        "year": edition.year,
    }
    winner.title = "Переименованная практика"
    winner.save(update_fields=["title"])
    certificate.refresh_from_db()
    assert certificate.data["practice"] == "Единое окно обращений"
    assert certificates.statement(certificate) == (
        f"The practice «Единое окно обращений» of {winner.organization.full_name} (Москва) won "
        f"the contest «{edition.title}» in the nomination 1.1 «Номинация 1.1»."
    )


def test_issuing_again_adds_only_what_is_new(edition, organiser, contest):
    certificates.issue(edition, by=organiser)
    codes = set(Certificate.objects.values_list("code", flat=True))
    again = certificates.issue(edition, by=organiser)
    assert again.total_new == 0 and again.already == 8
    assert set(Certificate.objects.values_list("code", flat=True)) == codes
    assert AuditEntry.objects.filter(action="results.certificates_issued").count() == 1


def test_issue_with_nobody_admitted_says_so(edition, organiser):
    with pytest.raises(ValidationError, match="no application has been admitted"):
        certificates.issue(edition, by=organiser)


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_only_organisers_issue(request, edition, contest, who):
    with pytest.raises(PermissionDenied):
        certificates.issue(edition, by=request.getfixturevalue(who))
    assert not Certificate.objects.exists()


def test_revoke_needs_a_reason_and_happens_once(edition, organiser, contest):
    certificates.issue(edition, by=organiser)
    certificate = Certificate.objects.get(submission=contest["other"])
    with pytest.raises(ValidationError, match="Say why"):
        certificates.revoke(certificate, reason="  ", by=organiser)
    certificates.revoke(certificate, reason="Заявка отозвана организацией", by=organiser)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoke_reason == "Заявка отозвана организацией"
    entry = AuditEntry.objects.get(action="results.certificate_revoked")
    assert (entry.reason, entry.edition) == ("Заявка отозвана организацией", edition)
    with pytest.raises(ValidationError, match="already revoked"):
        certificates.revoke(certificate, reason="ещё раз", by=organiser)
    assert certificates.issue(edition, by=organiser).total_new == 0  # stays revoked


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN"),
        ("abcd efgh jkmn", "ABCD-EFGH-JKMN"),
        (" abcdefghjkmn ", "ABCD-EFGH-JKMN"),
        ("AB–CD—EFGH_JKMN", "ABCD-EFGH-JKMN"),
        ("ABCD-EFGH-JKM", None),
        ("ABCD-EFGH-JKM0", None),  # no 0/O, 1/I/L in codes
        ("", None),
    ],
)
def test_codes_are_normalised(typed, normal):
    assert certificates.normalise_code(typed) == normal


def test_find_by_a_code_as_typed(edition, organiser, contest):
    certificates.issue(edition, by=organiser)
    certificate = Certificate.objects.first()
    assert certificates.find(certificate.code.lower().replace("-", " ")) == certificate
    assert certificates.find("2222-2222-2222") is None
