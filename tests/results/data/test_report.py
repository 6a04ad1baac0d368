"""The printable report: a PDF with the totals, the published press text and the tables."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from smartdialog.results.models import PressText

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_report_holds_totals_press_text_and_tables(client, published, organiser):
    now = timezone.now()
    PressText.objects.create(
        edition=published,
        generated_text="—",
        text="Лидером направления стала Практика 1.1.",
        computed_at=now,
        published_at=now,
        published_by=organiser,
    )
    PressText.objects.create(
        edition=published, generated_text="—", text="Черновик, не опубликован.", computed_at=now
    )
    response = client.get(reverse("results_data:report", args=[published.year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert published.title in text
    assert "Лидером направления стала Практика 1.1." in text
    assert "Черновик" not in text
    assert "Практика 1.1" in text and "Практика 2.2" in text
    assert "Здравоохранение" in text and "Образование" in text
    with translation.override("ru"):
        counted, voters = str(_("Votes counted")), str(_("Voters"))
    assert f"{counted} 10" in text and f"{voters} 5" in text


def test_report_of_unpublished_results_is_not_found(client, voted, edition):
    assert client.get(reverse("results_data:report", args=[edition.year])).status_code == 404
