"""Downloads of an edition's results: the data page, table exports, the report, the archive.

Everyone may download what the results pages show once they may see the pages
(`services.access`: published, live, or an organiser's preview); the organisers' analytics
tables need the organiser's permission. A refusal names what is wrong in a page of its own.
"""

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartdialog.contests.selectors import public_edition
from smartdialog.voting.models import Ballot

from .. import analytics, exports, figures, opendata, report, services, tables

MANAGE = "contests.manage_edition"


def _visible(request, year):
    """The edition and its ballot, if the user may see its results; else a 404."""
    edition = public_edition(year, request.user)
    ballot = Ballot.objects.filter(edition=edition).first() if edition else None
    published = edition is not None and services.is_published(edition)
    if edition is None or not services.access(edition, ballot, request.user, published=published):
        raise Http404(_("The results of this edition are not published."))
    return edition, ballot


def _refused(request, edition, message: str, *, status: int):
    return render(
        request,
        "results/data/refused.html",
        {"edition": edition, "message": message},
        status=status,
    )


@require_GET
def index(request, year):
    edition, ballot = _visible(request, year)
    page_tables, practice_tables = exports.page_and_practice_tables(tables.all_tables(edition))
    return render(
        request,
        "results/data/index.html",
        {
            "edition": edition,
            "files": opendata.catalogue(edition),
            "tables": page_tables,
            "practice_tables": practice_tables,
            "window": ballot
            and {
                "first": timezone.localdate(ballot.opens_at),
                "last": timezone.localdate(ballot.closes_at),
            },
            "licence": opendata.LICENCE,
            "xlsx_cap": exports.XLSX_ROW_CAP,
        },
    )


@require_GET
def table(request, year, slug, extension):
    """A table of the results pages under the page's filters (`?region=77&direction=2`)."""
    edition, _ballot = _visible(request, year)
    if extension not in exports.FORMATS:
        return _refused(request, edition, _("Files come as .csv or .xlsx."), status=404)
    try:
        cut = figures.parse_filters(edition, request.GET)
    except ValidationError as error:
        return _refused(request, edition, error.messages[0], status=400)
    found = tables.all_tables(edition, **dataclasses.asdict(cut)).get(slug)
    if found is None:
        return _refused(
            request, edition, _("There is no table «%(slug)s».") % {"slug": slug}, status=404
        )
    return exports.response(found, extension, exports.filename(edition, slug, extension))


@require_GET
def analytics_table(request, year, slug, extension):
    """An organisers' analytics table: the permission is checked before anything is read."""
    edition = public_edition(year, request.user)
    if edition is None:
        raise Http404
    if not request.user.has_perm(MANAGE, edition):
        raise PermissionDenied
    if extension not in exports.FORMATS:
        return _refused(request, edition, _("Files come as .csv or .xlsx."), status=404)
    try:
        found = analytics.tables(edition, request.GET).get(slug)
    except ValidationError as error:
        return _refused(request, edition, error.messages[0], status=400)
    if found is None:
        return _refused(
            request, edition, _("There is no table «%(slug)s».") % {"slug": slug}, status=404
        )
    name = exports.filename(edition, f"analytics-{slug}", extension)
    return exports.response(found, extension, name)


def _day(request, name) -> datetime.date | None:
    value = request.GET.get(name, "")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@require_GET
def votes(request, year, extension):
    """The anonymised votes cast on a range of days (`?from=2023-11-01&to=2023-11-07`)."""
    edition, ballot = _visible(request, year)
    if extension not in exports.FORMATS:
        return _refused(request, edition, _("Files come as .csv or .xlsx."), status=404)
    since, until = _day(request, "from"), _day(request, "to")
    if since is None or until is None:
        return _refused(
            request,
            edition,
            _("Give the first and the last day as YYYY-MM-DD, e.g. from=2023-11-01&to=2023-11-07."),
            status=400,
        )
    problem = exports.range_problem(ballot, since, until, extension)
    if problem:
        return _refused(request, edition, problem, status=400)
    name = exports.filename(edition, f"votes-{since:%Y%m%d}-{until:%Y%m%d}", extension)
    return exports.response(exports.vote_log_table(ballot, since, until), extension, name)


@require_GET
def report_pdf(request, year):
    edition, _ballot = _visible(request, year)
    response = HttpResponse(report.render(edition), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename(edition)}"'
    return response


@require_GET
def archive(request, year):
    edition, _ballot = _visible(request, year)
    response = StreamingHttpResponse(opendata.archive(edition), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{opendata.filename(edition)}"'
    return response
