"""Data and requests shared by the vote benchmarks (`vote_load.py`, `vote_faults.py`).

Inside a `stack.Stack` (after `stack.app.setup_django()`):

- `open_ballot()`: the demo 2023 edition (`seed_demo`: 3 directions, 13 nominations), one
  admitted application per nomination, and a ballot open now with one section per direction
  (13 entries), as `services.configure_ballot` would lay it out.
- `Voters.create(n)`: verified voters with a region (89 regions, skewed towards the large
  ones), bulk-inserted, each with a pre-authenticated session in the real session store
  (Redis through Django's cache backend): the voter's id under `identity.SESSION_KEY` and
  the picks under the citizen views' `CHOICES_KEY`, exactly what the pages leave there after
  the code and the ballot steps, and the signed confirmation the confirm page would carry
  for them (`voting/confirmation.py`). Each voter also gets a CSRF secret (cookie) and a masked
  token (form field) made by Django's own CSRF functions, and an address of its own (its own
  /24) sent as X-Forwarded-For behind one trusted proxy, so the per-IP limits count as they
  would for real citizens.
- `confirm_request(voter)`: the citizen's real POST to /vote/confirm/ (CSRF token and
  confirmation, as the page's form sends them), which casts through
  `services.cast`; an acknowledged vote is a 302 to /vote/done/.
- `bare_request(voter)`: the same voter's picks to the bare endpoint (`core.bench`), into
  its own minimal table; `bare_request(voter, into_votes=ballot id)`: into `voting_vote`.
"""

import datetime
import io
import random
from dataclasses import dataclass

from stack import Request

SECTIONS_PER_CAST = 3  # a citizen picks in every section of the 2023 ballot
CONFIRM_PATH = "/vote/confirm/"
DONE_PATH = "/vote/done/"
BARE_PATH = "/bench/bare-vote/"
USER_AGENT = "sd-bench/1.0 (vote load)"
APP_ENV = {"BENCH_ENDPOINTS": "True", "VOTE_TRUSTED_PROXIES": "1"}


