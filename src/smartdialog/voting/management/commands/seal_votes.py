"""Seal unsealed votes into the hash chain once, or with --loop until SIGTERM."""

import signal
import threading

from django.core.management.base import BaseCommand

from smartdialog.voting.sealing import seal_pending


class Command(BaseCommand):
    help = "Seal unsealed votes into the hash chain; --loop keeps going until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sealing until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between rounds with --loop"
        )
        parser.add_argument("--limit", type=int, default=5000, help="votes per batch at most")

    def handle(self, *args, loop=False, interval=5.0, limit=5000, **options):
        stop = threading.Event()
        previous = {}
        if loop:
            # Finish the batch in hand (one transaction), then leave.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            while True:
                written = seal_pending(limit=limit)
                if written or not loop:
                    self.stdout.write(f"Sealed {written} batch(es).")
                if not loop or stop.wait(interval):
                    break
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
