"""The vote's one writer: ballot setup, casting, exclusions.

`cast` is the hot path. It checks the window, the voter and the choices (against the
ballot's layout, read from the database until a vote of the ballot has committed in this
process, then kept: it can no longer change) and inserts one `Vote` per choice (slots 1…N)
in one `INSERT` statement, its own transaction. It does not ask first whether the voter has
voted: the unique constraints `one_vote_per_slot` and `one_vote_per_entry` are what make a
second vote impossible under any concurrency, and the earlier receipts are read only when
they refuse. No counter row is touched (tallies aggregate the votes, `tally.py`) and the
hash chain is built later by `sealing.seal`, never inside the vote transaction.
"""

import functools
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record, snapshot
from smartdialog.core.db import prepared_cursor
from smartdialog.reviews.decisions import winners
from smartdialog.reviews.models import Finalist

from . import anomalies, rules  # noqa: F401  (rules registers voting.manage_ballot)
from .models import Ballot, BallotEntry, BallotSection, Vote, VoteExclusion, Voter
from .tally import excluded_exists

MANAGE = "voting.manage_ballot"
MOSCOW = ZoneInfo("Europe/Moscow")
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: a receipt read aloud or copied by hand stays unambiguous."""
RECEIPT_LENGTH = 10
WINDOW_FIELDS = ["opens_at", "closes_at"]
BALLOT_FIELDS = ["opens_at", "closes_at", "content", "choices_per_section", "live_results"]


def moscow(value) -> str:
    return timezone.localtime(value, MOSCOW).strftime("%d.%m.%Y %H:%M")


def _require(by, obj):
    if by is None or not by.has_perm(MANAGE, obj):
        raise PermissionDenied


# --- receipts ----------------------------------------------------------------------------


_RECEIPT_CODES = len(RECEIPT_ALPHABET) ** RECEIPT_LENGTH


def new_receipt() -> str:
    """A random receipt code: one draw from the OS's random source (not one per character)."""
    number, raw = secrets.randbelow(_RECEIPT_CODES), []
    for _position in range(RECEIPT_LENGTH):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        raw.append(RECEIPT_ALPHABET[digit])
    return f"{''.join(raw[:4])}-{''.join(raw[4:8])}-{''.join(raw[8:])}"


