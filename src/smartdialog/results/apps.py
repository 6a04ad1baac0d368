from django.apps import AppConfig
from django.db.models.signals import post_save


class ResultsConfig(AppConfig):
    name = "smartdialog.results"
    label = "results"

    def ready(self):
        from smartdialog.audit.models import AuditEntry
        from smartdialog.voting.models import Ballot, SealedBatch

        from . import state

        # What may change a results page is audited, seals a batch or saves the ballot (whose
        # live-results switch has no audited service yet): see state.py.
        for sender in (AuditEntry, SealedBatch, Ballot):
            post_save.connect(state.renew, sender=sender, dispatch_uid=f"results-{sender.__name__}")
