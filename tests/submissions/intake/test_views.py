import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from smartdialog.submissions import exports, services
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Attachment, SubmissionVersion
from tests.factories import make_edition, moscow

from .conftest import build

pytestmark = pytest.mark.django_db
S = SubmissionState
NAMES = ["dashboard", "export_csv", "export_xlsx"]


def _url(edition, name):
    return reverse(f"intake:{name}", args=[edition.year])


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response) -> list[list[str]]:
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(_content(response)))
    return list(book.active.iter_rows(values_only=True))


def _headers() -> list[str]:
    with translation.override("ru"):
        return exports.headers()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["moderator", "outsider", "expert"])
def test_only_organisers_see_the_intake(client, request, edition, name, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(edition, name)).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_the_organiser_gets_every_page(client, edition, organiser, name):
    client.force_login(organiser)
    response = client.get(_url(edition, name))
    assert response.status_code == 200
    if name != "dashboard":
        assert response["Content-Disposition"].endswith(
            f'filename="smartdialog-{edition.year}-applications.{name.removeprefix("export_")}"'
        )


def test_anonymous_is_sent_to_log_in(client, edition):
    response = client.get(_url(edition, "dashboard"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_organiser_of_another_edition_is_refused(client, edition, organiser):
    other = make_edition(2031)
    client.force_login(organiser)
    assert client.get(_url(other, "dashboard")).status_code == 403


def test_dashboard_shows_the_figures(client, edition, organiser, many):
    many(6)
    client.force_login(organiser)
    response = client.get(_url(edition, "dashboard"))
    report = response.context["report"]
    assert report.totals["submitted"] == 6
    assert [r["submitted"] for r in report.directions] == [4, 2]
    html = response.content.decode()
    assert 'data-testid="intake-chart"' in html
    assert html.count("<rect ") == len(report.days)
    assert 'data-testid="intake-days"' in html


def test_dashboard_query_count_does_not_grow(client, edition, organiser, many):
    client.force_login(organiser)
    url = _url(edition, "dashboard")
    many(3)
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).context["report"].totals["total"] == 3
    many(27)
    with CaptureQueriesContext(connection) as lots:
        assert client.get(url).context["report"].totals["total"] == 30
    assert len(lots) == len(few)


def test_export_query_count_does_not_grow(client, edition, organiser, many):
    client.force_login(organiser)
    url = _url(edition, "export_csv")
    many(3)
    _content(client.get(url))
    with CaptureQueriesContext(connection) as few:
        assert len(_csv(client.get(url))) == 4
    many(27)
    with CaptureQueriesContext(connection) as lots:
        assert len(_csv(client.get(url))) == 31
    assert len(lots) == len(few)


def test_an_invalid_filter_is_named_next_to_the_field(client, edition, organiser):
    other = make_edition(2031)
    client.force_login(organiser)
    response = client.get(
        _url(edition, "dashboard"),
        {"region": "999999", "direction": other.directions.get().pk, "state": "lost"},
    )
    form = response.context["form"]
    assert set(form.errors) == {"region", "direction", "state"}
    assert form.errors["direction"] == [
        str(form.fields["direction"].error_messages["invalid_choice"])
    ]
    html = response.content.decode()
    assert html.count('class="error" role="alert"') == 4  # three fields and the notice


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_an_export_with_invalid_filters_goes_back_to_the_form(client, edition, organiser, name):
    client.force_login(organiser)
    response = client.get(_url(edition, name), {"region": "abc"})
    assert response.status_code == 302
    assert response["Location"] == _url(edition, "dashboard") + "?region=abc"


@pytest.fixture
def register(edition, nominations, moscow_institution, region_foundation, moderator):
    """An application with two versions and two current files (plus one removed), one
    draft, one whose title would be a spreadsheet formula, one in another edition."""
    by = moscow_institution.created_by
    first, draft, formula = build(
        edition,
        [
            (
                nominations["2.1"],
                region_foundation,
                S.RETURNED,
                moscow(edition.year, 5, 12, 23, 30),
            ),
            (nominations["1.1"], moscow_institution, S.DRAFT, None),
            (nominations["1.2"], moscow_institution, S.SUBMITTED, moscow(edition.year, 5, 14, 9)),
        ],
        by=by,
    )
    first.moderator = moderator
    first.save()
    formula.title = '=HYPERLINK("http://evil","x")'
    formula.save()
    for number in (1, 2):
        SubmissionVersion.objects.create(submission=first, number=number, created_by=by, data={})
    for name, removed in (("a.pdf", None), ("b.pdf", None), ("c.pdf", first.created_at)):
        Attachment.objects.create(
            submission=first,
            file=f"submissions/{name}",
            original_name=name,
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=by,
            removed_at=removed,
        )
    other = make_edition(2031)
    build(
        other,
        [(other.nominations.get(code="1.1"), moscow_institution, S.SUBMITTED, moscow(2031, 5, 1))],
        by=by,
    )
    return first, draft, formula


def test_csv_export_has_the_register(client, edition, organiser, register, moderator):
    first, draft, formula = register
    client.force_login(organiser)
    response = client.get(_url(edition, "export_csv"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _csv(response)
    assert header == _headers()
    assert [r[0] for r in rows] == [first.number, draft.number, formula.number]
    assert rows[0] == [
        f"SD-{edition.year}-{first.pk:05d}",
        first.title,
        "2. Образование",
        "2.1",
        "Номинация 2.1",
        "Фонд «Подмосковье»",
        first.organization.inn,
        "Фонд",
        "Московская область",
        "Центральный федеральный округ",
        "возвращена на доработку",
        f"12.05.{edition.year} 23:30",
        rows[0][12],
        moderator.email,
        "2",
        "2",
    ]
    assert rows[1][10:16] == ["черновик", "", rows[1][12], "", "0", "0"]
    assert rows[2][1] == "'" + formula.title


def test_csv_export_respects_the_filters(client, edition, organiser, register):
    first, _draft, _formula = register
    client.force_login(organiser)
    response = client.get(_url(edition, "export_csv"), {"state": S.RETURNED})
    assert [r[0] for r in _csv(response)[1:]] == [first.number]


def test_xlsx_export_has_the_register(client, edition, organiser, register, moderator):
    first, draft, formula = register
    client.force_login(organiser)
    response = client.get(_url(edition, "export_xlsx"), {"direction": ""})
    header, *rows = _xlsx(response)
    assert list(header) == _headers()
    assert [r[0] for r in rows] == [first.number, draft.number, formula.number]
    row = rows[0]
    assert row[1:11] == (
        first.title,
        "2. Образование",
        "2.1",
        "Номинация 2.1",
        "Фонд «Подмосковье»",
        first.organization.inn,
        "Фонд",
        "Московская область",
        "Центральный федеральный округ",
        "возвращена на доработку",
    )
    assert row[11] == moscow(edition.year, 5, 12, 23, 30).replace(tzinfo=None)
    assert row[13:] == (moderator.email, 2, 2)
    assert rows[1][11] is None
    assert rows[2][1] == formula.title  # kept as text, not turned into a formula


def test_export_counts_the_version_frozen_by_submitting(
    client, edition, organiser, complete_draft, applicant
):
    services.submit(complete_draft, by=applicant)
    client.force_login(organiser)
    rows = _csv(client.get(_url(edition, "export_csv")))
    assert rows[1][0] == complete_draft.number
    assert rows[1][10] == "подана"
    assert rows[1][14:] == ["1", "0"]
