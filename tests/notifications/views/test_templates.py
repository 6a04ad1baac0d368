import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.defaults import DEFAULTS
from smartdialog.notifications.models import MailTemplate
from smartdialog.notifications.services import save_template

pytestmark = pytest.mark.django_db

KEY = "submission.returned"


@pytest.fixture
def logged_in(client, organiser):
    client.force_login(organiser)
    return client


def _edit_url(edition, language="ru"):
    return reverse(
        "notifications:template_edit",
        kwargs={"year": edition.year, "key": KEY, "language": language},
    )


def test_the_list_shows_every_key_and_language_and_overrides(logged_in, edition, organiser):
    save_template(edition, KEY, "en", subject="S", body="B", by=organiser)
    response = logged_in.get(reverse("notifications:templates", kwargs={"year": edition.year}))
    rows = response.context["rows"]
    assert len(rows) == len(DEFAULTS) * 2
    assert [(r.key, r.language) for r in rows if r.override] == [(KEY, "en")]


def test_the_editor_shows_the_default_text_and_a_preview(logged_in, edition):
    response = logged_in.get(_edit_url(edition))
    form = response.context["form"]
    assert form["subject"].value() == DEFAULTS[KEY].subject["ru"]
    assert form["body"].value() == DEFAULTS[KEY].body["ru"]
    subject, _body = response.context["preview"]
    assert subject == "Заявка № 2030-0042 возвращена на доработку"


def test_saving_stores_the_override_and_is_audited(logged_in, edition, organiser):
    response = logged_in.post(
        _edit_url(edition), {"subject": "Заявка {{ submission_number }}", "body": "Текст"}
    )
    assert response["Location"] == reverse("notifications:templates", kwargs={"year": edition.year})
    template = MailTemplate.objects.get()
    assert (template.subject, template.body, template.updated_by) == (
        "Заявка {{ submission_number }}",
        "Текст",
        organiser,
    )
    assert AuditEntry.objects.filter(action="notifications.template_changed").count() == 1


def test_preview_renders_the_posted_text_without_saving(logged_in, edition):
    response = logged_in.post(
        _edit_url(edition), {"subject": "№ {{ submission_number }}", "body": "x", "preview": "1"}
    )
    assert response.context["preview"] == ("№ 2030-0042", "x")
    assert MailTemplate.objects.count() == 0


def test_bad_syntax_is_shown_next_to_the_field_and_the_saved_text_is_kept(
    logged_in, edition, organiser
):
    save_template(edition, KEY, "ru", subject="Old", body="Old body", by=organiser)
    response = logged_in.post(
        _edit_url(edition), {"subject": "New", "body": "{% if comment %}no end"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["body"]
    assert "Unclosed tag on line 1: 'if'" in errors["body"][0]
    assert "Unclosed tag on line 1: &#x27;if&#x27;" in response.content.decode()
    assert response.context["preview"] is None
    template = MailTemplate.objects.get()
    assert (template.subject, template.body) == ("Old", "Old body")
    assert AuditEntry.objects.filter(action="notifications.template_changed").count() == 1


def test_reset_goes_back_to_the_default_and_is_audited(logged_in, edition, organiser):
    save_template(edition, KEY, "ru", subject="Old", body="Old body", by=organiser)
    url = reverse(
        "notifications:template_reset",
        kwargs={"year": edition.year, "key": KEY, "language": "ru"},
    )
    response = logged_in.post(url)
    assert response["Location"] == reverse("notifications:templates", kwargs={"year": edition.year})
    assert MailTemplate.objects.count() == 0
    assert AuditEntry.objects.filter(action="notifications.template_reset").count() == 1
    assert logged_in.get(_edit_url(edition)).context["overridden"] is False
