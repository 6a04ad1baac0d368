"""The citizen's pages: closed and upcoming ballots, identification, region once, casting."""

import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from smartdialog.reference.models import Region
from smartdialog.voting.identity import SESSION_KEY
from smartdialog.voting.models import Ballot, Vote, Voter
from tests.voting.citizen.conftest import DAY, PHONE, last_code, make_ballot
from tests.voting.confirming import post_confirm

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def _moscow(moment):
    return dateformat.format(moment.astimezone(MOSCOW), "j E Y, H:i")


def _identify(client, phone="+7 900 123-45-67"):
    response = client.post(reverse("vote:start"), {"contact": phone})
    assert response["Location"] == reverse("vote:code")
    return client.post(reverse("vote:code"), {"code": last_code()})


def _region_once(client, code="50"):
    region = Region.objects.get(code=code)
    response = client.post(reverse("vote:region"), {"region": region.pk})
    assert response["Location"] == reverse("vote:ballot")
    return region


def _pick_first(ballot):
    return {
        f"section_{s.pk}": str(s.entries.order_by("order").first().pk)
        for s in ballot.sections.all()
    }


def test_no_ballot_says_so(client, db):
    response = client.get(reverse("vote:start"))
    assert _("There is no public vote at the moment.") in response.content.decode()


def test_closed_ballot_shows_its_window_in_moscow_time(client):
    ballot = make_ballot(opens=-10 * DAY, closes=-DAY)
    response = client.get(reverse("vote:start"))
    html = response.content.decode()
    assert response.context["state"] == "closed"
    expected = _("The vote is closed. It ran from %(opens)s to %(closes)s, Moscow time.") % {
        "opens": _moscow(ballot.opens_at),
        "closes": _moscow(ballot.closes_at),
    }
    assert expected in html
    assert 'name="contact"' not in html


def test_upcoming_ballot_says_when_it_opens(client):
    make_ballot(opens=2 * DAY, closes=9 * DAY)
    ballot = Ballot.objects.get()
    response = client.get(reverse("vote:start"))
    assert response.context["state"] == "upcoming"
    expected = _(
        "The vote has not opened yet. It opens on %(opens)s and closes on %(closes)s, Moscow time."
    ) % {"opens": _moscow(ballot.opens_at), "closes": _moscow(ballot.closes_at)}
    assert expected in response.content.decode()
    assert 'name="contact"' not in response.content.decode()


def test_closed_ballot_sends_an_identified_voter_back_to_the_message(client):
    make_ballot(opens=-10 * DAY, closes=-DAY)
    voter = Voter.objects.create(phone=PHONE, verified_at=timezone.now())
    session = client.session
    session[SESSION_KEY] = voter.pk
    session.save()
    assert client.get(reverse("vote:ballot"))["Location"] == reverse("vote:start")


def test_ballot_needs_an_identified_voter(client, ballot):
    assert client.get(reverse("vote:ballot"))["Location"] == reverse("vote:start")
    assert client.get(reverse("vote:code"))["Location"] == reverse("vote:start")
    assert client.get(reverse("vote:region"))["Location"] == reverse("vote:start")


def test_invalid_phone_is_refused_on_the_form(client, ballot):
    response = client.post(reverse("vote:start"), {"contact": "12345"})
    assert response.status_code == 200
    assert (
        _("«%(value)s» is not a phone number: enter it as +7 900 123-45-67.") % {"value": "12345"}
        in response.content.decode()
    )


def test_wrong_code_is_refused_on_the_page_and_the_number_kept(client, ballot):
    client.post(reverse("vote:start"), {"contact": PHONE})
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("vote:code"), {"code": wrong})
    assert response.status_code == 200
    assert (
        _("The code is wrong: check the message and try again (attempts left: %(n)s).") % {"n": 4}
        in response.content.decode()
    )
    assert SESSION_KEY not in client.session
    response = client.post(reverse("vote:code"), {"code": last_code()})
    assert response["Location"] == reverse("vote:region")


def test_region_is_asked_once_and_shown_later(client, ballot):
    _identify(client)
    region = _region_once(client)
    assert client.get(reverse("vote:region"))["Location"] == reverse("vote:ballot")
    client.post(reverse("vote:leave"))
    response = _identify(client, "8 (900) 123-45-67")
    assert response["Location"] == reverse("vote:ballot")
    html = client.get(reverse("vote:ballot")).content.decode()
    assert region.name in html
    assert Voter.objects.get().region == region


