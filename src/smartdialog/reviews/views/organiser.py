"""Organisers' pages for expert evaluation: settings, the pool, assignment, ranking, finalists.

Each view checks `reviews.manage_reviews` on the edition, validates a form and makes one
service call (`pool`, `finalists`, `services`, `tasks`).
"""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from smartdialog.contests.models import Nomination
from smartdialog.core.decorators import edition_permission
from smartdialog.organizations.validators import validate_inn
from smartdialog.submissions.selectors import admitted_in

from .. import finalists, pool, services, tasks
from ..enums import ShortfallChoice
from ..models import Expert, Finalist, ReviewAssignment, ReviewSettings

MANAGE = "reviews.manage_reviews"


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = pool.SETTINGS_FIELDS

    def clean_evaluations_per_application(self):
        k = self.cleaned_data["evaluations_per_application"]
        if k < 1:
            raise ValidationError(_("Each application needs at least one evaluation."))
        return k


class ExpertForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = [
            "nominations",
            "capacity",
            "region",
            "organization_inn",
            "expertise",
            "declared_organizations",
            "declared_regions",
        ]
        widgets = {"nominations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = edition.nominations.all()

    def clean_organization_inn(self):
        inn = self.cleaned_data["organization_inn"].strip()
        if inn:
            validate_inn(inn)
        return inn


class InviteForm(ExpertForm):
    email = forms.EmailField(label=gettext_lazy("E-mail of a registered user"))
    field_order = ["email"]


class AssignForm(forms.Form):
    submission = forms.ModelChoiceField(label=gettext_lazy("Application"), queryset=None)
    expert = forms.ModelChoiceField(label=gettext_lazy("Expert"), queryset=None)

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = finalists.admitted_of(nomination)
        self.fields["expert"].queryset = nomination.experts.select_related("user")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


class ShortfallForm(forms.Form):
    choice = forms.ChoiceField(label=gettext_lazy("Decision"), choices=ShortfallChoice.choices)
    merged_into = forms.ModelChoiceField(
        label=gettext_lazy("Merged into"), queryset=None, required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = nomination.edition.nominations.exclude(
            pk=nomination.pk
        )


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _nomination(edition, pk) -> Nomination:
    return get_object_or_404(Nomination, pk=pk, edition=edition)


def _profile(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("email", None)
    return data


# --- dashboard, settings, assignment run ------------------------------------------------


def _nomination_rows(edition) -> list[dict]:
    admitted = dict(
        admitted_in(edition)
        .values("nomination")
        .annotate(n=Count("pk"))
        .values_list("nomination", "n")
    )
    active = Q(review_assignments__withdrawn_at__isnull=True)
    assigned = dict(
        admitted_in(edition)
        .values("nomination")
        .annotate(n=Count("review_assignments", filter=active))
        .values_list("nomination", "n")
    )
    chosen = dict(
        Finalist.objects.filter(nomination__edition=edition)
        .values("nomination")
        .annotate(n=Count("pk"))
        .values_list("nomination", "n")
    )
    return [
        {
            "nomination": n,
            "admitted": admitted.get(n.pk, 0),
            "assigned": assigned.get(n.pk, 0),
            "finalists": chosen.get(n.pk, 0),
            "short": admitted.get(n.pk, 0) < finalists.MIN_FINALISTS,
            "shortfall": getattr(n, "shortfall", None),
        }
        for n in edition.nominations.select_related("shortfall").order_by("order", "code")
    ]


def _dashboard(request, edition, form, status=200):
    return render(
        request,
        "reviews/organiser/dashboard.html",
        {
            "edition": edition,
            "form": form,
            "run": tasks.run_state(edition.pk),
            "rows": _nomination_rows(edition),
            "blockers": finalists.evaluation_can_close(edition),
        },
        status=status,
    )


@edition_permission(MANAGE)
def dashboard(request, edition):
    return _dashboard(request, edition, SettingsForm(instance=services.settings_for(edition)))


@edition_permission(MANAGE)
@require_POST
def save_settings(request, edition):
    form = SettingsForm(request.POST, instance=services.settings_for(edition))
    if form.is_valid():
        pool.save_settings(edition, by=request.user, **form.cleaned_data)
        messages.success(request, _("Evaluation settings saved."))
        return redirect("reviews_admin:dashboard", year=edition.year)
    return _dashboard(request, edition, form, status=400)


@edition_permission(MANAGE)
@require_POST
def run_assignment(request, edition):
    if not tasks.start_assignment(edition, by=request.user):
        messages.error(request, _("Assignment is already running: wait for it to finish."))
    return redirect("reviews_admin:dashboard", year=edition.year)


@edition_permission(MANAGE)
def run_status(request, edition):
    """The progress partial that htmx polls every second until the run is done."""
    return render(
        request,
        "reviews/organiser/_run_status.html",
        {"edition": edition, "run": tasks.run_state(edition.pk)},
    )


@edition_permission(MANAGE)
@require_POST
def close(request, edition):
    try:
        finalists.close_evaluation(edition, by=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Expert evaluation is closed."))
    return redirect("reviews_admin:dashboard", year=edition.year)


# --- the expert pool -----------------------------------------------------------------------


def _experts_page(request, edition, form, status=200):
    return render(
        request,
        "reviews/organiser/experts.html",
        {"edition": edition, "experts": pool.pool_of(edition), "form": form},
        status=status,
    )


@edition_permission(MANAGE)
def experts(request, edition):
    return _experts_page(request, edition, InviteForm(edition=edition))


@edition_permission(MANAGE)
@require_POST
def invite(request, edition):
    form = InviteForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            expert = pool.invite(
                edition, form.cleaned_data["email"], by=request.user, **_profile(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(email)s is invited.") % {"email": expert.user.email})
            return redirect("reviews_admin:experts", year=edition.year)
    return _experts_page(request, edition, form, status=400)


@edition_permission(MANAGE)
def expert_edit(request, edition, pk):
    expert = get_object_or_404(Expert.objects.select_related("user"), pk=pk, edition=edition)
    form = ExpertForm(request.POST or None, instance=expert, edition=edition)
    if request.method == "POST" and form.is_valid():
        pool.update_expert(expert, by=request.user, **_profile(form))
        messages.success(request, _("The expert's profile is saved."))
        return redirect("reviews_admin:experts", year=edition.year)
    return render(
        request,
        "reviews/organiser/expert_edit.html",
        {"edition": edition, "expert": expert, "form": form},
        status=400 if form.errors else 200,
    )


# --- assignments of a nomination -----------------------------------------------------------


@edition_permission(MANAGE)
def assignments(request, edition, pk):
    nomination = _nomination(edition, pk)
    by_submission = defaultdict(list)
    for assignment in ReviewAssignment.objects.filter(
        submission__nomination=nomination, withdrawn_at__isnull=True
    ).select_related("expert__user", "review"):
        by_submission[assignment.submission_id].append(assignment)
    rows = []
    for submission in finalists.admitted_of(nomination).order_by("pk"):
        submission.edition = edition
        rows.append({"submission": submission, "assignments": by_submission[submission.pk]})
    return render(
        request,
        "reviews/organiser/assignments.html",
        {
            "edition": edition,
            "nomination": nomination,
            "rows": rows,
            "form": AssignForm(nomination=nomination),
            "k": services.settings_for(edition).evaluations_per_application,
        },
    )


@edition_permission(MANAGE)
@require_POST
def assign(request, edition, pk):
    nomination = _nomination(edition, pk)
    form = AssignForm(request.POST, nomination=nomination)
    if form.is_valid():
        try:
            services.assign_by_hand(
                form.cleaned_data["submission"], form.cleaned_data["expert"], by=request.user
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The application is assigned."))
    else:
        _report(request, ValidationError([e for es in form.errors.values() for e in es]))
    return redirect("reviews_admin:assignments", year=edition.year, pk=nomination.pk)


@edition_permission(MANAGE)
@require_POST
def withdraw(request, edition, pk):
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("submission"), pk=pk, expert__edition=edition
    )
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the assignment is withdrawn."))
        pool.withdraw_assignment(assignment, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The assignment is withdrawn."))
    return redirect(
        "reviews_admin:assignments", year=edition.year, pk=assignment.submission.nomination_id
    )


# --- ranking and finalists -----------------------------------------------------------------


@edition_permission(MANAGE)
def ranking(request, edition, pk):
    nomination = _nomination(edition, pk)
    return render(
        request,
        "reviews/organiser/ranking.html",
        {
            "edition": edition,
            "nomination": nomination,
            "rows": finalists.ranking_table(nomination),
            "config": services.settings_for(edition),
        },
    )


@edition_permission(MANAGE)
def finalists_page(request, edition, pk):
    nomination = _nomination(edition, pk)
    stored = dict(
        Finalist.objects.filter(nomination=nomination).values_list("submission_id", "reason")
    )
    chosen, reasons, general = set(stored), {}, ""
    if request.method == "POST":
        chosen = {int(s) for s in request.POST.getlist("finalist") if s.isdigit()}
        reasons = {
            int(key[7:]): value
            for key, value in request.POST.items()
            if key.startswith("reason_") and key[7:].isdigit()
        }
        general = request.POST.get("reason", "")
        try:
            finalists.choose_finalists(
                nomination, chosen, by=request.user, reasons=reasons, reason=general
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The finalists are recorded."))
            return redirect("reviews_admin:finalists", year=edition.year, pk=nomination.pk)
    rows = finalists.ranking_table(nomination)
    for item in rows:
        sid = item["row"].submission_id
        item["chosen"] = sid in chosen
        item["reason"] = reasons.get(sid, stored.get(sid, ""))
    return render(
        request,
        "reviews/organiser/finalists.html",
        {
            "edition": edition,
            "nomination": nomination,
            "rows": rows,
            "general": general,
            "minimum": finalists.MIN_FINALISTS,
            "short": len(rows) < finalists.MIN_FINALISTS,
            "shortfall": getattr(nomination, "shortfall", None),
            "shortfall_form": ShortfallForm(nomination=nomination),
        },
        status=400 if request.method == "POST" else 200,
    )


@edition_permission(MANAGE)
@require_POST
def shortfall(request, edition, pk):
    nomination = _nomination(edition, pk)
    form = ShortfallForm(request.POST, nomination=nomination)
    try:
        if not form.is_valid():
            raise ValidationError([e for es in form.errors.values() for e in es])
        finalists.record_shortfall(nomination, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The decision on the nomination is recorded."))
    return redirect("reviews_admin:finalists", year=edition.year, pk=nomination.pk)
