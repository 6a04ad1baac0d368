"""The cast: an organiser of the test edition, a moderator, an expert and an outsider."""

import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from smartdialog.accounts.models import Role
from tests.factories import give_role, make_edition, make_user


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need the real PostgreSQL: fail, never skip, without it."""
    for item in items:
        if item.get_closest_marker("postgres") or item.get_closest_marker("browser"):
            item.fixturenames.append("_require_postgres")


@pytest.fixture
def _require_postgres(django_db_blocker):
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql":
        pytest.fail(f"this test needs PostgreSQL, the database is {vendor}: run `make test`")


def pytest_terminal_summary(terminalreporter):
    passed = terminalreporter.stats.get("passed", [])
    for marker in ("postgres", "browser"):
        count = sum(1 for report in passed if marker in report.keywords)
        terminalreporter.write_line(f"{marker} tests passed: {count}")
    if os.environ.get("REQUIRE_POSTGRES"):
        terminalreporter.write_line(f"database: {os.environ.get('DATABASE_URL', '')}")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Regions and kinds come from a migration; a transactional test's flush removes them,
    so a database test finds them reloaded (one cheap query when they are there)."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    from django.apps import apps

    from smartdialog.reference.loader import load_reference
    from smartdialog.reference.models import Region

    if not Region.objects.exists():
        load_reference(apps)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 makes each test user cost 0.3 s; the hash strength is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _russian_by_default():
    """Each test starts in the site's default language, whatever a previous request chose."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def edition(db):
    return make_edition()


@pytest.fixture
def organiser(edition):
    user = make_user("organiser@example.ru")
    give_role(user, edition, Role.ORGANISER)
    return user


@pytest.fixture
def moderator(edition):
    user = make_user("moderator@example.ru")
    give_role(user, edition, Role.MODERATOR)
    return user


@pytest.fixture
def expert(edition):
    user = make_user("expert@example.ru")
    give_role(user, edition, Role.EXPERT)
    return user


@pytest.fixture
def outsider(db):
    return make_user("outsider@example.ru")


@pytest.fixture(autouse=True)
def _no_frozen_ballot_layouts():
    """A ballot's layout is kept per process by id once it has votes; a test database that
    is rolled back may give the next test's ballot the same id (SQLite does)."""
    from smartdialog.voting.services import forget_layouts

    forget_layouts()
