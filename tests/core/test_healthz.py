import json
from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch(
        "smartdialog.core.healthz.connection.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert "connection refused" in body["checks"]["database"]


def test_healthz_checks_redis_when_configured(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    assert json.loads(response.content)["checks"] == {"database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["redis"].startswith("error: ConnectionError")
