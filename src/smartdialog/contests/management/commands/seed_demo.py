from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from smartdialog.accounts.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    demo_email,
    ensure_demo_accounts,
    ensure_user,
)
from smartdialog.accounts.models import Role
from smartdialog.contests.demo import load_demo_edition, load_practice_edition
from smartdialog.organizations.demo import ensure_demo_organization


class Command(BaseCommand):
    help = "Load the demo 2023 edition and one demo account per role (idempotent)."

    def handle(self, *args, **options):
        organiser = ensure_user(
            demo_email(Role.ORGANISER), first_name="Анна", last_name="Организатор"
        )
        admin_email = f"admin@{DEMO_DOMAIN}"
        ensure_user(admin_email, superuser=True)
        editions = [load_demo_edition(by=organiser), load_practice_edition(by=organiser)]
        for edition, created in editions:
            accounts = ensure_demo_accounts(edition, organiser)
            state = "created" if created else "already present"
            self.stdout.write(f"Edition {edition.year} «{edition.title}»: {state}.")
        organization = ensure_demo_organization(ensure_user(demo_email(Role.APPLICANT)))
        self.stdout.write(f"Organisation «{organization.short_name}» (ИНН {organization.inn}).")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for label, email in [*accounts, (_("platform admin"), admin_email)]:
            self.stdout.write(f"  {label:<24} {email}")
