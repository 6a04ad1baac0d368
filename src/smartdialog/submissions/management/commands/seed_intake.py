from django.core.management.base import BaseCommand, CommandError

from smartdialog.contests.models import Edition
from smartdialog.submissions.demo import generate_intake


class Command(BaseCommand):
    help = (
        "Generate a realistic intake of applications for a demo edition through the real "
        "services (idempotent: an edition that has one is left alone). Run seed_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=600, help="applications (default 600)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--year", type=int, default=2023, help="edition (default 2023)")

    def handle(self, *args, size, seed, year, **options):
        if size < 1:
            raise CommandError("--size must be at least 1")
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"There is no edition {year}: run seed_demo first.")
        try:
            counts = generate_intake(edition, size=size, seed=seed, stdout=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if counts["created"]:
            self.stdout.write(
                f"Edition {year}: generated {counts['applications']} applications from "
                f"{counts['organisations']} organisations in {counts['regions']} regions "
                f"in {counts['seconds']} s."
            )
        else:
            self.stdout.write(
                f"Edition {year}: {counts['applications']} generated applications from "
                f"{counts['organisations']} organisations are already there."
            )
        self.stdout.write("By direction:")
        for title, count in counts["by_direction"].items():
            self.stdout.write(f"  {title:<24} {count:>4}")
        self.stdout.write("By state:")
        for state, count in counts["by_state"].items():
            self.stdout.write(f"  {state:<24} {count:>4}")
