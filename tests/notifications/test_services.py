"""enqueue renders the right text into a row of the caller's transaction; templates are audited."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.defaults import DEFAULTS, SAMPLE_CONTEXT
from smartdialog.notifications.models import MailTemplate, MessageState, OutboundMessage
from smartdialog.notifications.services import (
    enqueue,
    render_preview,
    reset_template,
    retry,
    save_template,
    template_for,
)

pytestmark = pytest.mark.django_db


def test_enqueue_in_a_rolled_back_transaction_leaves_no_message(
    edition, queue_message, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_message()
        raise RuntimeError("the change failed")
    assert OutboundMessage.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_enqueue_sends_after_commit(edition, queue_message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message()
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert [m.to for m in mail.outbox] == [["applicant@example.ru"]]


def test_enqueue_renders_the_default_in_russian(edition, queue_message):
    message = queue_message(comment="")
    assert message.subject == "Заявка № 2030-0042 возвращена на доработку"
    assert message.body.startswith("Здравствуйте!\n\nМодератор вернул заявку на доработку.")
    assert "Комментарий" not in message.body
    assert message.body.endswith("Команда конкурса «Смарт Диалог»\n")
    assert message.edition == edition
    assert message.related == edition
    assert message.state == MessageState.QUEUED


def test_enqueue_renders_the_edition_override_over_the_default(edition, organiser):
    save_template(
        edition,
        "submission.returned",
        "en",
        subject="Fix {{ submission_number }}",
        body="Dear {{ organization }}: {{ comment }}",
        by=organiser,
    )
    context = {**SAMPLE_CONTEXT, "organization": "A & B <Ltd>"}
    message = enqueue(
        "submission.returned", "a@example.ru", context, edition=edition, language="en"
    )
    assert (message.subject, message.body) == (
        "Fix 2030-0042",
        f"Dear A & B <Ltd>: {SAMPLE_CONTEXT['comment']}",
    )
    russian = enqueue("submission.returned", "a@example.ru", context, edition=edition)
    assert russian.subject == "Заявка № 2030-0042 возвращена на доработку"


def test_enqueue_refuses_an_unknown_key(edition):
    with pytest.raises(ValueError, match=r"submission\.lost"):
        enqueue("submission.lost", "a@example.ru", {}, edition=edition)
    assert OutboundMessage.objects.count() == 0


@pytest.mark.parametrize("key", sorted(DEFAULTS))
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_default_renders_with_its_variables(key, language):
    default = DEFAULTS[key]
    context = {name: SAMPLE_CONTEXT[name] for name in default.variables}
    subject, body = render_preview(template_for(None, key, language), context)
    assert "{{" not in subject + body
    assert "\n" not in subject
    assert str(context[default.variables[-1]]) in subject + body


def test_saving_a_template_with_bad_syntax_is_refused_by_field(edition, organiser):
    with pytest.raises(ValidationError) as refused:
        save_template(
            edition, "submission.admitted", "ru", subject="ok", body="{% if %}", by=organiser
        )
    assert list(refused.value.message_dict) == ["body"]
    assert MailTemplate.objects.count() == 0


def test_saving_and_resetting_a_template_is_audited(edition, organiser):
    save_template(edition, "submission.admitted", "ru", subject="A", body="B", by=organiser)
    save_template(edition, "submission.admitted", "ru", subject="A2", body="B", by=organiser)
    assert reset_template(edition, "submission.admitted", "ru", by=organiser) is True
    assert reset_template(edition, "submission.admitted", "ru", by=organiser) is False
    entries = AuditEntry.objects.filter(action__startswith="notifications.").order_by("id")
    assert [e.action for e in entries] == [
        "notifications.template_changed",
        "notifications.template_changed",
        "notifications.template_reset",
    ]
    assert entries[1].before == {"subject": "A", "body": "B"}
    assert entries[2].after["subject"] == DEFAULTS["submission.admitted"].subject["ru"]
    assert all(e.edition == edition and e.actor == organiser for e in entries)
    assert MailTemplate.objects.count() == 0


def test_retry_queues_a_failed_message_and_is_audited(edition, organiser, queue_message):
    message = queue_message()
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, attempts=5, next_attempt_at=None
    )
    retry(message, by=organiser)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 5)
    entry = AuditEntry.objects.get(action="notifications.message_retried")
    assert (entry.before["state"], entry.after["state"]) == ("failed", "queued")
    assert entry.edition == edition


def test_retry_refuses_a_message_that_did_not_fail(organiser, queue_message):
    message = queue_message()
    with pytest.raises(ValidationError):
        retry(message, by=organiser)
    assert not AuditEntry.objects.filter(action="notifications.message_retried").exists()
