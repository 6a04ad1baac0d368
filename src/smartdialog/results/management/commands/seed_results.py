from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from smartdialog.accounts.demo import demo_email
from smartdialog.accounts.models import Role
from smartdialog.contests.models import Edition
from smartdialog.results import certificates, press, services
from smartdialog.results.models import PressText


class Command(BaseCommand):
    help = (
        "Publish the demo results of an edition whose vote has closed, as its organiser would: "
        "the results, a press text generated from the votes, the certificates (idempotent). "
        "Run seed_vote first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023, help="edition (default 2023)")

    def handle(self, *args, year, **options):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"There is no edition {year}: run seed_demo first.")
        organiser = edition.role_assignments.filter(
            role=Role.ORGANISER, revoked_at__isnull=True, user__email=demo_email("organiser")
        ).first()
        if organiser is None:
            raise CommandError(f"The demo organiser has no role in {year}: run seed_demo first.")
        by = organiser.user
        try:
            if not services.is_published(edition):
                services.publish(edition, by=by)
            if press.published(edition) is None:
                text = PressText.objects.filter(edition=edition).first()
                press.publish(text or press.create_draft(edition, by=by), by=by)
            issued = certificates.issue(edition, by=by)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Results of {year} published with a press text; certificates: "
            f"{issued.total_new} new, {issued.already} issued before."
        )