def open_ballot():
    """The 2023 demo edition with a ballot open now: 3 sections, 13 entries."""
    from django.core.management import call_command
    from django.utils import timezone

    from smartdialog.contests.models import Edition
    from smartdialog.organizations.models import Organization
    from smartdialog.reference.models import ApplicantKind, Region
    from smartdialog.submissions.models import Submission
    from smartdialog.voting.models import Ballot, BallotEntry, BallotSection

    call_command("seed_demo", stdout=io.StringIO())
    edition = Edition.objects.get(year=2023)
    existing = Ballot.objects.filter(edition=edition).first()
    if existing:
        return existing
    from smartdialog.accounts.models import User

    author = User.objects.filter(is_superuser=True).first()
    kind = ApplicantKind.objects.first()
    regions = list(Region.objects.order_by("code"))
    now = timezone.now()
    ballot = Ballot.objects.create(
        edition=edition,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    directions = edition.directions.order_by("number")
    for order, direction in enumerate(directions, start=1):
        section = BallotSection.objects.create(
            ballot=ballot, direction=direction, title=direction.title, order=order
        )
        for i, nomination in enumerate(direction.nominations.order_by("order"), start=1):
            number = order * 100 + i
            organization = Organization.objects.create(
                full_name=f"Бенчмарк-организация {number}",
                short_name=f"Организация {number}",
                kind=kind,
                region=regions[number % len(regions)],
                inn=f"77{number:08d}",
                ogrn=f"10277{number:08d}",
                address="Москва",
                contact_name="Бенчмарк",
                contact_email=f"bench{number}@example.ru",
            )
            submission = Submission.objects.create(
                edition=edition,
                nomination=nomination,
                organization=organization,
                title=f"Практика {nomination.code}",
                solution="Описание практики для бенчмарка голосования.",
                state="admitted",
                created_by=author,
            )
            BallotEntry.objects.create(section=section, submission=submission, order=i)
    return ballot


def ballot_layout(ballot) -> list[tuple[int, list[int]]]:
    """[(section id, [entry ids in order])] in ballot order."""
    return [
        (s.pk, list(s.entries.order_by("order").values_list("pk", flat=True)))
        for s in ballot.sections.order_by("order")
    ]


def skewed(rng: random.Random, items: list, power: float = 1.6):
    """Pick with a heavy head: the first items far more often (a few leaders, a long tail)."""
    return items[min(len(items) - 1, int(len(items) * rng.random() ** power))]


@dataclass
class Voter:
    id: int
    region_id: int
    session: str
    csrf_secret: str
    csrf_token: str
    confirmation: str  # the signed confirmation the confirm page would carry
    ip: str
    picks: list[tuple[int, int]]  # (section id, entry id)


class Voters:
    """Pre-created voters, handed out once each (a voter casts once)."""

    def __init__(self, ballot, seed: int = 1):
        self.ballot = ballot
        self.layout = ballot_layout(ballot)
        self.rng = random.Random(seed)
        self.all: list[Voter] = []
        self._next = 0

    def create(self, n: int, batch: int = 5000) -> "Voters":
        from django.conf import settings
        from django.contrib.sessions.backends.base import VALID_KEY_CHARS
        from django.contrib.sessions.backends.cache import SessionStore
        from django.core.cache import caches
        from django.db import connection
        from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
        from django.utils.crypto import get_random_string

        from smartdialog.reference.models import Region
        from smartdialog.voting import confirmation
        from smartdialog.voting.identity import SESSION_KEY
        from smartdialog.voting.views.citizen import CHOICES_KEY

        regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
        # Large regions first (Moscow, the Moscow region, St Petersburg, …) for the skew.
        big = [r for r in Region.objects.filter(code__in=["77", "50", "78", "23", "66", "16"])]
        order = [r.pk for r in big] + [pk for pk in regions if pk not in {r.pk for r in big}]
        cache = caches[settings.SESSION_CACHE_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM voting_voter")
            first_phone = cursor.fetchone()[0] + 1
        for offset in range(0, n, batch):
            size = min(batch, n - offset)
            region_ids = [skewed(self.rng, order, 2.2) for _ in range(size)]
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO voting_voter "
                    "(phone, pseudonym, region_id, created_at, verified_at) "
                    "SELECT '+7900' || lpad((%s + i)::text, 7, '0'), "
                    "substr(md5(random()::text || i::text), 1, 16), r, now(), now() "
                    "FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(r, i) RETURNING id, region_id",
                    [first_phone + offset - 1, region_ids],
                )
                created = sorted(cursor.fetchall())
            sessions = {}
            for voter_id, region_id in created:
                picks = [(section, skewed(self.rng, entries)) for section, entries in self.layout]
                choices = {str(section): [entry] for section, entry in picks}
                store = SessionStore()
                store[SESSION_KEY] = voter_id
                store[CHOICES_KEY] = {"ballot": self.ballot.pk, "choices": choices}
                key = get_random_string(32, VALID_KEY_CHARS)  # as the store draws them
                store._session_key = key
                sessions[store.cache_key] = store._session
                secret = _get_new_csrf_string()
                self.all.append(
                    Voter(
                        id=voter_id,
                        region_id=region_id,
                        session=key,
                        csrf_secret=secret,
                        csrf_token=_mask_cipher_secret(secret),
                        confirmation=confirmation.issue(key, voter_id, self.ballot.pk, choices),
                        ip=address(len(self.all)),
                        picks=picks,
                    )
                )
            cache.set_many(sessions, timeout=SessionStore().get_expiry_age())
        return self

    def take(self) -> Voter | None:
        if self._next >= len(self.all):
            return None
        voter = self.all[self._next]
        self._next += 1
        return voter

    @property
    def left(self) -> int:
        return len(self.all) - self._next


def address(index: int) -> str:
    """A distinct client address per voter, each in its own /24 (10.0.0.1, 10.0.1.1, …)."""
    return f"10.{(index >> 8) & 255}.{index & 255}.{1 + (index >> 16) % 254}"


def headers(voter: Voter) -> dict:
    return {
        "Cookie": f"sessionid={voter.session}; csrftoken={voter.csrf_secret}",
        "X-Forwarded-For": voter.ip,
        "User-Agent": USER_AGENT,
    }


def confirm_request(voter: Voter) -> Request:
    return Request(
        "POST",
        CONFIRM_PATH,
        data={"csrfmiddlewaretoken": voter.csrf_token, "confirmation": voter.confirmation},
        headers=headers(voter),
        tag=voter,
    )


def bare_request(voter: Voter, into_votes: int | None = None) -> Request:
    data = [("csrfmiddlewaretoken", voter.csrf_token), ("voter", str(voter.id))]
    data += [("region", str(voter.region_id))]
    if into_votes is not None:
        data += [("into", "votes"), ("ballot", str(into_votes))]
    for section, entry in voter.picks:
        data += [("section", str(section)), ("entry", str(entry))]
    return Request("POST", BARE_PATH, data=data, headers=headers(voter), tag=voter)


def acknowledged(answer) -> bool:
    """A vote the server confirmed: the confirm POST redirected to the receipts page."""
    return answer.status == 302 and answer.headers.get("Location", "").endswith(DONE_PATH)


def create_bare_table(postgres) -> None:
    """The bare endpoint's votes-like table (created here, never by a migration)."""
    with postgres.connect() as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_vote ("
            " id bigserial PRIMARY KEY, voter_id bigint NOT NULL, section_id bigint NOT NULL,"
            " entry_id bigint NOT NULL, region_id bigint NOT NULL, cast_at timestamptz NOT NULL,"
            " UNIQUE (voter_id, section_id), UNIQUE (voter_id, entry_id))"
        )


def voter_ids(postgres, table: str = "voting_vote") -> dict[int, int]:
    """Rows per voter id in the votes table (or `bench_vote`)."""
    with postgres.connect() as conn:
        return dict(conn.execute(f"SELECT voter_id, count(*) FROM {table} GROUP BY voter_id"))