def normalise_receipt(text: str) -> str | None:
    """`k7q4 9xmd 2p` → `K7Q4-9XMD-2P`; None when it cannot be a receipt at all."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- the ballot --------------------------------------------------------------------------


def planned_entries(edition, content: str) -> list[tuple]:
    """(direction, [submissions]) in direction order: confirmed winners or finalists."""
    if content == Ballot.Content.FINALISTS:
        rows = (
            Finalist.objects.filter(nomination__edition=edition)
            .select_related("nomination__direction", "submission")
            .order_by("nomination__direction__number", "nomination__order", "rank")
        )
        pairs = [(f.nomination.direction, f.submission) for f in rows]
    else:
        pairs = [(w.nomination.direction, w.submission) for w in winners(edition)]
    by_direction: dict = {}
    for direction, submission in pairs:
        chosen = by_direction.setdefault(direction, [])
        if submission not in chosen:
            chosen.append(submission)
    return sorted(by_direction.items(), key=lambda item: item[0].number)


def _current_entries(ballot) -> list[tuple]:
    sections = ballot.sections.prefetch_related("entries").order_by("order")
    return [
        (s.direction_id, [e.submission_id for e in s.entries.order_by("order")]) for s in sections
    ]


def _validate_ballot(opens_at, closes_at, content, choices_per_section):
    errors = {}
    if not opens_at or not closes_at or closes_at <= opens_at:
        errors["closes_at"] = _("The vote must close after it opens.")
    if content not in Ballot.Content.values:
        errors["content"] = _("Choose winners or finalists.")
    if not choices_per_section or choices_per_section < 1:
        errors["choices_per_section"] = _("A voter needs at least one choice per section.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def configure_ballot(
    edition,
    *,
    opens_at,
    closes_at,
    content=Ballot.Content.WINNERS,
    choices_per_section=1,
    live_results=False,
    by,
    reason="",
) -> Ballot:
    """Create or change the edition's ballot: sections by direction, entries = winners
    (or finalists). Once votes exist only the window moves (with a reason, audited) and the
    live counts on the public results page can be switched on or off (audited)."""
    if by is not None:
        _require(by, edition)
    _validate_ballot(opens_at, closes_at, content, choices_per_section)
    # FOR NO KEY UPDATE: casts (which take FOR KEY SHARE through the foreign key) go on.
    ballot = Ballot.objects.select_for_update(no_key=True).filter(edition=edition).first()
    planned = planned_entries(edition, content)
    planned_ids = [(d.pk, [s.pk for s in subs]) for d, subs in planned]
    if ballot is None:
        if not planned:
            raise ValidationError(
                _("Nothing to put on the ballot: %(what)s.") % {"what": _why(content)}
            )
        ballot = Ballot.objects.create(
            edition=edition,
            opens_at=opens_at,
            closes_at=closes_at,
            content=content,
            choices_per_section=choices_per_section,
            live_results=live_results,
        )
        _fill(ballot, planned)
        record(by, "voting.ballot_created", ballot, after=_state(ballot), reason=reason)
        return ballot
    before = _state(ballot)
    entries_change = (
        content != ballot.content
        or choices_per_section != ballot.choices_per_section
        or planned_ids != _current_entries(ballot)
    )
    window_change = (opens_at, closes_at) != (ballot.opens_at, ballot.closes_at)
    if entries_change:
        if ballot.votes.exists():
            raise ValidationError(
                _(
                    "Votes have been cast: what is on the ballot and the number of choices can "
                    "no longer change. Only the dates can move."
                )
            )
        if not planned:
            raise ValidationError(
                _("Nothing to put on the ballot: %(what)s.") % {"what": _why(content)}
            )
        BallotEntry.objects.filter(section__ballot=ballot).delete()
        BallotSection.objects.filter(ballot=ballot).delete()
        ballot.content, ballot.choices_per_section = content, choices_per_section
        ballot.save(update_fields=["content", "choices_per_section"])
        _fill(ballot, planned)
    if window_change:
        started = ballot.opens_at <= timezone.now()
        if started and not (reason or "").strip():
            raise ValidationError(
                {
                    "reason": _(
                        "The vote has started: say why its dates move (kept in the audit log)."
                    )
                }
            )
        ballot.opens_at, ballot.closes_at = opens_at, closes_at
        ballot.save(update_fields=WINDOW_FIELDS)
        record(
            by,
            "voting.ballot_moved",
            ballot,
            before={k: before[k] for k in WINDOW_FIELDS},
            after=snapshot(ballot, WINDOW_FIELDS),
            reason=reason,
        )
    if live_results != ballot.live_results:
        ballot.live_results = live_results
        ballot.save(update_fields=["live_results"])
        record(
            by,
            "voting.ballot_live_results",
            ballot,
            before={"live_results": before["live_results"]},
            after={"live_results": live_results},
            reason=reason,
        )
    if entries_change:
        record(by, "voting.ballot_changed", ballot, before=before, after=_state(ballot))
    return ballot


def _why(content) -> str:
    if content == Ballot.Content.FINALISTS:
        return _("the edition has no finalists yet")
    return _("the edition has no confirmed winners yet")


def _fill(ballot, planned):
    for order, (direction, submissions) in enumerate(planned, start=1):
        section = BallotSection.objects.create(
            ballot=ballot, direction=direction, title=direction.title, order=order
        )
        BallotEntry.objects.bulk_create(
            BallotEntry(section=section, submission=s, order=i)
            for i, s in enumerate(submissions, start=1)
        )


def _state(ballot) -> dict:
    return snapshot(ballot, BALLOT_FIELDS) | {"sections": _current_entries(ballot)}


# --- casting ------------------------------------------------------------------------------


def _closed(ballot) -> ValidationError:
    return ValidationError(
        _("Voting is closed: it runs from %(opens)s to %(closes)s, Moscow time.")
        % {"opens": moscow(ballot.opens_at), "closes": moscow(ballot.closes_at)},
        code="closed",
    )


def _already_voted(voter, section_ids, titles) -> ValidationError | None:
    earlier = (
        Vote.objects.filter(voter=voter, section_id__in=section_ids)
        .order_by("section_id", "slot")
        .values_list("section_id", "receipt")
    )
    receipts: dict[int, list[str]] = {}
    for section_id, receipt in earlier:
        receipts.setdefault(section_id, []).append(receipt)
    if not receipts:
        return None
    return ValidationError(
        [
            ValidationError(
                _(
                    "You have already voted in the section «%(section)s»; a vote is final. "
                    "Your receipt: %(receipt)s."
                )
                % {"section": titles[section_id], "receipt": ", ".join(found)},
                code="already_voted",
            )
            for section_id, found in receipts.items()
        ]
    )


@dataclass(frozen=True)
class Layout:
    """What `cast` checks choices against: section titles, each entry's section and how
    many choices a section takes."""

    titles: dict[int, str]  # section id → title
    entry_section: dict[int, int]  # entry id → section id
    choices_per_section: int


_FROZEN_LAYOUTS: dict[int, Layout] = {}
"""Layouts of ballots that have votes, per process, by ballot id. `configure_ballot` refuses
to change the entries and the number of choices once a vote exists and votes are never
deleted (a trigger refuses it), so a layout that a committed vote was checked against stays
the ballot's layout for good. Until this process has seen one of its votes commit, every
cast reads the layout from the database, so a change before the first vote is always seen."""
_FROZEN_MAX = 64


def ballot_layout(ballot_id: int) -> Layout:
    layout = _FROZEN_LAYOUTS.get(ballot_id)
    if layout is not None:
        return layout
    choices = Ballot.objects.filter(pk=ballot_id).values_list("choices_per_section", flat=True)
    return Layout(
        titles=dict(BallotSection.objects.filter(ballot_id=ballot_id).values_list("pk", "title")),
        entry_section=dict(
            BallotEntry.objects.filter(section__ballot_id=ballot_id).values_list("pk", "section_id")
        ),
        choices_per_section=choices.first() or 1,
    )


def _freeze(ballot_id: int, layout: Layout) -> None:
    if len(_FROZEN_LAYOUTS) >= _FROZEN_MAX:
        _FROZEN_LAYOUTS.clear()
    _FROZEN_LAYOUTS[ballot_id] = layout


def forget_layouts() -> None:
    """Drop the frozen layouts of this process (tests that rebuild ballots)."""
    _FROZEN_LAYOUTS.clear()


def _check_choices(choices, layout: Layout) -> dict:
    titles, entry_section = layout.titles, layout.entry_section
    chosen = {int(k): [int(e) for e in v] for k, v in (choices or {}).items() if v}
    if not chosen:
        raise ValidationError(_("Choose at least one practice."), code="empty")
    errors = []
    for section_id, entry_ids in chosen.items():
        title = titles.get(section_id)
        if title is None:
            errors.append(_("This section is not on the ballot."))
            continue
        if len(entry_ids) != len(set(entry_ids)):
            errors.append(_("«%(s)s»: each practice can be chosen once.") % {"s": title})
        elif len(entry_ids) > layout.choices_per_section:
            errors.append(
                _("«%(s)s»: choose at most %(n)s practice(s).")
                % {"s": title, "n": layout.choices_per_section}
            )
        for entry_id in entry_ids:
            if entry_id not in entry_section:
                errors.append(_("This practice is not on the ballot."))
            elif entry_section[entry_id] != section_id:
                errors.append(_("This practice is in another section than «%(s)s».") % {"s": title})
    if errors:
        raise ValidationError(
            [ValidationError(e, code="invalid_choice") for e in dict.fromkeys(errors)]
        )
    return chosen


@functools.lru_cache(maxsize=32)
def _insert_sql(rows: int) -> str:
    """INSERT … SELECT of `rows` choices that writes them only if, at that moment, the ballot
    is open and the voter verified with a region; the region is copied from the voter's row
    in the same statement. Plain SQL (standard quoted names) for PostgreSQL and SQLite
    alike, built once per number of choices."""
    vote, ballot, voter = (f'"{m._meta.db_table}"' for m in (Vote, Ballot, Voter))
    picks = " UNION ALL ".join(
        ["SELECT %s AS section_id, %s AS entry_id, %s AS slot, %s AS receipt"] * rows
    )
    return (
        f"INSERT INTO {vote} (ballot_id, section_id, entry_id, voter_id, slot, region_id, "
        "cast_at, receipt, ip, user_agent) "
        "SELECT b.id, p.section_id, p.entry_id, v.id, p.slot, v.region_id, %s, p.receipt, %s, %s "
        f"FROM {ballot} b, {voter} v, ({picks}) p "
        "WHERE b.id = %s AND b.opens_at <= %s AND b.closes_at > %s "
        "AND v.id = %s AND v.verified_at IS NOT NULL AND v.region_id IS NOT NULL "
        "RETURNING id, region_id, section_id, slot"
    )


@dataclass(frozen=True)
class _Pick:
    section_id: int
    entry_id: int
    slot: int
    receipt: str


@functools.cache
def _vote_fields() -> list[str]:
    """Vote's column attnames in order, as `Vote.from_db` takes its values."""
    return [f.attname for f in Vote._meta.concrete_fields]


