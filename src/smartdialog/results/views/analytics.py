"""The organisers' analytics page: intake, funnel and the vote under a cut, with downloads.

A bad cut or download request is answered with the page itself (status 400): the intake and
the funnel as always, the message in place of the vote's figures.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartdialog.core.decorators import edition_permission
from smartdialog.reference.models import Region

from .. import analytics, cartogram, exports, figures

MANAGE = "contests.manage_edition"


def _items(tables: dict, params: dict) -> list[dict]:
    """Tables with their download links, the cut kept."""
    return [
        {
            "table": table,
            "links": {
                extension: "?" + urlencode(params | {"table": table.slug, "format": extension})
                for extension in exports.FORMATS
            },
        }
        for table in tables.values()
    ]


def _page(request, edition, params: dict, *, error: str = "", cut=None):
    context = {
        "edition": edition,
        "params": params,
        "error": error,
        "regions": Region.objects.order_by("name"),
        "directions": edition.directions.order_by("number"),
        "nominations": edition.nominations.order_by("code"),
        "intake_map": cartogram.render(
            analytics.submitted_by_region(edition), label=_("Applications by region")
        ),
        "intake_tables": _items(analytics.intake_tables(edition), params),
        "funnel_tables": _items(analytics.funnel_tables(edition), params),
    }
    if cut is not None:
        context |= {
            "figures": cut.figures,
            "vote_map": cartogram.render(
                cut.values(),
                label=_("Votes of the cut by the voter's region"),
                link=lambda code: "?" + urlencode(params | {"region": code}),
            ),
            "vote_tables": _items(analytics.vote_tables(edition, cut), params),
        }
    return render(request, "results/analytics/page.html", context, status=400 if error else 200)


def _download(request, edition, params: dict):
    slug, extension = request.GET.get("table", ""), request.GET.get("format", "")
    if extension not in exports.FORMATS:
        return _page(request, edition, params, error=_("Exports are available as CSV or XLSX."))
    table = analytics.tables(edition, request.GET).get(slug)
    if table is None:
        message = _("This page has no table «%(slug)s».") % {"slug": slug}
        return _page(request, edition, params, error=message)
    return exports.response(table, extension, exports.filename(edition, slug, extension))


@require_GET
@edition_permission(MANAGE)
def page(request, edition):
    try:
        filters = figures.parse_filters(edition, request.GET)
    except ValidationError as error:
        return _page(request, edition, {}, error=" ".join(error.messages))
    if "format" in request.GET:
        return _download(request, edition, filters.params())
    return _page(request, edition, filters.params(), cut=analytics.vote_cut(edition, filters))
