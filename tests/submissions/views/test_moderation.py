import pytest
from django.urls import reverse

from smartdialog.accounts.models import Role
from smartdialog.submissions import services
from smartdialog.submissions.enums import ChecklistItem, SubmissionState
from smartdialog.submissions.moderation_urls import urlpatterns
from tests.factories import give_role, make_edition, make_user
from tests.submissions.conftest import fill

pytestmark = pytest.mark.django_db
S = SubmissionState
YES = {f"check_{item}": "yes" for item in ChecklistItem.values}


@pytest.fixture
def submitted(complete_draft, applicant):
    services.submit(complete_draft, by=applicant)
    complete_draft.refresh_from_db()
    return complete_draft


def _url(pattern, submission):
    kwargs = {"year": submission.edition.year}
    if "<int:pk>" in str(pattern.pattern):
        kwargs["pk"] = submission.pk
    return reverse(f"moderation:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("pattern", urlpatterns, ids=lambda p: p.name)
@pytest.mark.parametrize("who", ["applicant", "expert", "outsider", "foreign_moderator"])
def test_only_staff_of_the_edition_moderate(client, request, submitted, pattern, who):
    if who == "foreign_moderator":
        user = make_user("foreign@example.ru")
        give_role(user, make_edition(2031), Role.MODERATOR)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = _url(pattern, submitted)
    assert client.get(url).status_code in (403, 405)
    response = client.post(
        url, {"decision": "in_moderation", "selected": [submitted.pk], "action": "take"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_an_application_of_another_edition_is_404(client, submitted, moderator):
    other = make_edition(2031)
    give_role(moderator, other, Role.MODERATOR)
    client.force_login(moderator)
    url = reverse("moderation:review", kwargs={"year": 2031, "pk": submitted.pk})
    assert client.get(url).status_code == 404


def test_the_queue_filters_by_nomination_and_region(client, submitted, moderator):
    client.force_login(moderator)
    url = reverse("moderation:queue", args=[submitted.edition.year])
    page = client.get(url, {"nomination": submitted.nomination_id}).context["page"]
    assert list(page) == [submitted]
    other = submitted.edition.nominations.get(code="1.2")
    assert list(client.get(url, {"nomination": other.pk}).context["page"]) == []
    response = client.get(url, {"region": "999999", "waiting_days": "-3"})
    assert set(response.context["form"].errors) == {"region", "waiting_days"}


def test_return_with_field_comment_then_resubmit_then_diff_then_admit(
    client, submitted, moderator, applicant
):
    client.force_login(moderator)
    year = submitted.edition.year
    decide = reverse("moderation:decide", args=[year, submitted.pk])
    client.post(decide, {"decision": "in_moderation"})
    client.post(
        decide, {"decision": "returned", "comment": "Доработайте", "note_problem": "Добавьте цифры"}
    )
    submitted.refresh_from_db()
    assert submitted.state == S.RETURNED
    fill(submitted, applicant, problem="Очереди по 40 минут")
    services.submit(submitted, by=applicant)
    client.post(decide, {"decision": "in_moderation"})
    review = client.get(reverse("moderation:review", args=[year, submitted.pk]))
    changes = {c.field: (c.old, c.new) for c in review.context["changes"]}
    assert changes == {
        "problem": ("Очереди в регистратуре и долгая запись к врачу.", "Очереди по 40 минут")
    }
    client.post(decide, {"decision": "admitted", **YES})
    submitted.refresh_from_db()
    assert submitted.state == S.ADMITTED


def test_admission_without_the_checklist_is_refused_with_a_message(client, submitted, moderator):
    client.force_login(moderator)
    decide = reverse("moderation:decide", args=[submitted.edition.year, submitted.pk])
    client.post(decide, {"decision": "in_moderation"})
    response = client.post(decide, {"decision": "admitted"}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    submitted.refresh_from_db()
    assert submitted.state == S.IN_MODERATION


def test_bulk_take_assigns_to_me(client, submitted, moderator):
    client.force_login(moderator)
    client.post(
        reverse("moderation:bulk", args=[submitted.edition.year]),
        {"action": "take", "selected": [submitted.pk]},
    )
    submitted.refresh_from_db()
    assert (submitted.state, submitted.moderator) == (S.IN_MODERATION, moderator)


def test_only_organisers_extend_an_individual_deadline(client, submitted, moderator, organiser):
    url = reverse("moderation:extend", args=[submitted.edition.year, submitted.pk])
    client.force_login(moderator)
    assert client.post(url, {"until": "2099-01-01T00:00", "reason": "x"}).status_code == 403
    client.force_login(organiser)
    client.post(url, {"until": f"{submitted.edition.year + 1}-01-10T12:00", "reason": "сбой"})
    submitted.refresh_from_db()
    assert submitted.deadline_override.year == submitted.edition.year + 1


def test_searching_for_a_non_ascii_digit_finds_nothing_instead_of_failing(
    client, submitted, moderator
):
    client.force_login(moderator)
    url = reverse("moderation:queue", args=[submitted.edition.year])
    response = client.get(url, {"query": "²"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert list(client.get(url, {"query": submitted.number}).context["page"]) == [submitted]
