"""Send due outbox messages once, or with --loop until SIGTERM (a worker without Celery beat)."""

import signal
import threading

from django.core.management.base import BaseCommand

from smartdialog.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send queued messages and retries that are due; --loop keeps going until SIGTERM."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between rounds with --loop"
        )

    def handle(self, *args, loop=False, interval=10.0, **options):
        stop = threading.Event()
        previous = {}
        if loop:
            # Finish the message in hand, then leave: no claim is abandoned mid-send.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            while True:
                sent = deliver_due()
                if sent or not loop:
                    self.stdout.write(f"Sent {sent} message(s).")
                if not loop or stop.wait(interval):
                    break
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
