"""The WSGI application (gunicorn in production).

Once Django and the URLconf (every view module) are loaded, those objects live as long as the
process: `gc.freeze()` moves them out of the collector's way, so that a full collection walks
only what requests create. Without it a full collection takes about 50 ms on the 2-core
machine of docs/benchmarks.md, and every thread of the worker waits meanwhile (a p99 spike at
the vote's peak); with it about 2 ms (docs/decisions.md).
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdialog.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)
gc.freeze()
