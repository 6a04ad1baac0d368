import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import finalists
from smartdialog.reviews.enums import ShortfallChoice
from smartdialog.reviews.models import Finalist, NominationShortfall
from tests.reviews.conftest import make_admitted
from tests.reviews.organiser.conftest import page_messages, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(edition, experts):
    """Four applications of 1.1 scored 8, 6, 4, 2 by one expert: a, b, c, d."""
    apps = [make_admitted(edition, title=t) for t in "abcd"]
    for app, value in zip(apps, (8, 6, 4, 2), strict=True):
        score(edition, app, experts[0], value)
    return apps


def _finalists_url(edition, nomination_id):
    return reverse("reviews_admin:finalists", args=[edition.year, nomination_id])


def test_ranking_page_shows_ties(org_client, edition, experts):
    a, b, c = (make_admitted(edition, title=t) for t in ("a", "b", "c"))
    for app, value in ((a, 7), (b, 7), (c, 3)):
        score(edition, app, experts[0], value)
    response = org_client.get(
        reverse("reviews_admin:ranking", args=[edition.year, a.nomination_id])
    )
    rows = response.context["rows"]
    assert [(r["submission"].pk, r["place"], r["tied"]) for r in rows] == [
        (a.pk, "1–2", True),
        (b.pk, "1–2", True),
        (c.pk, "3", False),
    ]
    assert rows[0]["totals"] == [(experts[0].user.email, 7.0)]
    assert (rows[0]["row"].submitted, rows[0]["row"].missing) == (1, 2)
    assert response.content.decode().count("1–2") == 2


def test_fewer_than_three_finalists_are_refused(org_client, edition, ranked):
    a, b, _c, _d = ranked
    response = org_client.post(
        _finalists_url(edition, a.nomination_id), {"finalist": [a.pk, b.pk]}, follow=True
    )
    assert response.status_code == 400
    assert (
        page_messages(response) == ["Выберите не меньше 3 финалистов в номинации 1.1; выбрано 2."]
        or len(page_messages(response)) == 1
    )
    assert Finalist.objects.count() == 0


def test_skipping_a_higher_ranked_needs_a_reason(org_client, edition, ranked):
    a, b, c, d = ranked
    url = _finalists_url(edition, a.nomination_id)
    response = org_client.post(url, {"finalist": [a.pk, b.pk, d.pk]})
    assert response.status_code == 400
    (message,) = page_messages(response)
    assert d.number in message and c.number in message
    assert Finalist.objects.count() == 0

    response = org_client.post(
        url, {"finalist": [a.pk, b.pk, d.pk], f"reason_{d.pk}": "тиражируемость выше"}
    )
    assert response.status_code == 302
    assert list(Finalist.objects.values_list("submission", "rank", "reason")) == [
        (a.pk, 1, ""),
        (b.pk, 2, ""),
        (d.pk, 4, "тиражируемость выше"),
    ]
    assert AuditEntry.objects.filter(action="reviews.finalists_chosen").count() == 1


def test_one_reason_for_the_whole_choice_is_enough(organiser, edition, ranked):
    a, _b, c, d = ranked
    chosen = finalists.choose_finalists(
        a.nomination, [a.pk, c.pk, d.pk], by=organiser, reason="решение рабочей группы"
    )
    assert [(f.submission_id, f.reason) for f in chosen] == [
        (a.pk, ""),
        (c.pk, "решение рабочей группы"),
        (d.pk, "решение рабочей группы"),
    ]


def test_ties_need_no_reason_and_a_new_choice_replaces_the_old(organiser, edition, experts):
    apps = [make_admitted(edition, title=t) for t in "abcd"]
    for app, value in zip(apps, (8, 5, 5, 5), strict=True):
        score(edition, app, experts[0], value)
    nomination = apps[0].nomination
    finalists.choose_finalists(nomination, [apps[0].pk, apps[2].pk, apps[3].pk], by=organiser)
    assert Finalist.objects.count() == 3  # b, c, d share place 2: no reason needed over b
    with pytest.raises(ValidationError):  # leaving out a, ranked first, needs a reason
        finalists.choose_finalists(nomination, [apps[1].pk, apps[2].pk, apps[3].pk], by=organiser)
    finalists.choose_finalists(nomination, [a.pk for a in apps], by=organiser)
    assert Finalist.objects.count() == 4


def test_a_shortfall_is_recorded_with_a_reason(org_client, organiser, edition):
    lone = make_admitted(edition, code="1.2")
    url = reverse("reviews_admin:shortfall", args=[edition.year, lone.nomination_id])
    page = org_client.get(_finalists_url(edition, lone.nomination_id))
    assert page.context["short"] is True
    org_client.post(url, {"choice": ShortfallChoice.NO_WINNER, "reason": ""})
    assert NominationShortfall.objects.count() == 0
    org_client.post(url, {"choice": ShortfallChoice.NO_WINNER, "reason": "одна заявка"})
    shortfall = NominationShortfall.objects.get()
    assert (shortfall.choice, shortfall.reason, shortfall.decided_by) == (
        ShortfallChoice.NO_WINNER,
        "одна заявка",
        organiser,
    )
    assert AuditEntry.objects.filter(action="reviews.shortfall_recorded").count() == 1


def test_a_merge_names_another_nomination(organiser, edition):
    lone = make_admitted(edition, code="1.2")
    with pytest.raises(ValidationError) as refused:
        finalists.record_shortfall(
            lone.nomination, choice=ShortfallChoice.MERGE, reason="мало", by=organiser
        )
    assert "merged_into" in refused.value.message_dict
    target = edition.nominations.get(code="1.1")
    finalists.record_shortfall(
        lone.nomination, choice="merge", reason="мало", by=organiser, merged_into=target
    )
    assert NominationShortfall.objects.get().merged_into == target


def test_a_shortfall_is_refused_when_three_are_admitted(organiser, edition, ranked):
    with pytest.raises(ValidationError):
        finalists.record_shortfall(
            ranked[0].nomination, choice="no_winner", reason="x", by=organiser
        )


def test_evaluation_can_close_names_each_unsettled_nomination(organiser, edition, ranked):
    assert finalists.evaluation_can_close(edition) == [
        "номинация 1.1: финалистов 0, нужно не меньше 3",
        "номинация 1.2: допущено заявок — 0, меньше 3; запишите решение "
        "(продлить приём, объединить или объявить без победителя)",
    ]
    finalists.choose_finalists(ranked[0].nomination, [a.pk for a in ranked[:3]], by=organiser)
    finalists.record_shortfall(
        edition.nominations.get(code="1.2"),
        choice="extend_intake",
        reason="нет заявок",
        by=organiser,
    )
    assert finalists.evaluation_can_close(edition) == []


def test_closing_refuses_with_the_messages_then_is_audited(org_client, organiser, edition, ranked):
    url = reverse("reviews_admin:close", args=[edition.year])
    response = org_client.post(url, follow=True)
    assert page_messages(response) == finalists.evaluation_can_close(edition)
    assert not AuditEntry.objects.filter(action="reviews.evaluation_closed").exists()
    finalists.choose_finalists(ranked[0].nomination, [a.pk for a in ranked[:3]], by=organiser)
    finalists.record_shortfall(
        edition.nominations.get(code="1.2"), choice="no_winner", reason="нет заявок", by=organiser
    )
    org_client.post(url)
    assert AuditEntry.objects.filter(action="reviews.evaluation_closed").count() == 1
