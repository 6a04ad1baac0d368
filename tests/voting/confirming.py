"""The confirm POST as the confirm page sends it: the CSRF token (the test client skips it)
and the signed confirmation of the session's voter and picks (`voting/confirmation.py`)."""

from django.urls import reverse

from smartdialog.voting import confirmation
from smartdialog.voting.identity import SESSION_KEY
from smartdialog.voting.views.citizen import CHOICES_KEY


def confirmation_data(client) -> dict:
    """The form data of the confirm page for the picks now waiting in the client's session."""
    session = client.session
    stored = session[CHOICES_KEY]
    token = confirmation.issue(
        session.session_key, session[SESSION_KEY], stored["ballot"], stored["choices"]
    )
    return {confirmation.FIELD: token}


def post_confirm(client, **extra):
    return client.post(reverse("vote:confirm"), confirmation_data(client), **extra)
