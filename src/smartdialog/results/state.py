"""What a public results page must know first, read from the cache in one round trip.

For each edition: its ballot's window and live switch, whether the edition is a draft, the
publication, the published press text and the figures' stamp (`figures.version`). These
are read from the database and cached under a *generation* that is
renewed, once the transaction commits, by every audit entry (every change that matters to
the results is audited: exclusions, publication, press texts, the ballot, the edition) and
by every sealed batch. A reader tags what it read with the generation it saw *before*
reading, so a change committed meanwhile leaves the tag behind and the next reader reads
the database again: a page never shows counts from before an exclusion once the
exclusion's request has returned.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from smartdialog.voting.models import Ballot

from . import figures
from .models import PressText, Publication

GENERATION_KEY = "results:generation"
STATES_KEY = "results:states"
STATE_SECONDS = 3600

BALLOT_FIELDS = ("id", "edition_id", "opens_at", "closes_at", "live_results")


@dataclass(frozen=True)
class State:
    ballot: dict
    edition_status: str
    published: bool
    press: int | None
    stamp: str

    def make_ballot(self) -> Ballot:
        """The ballot's window and switch; other fields and the edition load when used."""
        return Ballot(**self.ballot)


def renew(**_signal) -> None:
    """Start a new generation once the current transaction commits (signal receiver)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def _generation(found: dict) -> str:
    if GENERATION_KEY in found:
        return found[GENERATION_KEY]
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def read(year: int) -> State | None:
    """The state from the database (a few small queries, run only when the cache has none)."""
    ballot = Ballot.objects.filter(edition__year=year).select_related("edition").first()
    if ballot is None:
        return None
    published = Publication.objects.filter(edition=ballot.edition, published_at__isnull=False)
    press = PressText.objects.filter(edition=ballot.edition, published_at__isnull=False)
    return State(
        ballot={name: getattr(ballot, name) for name in BALLOT_FIELDS},
        edition_status=ballot.edition.status,
        published=published.exists(),
        press=press.order_by("-published_at").values_list("pk", flat=True).first(),
        stamp=figures.version(ballot),
    )


def lookup(year: int, *also: str) -> tuple[State | None, str, dict]:
    """(state of `year`, the current generation, the cache entries `also` that exist), in
    one round trip to the cache when the state is there."""
    found = cache.get_many([GENERATION_KEY, STATES_KEY, *also])
    generation = _generation(found)
    states = found.get(STATES_KEY)
    current = states["years"] if states and states["generation"] == generation else {}
    if year not in current:
        current = current | {year: read(year)}
        cache.set(STATES_KEY, {"generation": generation, "years": current}, STATE_SECONDS)
    return current[year], generation, {key: found[key] for key in also if key in found}
