from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from smartdialog.reference.loader import load_reference


class Command(BaseCommand):
    help = "Load or refresh regions, applicant kinds and national projects from reference/data/."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_reference(apps)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
