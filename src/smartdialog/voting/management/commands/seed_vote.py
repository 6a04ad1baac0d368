from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from smartdialog.contests.models import Edition
from smartdialog.voting.demo import data, generate_vote
from smartdialog.voting.tally import tally


class Command(BaseCommand):
    help = (
        "Generate the demo public vote of an edition, shaped like the 2023 press release: "
        "ballot, voters, votes and the sealed log (idempotent). Run seed_reviews first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023, help="edition (default 2023)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="shrink every figure (default 1: as published)"
        )

    def handle(self, *args, year, seed, scale, **options):
        if year != data.OPENS_AT.year:
            raise CommandError(
                f"The demo vote is the one of {data.OPENS_AT.year}: its dates and figures."
            )
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"There is no edition {year}: run seed_demo first.")
        if not 0 < scale <= 1:
            raise CommandError("--scale must be more than 0 and at most 1.")
        try:
            result = generate_vote(edition, seed=seed, scale=scale)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        state = f"done in {result['seconds']} s" if result["created"] else "already there"
        self.stdout.write(
            f"Vote of {year} {state}: {result['voters']} voters, {result['votes']} votes, "
            f"{result['batches']} sealed batches."
        )
        for section, rows in tally(result["ballot"]).sections():
            leader = rows[0]
            self.stdout.write(
                f"  {section.title}: {leader.entry.submission.title} — {leader.counted} votes"
            )
