"""The scoring page: the frozen version, drafts, messages next to fields, read-only later."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from smartdialog.reviews import services
from smartdialog.reviews.enums import ReviewState
from smartdialog.reviews.models import Review
from tests.reviews.expert.conftest import close_evaluation, error_for

pytestmark = pytest.mark.django_db


def _url(assignment):
    return reverse("expert:review", args=[assignment.pk])


def _post(client, assignment, scores, *, submit=False, comment=""):
    """`scores`: criterion → (value, comment) as typed."""
    data = {"comment": comment, "submit" if submit else "draft": "1"}
    for criterion, (value, note) in scores.items():
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = note
    return client.post(_url(assignment), data)


def test_the_page_shows_the_frozen_version_and_every_criterion(
    expert_client, assignment, application, criteria
):
    type(application).objects.filter(pk=application.pk).update(problem="Изменено после подачи")
    html = expert_client.get(_url(assignment)).content.decode()
    assert "Долгое ожидание" in html
    assert "Изменено после подачи" not in html
    assert "отчёт.pdf" in html
    assert "позже.pdf" not in html
    novelty, effect = criteria
    assert f'data-testid="criterion-{effect.pk}"' in html
    assert "Измеримый результат" in html
    assert f'name="score_{effect.pk}"' in html and 'max="5"' in html
    assert f'name="score_{novelty.pk}"' in html and 'max="10"' in html


def test_saving_a_draft_keeps_the_values(expert_client, assignment, criteria):
    novelty, _effect = criteria
    response = _post(expert_client, assignment, {novelty: ("7", "свежо")}, comment="в целом")
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.state == ReviewState.DRAFT
    assert [(s.criterion_id, s.value, s.comment) for s in review.scores.all()] == [
        (novelty.pk, 7, "свежо")
    ]
    html = expert_client.get(_url(assignment)).content.decode()
    assert 'value="7"' in html and "свежо" in html and "в целом" in html


def test_submitting_without_a_criterion_shows_the_message_next_to_it(
    expert_client, assignment, criteria
):
    novelty, effect = criteria
    response = _post(expert_client, assignment, {novelty: ("6", "")}, submit=True)
    assert response.status_code == 200
    assert error_for(response, f"score_{effect.pk}") == [
        _("Score «%(criterion)s».") % {"criterion": effect}
    ]
    assert error_for(response, f"score_{novelty.pk}") == []
    assert 'value="6"' in response.content.decode()  # what was typed is kept
    assert not Review.objects.exists()


def test_a_score_outside_the_scale_is_refused_next_to_the_field(
    expert_client, assignment, criteria
):
    novelty, effect = criteria
    response = _post(expert_client, assignment, {novelty: ("5", ""), effect: ("9", "")})
    assert error_for(response, f"score_{effect.pk}") == [
        _("«%(criterion)s» is scored from %(low)s to %(high)s.")
        % {"criterion": effect, "low": 0, "high": 5}
    ]
    assert 'value="9"' in response.content.decode()
    assert not Review.objects.exists()


def test_an_extreme_score_without_a_comment_is_refused(expert_client, assignment, criteria):
    novelty, effect = criteria
    response = _post(
        expert_client, assignment, {novelty: ("10", ""), effect: ("3", "")}, submit=True
    )
    assert error_for(response, f"comment_{novelty.pk}") == [
        _(
            "Explain a score of %(value)s for «%(criterion)s»: the lowest and highest "
            "scores need a comment."
        )
        % {"value": 10, "criterion": novelty}
    ]
    response = _post(
        expert_client, assignment, {novelty: ("10", "лучшее"), effect: ("3", "")}, submit=True
    )
    assert response.status_code == 302
    assert Review.objects.get(assignment=assignment).state == ReviewState.SUBMITTED


def test_a_submitted_review_cannot_go_back_to_an_incomplete_draft(
    expert_client, assignment, criteria
):
    novelty, effect = criteria
    _post(expert_client, assignment, {novelty: ("5", ""), effect: ("2", "")}, submit=True)
    html = expert_client.get(_url(assignment)).content.decode()
    assert 'data-testid="save-draft"' not in html
    response = _post(expert_client, assignment, {novelty: ("6", "")})  # a crafted draft save
    assert error_for(response, f"score_{effect.pk}") == [
        _("Score «%(criterion)s».") % {"criterion": effect}
    ]
    review = Review.objects.get(assignment=assignment)
    assert review.state == ReviewState.SUBMITTED
    assert sorted(s.value for s in review.scores.all()) == [2, 5]


def test_text_instead_of_a_number_is_refused_next_to_the_field(expert_client, assignment, criteria):
    novelty, _effect = criteria
    response = _post(expert_client, assignment, {novelty: ("семь", "")})
    assert error_for(response, f"score_{novelty.pk}") == [
        _("Enter a whole number from %(low)s to %(high)s.") % {"low": 1, "high": 10}
    ]


def test_after_the_stage_closes_the_page_is_read_only(expert_client, edition, assignment, criteria):
    novelty, effect = criteria
    services.save_review(
        assignment, by=assignment.expert.user, values={novelty.pk: (7, "")}, comment="черновик"
    )
    close_evaluation(edition)
    html = expert_client.get(_url(assignment)).content.decode()
    assert 'data-testid="read-only"' in html
    assert 'data-testid="submit"' not in html
    assert 'data-testid="declare-conflict"' not in html
    assert f'name="score_{novelty.pk}" value="7"' in html and "disabled" in html
    response = _post(
        expert_client, assignment, {novelty: ("3", ""), effect: ("3", "")}, submit=True
    )
    assert response.status_code == 200
    review = Review.objects.get(assignment=assignment)
    assert (review.state, review.scores.get().value) == (ReviewState.DRAFT, 7)


def test_another_experts_scores_are_never_shown(
    expert_client, edition, assignment, colleague_assignment, criteria
):
    novelty, effect = criteria
    services.save_review(
        colleague_assignment,
        by=colleague_assignment.expert.user,
        values={novelty.pk: (9, "Секретное мнение коллеги"), effect.pk: (4, "Очень заметно")},
        comment="Итог коллеги",
        submit=True,
    )
    html = expert_client.get(_url(assignment)).content.decode()
    for text in ["Секретное мнение коллеги", "Очень заметно", "Итог коллеги"]:
        assert text not in html
    assert 'value="9"' not in html and 'value="4"' not in html
    assert colleague_assignment.expert.user.email not in html
    _post(expert_client, assignment, {novelty: ("5", ""), effect: ("2", "")}, submit=True)
    html = expert_client.get(_url(assignment)).content.decode()
    assert "Секретное мнение коллеги" not in html and 'value="9"' not in html
