import pytest
from django.urls import reverse

from smartdialog.reviews.models import Expert, ReviewAssignment
from smartdialog.reviews.organiser_urls import urlpatterns
from tests.reviews.conftest import make_admitted, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(edition):
    expert = make_expert(edition, "pool@example.ru", region_code="50")
    submission = make_admitted(edition)
    assignment = ReviewAssignment.objects.create(
        expert=expert, submission=submission, source="manual"
    )
    return {
        "expert_edit": expert.pk,
        "withdraw": assignment.pk,
        "nomination": submission.nomination_id,
    }


def _url(pattern, edition, objects):
    kwargs = {"year": edition.year}
    if "<int:pk>" in str(pattern.pattern):
        kwargs["pk"] = objects.get(pattern.name, objects["nomination"])
    return reverse(f"reviews_admin:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("pattern", urlpatterns, ids=lambda p: p.name)
@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_only_organisers_manage_reviews(client, request, edition, objects, pattern, who):
    client.force_login(request.getfixturevalue(who))
    url = _url(pattern, edition, objects)
    assert client.get(url).status_code == 403
    response = client.post(url, {"reason": "x", "email": "outsider@example.ru", "finalist": []})
    assert response.status_code == 403
    assert ReviewAssignment.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert Expert.objects.count() == 1


@pytest.mark.parametrize("pattern", urlpatterns, ids=lambda p: p.name)
def test_anonymous_is_sent_to_login(client, edition, objects, pattern):
    url = _url(pattern, edition, objects)
    response = client.get(url)
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))


@pytest.mark.parametrize("pattern", urlpatterns, ids=lambda p: p.name)
def test_organiser_opens_every_page(client, organiser, edition, objects, pattern):
    client.force_login(organiser)
    response = client.get(_url(pattern, edition, objects))
    assert response.status_code in (200, 405)


def test_another_editions_nomination_is_404(client, organiser, edition):
    from tests.factories import make_edition

    other = make_edition(2031)
    client.force_login(organiser)
    url = reverse(
        "reviews_admin:ranking",
        kwargs={"year": edition.year, "pk": other.nominations.first().pk},
    )
    assert client.get(url).status_code == 404