def test_ballot_lists_practices_with_organisation_region_and_description(client, ballot):
    _identify(client)
    _region_once(client)
    html = client.get(reverse("vote:ballot")).content.decode()
    entry = ballot.sections.first().entries.order_by("order").first()
    submission = entry.submission
    assert submission.title in html
    assert submission.organization.short_name in html
    assert submission.organization.region.name in html
    assert f"Решение «{submission.title}»: подробно" in html
    assert submission.solution[:400] not in html  # cut to 300 characters


def test_full_cast_through_the_pages(client, ballot):
    _identify(client)
    region = _region_once(client, "50")
    response = client.post(reverse("vote:ballot"), _pick_first(ballot))
    assert response["Location"] == reverse("vote:confirm")
    html = client.get(reverse("vote:confirm")).content.decode()
    for section in ballot.sections.all():
        assert section.entries.order_by("order").first().submission.title in html
    token = re.search(r'name="confirmation" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("vote:confirm"), {"confirmation": token}, HTTP_USER_AGENT="pytest"
    )
    assert response["Location"] == reverse("vote:done")
    votes = Vote.objects.filter(voter__phone=PHONE)
    assert votes.count() == 2
    assert {v.region_id for v in votes} == {region.pk}
    html = client.get(reverse("vote:done")).content.decode()
    for vote in votes:
        assert vote.receipt in html
        assert f"{reverse('vote:receipt')}?code={vote.receipt}" in html
    # Everything voted: the ballot sends the voter to the receipts.
    assert client.get(reverse("vote:ballot"))["Location"] == reverse("vote:done")


def test_second_cast_in_a_section_shows_the_cores_message(client, ballot):
    _identify(client)
    _region_once(client)
    choice = _pick_first(ballot)
    client.post(reverse("vote:ballot"), choice)
    post_confirm(client)
    first = Vote.objects.get(section=ballot.sections.first())
    # A stale tab submits the same ballot again.
    response = client.post(reverse("vote:ballot"), choice)
    assert response["Location"] == reverse("vote:confirm")
    response = post_confirm(client)
    assert response.status_code == 200
    expected = _(
        "You have already voted in the section «%(section)s»; a vote is final. "
        "Your receipt: %(receipt)s."
    ) % {"section": first.section.title, "receipt": first.receipt}
    assert expected in response.content.decode()
    assert Vote.objects.count() == 2


def test_a_section_can_be_left_for_later(client, ballot):
    _identify(client)
    _region_once(client)
    first, second = ballot.sections.order_by("order")
    entry = first.entries.first()
    client.post(reverse("vote:ballot"), {f"section_{first.pk}": str(entry.pk)})
    post_confirm(client)
    html = client.get(reverse("vote:done")).content.decode()
    assert f"«{second.title}»" in html
    response = client.get(reverse("vote:ballot"))
    assert response.status_code == 200
    assert f'name="section_{second.pk}"' in response.content.decode()


def test_a_practice_from_another_section_is_refused(client, ballot):
    _identify(client)
    _region_once(client)
    first, second = ballot.sections.order_by("order")
    response = client.post(
        reverse("vote:ballot"), {f"section_{first.pk}": str(second.entries.first().pk)}
    )
    assert response.status_code == 200
    assert (
        _("This practice is not on the ballot in this section: choose one from the list.")
        in response.content.decode()
    )
    assert Vote.objects.count() == 0


def test_empty_ballot_asks_for_a_choice(client, ballot):
    _identify(client)
    _region_once(client)
    response = client.post(reverse("vote:ballot"), {})
    assert _("Choose a practice in at least one section.") in response.content.decode()


def test_checkboxes_when_more_choices_are_allowed(client):
    ballot = make_ballot(choices_per_section=2)
    _identify(client)
    _region_once(client)
    html = client.get(reverse("vote:ballot")).content.decode()
    assert 'type="checkbox"' in html and 'type="radio"' not in html
    section = ballot.sections.order_by("order").first()
    ids = [str(e.pk) for e in section.entries.all()]
    client.post(reverse("vote:ballot"), {f"section_{section.pk}": ids})
    post_confirm(client)
    assert sorted(Vote.objects.values_list("slot", flat=True)) == [1, 2]


def test_picks_survive_going_back_to_the_ballot(client, ballot):
    _identify(client)
    _region_once(client)
    choice = _pick_first(ballot)
    client.post(reverse("vote:ballot"), choice)
    html = client.get(reverse("vote:ballot")).content.decode()
    for value in choice.values():
        assert re.search(rf'value="{value}"\s*checked', html)
