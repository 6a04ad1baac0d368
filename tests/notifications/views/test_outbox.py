import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.models import MessageState, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, organiser):
    client.force_login(organiser)
    return client


def _outbox(client, edition, **params):
    return client.get(reverse("notifications:outbox", kwargs={"year": edition.year}), params)


def test_the_outbox_lists_newest_first_with_attempts_and_error(logged_in, edition, queue_message):
    first = queue_message("first@example.ru")
    second = queue_message("second@example.ru")
    OutboundMessage.objects.filter(pk=first.pk).update(
        state=MessageState.FAILED, attempts=2, last_error="SMTPException: 451 later"
    )
    response = _outbox(logged_in, edition)
    assert [m.pk for m in response.context["page"]] == [second.pk, first.pk]
    content = response.content.decode()
    assert "SMTPException: 451 later" in content
    assert reverse("notifications:retry", kwargs={"year": edition.year, "pk": first.pk}) in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "failed"}, ["first@example.ru"]),
        ({"recipient": "SECOND"}, ["second@example.ru"]),
        ({"key": "submission.admitted"}, []),
        ({"key": "submission.returned"}, ["second@example.ru", "first@example.ru"]),
    ],
)
def test_the_outbox_filters(logged_in, edition, queue_message, params, expected):
    first = queue_message("first@example.ru")
    queue_message("second@example.ru")
    OutboundMessage.objects.filter(pk=first.pk).update(state=MessageState.FAILED)
    response = _outbox(logged_in, edition, **params)
    assert [m.to for m in response.context["page"]] == expected


def test_a_bad_filter_value_is_shown_next_to_the_field(logged_in, edition, queue_message):
    queue_message()
    response = _outbox(logged_in, edition, state="lost")
    assert list(response.context["form"].errors) == ["state"]
    assert len(response.context["page"]) == 1


def test_retry_queues_the_failed_message_again(logged_in, edition, queue_message):
    message = queue_message()
    OutboundMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED, attempts=5)
    url = reverse("notifications:retry", kwargs={"year": edition.year, "pk": message.pk})
    response = logged_in.post(url)
    assert response["Location"] == reverse("notifications:outbox", kwargs={"year": edition.year})
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED
    assert AuditEntry.objects.filter(action="notifications.message_retried").count() == 1


def test_retry_of_a_queued_message_is_refused_with_a_message(
    logged_in, edition, queue_message, settings
):
    message = queue_message()
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("notifications:retry", kwargs={"year": edition.year, "pk": message.pk})
    response = logged_in.post(url, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Only a message that failed can be sent again."
    ]
    assert AuditEntry.objects.filter(action="notifications.message_retried").count() == 0
