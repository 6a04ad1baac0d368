"""A closed-or-open small vote: two sections, votes from a few regions, one excluded vote."""

import pytest
from django.utils import timezone

from smartdialog.submissions.models import Submission
from smartdialog.voting.services import cast, exclude
from tests.voting.core.conftest import make_ballot, make_voter, sections


@pytest.fixture
def voted(edition, organiser):
    """Health: «Практика 1.1» gets Москва ×3, Московская область ×2, ДНР ×1 (and one more
    Москва vote, excluded); «Практика 1.2» gets Санкт-Петербург ×2. Education: the three
    Moscow voters also vote for «Практика 2.1». Four applications submitted in «Здравоохранение»
    and «Образование»."""
    ballot = make_ballot(edition)
    (health, (first, second)), (education, (third, _fourth)) = sections(ballot)
    for region in ["77", "77", "77"]:
        cast(make_voter(region), ballot, {health.pk: [first.pk], education.pk: [third.pk]})
    for region, entry in [
        ("50", first),
        ("50", first),
        ("93", first),
        ("78", second),
        ("78", second),
    ]:
        cast(make_voter(region), ballot, {health.pk: [entry.pk]})
    [excluded] = cast(make_voter("77"), ballot, {health.pk: [first.pk]})
    exclude(excluded, reason="Проверка", by=organiser)
    Submission.objects.filter(edition=edition).update(submitted_at=timezone.now())
    return ballot