def _insert(picks: list[_Pick], *, voter_id, ballot_id, ip, user_agent, now) -> list[Vote]:
    """The one statement of a cast, planned once per connection on PostgreSQL
    (`prepared_cursor`). Outside a transaction it runs in autocommit: its own transaction,
    answered only once committed (no BEGIN/COMMIT round trips). Inside one (a caller's atomic
    block, tests) it runs in a savepoint, so a refusal leaves the outer transaction usable.
    Returns the votes written, built as a query would build them: none when the window or
    the voter failed."""
    connection = transaction.get_connection()
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at, ip, user_agent]
    params += [value for p in picks for value in (p.section_id, p.entry_id, p.slot, p.receipt)]
    params += [ballot_id, at, at, voter_id]
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, prepared_cursor(connection) as cursor:
        cursor.execute(_insert_sql(len(picks)), params)
        rows = {(section, slot): (pk, region) for pk, region, section, slot in cursor.fetchall()}
    if not rows:
        return []
    votes = []
    for pick in picks:
        pk, region_id = rows[pick.section_id, pick.slot]
        values = {
            "id": pk,
            "ballot_id": ballot_id,
            "voter_id": voter_id,
            "region_id": region_id,
            "cast_at": now,
            "ip": ip,
            "user_agent": user_agent,
            "batch_id": None,
            "section_id": pick.section_id,
            "entry_id": pick.entry_id,
            "slot": pick.slot,
            "receipt": pick.receipt,
        }
        votes.append(Vote.from_db(connection.alias, None, [values[f] for f in _vote_fields()]))
    return votes


