"""Bad input in the back office: a specific Russian message by the field, nothing saved changes."""

import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import StageDateChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, organiser):
    client.force_login(organiser)
    return client


def _move(client, edition, start, end, reason="Продление"):
    stage = edition.stages.get(kind=StageKind.INTAKE)
    url = reverse("manage:stage_move", kwargs={"year": edition.year, "pk": stage.pk})
    return client.post(url, {"starts_at": start, "ends_at": end, "reason": reason})


def test_moving_the_intake_end_redirects_and_is_recorded(logged_in, edition, organiser):
    response = _move(logged_in, edition, "2030-04-17T00:00", "2030-06-30T23:59")
    assert response.status_code == 302
    change = StageDateChange.objects.get()
    assert change.new_ends_at.isoformat() == "2030-06-30T20:59:00+00:00"
    assert change.changed_by == organiser


@pytest.mark.parametrize(
    ("start", "end", "reason", "field", "message"),
    [
        (
            "2030-06-30T00:00",
            "2030-06-01T00:00",
            "x",
            "ends_at",
            "Окончание должно быть позже начала.",
        ),
        ("2029-12-31T00:00", "2030-06-01T00:00", "x", "starts_at", "выходит за годы проведения"),
        ("2030-04-17T00:00", "2030-06-30T23:59", "", "reason", "Укажите причину переноса сроков."),
        ("2030-04-17T00:00", "не дата", "x", "ends_at", "Введите правильную дату и время."),
    ],
)
def test_bad_stage_dates_are_refused_next_to_the_field(
    logged_in, edition, start, end, reason, field, message
):
    response = _move(logged_in, edition, start, end, reason)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert message in response.content.decode()
    assert not StageDateChange.objects.exists()
    stage = edition.stages.get()
    assert stage.ends_at == stage.planned_ends_at


def test_an_overlapping_stage_of_the_same_kind_is_refused(logged_in, edition):
    url = reverse("manage:stage_create", kwargs={"year": edition.year})
    response = logged_in.post(
        url, {"kind": "intake", "starts_at": "2030-06-01T00:00", "ends_at": "2030-07-01T00:00"}
    )
    assert response.status_code == 200
    assert "пересекаются" in response.context["form"].errors["starts_at"][0]
    assert edition.stages.count() == 1


def test_a_duplicate_nomination_code_is_refused(logged_in, edition):
    url = reverse("manage:part_create", kwargs={"year": edition.year, "part": "nominations"})
    response = logged_in.post(
        url, {"direction": edition.directions.get().pk, "code": "1.1", "title": "Ещё одна"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Код номинации «1.1» уже используется в этом выпуске конкурса: выберите другой."
    ]
    assert edition.nominations.count() == 2


def test_an_empty_title_is_refused_and_the_saved_title_stays(logged_in, edition):
    nomination = edition.nominations.get(code="1.1")
    url = reverse(
        "manage:part_edit",
        kwargs={"year": edition.year, "part": "nominations", "pk": nomination.pk},
    )
    response = logged_in.post(
        url, {"direction": nomination.direction_id, "code": "1.1", "title": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    nomination.refresh_from_db()
    assert nomination.title == "Номинация 1.1"


def test_a_new_nomination_is_saved_and_audited(logged_in, edition, organiser):
    url = reverse("manage:part_create", kwargs={"year": edition.year, "part": "nominations"})
    response = logged_in.post(
        url, {"direction": edition.directions.get().pk, "code": "1.10", "title": "Новая номинация"}
    )
    assert response.status_code == 302
    nomination = edition.nominations.get(code="1.10")
    assert nomination.order == 110
    entry = AuditEntry.objects.filter(action="contests.nomination_created").latest("id")
    assert (entry.actor, entry.after["title"]) == (organiser, "Новая номинация")


def test_criterion_scale_must_be_ordered(logged_in, edition):
    url = reverse("manage:part_create", kwargs={"year": edition.year, "part": "criteria"})
    response = logged_in.post(
        url, {"name": "Охват", "weight": "10", "scale_min": 5, "scale_max": 5, "order": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scale_max"]
    assert edition.criteria.count() == 1


def test_deleting_a_direction_with_nominations_shows_why(logged_in, edition):
    direction = edition.directions.get()
    url = reverse(
        "manage:part_delete",
        kwargs={"year": edition.year, "part": "directions", "pk": direction.pk},
    )
    response = logged_in.post(url, {"reason": "лишнее"}, follow=True)
    assert "нельзя удалить" in response.content.decode()
    assert edition.directions.count() == 1


def test_an_unknown_part_is_404(logged_in, edition):
    assert logged_in.get(f"/manage/{edition.year}/votes/new/").status_code == 404


def test_granting_a_role_to_an_unknown_email_says_so(logged_in, edition):
    url = reverse("manage:roles", kwargs={"year": edition.year})
    response = logged_in.post(url, {"email": "nobody@example.ru", "role": "expert"})
    assert response.status_code == 200
    assert "nobody@example.ru" in response.context["form"].errors["email"][0]


def test_audit_log_filters_by_action(logged_in, edition):
    url = reverse("manage:audit", kwargs={"year": edition.year})
    response = logged_in.get(url, {"action": "contests.nomination"})
    actions = {entry.action for entry in response.context["page"]}
    assert actions == {"contests.nomination_created"}
