"""Every transition of the lifecycle, who may make it, and what each one requires."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.models import OutboundMessage
from smartdialog.submissions import services
from smartdialog.submissions.enums import ALLOWED_TRANSITIONS, ChecklistItem, SubmissionState
from smartdialog.submissions.models import Submission, SubmissionTransition
from tests.submissions.conftest import fill

pytestmark = pytest.mark.django_db
S = SubmissionState
ALL_YES = {item: True for item in ChecklistItem.values}


def _force_state(submission, state):
    """Put a fixture into a state directly, to test the transitions out of it."""
    Submission.objects.filter(pk=submission.pk).update(state=state)
    submission.refresh_from_db()
    return submission


def _actor(state, applicant, moderator):
    return applicant if state in (S.SUBMITTED, S.RESUBMITTED, S.WITHDRAWN) else moderator


@pytest.mark.parametrize("old", S.values)
@pytest.mark.parametrize("new", S.values)
def test_only_listed_transitions_are_possible(complete_draft, applicant, moderator, old, new):
    submission = _force_state(complete_draft, old)
    by = _actor(new, applicant, moderator)
    if new in ALLOWED_TRANSITIONS[old]:
        services.set_state(submission, new, by=by, comment="причина", checklist=ALL_YES)
        submission.refresh_from_db()
        assert submission.state == new
        assert SubmissionTransition.objects.get(submission=submission).to_state == new
    else:
        with pytest.raises(ValidationError) as error:
            services.set_state(submission, new, by=by, comment="причина", checklist=ALL_YES)
        assert error.value.code == "transition"
        submission.refresh_from_db()
        assert submission.state == old


def test_the_applicant_cannot_admit_and_the_moderator_cannot_submit(
    complete_draft, applicant, moderator
):
    with pytest.raises(PermissionDenied):
        services.set_state(complete_draft, S.SUBMITTED, by=moderator)
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, S.IN_MODERATION, by=moderator)
    with pytest.raises(PermissionDenied):
        services.set_state(complete_draft, S.ADMITTED, by=applicant, checklist=ALL_YES)


def test_a_moderator_of_another_edition_cannot_act(complete_draft, applicant):
    from smartdialog.accounts.models import Role
    from tests.factories import give_role, make_edition, make_user

    stranger = make_user("other-moderator@example.ru")
    give_role(stranger, make_edition(2031), Role.MODERATOR)
    services.submit(complete_draft, by=applicant)
    with pytest.raises(PermissionDenied):
        services.set_state(complete_draft, S.IN_MODERATION, by=stranger)


def test_submission_lists_what_is_missing(draft, applicant):
    with pytest.raises(ValidationError) as error:
        services.submit(draft, by=applicant)
    missing = error.value.message_dict
    assert {"problem", "solution", "results", "regions", "started_on"} <= set(missing)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not draft.versions.exists()


def test_a_practice_not_yet_implemented_cannot_be_submitted(draft, applicant):
    draft = fill(draft, applicant, implementation_status="in_progress")
    with pytest.raises(ValidationError) as error:
        services.submit(draft, by=applicant)
    assert list(error.value.message_dict) == ["implementation_status"]


def test_submission_after_the_deadline_is_refused_unless_extended(
    complete_draft, applicant, organiser
):
    stage = complete_draft.edition.stages.get()
    past = timezone.now() - datetime.timedelta(days=1)
    type(stage).objects.filter(pk=stage.pk).update(ends_at=past)
    with pytest.raises(ValidationError) as error:
        services.submit(complete_draft, by=applicant)
    assert "deadline" in error.value.messages[0] or "срок" in error.value.messages[0]
    services.extend_deadline(
        complete_draft,
        timezone.now() + datetime.timedelta(days=2),
        by=organiser,
        reason="сбой электросети в регионе",
    )
    services.submit(complete_draft, by=applicant)
    complete_draft.refresh_from_db()
    assert complete_draft.state == S.SUBMITTED
    entry = AuditEntry.objects.get(action="submissions.deadline_extended")
    assert entry.reason == "сбой электросети в регионе"


def test_submit_freezes_a_version_and_resubmit_another(complete_draft, applicant, moderator):
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, S.IN_MODERATION, by=moderator)
    services.return_for_revision(
        complete_draft,
        by=moderator,
        comment="Уточните результаты",
        field_comments={"problem": "Опишите масштаб проблемы"},
    )
    complete_draft.refresh_from_db()
    fill(complete_draft, applicant, problem="Очереди: 40 минут в среднем по региону.")
    services.submit(complete_draft, by=applicant)
    complete_draft.refresh_from_db()
    assert complete_draft.state == S.RESUBMITTED
    v1, v2 = complete_draft.versions.order_by("number")
    assert v1.data["problem"] == "Очереди в регистратуре и долгая запись к врачу."
    assert v2.data["problem"] == "Очереди: 40 минут в среднем по региону."
    comment = v1.comments.get()
    assert (comment.field, comment.text) == ("problem", "Опишите масштаб проблемы")
    with pytest.raises(ValueError, match="frozen"):
        v1.save()


def test_return_and_reject_need_a_comment(complete_draft, applicant, moderator):
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, S.IN_MODERATION, by=moderator)
    for state in (S.RETURNED, S.REJECTED):
        with pytest.raises(ValidationError) as error:
            services.set_state(complete_draft, state, by=moderator, comment=" ", checklist=ALL_YES)
        assert "comment" in error.value.message_dict


def test_admission_needs_every_checklist_item_met(complete_draft, applicant, moderator):
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, S.IN_MODERATION, by=moderator)
    with pytest.raises(ValidationError):
        services.set_state(complete_draft, S.ADMITTED, by=moderator, checklist=None)
    with pytest.raises(ValidationError):
        services.set_state(
            complete_draft, S.ADMITTED, by=moderator, checklist={**ALL_YES, "implemented": False}
        )
    services.set_state(complete_draft, S.ADMITTED, by=moderator, checklist=ALL_YES)
    transition = complete_draft.transitions.latest("id")
    assert transition.checklist == ALL_YES


def test_every_transition_is_audited_and_mailed_to_members(complete_draft, applicant, moderator):
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, S.IN_MODERATION, by=moderator)
    actions = list(
        AuditEntry.objects.filter(action__in=["submissions.submitted", "submissions.in_moderation"])
        .order_by("id")
        .values_list("action", "actor__email")
    )
    assert actions == [
        ("submissions.submitted", "applicant@example.ru"),
        ("submissions.in_moderation", "moderator@example.ru"),
    ]
    mails = set(OutboundMessage.objects.values_list("key", "to"))
    assert mails == {
        ("submission.submitted", "applicant@example.ru"),
        ("submission.submitted", "contact@example.ru"),
        ("submission.in_moderation", "applicant@example.ru"),
        ("submission.in_moderation", "contact@example.ru"),
    }


def test_moving_the_nomination_tells_the_applicant(complete_draft, applicant, moderator):
    services.submit(complete_draft, by=applicant)
    target = complete_draft.edition.nominations.get(code="1.2")
    services.move_nomination(complete_draft, target, by=moderator, reason="Больше подходит 1.2")
    complete_draft.refresh_from_db()
    assert complete_draft.nomination == target
    message = OutboundMessage.objects.filter(key="submission.nomination_changed").first()
    assert "1.2" in message.body


def test_reminders_go_once_per_deadline(draft, applicant, settings):
    settings.DEADLINE_REMINDER_DAYS = 30
    assert services.remind_draft_owners() == 1
    assert services.remind_draft_owners() == 0
    keys = list(OutboundMessage.objects.values_list("key", flat=True))
    assert keys.count("submission.deadline_reminder") == 2  # the member and the contact
