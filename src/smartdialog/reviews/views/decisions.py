"""Working groups: organisers set them up; members and organisers record decisions.

Organiser pages go through `edition_permission`; member pages fetch the group and ask
`has_perm(perm, group)` (403 for others, the login page for an anonymous GET).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from smartdialog.contests.models import Edition
from smartdialog.core.decorators import edition_permission

from .. import decisions
from ..models import Decision, WorkingGroup

VIEW = "reviews.view_workinggroup"
RECORD = "reviews.record_decision"
CONFIRM = "reviews.confirm_decision"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return decisions.person(obj)


class NominationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.display_title}"


class WorkingGroupForm(forms.ModelForm):
    nominations = NominationsField(
        label=gettext_lazy("Nominations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty to take every nomination of the direction."),
    )
    members = MemberChoiceField(
        label=gettext_lazy("Members"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Working-group members and organisers of the edition."),
    )

    class Meta:
        model = WorkingGroup
        fields = ["title", "direction", "nominations", "members", "quorum"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = edition.directions.order_by("number")
        self.fields["nominations"].queryset = edition.nominations.order_by("order", "code")
        self.fields["members"].queryset = decisions.eligible_members(edition)


class DecisionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Meeting date"), widget=DATE)
    present = MemberChoiceField(
        label=gettext_lazy("Members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    winner = forms.TypedChoiceField(label=gettext_lazy("Winner"), coerce=int)
    dissent = forms.CharField(
        label=gettext_lazy("Dissenting opinions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, group, finalists, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(group.members.order_by("email"))
        self.fields["present"].queryset = group.members.order_by("email")
        choices = [("", "—")] + [
            (f.submission_id, f"{f.rank}. {f.submission.title}") for f in finalists
        ]
        self.fields["winner"].choices = choices
        for member in self.members:
            self.fields[f"pref_{member.pk}"] = forms.TypedChoiceField(
                label=_("Preference of %(name)s") % {"name": decisions.person(member)},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
        if current:
            self.fields["replace"] = forms.BooleanField(
                label=_("This decision replaces the current one"), required=False
            )

    def preference_fields(self):
        return [self[f"pref_{m.pk}"] for m in self.members]

    def preferences(self) -> dict:
        return {m.pk: self.cleaned_data.get(f"pref_{m.pk}") for m in self.members}


def _report(form, error: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on top when it has no such field)."""
    aliases = {"supersedes": "replace"}
    for field, errors in error.update_error_dict({}).items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _edition(year) -> Edition:
    return get_object_or_404(Edition, year=year)


def _refuse(request):
    if not request.user.is_authenticated and request.method == "GET":
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _group_for(request, year, pk, perm):
    """The group of the edition in the URL, if the user holds `perm` on it (else 403)."""
    group = get_object_or_404(
        WorkingGroup.objects.select_related("edition", "direction"), pk=pk, edition__year=year
    )
    return group, request.user.has_perm(perm, group)


def group_list(request, year):
    edition = _edition(year)
    groups = decisions.groups_for(request.user, edition)
    is_organiser = request.user.has_perm(CONFIRM, edition)
    if not is_organiser and not groups.exists():
        return _refuse(request)
    return render(
        request,
        "reviews/decisions/list.html",
        {"edition": edition, "groups": groups, "is_organiser": is_organiser},
    )


@edition_permission(CONFIRM)
@require_http_methods(["GET", "POST"])
def group_edit(request, edition, pk=None):
    group = (
        get_object_or_404(WorkingGroup, pk=pk, edition=edition)
        if pk
        else WorkingGroup(edition=edition)
    )
    form = WorkingGroupForm(request.POST or None, instance=group, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            group = decisions.save_working_group(
                form.save(commit=False),
                members=form.cleaned_data["members"],
                nominations=form.cleaned_data["nominations"],
                by=request.user,
            )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, _("The working group is saved."))
            return redirect("decisions:detail", year=edition.year, pk=group.pk)
    return render(
        request, "reviews/decisions/form.html", {"edition": edition, "form": form, "group": group}
    )


def group_detail(request, year, pk):
    group, allowed = _group_for(request, year, pk, VIEW)
    if not allowed:
        return _refuse(request)
    nominations = []
    for nomination in group.nominations.order_by("order", "code"):
        history = list(
            nomination.decisions.select_related("winner", "confirmed_by", "recorded_by")
            .prefetch_related("present")
            .order_by("-recorded_at")
        )
        nominations.append(
            {
                "nomination": nomination,
                "finalists": decisions.finalists_of(nomination),
                "current": next((d for d in history if d.is_current), None),
                "earlier": [d for d in history if not d.is_current],
            }
        )
    return render(
        request,
        "reviews/decisions/detail.html",
        {
            "edition": group.edition,
            "group": group,
            "members": group.members.order_by("email"),
            "nominations": nominations,
            "can_record": request.user.has_perm(RECORD, group),
            "can_confirm": request.user.has_perm(CONFIRM, group),
        },
    )


@require_http_methods(["GET", "POST"])
def record(request, year, pk, nomination_pk):
    group, allowed = _group_for(request, year, pk, RECORD)
    if not allowed:
        return _refuse(request)
    nomination = get_object_or_404(group.nominations, pk=nomination_pk)
    finalists = decisions.finalists_of(nomination)
    current = decisions.current_decision(nomination)
    form = DecisionForm(request.POST or None, group=group, finalists=finalists, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.record_decision(
                group,
                nomination,
                held_on=data["held_on"],
                present=data["present"],
                preferences=form.preferences(),
                winner=data["winner"],
                dissent=data["dissent"],
                by=request.user,
                supersedes=current if data.get("replace") else None,
            )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, _("The decision is recorded and its protocol is ready."))
            return redirect("decisions:detail", year=year, pk=group.pk)
    return render(
        request,
        "reviews/decisions/record.html",
        {
            "edition": group.edition,
            "group": group,
            "nomination": nomination,
            "finalists": finalists,
            "current": current,
            "form": form,
        },
    )


@edition_permission(CONFIRM)
@require_POST
def confirm(request, edition, pk):
    decision = get_object_or_404(Decision, pk=pk, working_group__edition=edition)
    try:
        decisions.confirm_decision(decision, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is confirmed: its winner can be published."))
    return redirect("decisions:detail", year=edition.year, pk=decision.working_group_id)


def protocol(request, year, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("working_group", "nomination__edition"),
        pk=pk,
        working_group__edition__year=year,
    )
    if not request.user.has_perm(VIEW, decision.working_group):
        return _refuse(request)
    if not decision.protocol:
        raise Http404  # every recorded decision has one; a row made elsewhere may not
    return FileResponse(
        decision.protocol.open("rb"),
        as_attachment=True,
        filename=decision.protocol.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
