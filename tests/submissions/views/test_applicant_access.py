"""Every applicant URL: members get in, members of other organisations do not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartdialog.submissions import services
from smartdialog.submissions.urls import urlpatterns
from tests.organizations.factories import make_organization
from tests.submissions.test_drafts_and_files import PDF

pytestmark = pytest.mark.django_db

OBJECT_URLS = [p for p in urlpatterns if "<int:pk>" in str(p.pattern)]


@pytest.fixture
def attachment(draft, applicant):
    return services.add_attachment(draft, SimpleUploadedFile("отчёт.pdf", PDF), by=applicant)


def _url(pattern, draft, attachment, pk=None):
    kwargs = {"pk": pk or draft.pk}
    if "attachment_id" in str(pattern.pattern):
        kwargs["attachment_id"] = attachment.pk
    return reverse(f"submissions:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("pattern", OBJECT_URLS, ids=lambda p: p.name)
def test_a_member_of_another_organisation_gets_403(client, draft, attachment, outsider, pattern):
    make_organization(member=outsider)
    client.force_login(outsider)
    url = _url(pattern, draft, attachment)
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {"title": "взлом"}).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Поликлиника: перезагрузка"
    assert draft.attachments.filter(removed_at__isnull=True).count() == 1


@pytest.mark.parametrize("pattern", OBJECT_URLS, ids=lambda p: p.name)
def test_an_unknown_application_is_404(client, draft, attachment, applicant, pattern):
    client.force_login(applicant)
    assert client.post(_url(pattern, draft, attachment, pk=999999)).status_code == 404


def test_the_member_opens_download_and_edit(client, draft, attachment, applicant):
    client.force_login(applicant)
    assert client.get(reverse("submissions:edit", args=[draft.pk])).status_code == 200
    response = client.get(reverse("submissions:download", args=[draft.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_staff_of_the_edition_may_read_but_not_edit(client, draft, moderator):
    client.force_login(moderator)
    assert client.get(reverse("submissions:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("submissions:edit", args=[draft.pk])).status_code == 403


def test_html_in_a_field_is_shown_escaped(client, draft, applicant):
    draft.title = "<script>alert('x')</script>"
    draft.save()
    client.force_login(applicant)
    page = client.get(reverse("submissions:detail", args=[draft.pk])).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page
