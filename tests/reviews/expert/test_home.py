"""/expert/: invitations with accept/decline, assignments grouped with review states."""

import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import services
from smartdialog.reviews.enums import ExpertStatus
from tests.reviews.conftest import make_expert

pytestmark = pytest.mark.django_db


def test_a_user_without_invitations_sees_a_friendly_empty_page(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("expert:home"))
    assert response.status_code == 200
    assert 'data-testid="no-invitations"' in response.content.decode()


def test_an_invited_expert_accepts_the_invitation(client, edition):
    invited = make_expert(edition, "new@example.ru", status=ExpertStatus.INVITED)
    client.force_login(invited.user)
    html = client.get(reverse("expert:home")).content.decode()
    assert f'data-testid="invitation-{invited.pk}"' in html and 'data-testid="accept"' in html
    response = client.post(reverse("expert:respond", args=[invited.pk]), {"accept": "1"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.status == ExpertStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="reviews.expert_accepted").count() == 1
    assert 'data-testid="accept"' not in client.get(reverse("expert:home")).content.decode()


def test_an_invited_expert_declines_and_cannot_answer_twice(client, edition):
    invited = make_expert(edition, "new@example.ru", status=ExpertStatus.INVITED)
    client.force_login(invited.user)
    url = reverse("expert:respond", args=[invited.pk])
    client.post(url, {"accept": "0"}, follow=True)
    invited.refresh_from_db()
    assert invited.status == ExpertStatus.DECLINED
    response = client.post(url, {"accept": "1"}, follow=True)
    invited.refresh_from_db()
    assert invited.status == ExpertStatus.DECLINED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_nobody_answers_someone_elses_invitation(client, edition, outsider):
    invited = make_expert(edition, "new@example.ru", status=ExpertStatus.INVITED)
    client.force_login(outsider)
    assert (
        client.post(reverse("expert:respond", args=[invited.pk]), {"accept": "1"}).status_code
        == 403
    )
    assert client.post(reverse("expert:respond", args=[invited.pk + 99])).status_code == 404
    assert client.get(reverse("expert:respond", args=[invited.pk])).status_code == 405
    invited.refresh_from_db()
    assert invited.status == ExpertStatus.INVITED


def test_assignments_are_listed_with_their_review_state(
    client, edition, assignment, application, criteria
):
    novelty, _effect = criteria
    client.force_login(assignment.expert.user)
    html = client.get(reverse("expert:home")).content.decode()
    assert f'data-testid="edition-{edition.year}"' in html
    assert application.number in html and str(application.nomination) in html
    assert reverse("expert:review", args=[assignment.pk]) in html
    groups = client.get(reverse("expert:home")).context["groups"]
    assert [a.state for g in groups for n in g.nominations for a in n.assignments] == ["none"]
    services.save_review(assignment, by=assignment.expert.user, values={novelty.pk: (5, "")})
    groups = client.get(reverse("expert:home")).context["groups"]
    assert [a.state for g in groups for n in g.nominations for a in n.assignments] == ["draft"]
    assert groups[0].window == (
        edition.stages.get(kind="evaluation").starts_at,
        edition.stages.get(kind="evaluation").ends_at,
    )


def test_other_experts_assignments_are_not_listed(client, colleague_assignment, assignment):
    client.force_login(assignment.expert.user)
    html = client.get(reverse("expert:home")).content.decode()
    assert f'data-testid="assignment-{assignment.pk}"' in html
    assert f'data-testid="assignment-{colleague_assignment.pk}"' not in html
