"""The open-data archive: its members, the data dictionary, the anonymised log, the chain."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from smartdialog.results import opendata
from smartdialog.voting import sealing
from smartdialog.voting.models import SealedBatch

pytestmark = pytest.mark.django_db


def _archive(client, year) -> zipfile.ZipFile:
    response = client.get(reverse("results_data:archive", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_archive_holds_tables_log_and_a_dictionary_of_every_file(client, published):
    archive = _archive(client, published.year)
    names = set(archive.namelist())
    assert {"README.txt", "datapackage.json", "log/votes.csv", "log/entries.csv"} <= names
    assert {"log/batches.csv", "log/head.json", "tables/totals.csv", "tables/totals.json"} <= names
    package = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in package["resources"]} == names - {"README.txt", "datapackage.json"}
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    readme = archive.read("README.txt").decode()
    for name in names:
        assert name in readme
    votes = next(r for r in package["resources"] if r["path"] == "log/votes.csv")
    assert [f["name"] for f in votes["schema"]["fields"]] == [
        "receipt",
        "pseudonym",
        "entry_id",
        "section_id",
        "region_code",
        "cast_at",
        "batch",
    ]
    assert votes["rows"] == 10


def test_tables_come_as_csv_and_parsable_json(client, published):
    archive = _archive(client, published.year)
    document = json.loads(archive.read("tables/ranking-1.json"))
    votes = {row["practice"]: row["votes"] for row in document["rows"]}
    assert votes == {"Практика 1.1": 4, "Практика 1.2": 1}
    assert [c["key"] for c in document["columns"]][:2] == ["rank", "practice"]
    assert "Практика 1.1" in archive.read("tables/ranking-1.csv").decode("utf-8-sig")


def test_vote_log_has_no_personal_data(client, published, ballot, voted):
    archive = _archive(client, published.year)
    lines = archive.read("log/votes.csv").decode().splitlines()
    assert lines[0] == "receipt;pseudonym;entry_id;section_id;region_code;cast_at;batch"
    assert len(lines) == 11
    pseudonyms = {v.pseudonym for v in voted}
    assert {line.split(";")[1] for line in lines[1:]} == pseudonyms
    assert {line.split(";")[4] for line in lines[1:]} == {"77", "78", "50"}
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    for private in ["203.0.113.77", "SecretBrowser", "@example", *(v.phone for v in voted)]:
        assert private not in everything


def test_chain_recomputes_from_the_archive_to_its_head(client, published, ballot):
    archive = _archive(client, published.year)
    votes = [
        line.rsplit(";", 1) for line in archive.read("log/votes.csv").decode().splitlines()[1:]
    ]
    batches = [row.split(";") for row in archive.read("log/batches.csv").decode().splitlines()[1:]]
    head = json.loads(archive.read("log/head.json"))
    previous = hashlib.sha256(str(ballot.pk).encode()).hexdigest()
    assert head["genesis"] == previous
    for _ballot, number, previous_hash, digest, count, _sealed in batches:
        lines = [text for text, batch in votes if batch == number]
        assert len(lines) == int(count)
        assert previous_hash == previous
        assert hashlib.sha256((previous + "\n".join(lines)).encode()).hexdigest() == digest
        previous = digest
    assert len(batches) == 2
    assert head["hash"] == previous == SealedBatch.objects.get(ballot=ballot, number=2).hash
    assert head["votes_in_log"] == 10 and head["votes_not_yet_sealed"] == 0


def test_log_stops_at_the_head_when_the_download_started(published, ballot, voted):
    from tests.results.data.conftest import cast_votes

    stream = opendata.archive(published)  # the members are fixed here
    ballot.closes_at = ballot.closes_at.replace(year=ballot.closes_at.year + 1)
    ballot.save(update_fields=["closes_at"])
    cast_votes(ballot, [("77", 1, 0)])
    assert sealing.seal(ballot).number == 3
    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream)))
    assert len(archive.read("log/votes.csv").decode().splitlines()) == 11
    assert len(archive.read("log/batches.csv").decode().splitlines()) == 3


def test_entries_name_the_practices(client, published, ballot):
    archive = _archive(client, published.year)
    lines = archive.read("log/entries.csv").decode().splitlines()
    assert lines[0] == "entry_id;section_id;section;number;practice;organisation;region_code;region"
    assert len(lines) == 5
    assert any(";Практика 2.2;" in line for line in lines)


def test_data_page_lists_the_downloads(client, published):
    response = client.get(reverse("results_data:index", args=[published.year]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("results_data:archive", args=[published.year]) in page
    assert reverse("results_data:report", args=[published.year]) in page
    assert reverse("results_data:table", args=[published.year, "ranking-1", "xlsx"]) in page
    files = {f.path: f for f in response.context["files"]}
    assert files["log/votes.csv"].rows == 10
    assert files["log/votes.csv"].size > 10 * 60
    archive = _archive(client, published.year)
    assert files["tables/totals.csv"].size == len(archive.read("tables/totals.csv"))
