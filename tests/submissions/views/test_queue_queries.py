"""The moderation queue costs a fixed number of SQL queries, however many applications it lists.

Each case opens the queue as a moderator with 3 applications, then with 30 (still one page of
50), and requires the same number of queries both times and no more than
`MAX_PAGE_QUERIES` plus one per model-choice filter.
Speed at 10,000 applications is measured by `bench/moderation_queue.py`, not here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smartdialog.accounts.models import Role
from smartdialog.reference.models import ApplicantKind, Region
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission
from tests.factories import give_role, make_user
from tests.organizations.factories import make_organization

pytestmark = pytest.mark.django_db
S = SubmissionState

# A page costs 15 queries today: session, user, edition, the role check, the header's
# "can manage" check, the back-office nav's two permission checks, count, page, the filter
# form's five <select>s (direction, nomination, region, kind, moderator) and the assign
# form's moderators; one spare. Each model-choice filter in the URL adds one lookup.
MAX_PAGE_QUERIES = 16
MODEL_CHOICE_FILTERS = {"direction", "nomination", "region", "kind", "moderator"}

REGIONS = ("77", "50")
KINDS = ("state_institution", "ano")


def _add_applications(edition, moderators, start: int, stop: int) -> None:
    """Applications `start`..`stop`-1, each of its own organisation; region, kind,
    nomination and state alternate, and the ones in moderation have a moderator."""
    nominations = list(edition.nominations.order_by("order"))
    regions = [Region.objects.get(code=code) for code in REGIONS]
    kinds = [ApplicantKind.objects.get(code=code) for code in KINDS]
    rows = []
    for i in range(start, stop):
        organization = make_organization(
            region=regions[i % 2], kind=kinds[(i // 2) % 2], short_name=f"Центр {i}"
        )
        in_moderation = i % 2 == 1
        rows.append(
            Submission(
                edition=edition,
                nomination=nominations[(i // 3) % len(nominations)],
                organization=organization,
                created_by=organization.created_by,
                title=f"Практика {i}",
                state=S.IN_MODERATION if in_moderation else S.SUBMITTED,
                moderator=moderators[(i // 2) % len(moderators)] if in_moderation else None,
            )
        )
    created = Submission.objects.bulk_create(rows)
    # `state_changed_at` is set on insert; make these wait for five days.
    Submission.objects.filter(pk__in=[s.pk for s in created]).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=5)
    )


def _filters(edition, moderator) -> dict[str, dict]:
    nomination = edition.nominations.get(code="1.1")
    return {
        "none": {},
        "nomination": {"nomination": nomination.pk},
        "direction": {"direction": nomination.direction_id},
        "region": {"region": Region.objects.get(code="77").pk},
        "kind": {"kind": ApplicantKind.objects.get(code="ano").pk},
        "kind_group": {"kind": ApplicantKind.objects.get(code="authority").pk},
        "state": {"state": S.IN_MODERATION},
        "moderator": {"moderator": moderator.pk},
        "unassigned": {"unassigned": "on"},
        "waiting_days": {"waiting_days": "3"},
        "query": {"query": "Практика"},
        "query_organisation": {"query": "Центр"},
        "order_region": {"order": "region"},
        "order_nomination": {"order": "nomination"},
        "order_newest": {"order": "newest"},
        "everything": {
            "nomination": nomination.pk,
            "region": Region.objects.get(code="77").pk,
            "kind": ApplicantKind.objects.get(code="authority").pk,
            "query": "Практика",
            "waiting_days": "3",
            "order": "region",
        },
    }


FILTERS = [
    "none",
    "nomination",
    "direction",
    "region",
    "kind",
    "kind_group",
    "state",
    "moderator",
    "unassigned",
    "waiting_days",
    "query",
    "query_organisation",
    "order_region",
    "order_nomination",
    "order_newest",
    "everything",
]


def _open(client, url, params) -> tuple[int, int]:
    """(number of SQL queries, rows shown) for one GET of the queue."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    assert not response.context["form"].errors
    return len(queries), len(response.context["page"].object_list)


@pytest.mark.parametrize("name", FILTERS)
def test_the_queue_costs_the_same_queries_for_3_and_30_applications(
    client, edition, moderator, name
):
    colleague = make_user("colleague@example.ru")
    give_role(colleague, edition, Role.MODERATOR)
    moderators = [moderator, colleague]
    params = _filters(edition, moderator)[name]
    url = reverse("moderation:queue", args=[edition.year])
    client.force_login(moderator)

    _add_applications(edition, moderators, 0, 3)
    few_queries, few_rows = _open(client, url, params)
    _add_applications(edition, moderators, 3, 30)
    many_queries, many_rows = _open(client, url, params)

    assert 0 < few_rows < many_rows, "the filter must list more rows the second time"
    assert many_queries == few_queries
    assert many_queries <= MAX_PAGE_QUERIES + len(params.keys() & MODEL_CHOICE_FILTERS)
