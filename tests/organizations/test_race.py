"""The unique index on INN, not the pre-check, is what keeps one organisation per INN."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from smartdialog.organizations import services
from smartdialog.organizations.models import Membership, Organization
from tests.factories import make_user
from tests.organizations.factories import organization_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_organization_race_on_one_inn_has_exactly_one_winner(monkeypatch):
    users = [make_user("first@example.ru"), make_user("second@example.ru")]
    data = organization_data()
    both_checked = threading.Barrier(2, timeout=10)
    waited = threading.local()
    precheck = services._duplicate_inn

    def check_then_wait_for_the_other(inn, exclude_pk=None):
        """Both threads pass the pre-check before either inserts, so the index decides."""
        result = precheck(inn, exclude_pk)
        if not getattr(waited, "done", False):
            waited.done = True
            both_checked.wait()
        return result

    monkeypatch.setattr(services, "_duplicate_inn", check_then_wait_for_the_other)
    outcomes = []

    def register(user):
        try:
            services.register_organization(Organization(**data), by=user)
            outcomes.append("registered")
        except ValidationError as error:
            outcomes.append(" ".join(error.message_dict["inn"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(["registered", precheck(data["inn"]).message_dict["inn"][0]])
    assert Organization.objects.filter(inn=data["inn"]).count() == 1
    assert Membership.objects.count() == 1
