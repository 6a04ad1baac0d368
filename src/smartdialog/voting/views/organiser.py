"""Organisers' pages for the vote: the ballot's setup, the counts, exclusions by receipt.

Each view checks `contests.manage_edition` on the edition in the URL, validates a form and
makes one service call.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from smartdialog.contests.forms import LocalDateTimeInput
from smartdialog.core.decorators import edition_permission

from .. import sealing, services
from ..models import Ballot, Vote, VoteExclusion
from ..tally import tally

MANAGE = "contests.manage_edition"


class BallotForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Opens (Moscow time)"), widget=LocalDateTimeInput()
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes (Moscow time)"), widget=LocalDateTimeInput()
    )
    content = forms.ChoiceField(label=gettext_lazy("On the ballot"), choices=Ballot.Content)
    choices_per_section = forms.IntegerField(
        label=gettext_lazy("Choices per section"), min_value=1, max_value=20, initial=1
    )
    live_results = forms.BooleanField(
        label=gettext_lazy("Show live counts on the public results page during the vote"),
        required=False,
        help_text=gettext_lazy(
            "Off: the counts appear only once the results are published after the vote."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for moving the dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required once the vote has started; kept in the audit log."),
    )

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The vote must close after it opens."))
        return data


class ExclusionForm(forms.Form):
    receipt = forms.CharField(label=gettext_lazy("Receipt code of the vote"), max_length=40)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the vote is excluded.")},
    )

    def __init__(self, *args, ballot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot

    def clean_receipt(self):
        code = services.normalise_receipt(self.cleaned_data["receipt"])
        vote = Vote.objects.filter(receipt=code, ballot=self.ballot).first() if code else None
        if vote is None:
            raise ValidationError(_("No vote of this ballot has this receipt: check the code."))
        return vote


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _ballot_form(edition, data=None):
    ballot = Ballot.objects.filter(edition=edition).first()
    initial = {"content": Ballot.Content.WINNERS, "choices_per_section": 1}
    if ballot:
        initial = {
            "opens_at": timezone.localtime(ballot.opens_at),
            "closes_at": timezone.localtime(ballot.closes_at),
            "content": ballot.content,
            "choices_per_section": ballot.choices_per_section,
            "live_results": ballot.live_results,
        }
    return ballot, BallotForm(data, initial=initial)


def _dashboard(request, edition, form, status=200):
    ballot = Ballot.objects.filter(edition=edition).first()
    context = {"edition": edition, "ballot": ballot, "form": form}
    if ballot:
        context |= {"tally": tally(ballot), "head": sealing.head(ballot)}
    return render(request, "voting/organiser/dashboard.html", context, status=status)


@edition_permission(MANAGE)
def dashboard(request, edition):
    _ballot, form = _ballot_form(edition)
    return _dashboard(request, edition, form)


@edition_permission(MANAGE)
@require_POST
def configure(request, edition):
    _ballot, form = _ballot_form(edition, request.POST)
    if not form.is_valid():
        return _dashboard(request, edition, form, status=400)
    data = form.cleaned_data
    try:
        services.configure_ballot(
            edition,
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            content=data["content"],
            choices_per_section=data["choices_per_section"],
            live_results=data["live_results"],
            reason=data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _dashboard(request, edition, form, status=400)
    messages.success(request, _("The ballot is saved."))
    return redirect("vote_admin:dashboard", year=edition.year)


def _exclusions_page(request, edition, ballot, form, status=200):
    exclusions = (
        VoteExclusion.objects.filter(vote__ballot=ballot)
        .select_related("vote__entry__submission", "vote__section", "excluded_by", "revoked_by")
        .order_by("-excluded_at")
    )
    return render(
        request,
        "voting/organiser/exclusions.html",
        {"edition": edition, "ballot": ballot, "form": form, "exclusions": exclusions},
        status=status,
    )


@edition_permission(MANAGE)
def exclusions(request, edition):
    ballot = get_object_or_404(Ballot, edition=edition)
    if request.method != "POST":
        return _exclusions_page(request, edition, ballot, ExclusionForm(ballot=ballot))
    form = ExclusionForm(request.POST, ballot=ballot)
    if form.is_valid():
        try:
            services.exclude(
                form.cleaned_data["receipt"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The vote is excluded from the count."))
            return redirect("vote_admin:exclusions", year=edition.year)
    return _exclusions_page(request, edition, ballot, form, status=400)


@edition_permission(MANAGE)
@require_POST
def restore(request, edition, pk):
    exclusion = get_object_or_404(VoteExclusion, pk=pk, vote__ballot__edition=edition)
    try:
        services.restore(exclusion, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The exclusion is revoked: the vote counts again."))
    return redirect("vote_admin:exclusions", year=edition.year)
