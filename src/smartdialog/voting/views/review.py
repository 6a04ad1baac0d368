"""Organisers' review of the anomaly signals: the groups, a group's votes, exclude or restore.

A group is named in the query string (`?group=<key>`) and re-found from the votes on every
request, so an exclusion always applies to the group as it is now; the form carries the size
the organiser saw and a changed group is refused (`services.exclude_group`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from smartdialog.core.decorators import edition_permission

from .. import anomalies, services
from ..models import Ballot
from ..tally import excluded_exists

MANAGE = "contests.manage_edition"
SHOWN_VOTES = 500
"""Votes listed on a group's page; the exclusion takes the whole group whatever its size."""


class GroupExclusionForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput, max_length=200)
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept with every excluded vote and in the audit log."),
        error_messages={"required": gettext_lazy("Say why the votes of this group are excluded.")},
    )


def _group_url(edition, code, key) -> str:
    url = reverse("vote_admin:review_group", args=[edition.year, code])
    return f"{url}?{urlencode({'group': key})}"


@edition_permission(MANAGE)
def index(request, edition):
    ballot = get_object_or_404(Ballot, edition=edition)
    context = {
        "edition": edition,
        "ballot": ballot,
        "totals": anomalies.totals(ballot),
        "reports": anomalies.report(ballot),
        "excluded_groups": anomalies.excluded_groups(ballot),
    }
    return render(request, "voting/organiser/review.html", context)


def _group_page(request, edition, ballot, code, key, form=None, status=200):
    signal, group = anomalies.find_group(ballot, code, key or "")
    if signal is None:
        raise Http404
    votes = []
    if group is not None:
        votes = (
            group.votes.annotate(is_excluded=excluded_exists())
            .select_related("entry__submission", "region", "voter")
            .order_by("cast_at", "id")[:SHOWN_VOTES]
        )
        form = form or GroupExclusionForm(initial={"group": group.key, "seen": group.size})
    elif status == 200:
        status = 404
    context = {
        "edition": edition,
        "ballot": ballot,
        "signal": signal,
        "key": key,
        "group": group,
        "votes": votes,
        "shown_votes": SHOWN_VOTES,
        "form": form,
        "excluded_by_group": anomalies.excluded_in_group(ballot, code, key or ""),
    }
    return render(request, "voting/organiser/review_group.html", context, status=status)


@edition_permission(MANAGE)
def group(request, edition, signal):
    ballot = get_object_or_404(Ballot, edition=edition)
    return _group_page(request, edition, ballot, signal, request.GET.get("group"))


@edition_permission(MANAGE)
@require_POST
def exclude(request, edition, signal):
    ballot = get_object_or_404(Ballot, edition=edition)
    form = GroupExclusionForm(request.POST)
    key = request.POST.get("group", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            count = services.exclude_group(
                ballot,
                signal,
                data["group"],
                reason=data["reason"],
                seen=data["seen"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s vote of the group is excluded from the count.",
                    "%(n)s votes of the group are excluded from the count.",
                    count,
                )
                % {"n": count},
            )
            return redirect(_group_url(edition, signal, key))
    return _group_page(request, edition, ballot, signal, key, form=form, status=400)


@edition_permission(MANAGE)
@require_POST
def restore(request, edition, signal):
    ballot = get_object_or_404(Ballot, edition=edition)
    key = request.POST.get("group", "")
    try:
        count = services.restore_group(ballot, signal, key, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s vote of the group counts again.",
                "%(n)s votes of the group count again.",
                count,
            )
            % {"n": count},
        )
    return redirect("vote_admin:review", year=edition.year)