def _why_not(voter_id: int, ballot_id: int, now) -> ValidationError:
    """Why the INSERT wrote nothing: read only after it did (the rare path)."""
    ballot = Ballot.objects.filter(pk=ballot_id).first()
    if ballot is None:
        return ValidationError(_("There is no such vote."), code="closed")
    if not (ballot.opens_at <= now < ballot.closes_at):
        return _closed(ballot)
    voter = Voter.objects.filter(pk=voter_id).first()
    if voter is None or voter.verified_at is None:
        return ValidationError(
            _("Confirm your phone number or e-mail with a code before voting."), code="unverified"
        )
    return ValidationError(_("Choose your region of residence before voting."), code="region")


def cast(voter, ballot, choices: dict, *, ip=None, user_agent="", now=None) -> list[Vote]:
    """Record a voter's choices: {section id: [entry ids]}. Final; one vote per section.

    `voter` and `ballot` are objects or ids: nothing is read from them but the id, so the
    confirm page need not read either before casting. The one INSERT checks the window and
    the voter (verified, with a region, which each vote keeps as it is now) as it writes.
    Nothing asks first whether the voter has voted: the unique constraints refuse a second
    vote, and only then are the earlier receipts looked up for the message.
    """
    now = now or timezone.now()
    voter_id, ballot_id = getattr(voter, "pk", voter), getattr(ballot, "pk", ballot)
    layout = ballot_layout(ballot_id)
    chosen = _check_choices(choices, layout)
    for _attempt in range(3):
        picks = [
            _Pick(section_id, entry_id, slot, new_receipt())
            for section_id, entry_ids in chosen.items()
            for slot, entry_id in enumerate(entry_ids, start=1)
        ]
        try:
            written = _insert(
                picks,
                voter_id=voter_id,
                ballot_id=ballot_id,
                ip=ip or None,
                user_agent=(user_agent or "")[:300],
                now=now,
            )
        except IntegrityError:
            earlier = _already_voted(voter_id, list(chosen), layout.titles)
            if earlier:
                raise earlier from None
            # otherwise a receipt collided (31^10 codes): draw new ones
        else:
            if not written:
                raise _why_not(voter_id, ballot_id, now)
            _freeze(ballot_id, layout)
            return written
    raise ValidationError(_("The vote could not be recorded; please try again."))


# --- exclusions ---------------------------------------------------------------------------


