"""Accounts by e-mail: sign-up with confirmation, login by one-time code, password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signup_sends_a_confirmation_mail_in_russian(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.ru",
            "password1": "Dlinnyi-parol-2023",
            "password2": "Dlinnyi-parol-2023",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.ru"]
    assert mail.outbox[0].subject.startswith("[Смарт Диалог]")


def test_signup_with_a_taken_email_creates_nothing_and_tells_the_owner(
    client, outsider, django_user_model
):
    """Allauth prevents enumeration: the page looks the same, the owner gets a mail."""
    client.post(
        reverse("account_signup"),
        {
            "email": outsider.email,
            "password1": "Dlinnyi-parol-2023",
            "password2": "Dlinnyi-parol-2023",
        },
    )
    assert django_user_model.objects.filter(email=outsider.email).count() == 1
    assert mail.outbox[-1].subject == "[Смарт Диалог] Учетная запись уже существует"


def test_login_by_one_time_code(client, outsider):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=outsider, email=outsider.email, verified=True, primary=True)
    response = client.post(reverse("account_request_login_code"), {"email": outsider.email})
    assert response.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("manage:index")).context["user"] == outsider


def test_password_reset_mail_is_sent(client, outsider):
    response = client.post(reverse("account_reset_password"), {"email": outsider.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [outsider.email]
