"""The organisers' back office for contest setup. Each view: authorise, form, one service call."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from smartdialog.accounts.selectors import staff_editions
from smartdialog.core.decorators import edition_permission

from .. import selectors, services
from ..forms import (
    CriterionForm,
    DeleteForm,
    DirectionForm,
    EditionForm,
    NominationForm,
    StageDescriptionForm,
    StageForm,
    StageMoveForm,
)
from ..models import Criterion, Direction, Nomination, Stage

MANAGE = "contests.manage_edition"


@dataclass(frozen=True)
class PartKind:
    model: type
    form: type
    title: str


PARTS = {
    "directions": PartKind(Direction, DirectionForm, gettext_lazy("direction")),
    "nominations": PartKind(Nomination, NominationForm, gettext_lazy("nomination")),
    "criteria": PartKind(Criterion, CriterionForm, gettext_lazy("criterion")),
}


def _part_kind(part: str) -> PartKind:
    if part not in PARTS:
        raise Http404
    return PARTS[part]


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _dashboard(edition):
    return redirect("manage:edition", year=edition.year)


@login_required
def index(request):
    return render(
        request,
        "contests/manage/index.html",
        {
            "editions": staff_editions(request.user),
            "can_create": request.user.has_perm("contests.create_edition"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_create(request):
    if not request.user.has_perm("contests.create_edition"):
        raise PermissionDenied
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        edition = services.create_edition(form.instance, by=request.user)
        messages.success(request, _("Edition created."))
        return _dashboard(edition)
    return render(request, "contests/manage/form.html", {"form": form, "title": _("New edition")})


@edition_permission(MANAGE)
def edition_dashboard(request, edition):
    return render(
        request,
        "contests/manage/edition.html",
        {
            "edition": edition,
            "directions": selectors.directions_with_nominations(edition),
            "criteria": edition.criteria.all(),
            "stages": selectors.stages_of(edition),
            "history": selectors.stage_history(edition)[:10],
        },
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def edition_edit(request, edition):
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_edition(form.instance, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _dashboard(edition)
    return render(
        request,
        "contests/manage/form.html",
        {"form": form, "edition": edition, "title": _("Edit edition")},
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def part_edit(request, edition, part, pk=None):
    kind = _part_kind(part)
    instance = get_object_or_404(kind.model, pk=pk, edition=edition) if pk else None
    form = kind.form(request.POST or None, instance=instance, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_part(form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _dashboard(edition)
    title = (_("Edit %(thing)s") if pk else _("New %(thing)s")) % {"thing": kind.title}
    return render(
        request, "contests/manage/form.html", {"form": form, "edition": edition, "title": title}
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def part_delete(request, edition, part, pk):
    kind = _part_kind(part)
    instance = get_object_or_404(kind.model, pk=pk, edition=edition)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_part(instance, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return _dashboard(edition)
    return render(
        request,
        "contests/manage/delete.html",
        {"form": form, "edition": edition, "object": instance},
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def stage_create(request, edition):
    form = StageForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_stage(form.instance, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Stage added."))
            return _dashboard(edition)
    return render(
        request,
        "contests/manage/form.html",
        {"form": form, "edition": edition, "title": _("New stage")},
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def stage_edit(request, edition, pk):
    stage = get_object_or_404(Stage, pk=pk, edition=edition)
    form = StageDescriptionForm(request.POST or None, instance=stage, edition=edition)
    if request.method == "POST" and form.is_valid():
        services.save_part(form.instance, by=request.user)
        messages.success(request, _("Changes saved."))
        return _dashboard(edition)
    return render(
        request,
        "contests/manage/form.html",
        {"form": form, "edition": edition, "title": stage.display_title},
    )


@edition_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def stage_move(request, edition, pk):
    stage = get_object_or_404(Stage, pk=pk, edition=edition)
    initial = {"starts_at": stage.starts_at, "ends_at": stage.ends_at}
    form = StageMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_stage(stage, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The stage's dates have been moved."))
            return _dashboard(edition)
    return render(
        request,
        "contests/manage/stage_move.html",
        {
            "form": form,
            "edition": edition,
            "stage": stage,
            "history": stage.date_changes.select_related("changed_by"),
        },
    )
