"""The citizen's path: phone or e-mail → code → region (once) → ballot → confirm → receipts.

Views only render and delegate: identity.py identifies, ratelimit.py counts, `services.cast`
records the vote. Every refusal is a message on the page the citizen is on, and what they
typed or picked stays (the picks wait in the session until the receipts page shows them cast;
the confirm POST itself takes them signed from its page, `confirmation.py`).
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartdialog.contests.enums import EditionStatus
from smartdialog.submissions.models import SubmissionVersion

from .. import confirmation, identity, ratelimit, services
from ..forms import BallotForm, CodeForm, ConfirmForm, IdentifyForm, RegionForm, field_name
from ..models import Ballot, BallotEntry, BallotSection, Vote

PENDING_KEY = "vote_pending"  # {"destination": …, "channel": …} while a code is out
CHOICES_KEY = "vote_choices"  # {"ballot": id, "choices": {section id: [entry ids]}}
STALE_CONFIRMATION = _(
    "This confirmation page has expired or was opened in another session. Check your choice "
    "below and cast your vote again."
)
SUMMARY_LENGTH = 300
ENTRIES_CACHE_SECONDS = 300


# --- reading -------------------------------------------------------------------------------


def current_ballot() -> Ballot | None:
    """The ballot of the newest published edition that has one (read on every request: its
    window may move)."""
    return (
        Ballot.objects.filter(edition__status=EditionStatus.PUBLISHED)
        .select_related("edition")
        .order_by("-edition__year")
        .first()
    )


def window_state(ballot: Ballot, now=None) -> str:
    now = now or timezone.now()
    if now < ballot.opens_at:
        return "upcoming"
    if now >= ballot.closes_at:
        return "closed"
    return "open"


@dataclass(frozen=True)
class EntryView:
    pk: int
    section_id: int
    title: str
    organisation: str
    region: str
    summary: str


def _summary(data: dict) -> str:
    text = " ".join((data.get("solution") or data.get("problem") or "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def ballot_entries(ballot: Ballot) -> dict[int, list[EntryView]]:
    """Entries by section id: title and description from the latest frozen version (else the
    passport), organisation and its region. Cached briefly: the ballot is read by every voter."""
    key = f"vote-entries:{ballot.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    entries = list(
        BallotEntry.objects.filter(section__ballot=ballot)
        .select_related("submission__organization__region")
        .order_by("section__order", "order")
    )
    latest: dict[int, dict] = {}
    versions = SubmissionVersion.objects.filter(
        submission_id__in=[e.submission_id for e in entries]
    ).order_by("submission_id", "-number")
    for submission_id, data in versions.values_list("submission_id", "data"):
        latest.setdefault(submission_id, data or {})
    result: dict[int, list[EntryView]] = {}
    for entry in entries:
        submission = entry.submission
        data = latest.get(submission.pk) or {
            "title": submission.title,
            "solution": submission.solution,
            "problem": submission.problem,
        }
        organization = submission.organization
        result.setdefault(entry.section_id, []).append(
            EntryView(
                pk=entry.pk,
                section_id=entry.section_id,
                title=data.get("title") or submission.title,
                organisation=organization.short_name,
                region=organization.region.name,
                summary=_summary(data),
            )
        )
    cache.set(key, result, ENTRIES_CACHE_SECONDS)
    return result


def receipt_check_url(code: str) -> str | None:
    """The public check page for a receipt (the voting core's `vote:receipt`), if mounted."""
    try:
        return f"{reverse('vote:receipt')}?{urlencode({'code': code})}"
    except NoReverseMatch:
        return None


def _posted(request):
    """The POST data of a POST (even an empty one, which `request.POST or None` would miss)."""
    return request.POST if request.method == "POST" else None


def _limited(request, status: ratelimit.Status):
    minutes = max(1, (status.retry_after + 59) // 60)
    response = render(request, "voting/citizen/limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(status.retry_after)
    return response


def _closed_page(request, ballot):
    state = window_state(ballot) if ballot else "none"
    return render(request, "voting/citizen/start.html", {"ballot": ballot, "state": state})


def _voter_and_ballot(request):
    """(voter, ballot, redirect): where a citizen who cannot vote yet must go instead."""
    ballot = current_ballot()
    if ballot is None or window_state(ballot) != "open":
        return None, ballot, redirect("vote:start")
    voter = identity.current_voter(request)
    if voter is None:
        return None, ballot, redirect("vote:start")
    if voter.region_id is None:
        return voter, ballot, redirect("vote:region")
    return voter, ballot, None


# --- identification ------------------------------------------------------------------------


@never_cache
def start(request):
    ballot = current_ballot()
    if ballot is None or window_state(ballot) != "open":
        return _closed_page(request, ballot)
    if identity.current_voter(request) is not None:
        return redirect("vote:ballot")
    ip = ratelimit.client_ip(request)
    status = ratelimit.peek_all(ratelimit.code_request_scopes(ip))
    if status.blocked:
        return _limited(request, status)
    form = IdentifyForm(_posted(request), captcha=status.near)
    if request.method == "POST" and form.is_valid():
        destination = form.cleaned_data["contact"]
        scopes = ratelimit.code_request_scopes(ip, destination)
        status = ratelimit.peek_all(scopes)
        if status.blocked:
            return _limited(request, status)
        if status.near and not form.needs_captcha:
            # Near this number's limit: the same form again, with the captcha.
            form = IdentifyForm(request.POST, captcha=True)
        if form.is_valid():
            ratelimit.hit_all(scopes)
            try:
                identity.request_code(destination, form.channel, ip)
            except ValidationError as error:
                form.add_error("contact", error)
            else:
                request.session[PENDING_KEY] = {"destination": destination, "channel": form.channel}
                return redirect("vote:code")
    return render(
        request, "voting/citizen/start.html", {"ballot": ballot, "state": "open", "form": form}
    )


@never_cache
def code(request):
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("vote:start")
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            voter = identity.verify_code(pending["destination"], form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.pop(PENDING_KEY, None)
            identity.log_in(request, voter)
            return redirect("vote:region" if voter.region_id is None else "vote:ballot")
    return render(
        request,
        "voting/citizen/code.html",
        {
            "form": form,
            "sent_to": identity.masked(pending["destination"]),
            "by_sms": pending["channel"] == identity.Channel.SMS,
        },
    )


@never_cache
def region(request):
    voter = identity.current_voter(request)
    if voter is None:
        return redirect("vote:start")
    if voter.region_id is not None:  # asked once
        return redirect("vote:ballot")
    form = RegionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        identity.set_region(voter, form.cleaned_data["region"])
        return redirect("vote:ballot")
    return render(request, "voting/citizen/region.html", {"form": form})


@require_POST
def leave(request):
    identity.log_out(request)
    request.session.pop(CHOICES_KEY, None)
    return redirect("vote:start")


# --- voting --------------------------------------------------------------------------------


def _sections(ballot):
    return list(BallotSection.objects.filter(ballot=ballot).order_by("order"))


def _my_votes(voter, ballot) -> dict[int, list[Vote]]:
    mine: dict[int, list[Vote]] = {}
    for vote in (
        Vote.objects.filter(voter=voter, ballot=ballot)
        .select_related("section")
        .order_by("section__order", "slot")
    ):
        mine.setdefault(vote.section_id, []).append(vote)
    return mine


def _stored_choices(request, ballot) -> dict[int, list[int]]:
    stored = request.session.get(CHOICES_KEY) or {}
    if stored.get("ballot") != ballot.pk:
        return {}
    return {int(k): v for k, v in stored.get("choices", {}).items()}


@never_cache
def ballot(request):
    voter, ballot, elsewhere = _voter_and_ballot(request)
    if elsewhere:
        return elsewhere
    sections = _sections(ballot)
    entries = ballot_entries(ballot)
    voted = _my_votes(voter, ballot)
    if request.method != "POST" and sections and all(s.pk in voted for s in sections):
        return redirect("vote:done")
    # Every section is in the form: a pick in a section voted in from another tab reaches
    # `cast`, which refuses it with its own message.
    initial = {field_name(s): v for s, v in _pairs(sections, _stored_choices(request, ballot))}
    form = BallotForm(
        _posted(request),
        initial={
            k: (v if ballot.choices_per_section > 1 else str(v[0])) for k, v in initial.items()
        },
        sections=sections,
        entries_by_section=entries,
        choices_per_section=ballot.choices_per_section,
    )
    if request.method == "POST" and form.is_valid():
        request.session[CHOICES_KEY] = {
            "ballot": ballot.pk,
            "choices": {str(k): v for k, v in form.choices.items()},
        }
        return redirect("vote:confirm")
    rows = [
        {
            "section": s,
            "field": form[field_name(s)],
            "entries": entries.get(s.pk, []),
            "votes": voted.get(s.pk, []),
        }
        for s in sections
    ]
    return render(
        request,
        "voting/citizen/ballot.html",
        {"ballot": ballot, "voter": voter, "form": form, "rows": rows},
    )


def _pairs(sections, choices):
    for section in sections:
        if section.pk in choices:
            yield section, [str(pk) for pk in choices[section.pk]]


_CAST_REDIRECTS = {"unverified": "vote:start", "closed": "vote:start", "region": "vote:region"}


@functools.lru_cache(maxsize=64)
def _reversed(name: str, _prefix: str, _urlconf: str) -> str:
    return reverse(name)


def _go(name: str) -> HttpResponseRedirect:
    """`redirect(name)` with the URL reversed once per URLconf and script prefix: reversing
    costs the confirm POST, every voter's request at the peak, about a fifteenth of its CPU."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return HttpResponseRedirect(_reversed(name, get_script_prefix(), urlconf))


def _cast_posted(request):
    """The confirm POST: (response, refusal messages, captcha due). It reads neither the
    session nor the ballot nor the voter first: voter, ballot and picks come signed with the
    form (`confirmation`), the rate-limit step also checks that the session still exists,
    the cast's one INSERT checks the window and the voter as it writes, and only a refusal
    reads more."""
    session = request.session
    confirmed = confirmation.read(request.POST.get(confirmation.FIELD), session.session_key)
    if confirmed is None:
        return None, [STALE_CONFIRMATION], False
    alive = confirmation.session_alive_key(session)
    if alive is None and not confirmation.session_exists(session):
        return _go("vote:start"), [], False
    ip = ratelimit.client_ip(request)
    solved = "captcha_1" in request.POST and ConfirmForm(request.POST, captcha=True).is_valid()
    status = ratelimit.take_all(
        ratelimit.vote_scopes(ip, confirmed.voter_id), captcha_solved=solved, alive=alive
    )
    if status.gone:
        return _go("vote:start"), [], False
    if status.blocked:
        return _limited(request, status), [], False
    if status.near and not solved:
        return None, [], True
    try:
        services.cast(
            confirmed.voter_id,
            confirmed.ballot_id,
            confirmed.choices,
            ip=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ValidationError as error:
        elsewhere = _CAST_REDIRECTS.get(getattr(error, "code", None))
        return (_go(elsewhere) if elsewhere else None), error.messages, False
    return _go("vote:done"), [], False


def confirm(request):
    """The POST casts and answers with a redirect (or a 429), which no cache keeps without
    being told to: only the page carries `never_cache`'s headers, whose dates and
    Cache-Control parsing would cost the vote's busiest request a twentieth of its CPU."""
    refusal, captcha = [], False
    if request.method == "POST":
        response, refusal, captcha = _cast_posted(request)
        if response is not None:
            return response
    return _confirm_page(request, refusal, captcha)


@never_cache
def _confirm_page(request, refusal, captcha):
    voter, ballot, elsewhere = _voter_and_ballot(request)
    if elsewhere:
        return elsewhere
    choices = _stored_choices(request, ballot)
    if not choices:
        return redirect("vote:ballot")
    if not captcha and request.method != "POST":
        status = ratelimit.peek_all(ratelimit.vote_scopes(ratelimit.client_ip(request), voter.pk))
        captcha = status.near
    form = ConfirmForm(_posted(request) if captcha else None, captcha=captcha)
    entries = {e.pk: e for group in ballot_entries(ballot).values() for e in group}
    picks = [
        {"section": s, "entries": [entries[pk] for pk in choices[s.pk] if pk in entries]}
        for s in _sections(ballot)
        if s.pk in choices
    ]
    return render(
        request,
        "voting/citizen/confirm.html",
        {
            "ballot": ballot,
            "voter": voter,
            "form": form,
            "picks": picks,
            "refusal": refusal,
            "confirmation": confirmation.issue(
                request.session.session_key, voter.pk, ballot.pk, choices
            ),
        },
    )


@never_cache
def done(request):
    voter = identity.current_voter(request)
    ballot = current_ballot()
    if voter is None or ballot is None:
        return redirect("vote:start")
    mine = _my_votes(voter, ballot)
    # The confirm POST leaves the session alone: picks already cast are dropped here, picks
    # not yet confirmed stay for the confirm page.
    if set(_stored_choices(request, ballot)) <= set(mine):
        request.session.pop(CHOICES_KEY, None)
    entries = {e.pk: e for group in ballot_entries(ballot).values() for e in group}
    votes = [
        {
            "section": vote.section,
            "entry": entries.get(vote.entry_id),
            "receipt": vote.receipt,
            "check_url": receipt_check_url(vote.receipt),
        }
        for group in mine.values()
        for vote in group
    ]
    sections = _sections(ballot)
    remaining = [s for s in sections if s.pk not in {v["section"].pk for v in votes}]
    return render(
        request,
        "voting/citizen/done.html",
        {
            "ballot": ballot,
            "voter": voter,
            "votes": votes,
            "remaining": remaining,
            "is_open": window_state(ballot) == "open",
            "check_available": receipt_check_url("X") is not None,
        },
    )
