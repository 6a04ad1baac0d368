"""Public pages: the landing of the current edition and each edition's history."""

from django.http import Http404
from django.shortcuts import render

from smartdialog.reviews.decisions import winners

from .. import selectors


def _edition_page(request, edition, template="contests/edition.html"):
    return render(
        request,
        template,
        {
            "edition": edition,
            "directions": selectors.directions_with_nominations(edition),
            "timeline": selectors.timeline(edition),
            "history": selectors.stage_history(edition)[:5],
            "criteria": edition.criteria.all(),
            "open_elsewhere": selectors.editions_open_for_intake().exclude(pk=edition.pk),
            "winners": winners(edition),
        },
    )


def home(request):
    edition = selectors.current_edition()
    if edition is None:
        return render(request, "contests/no_edition.html")
    return _edition_page(request, edition)


def edition_detail(request, year):
    edition = selectors.public_edition(year, request.user)
    if edition is None:
        raise Http404
    return _edition_page(request, edition)


def edition_history(request, year):
    edition = selectors.public_edition(year, request.user)
    if edition is None:
        raise Http404
    return render(
        request,
        "contests/history.html",
        {
            "edition": edition,
            "history": selectors.stage_history(edition),
            "stages": selectors.stages_of(edition),
        },
    )
