"""Tables as CSV for Excel and XLSX, and the download views with their refusals."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from smartdialog.core import tabular
from smartdialog.results import analytics, exports, tables
from smartdialog.results.tables import Column, Table

pytestmark = pytest.mark.django_db


def hand_made() -> Table:
    return Table(
        slug="sample",
        title="Голоса по регионам",
        columns=[
            Column("region", "Регион"),
            Column("votes", "Голоса", numeric=True),
            Column("share", "Доля, %", numeric=True),
            Column("day", "День"),
        ],
        rows=[
            {"region": "Санкт-Петербург", "votes": 1104, "share": Decimal("12.5"), "day": None},
            {
                "region": "=HYPERLINK(1)",
                "votes": 0,
                "share": 0.25,
                "day": datetime.datetime(2023, 11, 7, 18, 5),
            },
        ],
    )


def test_csv_has_bom_semicolons_and_excel_numbers():
    text = b"".join(tabular.csv_lines(exports.header(hand_made()), exports.cells(hand_made())))
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Регион;Голоса;Доля, %;День"
    assert lines[1] == "Санкт-Петербург;1104;12,5;"
    assert lines[2] == "'=HYPERLINK(1);0;0,25;07.11.2023 18:05"
    assert lines[3] == ""


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    book = load_workbook(
        tabular.xlsx_file(
            "Голоса: по регионам?", exports.header(hand_made()), exports.cells(hand_made())
        )
    )
    sheet = book.active
    assert sheet.title == "Голоса  по регионам "
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Регион", "Голоса", "Доля, %", "День")
    assert rows[1] == ("Санкт-Петербург", 1104, 12.5, None)
    assert rows[2] == ("=HYPERLINK(1)", 0, 0.25, datetime.datetime(2023, 11, 7, 18, 5))
    assert sheet["A3"].data_type == "s"


def _get(client, name, year, *args, **query):
    return client.get(reverse(f"results_data:{name}", args=[year, *args]), query)


def _csv_rows(response, table) -> list[dict]:
    """The CSV's data rows keyed by the table's column keys (the column order is the page's)."""
    keys = [c.key for c in table.columns]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(str(c.title) for c in table.columns)
    return [dict(zip(keys, line.split(";"), strict=True)) for line in lines[1:]]


def test_ranking_table_as_csv_counts_the_votes(client, published):
    response = _get(client, "table", published.year, "ranking-1", "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="smartdialog-{published.year}-ranking-1.csv"'
    )
    table = tables.all_tables(published)["ranking-1"]
    rows = {row["practice"]: row for row in _csv_rows(response, table)}
    assert rows["Практика 1.1"]["votes"] == "4" and rows["Практика 1.2"]["votes"] == "1"
    assert rows["Практика 1.1"]["share"] == "80,0"  # share of the direction, decimal comma


def test_table_as_xlsx_with_a_filter(client, published):
    response = _get(client, "table", published.year, "ranking-1", "xlsx", region="77")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    keys = [c.key for c in tables.all_tables(published)["ranking-1"].columns]
    rows = [dict(zip(keys, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    votes = {row["practice"]: row["votes"] for row in rows}
    assert votes == {"Практика 1.1": 2, "Практика 1.2": 0}


def test_unpublished_results_are_not_found_for_the_public(client, outsider, voted, edition):
    client.force_login(outsider)
    assert _get(client, "table", edition.year, "totals", "csv").status_code == 404
    assert _get(client, "archive", edition.year).status_code == 404
    assert _get(client, "index", edition.year).status_code == 404


def test_organisers_preview_unpublished_results(client, organiser, voted, edition):
    client.force_login(organiser)
    response = _get(client, "table", edition.year, "totals", "csv")
    assert response.status_code == 200
    assert "Учтено голосов;10" in b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize(
    ("args", "query", "status", "message"),
    [
        (("nonsense", "csv"), {}, 404, "Таблицы «nonsense» нет."),
        (("totals", "pdf"), {}, 404, "Файлы выгружаются только в форматах .csv и .xlsx."),
        (("totals", "csv"), {"region": "999"}, 400, "Нет региона с кодом «999»"),
    ],
)
def test_bad_requests_get_a_clear_message(client, published, args, query, status, message):
    response = _get(client, "table", published.year, *args, **query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_votes_of_chosen_days_without_personal_data(client, published, ballot, voted):
    today = timezone.localdate()
    response = _get(client, "votes", published.year, "csv", **{"from": today, "to": today})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 1 + 10
    receipts = set(ballot.votes.values_list("receipt", flat=True))
    assert {line.split(";")[0] for line in lines[1:]} == receipts
    for private in ("203.0.113.77", "SecretBrowser", voted[0].phone):
        assert private not in text


def test_votes_beyond_the_window_are_refused(client, published, ballot):
    first = timezone.localdate(ballot.opens_at)
    response = _get(
        client,
        "votes",
        published.year,
        "csv",
        **{"from": first - datetime.timedelta(days=30), "to": first},
    )
    assert response.status_code == 400
    assert "выберите дни в этих пределах" in response.content.decode()


def test_votes_beyond_the_xlsx_row_cap_are_refused(client, published, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_ROW_CAP", 3)
    today = timezone.localdate()
    response = _get(client, "votes", published.year, "xlsx", **{"from": today, "to": today})
    assert response.status_code == 400
    assert (
        "За эти дни подано 10 голосов, а файл XLSX вмещает не более 3 строк."
        in response.content.decode()
    )


def test_votes_without_dates_are_refused(client, published):
    response = _get(client, "votes", published.year, "csv", **{"from": "yesterday"})
    assert response.status_code == 400
    assert "Укажите первый и последний день в виде ГГГГ-ММ-ДД" in response.content.decode()


def test_organiser_downloads_an_analytics_table(client, organiser, published):
    client.force_login(organiser)
    response = _get(client, "analytics", published.year, "regions", "csv", direction="2")
    assert response.status_code == 200
    rows = _csv_rows(response, analytics.tables(published, {})["regions"])
    votes = {row["code"]: row["votes"] for row in rows}
    assert (votes["77"], votes["78"], votes["50"], votes["16"]) == ("2", "2", "1", "0")


def test_analytics_filters_are_checked(client, organiser, published):
    client.force_login(organiser)
    response = _get(client, "analytics", published.year, "regions", "csv", direction="9")
    assert response.status_code == 400
    assert "В этом конкурсе нет направления с номером «9»." in response.content.decode()


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_analytics_tables_are_for_organisers_only(request, client, published, who):
    client.force_login(request.getfixturevalue(who))
    response = _get(client, "analytics", published.year, "regions", "csv")
    assert response.status_code == 403
    assert not response.streaming
