"""Four admitted applications: three finalists of nomination 1.1 with a confirmed winner,
one more in 1.2; the applicant is a member of the winner's organisation."""

import pytest
from django.utils import translation

from smartdialog.accounts.models import Role
from smartdialog.reviews import decisions
from smartdialog.reviews.models import WorkingGroup
from tests.factories import give_role, make_user
from tests.reviews.conftest import make_admitted
from tests.reviews.decisions.conftest import decide, make_finalists


@pytest.fixture(autouse=True)
def _english():
    """Messages of calls made in the test itself are asserted on their English msgids.

    Pages are not: the test client sends no language, so LocaleMiddleware answers in the
    site's Russian and leaves Russian active in this thread after the first request. Page
    tests assert the Russian text the user sees, or set the `django_language` cookie.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the decision's protocol PDF


@pytest.fixture
def contest(edition, organiser):
    members = [make_user(f"wg{i}@example.ru") for i in range(2)]
    for user in members:
        give_role(user, edition, Role.WORKING_GROUP)
    group = decisions.save_working_group(
        WorkingGroup(edition=edition, title="Рабочая группа", quorum=2),
        members=members,
        nominations=edition.nominations.filter(code="1.1"),
        by=organiser,
    )
    finalists = make_finalists(edition, organiser)
    decision = decide(group, edition.nominations.get(code="1.1"), finalists, by=members[0])
    decisions.confirm_decision(decision, organiser)
    other = make_admitted(edition, code="1.2", title="Школа управленцев", region_code="16")
    return {"winner": finalists[0].submission, "finalists": finalists, "other": other}


@pytest.fixture
def applicant(contest):
    """The member of the winner's organisation (`make_organization` made them)."""
    return contest["winner"].organization.memberships.get().user
