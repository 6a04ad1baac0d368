"""A bare endpoint for the vote benchmark (`bench/vote_load.py`): the floor to compare with.

It runs through the same server, middleware (sessions, CSRF) and database connection as a
vote, but its view only does one `INSERT … ON CONFLICT DO NOTHING` into `bench_vote` (one
row per posted section/entry pair, as a cast inserts one vote per section), a table the
benchmark script creates (no migration: the table exists only in a benchmark's
throwaway database). With `into=votes` (and `ballot`) the same picks go into the real
`voting_vote` instead, each with a receipt: a floor that also pays what storing a vote costs
the database (its foreign keys, unique constraints and indexes). Off unless
`BENCH_ENDPOINTS=True`: a 404 otherwise.
"""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET, require_POST

from smartdialog.voting.services import new_receipt

TABLE = "bench_vote"


@require_POST
def bare_vote(request):
    if not getattr(settings, "BENCH_ENDPOINTS", False):
        raise Http404
    try:
        voter, region = int(request.POST["voter"]), int(request.POST["region"])
        pairs = list(
            zip(
                map(int, request.POST.getlist("section")),
                map(int, request.POST.getlist("entry")),
                strict=True,
            )
        )
    except (KeyError, ValueError):
        return HttpResponseBadRequest(
            "voter and region, and as many sections as entries, must be integers"
        )
    if not pairs:
        return HttpResponseBadRequest("at least one section and entry")
    if request.POST.get("into") == "votes":
        if not request.POST.get("ballot", "").isdigit():
            return HttpResponseBadRequest("into=votes needs the ballot's id")
        ballot = int(request.POST["ballot"])
        rows = ", ".join(["(%s, %s, %s, %s, 1, %s, now(), %s, NULL, '')"] * len(pairs))
        params = [
            value
            for section, entry in pairs
            for value in (ballot, section, entry, voter, region, new_receipt())
        ]
        sql = (
            "INSERT INTO voting_vote (ballot_id, section_id, entry_id, voter_id, slot, "
            f"region_id, cast_at, receipt, ip, user_agent) VALUES {rows} ON CONFLICT DO NOTHING"
        )
    else:
        rows = ", ".join(["(%s, %s, %s, %s, now())"] * len(pairs))
        params = [value for section, entry in pairs for value in (voter, section, entry, region)]
        sql = (
            f"INSERT INTO {TABLE} (voter_id, section_id, entry_id, region_id, cast_at) "
            f"VALUES {rows} ON CONFLICT DO NOTHING"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.rowcount
    return HttpResponse(f"recorded {inserted}", content_type="text/plain")


@require_GET
def bare_page(request):
    """The floor for a page benchmark (`bench/results_page.py`): the same server and
    middleware, no database, no template; `?size=N` bytes of HTML, so that the compared
    page and this one cost the network the same."""
    if not getattr(settings, "BENCH_ENDPOINTS", False):
        raise Http404
    size = request.GET.get("size", "")
    if not size.isdigit() or int(size) > 10_000_000:
        return HttpResponseBadRequest("size must be a number of bytes up to 10 MB")
    return HttpResponse("<!doctype html>" + "x" * max(0, int(size) - 15))
