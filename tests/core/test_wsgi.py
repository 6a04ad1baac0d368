"""The WSGI module freezes what start-up loaded, so a full garbage collection in a worker walks
only what requests create (docs/decisions.md: «Workers freeze their start-up objects»)."""

import os
import subprocess
import sys

PROBE = "import gc, smartdialog.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"


def test_a_worker_starts_with_its_start_up_objects_frozen():
    env = dict(os.environ, SECRET_KEY="x", DJANGO_SETTINGS_MODULE="smartdialog.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    frozen, tracked = map(int, out.split())
    # Django, every app and every view module (the URLconf) are frozen; what the collector
    # still walks is what was created after the freeze (next to nothing yet).
    assert frozen > 50_000
    assert tracked < frozen / 20
