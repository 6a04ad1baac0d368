"""The public log downloads and the recount command: match, then find the tampered line."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from smartdialog.voting.sealing import HEADER, seal
from smartdialog.voting.services import cast

from .conftest import make_voter, sections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def exported(ballot, client, tmp_path):
    (health, (first, second)), (education, (third, _)) = sections(ballot)
    for i in range(7):
        cast(make_voter(), ballot, {health.pk: [(first, second)[i % 3 == 0].pk]})
    cast(make_voter("50"), ballot, {education.pk: [third.pk]})
    seal(ballot, limit=3)
    seal(ballot, limit=3)
    seal(ballot, limit=3)
    files = {}
    for name in ("log_download", "log_batches"):
        response = client.get(reverse(f"vote:{name}"), {"year": ballot.edition.year})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        path = tmp_path / f"{name}.csv"
        path.write_bytes(b"".join(response.streaming_content))
        files[name] = path
    return files["log_download"], files["log_batches"]


def _recount(votes, batches, *extra):
    out, err = [], []

    class Sink:
        def __init__(self, target):
            self.target = target

        def write(self, text):
            self.target.append(text)

        def flush(self):
            pass

    call_command(
        "recount", "--log", votes, "--batches", batches, *extra, stdout=Sink(out), stderr=Sink(err)
    )
    return "".join(out)


def test_download_is_the_canonical_lines_with_a_header(exported):
    votes, batches = exported
    lines = votes.read_text().splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 1 + 8
    assert len(batches.read_text().splitlines()) == 1 + 3


@pytest.mark.parametrize("extra", [[], ["--offline"]])
def test_recount_of_the_published_log_matches(exported, extra):
    output = _recount(*exported, *extra)
    assert "Recount OK" in output
    assert "8 vote(s)" in output


def test_recount_names_the_tampered_line(exported, ballot):
    votes, batches = exported
    lines = votes.read_text().splitlines()
    (_health, (first, second)), _education = sections(ballot)
    fields = lines[5].split(";")  # file line 6: the 5th vote, in batch 2
    fields[2] = str(second.pk if fields[2] == str(first.pk) else first.pk)
    lines[5] = ";".join(fields)
    votes.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError) as excinfo:
        _recount(votes, batches)
    assert "batch 2 (votes.csv lines 5–7)" in str(excinfo.value)
    assert "first tampered line 6" in str(excinfo.value)
    with pytest.raises(CommandError) as excinfo:
        _recount(votes, batches, "--offline")
    assert "batch 2 (votes.csv lines 5–7): its lines do not give its hash" in str(excinfo.value)


def test_recount_notices_a_dropped_line(exported):
    votes, batches = exported
    lines = votes.read_text().splitlines()
    del lines[2]
    votes.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError) as excinfo:
        _recount(votes, batches, "--offline")
    assert "batch 1" in str(excinfo.value)
