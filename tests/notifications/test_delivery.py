"""Delivery claims a message once, sends it, and on failure retries with backoff, then gives up."""

import datetime
import os
import signal
import smtplib
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from smartdialog.notifications import tasks
from smartdialog.notifications.models import MessageState, OutboundMessage
from smartdialog.notifications.services import deliver, deliver_due

pytestmark = pytest.mark.django_db

SMTP_DOWN = mock.patch(
    "smartdialog.notifications.services.EmailMessage.send",
    side_effect=smtplib.SMTPException("451 try again later"),
)


def _later(minutes):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + datetime.timedelta(minutes=minutes),
    )


def test_a_successful_send_marks_the_message_sent(queue_message, settings):
    message = queue_message()
    assert tasks.send_message(message.pk) is True
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (
        MessageState.SENT,
        1,
        None,
    )
    assert message.sent_at is not None
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body, sent.from_email) == (
        ["applicant@example.ru"],
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
    )


def test_a_failing_backend_marks_failed_and_a_later_send_due_sends(queue_message):
    message = queue_message()
    with SMTP_DOWN:
        assert deliver(message.pk) is False
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 1)
    assert message.last_error == "SMTPException: 451 try again later"
    wait = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)
    assert tasks.send_due() == 0
    assert mail.outbox == []
    with _later(2):
        assert tasks.send_due() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)
    assert len(mail.outbox) == 1


def test_failures_back_off_and_give_up_after_five_attempts(queue_message):
    message = queue_message()
    waits = []
    minutes = 0
    with SMTP_DOWN:
        for _attempt in range(5):
            with _later(minutes) as now:
                assert deliver_due() == 0
                message.refresh_from_db()
                if message.next_attempt_at:
                    wait = message.next_attempt_at - now.return_value
                    waits.append(round(wait.total_seconds() / 60))
                    minutes += waits[-1]
        with _later(minutes + 10_000):
            assert deliver_due() == 0
    message.refresh_from_db()
    assert waits == [1, 5, 25, 125]
    assert (message.state, message.attempts, message.next_attempt_at) == (
        MessageState.FAILED,
        5,
        None,
    )
    assert message.gave_up


def test_a_claim_lost_by_a_dead_worker_becomes_due_after_the_lease(queue_message):
    message = queue_message()
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING, attempts=1, next_attempt_at=timezone.now()
    )
    with _later(-1):
        assert deliver_due() == 0
    assert deliver_due() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)


def test_a_sent_message_is_not_sent_again(queue_message):
    message = queue_message()
    assert deliver(message.pk) is True
    assert deliver(message.pk) is False
    assert tasks.send_due() == 0
    assert len(mail.outbox) == 1


def test_send_outbox_command_sends_due_messages(queue_message, capsys):
    queue_message("a@example.ru")
    queue_message("b@example.ru")
    call_command("send_outbox")
    assert capsys.readouterr().out == "Sent 2 message(s).\n"
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.ru", "b@example.ru"]


def test_send_outbox_loop_stops_cleanly_on_sigterm(queue_message):
    queue_message()
    rounds = []

    def deliver_then_terminate():
        rounds.append(1)
        os.kill(os.getpid(), signal.SIGTERM)
        return 0

    before = signal.getsignal(signal.SIGTERM)
    with mock.patch(
        "smartdialog.notifications.management.commands.send_outbox.deliver_due",
        side_effect=deliver_then_terminate,
    ):
        call_command("send_outbox", "--loop", "--interval", "60")
    assert rounds == [1]
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_claims_of_one_message_send_it_once(edition):
    # Written directly: outside a transaction enqueue's on-commit send would run at once.
    message = OutboundMessage.objects.create(
        to="a@example.ru", subject="S", body="B", language="ru", key="submission.admitted"
    )
    start = threading.Barrier(2)
    results = []

    def claim():
        try:
            start.wait()
            results.append(deliver(message.pk))
        finally:
            connection.close()

    workers = [threading.Thread(target=claim) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 1)
