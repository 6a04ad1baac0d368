import pytest

from smartdialog.reviews import services
from smartdialog.reviews.models import ReviewAssignment
from smartdialog.reviews.ranking import rank, review_total
from tests.reviews.conftest import make_admitted, make_expert

pytestmark = pytest.mark.django_db


def test_review_total_is_the_weighted_mean():
    assert review_total([(25, 8), (75, 4)]) == 5.0


def _score(edition, submission, expert, value, comment="ok"):
    assignment = ReviewAssignment.objects.create(
        expert=expert, submission=submission, source="manual"
    )
    services.save_review(
        assignment,
        by=expert.user,
        submit=True,
        values={c.pk: (value, comment) for c in edition.criteria.all()},
    )


def test_ties_share_a_rank_and_missing_reviews_are_counted(edition):
    strict, lenient = (make_expert(edition, f"{n}@example.ru") for n in ("strict", "lenient"))
    a, b, c = (make_admitted(edition, title=t) for t in "abc")
    _score(edition, a, strict, 6)
    _score(edition, b, strict, 6)
    _score(edition, c, strict, 3)
    rows = rank([a.pk, b.pk, c.pk], edition, k=3, normalise=False, threshold=2)
    assert [(r.submission_id, r.rank, r.score) for r in rows] == [
        (a.pk, 1, 6.0),
        (b.pk, 1, 6.0),
        (c.pk, 3, 3.0),
    ]
    assert {r.missing for r in rows} == {2}
    del lenient


def test_normalisation_lets_a_strict_and_a_lenient_expert_count_alike(edition):
    strict, lenient = (make_expert(edition, f"{n}@example.ru") for n in ("strict", "lenient"))
    a, b = make_admitted(edition, title="a"), make_admitted(edition, title="b")
    _score(edition, a, strict, 4)  # the strict expert's best
    _score(edition, b, strict, 2)
    _score(edition, a, lenient, 8)
    _score(edition, b, lenient, 9)  # the lenient expert's best, by a smaller step
    plain = rank([a.pk, b.pk], edition, k=2, normalise=False, threshold=10)
    assert [(r.submission_id, r.score) for r in plain] == [(a.pk, 6.0), (b.pk, 5.5)]
    normal = rank([a.pk, b.pk], edition, k=2, normalise=True, threshold=10)
    assert [r.score for r in normal] == [0.0, 0.0]  # each expert prefers a different one
    assert [r.rank for r in normal] == [1, 1]


def test_disagreement_is_flagged_beyond_the_threshold(edition):
    one, two = (make_expert(edition, f"{n}@example.ru") for n in ("one", "two"))
    a = make_admitted(edition)
    _score(edition, a, one, 9)
    _score(edition, a, two, 3)
    (row,) = rank([a.pk], edition, k=2, normalise=False, threshold=2)
    assert (row.totals, row.disagreement, row.score) == ([9.0, 3.0], True, 6.0)
