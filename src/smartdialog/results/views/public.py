"""The public results pages: the ranking, a practice, the geography, one region.

Each view opens the edition's results (`_open`: the cached `state` says whether the results
are published or live and gives the figures' stamp; `services.access` decides who sees
what), reads the cut from the query string, and renders a body that is cached under the
stamp: a sealed batch or a changed exclusion gives a new key, so a cached page never
outlives the counts it shows. A visitor without a session gets the whole page from the
cache in the same round trip as the state, before anything else is looked at
(`serving_whole`).
Each table links to its CSV and XLSX download (`results_data:table`, same slug, same cut).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartdialog.contests.enums import EditionStatus
from smartdialog.core import csrf
from smartdialog.core.decorators import edition_permission
from smartdialog.reference.models import Region
from smartdialog.voting.models import Ballot

from .. import cartogram, charts, exports, figures, services, state, tables
from ..press import public_summary

MANAGE = "contests.manage_edition"
CSRF_MARK = "results-csrf-token-goes-here"


class Refused(Exception):
    """A results request answered with a message page (404 or 400)."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Page:
    ballot: Ballot
    access: services.Access
    filters: figures.Filters
    state: state.State
    generation: str

    @property
    def edition(self):
        return self.ballot.edition

    def figures(self) -> figures.Figures:
        return figures.cached(self.ballot, self.filters, stamp=self.state.stamp)

    def source(self) -> tables.Source:
        return tables.Source(self.edition, self.figures())


def refusing(view):
    """Turn `Refused` into a page that says why, in the reader's language."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused as refusal:
            return render(
                request,
                "results/public/refused.html",
                {"message": refusal.message},
                status=refusal.status,
            )

    return wrapped


def _sessionless(request) -> bool:
    """A visitor without a session, pending messages or unknown parameters: the whole page
    is the same for all of them, but for the CSRF token of the language switch."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and set(request.GET) <= figures.FILTER_PARAMS
    )


def _whole_key(request, year) -> str:
    return f"results:whole-bytes:{year}:{get_language()}:{request.get_full_path()}"


@dataclass(frozen=True)
class Lookup:
    """What the one round trip to the cache gave for a request (`serving_whole`)."""

    state: state.State | None
    generation: str


def _public_access(found: state.State) -> str | None:
    """The access of a visitor who is not logged in, from the cached state alone (no ballot
    object, no user): `services.access` without the organisers' preview."""
    if found.edition_status == EditionStatus.DRAFT:
        return None
    access = services.public_access(SimpleNamespace(**found.ballot), published=found.published)
    return access.value if access else None


def serving_whole(view):
    """Read the state, and for a sessionless visitor the whole page, in one round trip to
    the cache; answer with the whole page at once when it was cached under the current
    generation and for the access such a visitor has now (so an unpublished, withdrawn or
    closed vote is never served from it), before the ballot, the user or the filters are
    looked at. Otherwise the view runs with what was read (`lookup`)."""

    @wraps(view)
    def wrapped(request, year, **kwargs):
        whole_key = _whole_key(request, year) if _sessionless(request) else None
        found, generation, extra = state.lookup(year, *([whole_key] if whole_key else []))
        whole = extra.get(whole_key)  # (generation, access, the page's bytes around the mark)
        if whole and found and whole[:2] == (generation, _public_access(found)):
            return _with_token(request, whole[2])
        return view(request, year, lookup=Lookup(found, generation), **kwargs)

    return wrapped


def _open(request, year: int, lookup: Lookup) -> Page:
    """Who may see what (`services.access`) from the cached `state` (`lookup`)."""
    found, generation = lookup.state, lookup.generation
    ballot = found.make_ballot() if found else None
    # The edition is read only if a rule or a filter needs it: not for a page from the cache.
    edition = SimpleLazyObject(lambda: ballot.edition)
    hidden = found is not None and (
        found.edition_status == EditionStatus.DRAFT and not request.user.has_perm(MANAGE, edition)
    )
    if found is None or hidden:
        raise Refused(_("There are no results for %(year)s: no vote took place.") % {"year": year})
    access = services.access(edition, ballot, request.user, published=found.published)
    if access is None:
        raise Refused(_("The results of the %(year)s vote are not published yet.") % {"year": year})
    try:
        filters = figures.parse_filters(edition, request.GET)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), status=400) from None
    return Page(ballot, access, filters, found, generation)


def _with_token(request, parts: tuple[bytes, ...]) -> HttpResponse:
    """The page's bytes (split at the mark, encoded once when cached) joined by this
    visitor's CSRF token."""
    return HttpResponse(csrf.token(request).encode().join(parts))