@transaction.atomic
def exclude(vote: Vote, *, reason: str, by) -> VoteExclusion:
    """Exclude a vote from the count; the vote stays, the exclusion can be revoked."""
    edition = vote.ballot.edition
    _require(by, edition)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the vote is excluded.")})
    try:
        with transaction.atomic():
            exclusion = VoteExclusion.objects.create(
                vote=vote, reason=reason.strip(), excluded_by=by
            )
    except IntegrityError:
        raise ValidationError(
            _("The vote %(receipt)s is already excluded.") % {"receipt": vote.receipt}
        ) from None
    record(
        by,
        "voting.vote_excluded",
        exclusion,
        after={"receipt": vote.receipt},
        reason=exclusion.reason,
        edition=edition,
    )
    return exclusion


@transaction.atomic
def restore(exclusion: VoteExclusion, *, by, reason: str = "") -> VoteExclusion:
    """Revoke an exclusion: the vote counts again."""
    exclusion = (
        VoteExclusion.objects.select_for_update()
        .select_related("vote__ballot__edition")
        .get(pk=exclusion.pk)
    )
    edition = exclusion.vote.ballot.edition
    _require(by, edition)
    if exclusion.revoked_at is not None:
        raise ValidationError(_("This exclusion has already been revoked."))
    exclusion.revoked_at, exclusion.revoked_by = timezone.now(), by
    exclusion.save(update_fields=["revoked_at", "revoked_by"])
    record(
        by,
        "voting.vote_restored",
        exclusion,
        before={"receipt": exclusion.vote.receipt, "excluded": True},
        after={"receipt": exclusion.vote.receipt, "excluded": False},
        reason=reason,
        edition=edition,
    )
    return exclusion


# --- exclusions of a signal's group (anomalies.py) ----------------------------------------


def _group_or_error(ballot, code, key, seen):
    signal, group = anomalies.find_group(ballot, code, key)
    if signal is None:
        raise ValidationError(_("There is no such signal: open the review page again."))
    if group is None:
        raise ValidationError(
            _(
                "This group is no longer among the signals (its votes changed): open the "
                "review page again."
            )
        )
    if seen is not None and seen != group.size:
        raise ValidationError(
            _(
                "The group has changed since you opened it: it has %(now)s votes, you saw "
                "%(seen)s. Look at it again before excluding."
            )
            % {"now": group.size, "seen": seen}
        )
    return signal, group


@transaction.atomic
def exclude_group(ballot, code: str, key: str, *, reason: str, by, seen=None) -> int:
    """Exclude every not yet excluded vote of a signal's group at once; returns how many.

    `seen` is the group's size as the organiser saw it: a group that grew or shrank since is
    refused, so nobody excludes votes they have not looked at.
    """
    _require(by, ballot.edition)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the votes of this group are excluded.")})
    signal, group = _group_or_error(ballot, code, key, seen)
    targets = list(
        group.votes.filter(~excluded_exists()).order_by("id").values_list("id", "receipt")
    )
    if not targets:
        raise ValidationError(_("All votes of this group are already excluded."))
    reason = reason.strip()
    try:
        with transaction.atomic():
            VoteExclusion.objects.bulk_create(
                VoteExclusion(
                    vote_id=vote_id, reason=reason, excluded_by=by, signal=code, group=key
                )
                for vote_id, _receipt in targets
            )
    except IntegrityError:
        raise ValidationError(
            _("Some votes of this group were excluded meanwhile: open the group again.")
        ) from None
    record(
        by,
        "voting.group_excluded",
        ballot,
        after={
            "signal": code,
            "group": key,
            "votes": len(targets),
            "receipts": [receipt for _vote_id, receipt in targets],
        },
        reason=f"{signal.title}: {reason}",
    )
    return len(targets)


@transaction.atomic
def restore_group(ballot, code: str, key: str, *, by, reason: str = "") -> int:
    """Revoke the active exclusions a group's exclusion made; returns how many votes count again."""
    _require(by, ballot.edition)
    active = VoteExclusion.objects.select_for_update(of=("self",)).filter(
        vote__ballot=ballot, signal=code, group=key, revoked_at__isnull=True
    )
    receipts = list(active.order_by("vote_id").values_list("vote__receipt", flat=True))
    if not receipts:
        raise ValidationError(_("No vote of this group is excluded: nothing to restore."))
    active.update(revoked_at=timezone.now(), revoked_by=by)
    record(
        by,
        "voting.group_restored",
        ballot,
        before={"signal": code, "group": key, "votes": len(receipts), "receipts": receipts},
        after={"signal": code, "group": key, "votes": 0},
        reason=reason,
    )
    return len(receipts)
