"""configure_ballot: sections by direction from confirmed winners or finalists; audited."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews.models import Finalist
from smartdialog.voting import services
from smartdialog.voting.services import cast, configure_ballot
from tests.reviews.conftest import make_admitted

from .conftest import add_direction, make_voter

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def winners(edition, monkeypatch):
    add_direction(edition, 2, "Образование", "2.1")
    chosen = [
        make_admitted(edition, code=code, title=f"Победитель {code}")
        for code in ("1.1", "1.2", "2.1")
    ]
    rows = [SimpleNamespace(nomination=s.nomination, submission=s) for s in chosen]
    monkeypatch.setattr(services, "winners", lambda e: rows if e == edition else [])
    return chosen


def _window(days_from_now=-1):
    opens = timezone.now() + days_from_now * DAY
    return {"opens_at": opens, "closes_at": opens + 30 * DAY}


def test_configure_makes_sections_by_direction_of_the_winners(edition, winners, organiser):
    ballot = configure_ballot(edition, **_window(), by=organiser)
    layout = [
        (s.title, [e.submission.title for e in s.entries.order_by("order")])
        for s in ballot.sections.order_by("order")
    ]
    assert layout == [
        ("Здравоохранение", ["Победитель 1.1", "Победитель 1.2"]),
        ("Образование", ["Победитель 2.1"]),
    ]
    assert AuditEntry.objects.filter(action="voting.ballot_created").count() == 1


def test_configure_with_finalists(edition, winners, organiser):
    for rank, submission in enumerate(winners, start=1):
        Finalist.objects.create(
            nomination=submission.nomination, submission=submission, rank=rank, chosen_by=organiser
        )
    extra = make_admitted(edition, code="1.1", title="Финалист 1.1")
    Finalist.objects.create(
        nomination=extra.nomination, submission=extra, rank=9, chosen_by=organiser
    )
    ballot = configure_ballot(edition, **_window(), content="finalists", by=organiser)
    assert ballot.sections.get(order=1).entries.count() == 3


def test_entries_are_frozen_once_votes_exist_but_the_window_moves(edition, winners, organiser):
    window = _window()
    ballot = configure_ballot(edition, **window, by=organiser)
    section = ballot.sections.get(order=1)
    cast(make_voter(), ballot, {section.pk: [section.entries.first().pk]})
    with pytest.raises(ValidationError) as excinfo:
        configure_ballot(edition, **window, choices_per_section=2, by=organiser)
    assert "Votes have been cast" in excinfo.value.messages[0]
    later = window["closes_at"] + 3 * DAY
    with pytest.raises(ValidationError) as excinfo:
        configure_ballot(edition, opens_at=window["opens_at"], closes_at=later, by=organiser)
    assert "reason" in excinfo.value.message_dict
    configure_ballot(
        edition, opens_at=window["opens_at"], closes_at=later, by=organiser, reason="Продлено"
    )
    ballot.refresh_from_db()
    assert ballot.closes_at == later
    moved = AuditEntry.objects.get(action="voting.ballot_moved")
    assert moved.reason == "Продлено"
    assert moved.before["closes_at"] != moved.after["closes_at"]


def test_configure_before_votes_can_change_everything(edition, winners, organiser):
    configure_ballot(edition, **_window(2), by=organiser)
    ballot = configure_ballot(edition, **_window(3), choices_per_section=2, by=organiser)
    assert ballot.choices_per_section == 2
    assert ballot.sections.count() == 2


def test_configure_refuses_bad_input_and_outsiders(edition, winners, organiser, outsider):
    window = _window()
    with pytest.raises(ValidationError) as excinfo:
        configure_ballot(
            edition, opens_at=window["closes_at"], closes_at=window["opens_at"], by=organiser
        )
    assert "closes_at" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        configure_ballot(edition, **window, by=outsider)


def test_configure_without_winners_says_so(edition, organiser):
    with pytest.raises(ValidationError) as excinfo:
        configure_ballot(edition, **_window(), by=organiser)
    assert "no confirmed winners" in excinfo.value.messages[0]


def test_live_counts_switch_on_and_off_after_votes_audited_and_seen(
    client, edition, winners, organiser, django_capture_on_commit_callbacks
):
    """The switch is on the organisers' ballot form; the public results page follows it
    once the change has committed (the audit entry renews the results' cache)."""
    opens = timezone.localtime(timezone.now() - DAY).replace(second=0, microsecond=0)
    ballot = configure_ballot(edition, opens_at=opens, closes_at=opens + 30 * DAY, by=organiser)
    section = ballot.sections.get(order=1)
    cast(make_voter(), ballot, {section.pk: [section.entries.first().pk]})
    form = {
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + 30 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "content": "winners",
        "choices_per_section": 1,
    }
    configure_url = reverse("vote_admin:configure", args=[edition.year])
    results_url = reverse("results:index", args=[edition.year])
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(configure_url, form | {"live_results": "on"}).status_code == 302
    ballot.refresh_from_db()
    assert ballot.live_results
    client.logout()
    response = client.get(results_url)
    assert response.status_code == 200
    assert "Текущие результаты: голосование идёт до" in response.content.decode()

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(configure_url, form).status_code == 302
    ballot.refresh_from_db()
    assert not ballot.live_results
    client.logout()
    assert client.get(results_url).status_code == 404
    switches = AuditEntry.objects.filter(action="voting.ballot_live_results").order_by("id")
    assert [(a.before, a.after) for a in switches] == [
        ({"live_results": False}, {"live_results": True}),
        ({"live_results": True}, {"live_results": False}),
    ]
    assert not AuditEntry.objects.filter(action="voting.ballot_moved").exists()
