"""Liveness of the parts a request needs: the database, and Redis when it is configured."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok"


def healthz(request):
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency is a 503, with its reason
            report[name] = f"error: {exc.__class__.__name__}: {exc}"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": report}, status=200 if healthy else 503
    )