def _show(request, page: Page, name: str, build: Callable[[], dict], *key_parts):
    """The body `results/public/_<name>.html` inside `page.html`.

    `build()` gives the body's context with its `title` (or raises `Refused`). The body is
    cached under the figures' stamp, the press text, the access, the language and the cut;
    for a sessionless visitor the whole page is cached under the state's generation, with a
    mark where the CSRF token goes (answered by `serving_whole` from then on)."""
    key = ":".join(
        str(part)
        for part in (
            "results:page",
            name,
            page.state.stamp,
            page.state.press or 0,
            page.access.value,
            get_language(),
            page.filters.key(),
            *key_parts,
        )
    )
    live = page.access is services.Access.LIVE
    seconds = figures.LIVE_CACHE_SECONDS if live else figures.CACHE_SECONDS
    cached = cache.get(key)
    if cached is None:
        context = {"edition": page.edition, "access": page.access.value, **build()}
        cached = (context["title"], render_to_string(f"results/public/_{name}.html", context))
        cache.set(key, cached, seconds)
    title, body = cached
    context = {
        "title": title,
        "edition": page.edition,
        "ballot": page.ballot,
        "access": page.access.value,
        "manages": request.user.has_perm(MANAGE, page.edition),
        "filters": page.filters.params(),
        "body": body,
    }
    if not _sessionless(request):
        return render(request, "results/public/page.html", context)
    html = render_to_string(
        "results/public/page.html", context | {"csrf_token": CSRF_MARK}, request=request
    )
    parts = tuple(html.encode().split(CSRF_MARK.encode()))
    cache.set(
        _whole_key(request, page.edition.year), (page.generation, page.access.value, parts), seconds
    )
    return _with_token(request, parts)


def _item(page: Page, table: tables.Table) -> dict:
    """A table with its download links (`results_data:table`, the page's cut kept)."""
    query = urlencode(page.filters.params())
    links = {
        extension: reverse(
            "results_data:table",
            kwargs={"year": page.edition.year, "slug": table.slug, "extension": extension},
        )
        + (f"?{query}" if query else "")
        for extension in exports.FORMATS
    }
    return {"table": table, "links": links}


# --- pages ----------------------------------------------------------------------------------


@require_GET
@refusing
@serving_whole
def index(request, year, lookup):
    page = _open(request, year, lookup)

    def build():
        src = page.source()
        return {
            "title": _("Results of the public vote"),
            "figures": src.figures,
            "tables": [_item(page, t) for t in tables.overview_tables(src).values()],
            "summary": render_to_string(
                "results/public/_summary.html", public_summary(page.edition)
            ),
        }

    return _show(request, page, "index", build)


@require_GET
@refusing
@serving_whole
def practice(request, year, submission_id, lookup):
    page = _open(request, year, lookup)

    def build():
        src = page.source()
        found = src.figures.practice(submission_id)
        if found is None:
            raise Refused(_("This practice is not on the %(year)s ballot.") % {"year": year})
        by_slug = tables.practice_tables(src, found)
        prefix = f"practice-{found.submission_id}"
        return {
            "title": found.title,
            "practice": found,
            "region": src.region_name(found.region_code),
            **{
                f"{part}_table": _item(page, by_slug[f"{prefix}-{part}"])
                for part in ("regions", "districts", "days", "hours")
            },
            "map": _map(page, found.regions, _("Votes for the practice by the voter's region")),
            "days_chart": _days_chart(found.hours),
            "hours_chart": _hours_chart(found.hours),
        }

    return _show(request, page, "practice", build, submission_id)


@require_GET
@refusing
@serving_whole
def regions(request, year, lookup):
    page = _open(request, year, lookup)

    def build():
        src = page.source()
        hours = src.figures.hours()
        by_slug = tables.geography_tables(src)
        return {
            "title": _("Geography of the vote"),
            "figures": src.figures,
            **{
                f"{slug.replace('-', '_')}_table": _item(page, table)
                for slug, table in by_slug.items()
            },
            "map": _map(
                page,
                {code: r.voters for code, r in src.figures.regions.items()},
                _("Voters by region"),
            ),
            "days_chart": _days_chart(hours),
            "hours_chart": _hours_chart(hours),
        }

    return _show(request, page, "regions", build)


@require_GET
@refusing
@serving_whole
def region(request, year, code, lookup):
    page = _open(request, year, lookup)
    if page.filters.region and page.filters.region != code:
        raise Refused(_("This page already shows one region: remove the region filter."), 400)
    page.filters = dataclasses.replace(page.filters, region=code)

    def build():
        found = Region.objects.filter(code=code).first()
        if found is None:
            raise Refused(_("There is no region with the code «%(code)s».") % {"code": code})
        src = page.source()
        rankings = {k: t for k, t in tables.overview_tables(src).items() if k.startswith("ranking")}
        return {
            "title": found.display_name,
            "region": found,
            "figures": src.figures,
            "summary_row": src.figures.regions.get(code),
            "tables": [_item(page, t) for t in rankings.values()],
        }

    return _show(request, page, "region", build, code)


# --- pictures -------------------------------------------------------------------------------


def _map(page: Page, values: dict[str, int], label: str):
    year = page.edition.year
    return cartogram.render(
        values,
        link=lambda code: reverse("results:region", kwargs={"year": year, "code": code}),
        label=label,
    )


def _days_chart(hours):
    return charts.bars(
        [(day.strftime("%d.%m"), n) for day, n in figures.by_day(hours).items()],
        label=_("Votes per day (Moscow time)"),
    )


def _hours_chart(hours):
    return charts.bars(
        [(f"{hour:02d}", n) for hour, n in figures.by_hour_of_day(hours).items()],
        label=_("Votes per hour of the day (Moscow time)"),
    )


# --- organisers: publish and withdraw ---------------------------------------------------------


def _act(request, edition, action):
    try:
        action(edition, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("results:index", year=edition.year)


@edition_permission(MANAGE)
@require_POST
def publish(request, edition):
    return _act(request, edition, services.publish)


@edition_permission(MANAGE)
@require_POST
def withdraw(request, edition):
    return _act(request, edition, services.withdraw)
