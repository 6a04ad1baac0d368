from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from smartdialog.accounts.demo import DEMO_PASSWORD
from smartdialog.contests.models import Edition
from smartdialog.reviews.demo.practice import (
    IntakeClosed,
    ensure_practice,
    practice_applications,
    walk_through,
)
from smartdialog.reviews.models import Expert


class Command(BaseCommand):
    help = (
        "Make the practice edition of this year ready for the expert evaluation walk-through: "
        "12 admitted applications in 1.1, 2.3 and 3.1, six accepted experts and a working "
        "group, through the real services (idempotent). Run seed_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, seed, **options):
        year = timezone.localdate().year
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"There is no edition {year}: run seed_demo first.")
        try:
            result = ensure_practice(edition, seed=seed, stdout=self.stdout)
        except IntakeClosed as error:  # an old database: the rest of the demo still works
            self.stderr.write(f"Practice evaluation skipped: {error}.")
            return
        except ValueError as error:
            raise CommandError(str(error)) from error
        group = result["group"]
        self.stdout.write(
            f"Edition {year} «{edition.title}»: {result['applications']} admitted practice "
            f"applications, {result['experts']} accepted experts, working group «{group.title}» "
            f"({group.members.count()} members, quorum {group.quorum})."
        )
        for submission in practice_applications(edition).order_by("nomination__order", "pk"):
            self.stdout.write(
                f"  {submission.nomination.code}  {submission.number}  {submission.title} — "
                f"{submission.organization.short_name}, {submission.organization.region}"
            )
        experts = Expert.objects.filter(edition=edition).select_related("user", "region")
        for expert in experts.order_by("user__email"):
            self.stdout.write(
                f"  expert {expert.user.email} ({expert.get_status_display()}), "
                f"region: {expert.region or '—'}, capacity {expert.capacity}"
            )
        if not result["evaluation_open"]:
            self.stderr.write(
                f"The expert evaluation of {year} is not open now: scores cannot be saved."
            )
        self.stdout.write(f"Walk through the evaluation (password for all: {DEMO_PASSWORD}):")
        for line in walk_through(edition, group):
            self.stdout.write(f"  {line}")
