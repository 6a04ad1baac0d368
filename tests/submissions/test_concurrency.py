"""Two members, or two clicks, at the same moment (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from smartdialog.submissions import services
from smartdialog.submissions.models import DraftConflict, Submission
from tests.submissions.conftest import fill

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(*targets):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        barrier.wait()
        try:
            outcomes.append(target())
        except Exception as exc:  # the loser's exception is the outcome under test
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_saves_of_one_version_one_wins_the_other_is_kept(draft, applicant):
    version = draft.lock_version

    def save(text):
        def target():
            own_copy = Submission.objects.get(pk=draft.pk)  # each member has their own page
            own_copy.lock_version = version
            return fill(own_copy, applicant, problem=text)

        return target

    outcomes = _race(save("первый"), save("второй"))
    errors = [o for o in outcomes if isinstance(o, services.DraftConflictError)]
    assert len(errors) == 1
    draft.refresh_from_db()
    assert draft.lock_version == version + 1
    assert DraftConflict.objects.get().data["problem"] in {"первый", "второй"}
    assert draft.problem != DraftConflict.objects.get().data["problem"]


def test_a_double_click_on_submit_freezes_one_version(complete_draft, applicant):
    outcomes = _race(
        lambda: services.submit(complete_draft, by=applicant),
        lambda: services.submit(complete_draft, by=applicant),
    )
    assert sum(1 for o in outcomes if isinstance(o, Exception)) == 1
    assert complete_draft.versions.count() == 1
    assert complete_draft.transitions.count() == 1
