from django.core.management.base import BaseCommand, CommandError

from smartdialog.contests.models import Edition
from smartdialog.reviews.demo import generate_reviews
from smartdialog.reviews.demo.meeting import public_winners


class Command(BaseCommand):
    help = (
        "Generate the expert evaluation of a demo edition through the real services: "
        "experts, assignments, reviews, finalists, working groups and confirmed decisions "
        "(idempotent). Run seed_demo and seed_intake first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023, help="edition (default 2023)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, year, seed, **options):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"There is no edition {year}: run seed_demo first.")
        try:
            counts = generate_reviews(edition, seed=seed, stdout=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Edition {year}: {counts['experts']} experts, {counts['assignments']} assignments, "
            f"{counts['reviews']} submitted reviews, {counts['finalists']} finalists, "
            f"{counts['decisions']} decisions; {counts['winners']} winners from "
            f"{counts['regions']} regions."
        )
        if counts["created"]:
            timings = ", ".join(f"{k} {v} s" for k, v in counts["timings"].items())
            self.stdout.write(f"Done in {counts['seconds']} s ({timings}).")
        for winner in public_winners(edition):
            self.stdout.write(
                f"  {winner.nomination.code}  {winner.submission.title} — {winner.region}"
            )
