"""Recount the vote from the downloaded public log and compare it with the published one.

    python manage.py recount --log votes.csv --batches batches.csv [--offline]

1. Every batch's hash is recomputed from the lines of votes.csv (taken in order, as many as
   batches.csv says the batch holds) and checked against batches.csv, each batch linking to
   the one before and the first to the genesis sha256(ballot id).
2. The votes per entry are counted from the lines.
3. Without --offline the chain and the counts are compared with the database (the published
   chain head and tally of sealed votes); a batch that does not match is compared line by
   line, so the first tampered line is named. With --offline only the files' own
   consistency is checked, and a tampered batch is named with its line range.
Exit status 1 when anything does not match.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from smartdialog.voting import sealing
from smartdialog.voting.models import Ballot, SealedBatch
from smartdialog.voting.tally import sealed_totals


def _read(path, header):
    with open(path, encoding="utf-8") as handle:
        rows = [text.rstrip("\r\n") for text in handle]
    if not rows or rows[0] != header:
        raise CommandError(f"{path}: the first line must be the header `{header}`")
    return rows[1:]


class Command(BaseCommand):
    help = "Recompute the hash chain and the tally from the public log files and compare."

    def add_arguments(self, parser):
        parser.add_argument("--log", required=True, help="votes.csv downloaded from /vote/log/")
        parser.add_argument("--batches", required=True, help="batches.csv from /vote/log/")
        parser.add_argument(
            "--offline", action="store_true", help="check the files only, not the database"
        )

    def handle(self, *args, log, batches, offline=False, **options):
        lines = _read(log, sealing.HEADER)
        batch_rows = [row.split(";") for row in _read(batches, sealing.BATCH_HEADER) if row]
        if not batch_rows:
            raise CommandError(f"{batches}: no batches")
        ballot_id = int(batch_rows[0][0])
        problems: list[str] = []
        db_lines = None if offline else self._database_lines(ballot_id)
        previous, cursor = sealing.genesis(ballot_id), 0
        for expected, row in enumerate(batch_rows, start=1):
            if len(row) != 6:
                problems.append(f"batches.csv line {expected + 1}: expected 6 fields")
                break
            _ballot, number, previous_hash, digest, count = row[0], int(row[1]), *row[2:5]
            count = int(count)
            first = cursor + 2  # file line number: the header is line 1
            chunk = lines[cursor : cursor + count]
            cursor += count
            if number != expected:
                problems.append(f"batch {number}: expected batch {expected} here")
            if previous_hash != previous:
                problems.append(f"batch {number}: its previous hash is not batch {number - 1}'s")
            if len(chunk) != count:
                problems.append(
                    f"batch {number}: {count} votes listed, the log ends after {len(chunk)}"
                )
            if sealing.batch_hash(previous_hash, chunk) != digest:
                problems.append(
                    f"batch {number} (votes.csv lines {first}–{first + len(chunk) - 1}): "
                    "its lines do not give its hash"
                    + self._first_difference(db_lines, number, chunk, first)
                )
            previous = digest
        if cursor < len(lines):
            problems.append(
                f"votes.csv lines {cursor + 2}–{len(lines) + 1} are in no batch of batches.csv"
            )
        counts, receipts = Counter(), set()
        for number, text in enumerate(lines[:cursor], start=2):
            fields = text.split(";")
            if len(fields) != 6 or not fields[2].isdigit():
                problems.append(f"votes.csv line {number}: not a vote line: {text!r}")
                continue
            if fields[0] in receipts:
                problems.append(f"votes.csv line {number}: receipt {fields[0]} appears twice")
            receipts.add(fields[0])
            counts[int(fields[2])] += 1
        last = int(batch_rows[-1][1])
        self.stdout.write(f"Ballot {ballot_id}: {len(batch_rows)} batch(es), {cursor} vote(s).")
        self.stdout.write(f"Chain head in the files: batch {last}, {batch_rows[-1][3]}")
        for entry_id, n in sorted(counts.items()):
            self.stdout.write(f"  entry {entry_id}: {n}")
        if not offline:
            problems += self._compare(ballot_id, batch_rows, counts, last)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); the first: {problems[0]}")
        where = "the files are consistent" if offline else "they match the published chain"
        self.stdout.write(self.style.SUCCESS(f"Recount OK: {where} and tally."))

    def _database_lines(self, ballot_id):
        ballot = Ballot.objects.filter(pk=ballot_id).first()
        if ballot is None:
            raise CommandError(f"ballot {ballot_id} is not in this database; use --offline")
        grouped: dict[int, list[str]] = {}
        for number, text in sealing.sealed_lines(ballot):
            grouped.setdefault(number, []).append(text)
        return grouped

    def _first_difference(self, db_lines, number, chunk, first) -> str:
        if db_lines is None:
            return ""
        published = db_lines.get(number, [])
        for offset, (mine, theirs) in enumerate(zip(chunk, published, strict=False)):
            if mine != theirs:
                return f"; first tampered line {first + offset}: {mine!r}, published {theirs!r}"
        if len(chunk) != len(published):
            return f"; {len(chunk)} lines in the file, {len(published)} published"
        return "; the lines match the database: batches.csv was changed"

    def _compare(self, ballot_id, batch_rows, counts, last) -> list[str]:
        problems = []
        ballot = Ballot.objects.get(pk=ballot_id)
        published = dict(SealedBatch.objects.filter(ballot=ballot).values_list("number", "hash"))
        for row in batch_rows:
            number, digest = int(row[1]), row[3]
            if published.get(number) != digest:
                problems.append(f"batch {number}: its hash differs from the published chain")
        later = sum(1 for n in published if n > last)
        if later:
            self.stdout.write(f"({later} batch(es) sealed since these files were downloaded)")
        expected = sealed_totals(ballot, upto=last)
        for entry_id in sorted(set(expected) | set(counts)):
            if expected.get(entry_id, 0) != counts.get(entry_id, 0):
                problems.append(
                    f"entry {entry_id}: {counts.get(entry_id, 0)} vote(s) in the log, "
                    f"{expected.get(entry_id, 0)} published"
                )
        return problems
