"""A second direction, two applicant organisations and a fast builder of applications."""

import itertools

import pytest

from smartdialog.contests.models import Direction, Nomination
from smartdialog.contests.services import save_part
from smartdialog.reference.models import ApplicantKind, Region
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission
from tests.factories import moscow
from tests.organizations.factories import make_organization

S = SubmissionState
_days = itertools.count(1)


@pytest.fixture
def nominations(edition):
    """1.1 and 1.2 (direction 1, from the factory) and 2.1 (direction 2, added here)."""
    second = save_part(
        Direction(edition=edition, number=2, title="Образование", title_en="Education"), by=None
    )
    save_part(
        Nomination(
            edition=edition,
            direction=second,
            code="2.1",
            order=1,
            title="Номинация 2.1",
            title_en="Nomination 2.1",
        ),
        by=None,
    )
    return {n.code: n for n in edition.nominations.all()}


@pytest.fixture
def moscow_institution(db):
    """A state institution (group "authority") in Moscow (77)."""
    return make_organization(short_name="ГКУ «Центр Москва»")


@pytest.fixture
def region_foundation(db):
    """A foundation (group "ngo") in the Moscow oblast (50)."""
    return make_organization(
        short_name="Фонд «Подмосковье»",
        kind=ApplicantKind.objects.get(code="foundation"),
        region=Region.objects.get(code="50"),
    )


def build(edition, specs, *, by):
    """Create applications directly (tests only): specs are (nomination, organisation,
    state, submitted_at) tuples."""
    return Submission.objects.bulk_create(
        [
            Submission(
                edition=edition,
                nomination=nomination,
                organization=organization,
                state=state,
                submitted_at=submitted_at,
                created_by=by,
                title=f"Практика {i}",
            )
            for i, (nomination, organization, state, submitted_at) in enumerate(specs, 1)
        ]
    )


@pytest.fixture
def many(edition, nominations, moscow_institution, region_foundation):
    """`many(n)` adds n submitted applications spread over days, directions and regions."""

    def add(n):
        orgs = [moscow_institution, region_foundation]
        codes = ["1.1", "1.2", "2.1"]
        specs = []
        for i in range(n):
            day = next(_days) % 28 + 1
            specs.append(
                (
                    nominations[codes[i % 3]],
                    orgs[i % 2],
                    [S.SUBMITTED, S.ADMITTED, S.RETURNED][i % 3],
                    moscow(edition.year, 5, day, 12),
                )
            )
        return build(edition, specs, by=moscow_institution.created_by)

    return add
