"""The SMS gateway interface: `send(phone, text)` through the backend named in settings.

`SMS_BACKEND = "console"` (the default, for `make run` and tests) prints the message, logs it
and appends it to `outbox`, as Django's locmem mail backend does, so a test can read the code.
`SMS_BACKEND = "http"` POSTs `{"to": phone, "text": text}` as JSON to `SMS_HTTP_URL`
(optional `Authorization: Bearer SMS_HTTP_TOKEN`) with a timeout of `SMS_HTTP_TIMEOUT` seconds;
any network error or non-2xx answer raises `SmsError`. A dotted path names any other class
with a `send(phone, text)` method.
"""

import json
import logging
import sys
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


# What the console backend sent, newest last (bounded: the embedded default runs for days).
outbox: deque[Sms] = deque(maxlen=500)


class SmsError(Exception):
    """The gateway did not accept the message."""


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append(Sms(phone, text))
        print(f"SMS to {phone}: {text}", file=sys.stdout, flush=True)
        logger.info("SMS to %s: %s", phone, text)


class HttpBackend:
    def __init__(self):
        self.url = getattr(settings, "SMS_HTTP_URL", "")
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND is 'http' but SMS_HTTP_URL is empty")
        self.timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", 5))
        self.token = getattr(settings, "SMS_HTTP_TOKEN", "")

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"to": phone, "text": text}).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")
        logger.info("SMS to %s accepted by the gateway", phone)


BACKENDS = {"console": ConsoleBackend, "http": HttpBackend}


def get_backend():
    name = getattr(settings, "SMS_BACKEND", "console")
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()


def send(phone: str, text: str) -> None:
    """Send one SMS; raises `SmsError` when the gateway refuses or cannot be reached."""
    get_backend().send(phone, text)
