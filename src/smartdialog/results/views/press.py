"""Organisers' pages for press texts: the generated summary to copy, drafts to edit and publish,
and the numbers a text came from (public once the text is published).

Each view checks `contests.manage_edition` on the edition in the URL (the numbers page only
when its text is unpublished), validates a form and makes one service call.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from smartdialog.contests.models import Edition
from smartdialog.core.decorators import edition_permission
from smartdialog.voting.models import Ballot

from .. import figures, press
from ..models import PressText
from ..summary import generate, numbers_for

MANAGE = "contests.manage_edition"


class PressTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Press text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={
            "required": gettext_lazy(
                "The text is empty: write the press text or restore the generated one."
            )
        },
    )


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
@edition_permission(MANAGE)
def index(request, edition):
    """The summary as generated now (from the cached figures) and the saved texts."""
    ballot = Ballot.objects.filter(edition=edition).first()
    numbers = numbers_for(edition, figures.cached(ballot) if ballot else None)
    return render(
        request,
        "results/press/index.html",
        {
            "edition": edition,
            "generated": generate(numbers),
            "texts": PressText.objects.filter(edition=edition).select_related("created_by"),
        },
    )


@require_POST
@edition_permission(MANAGE)
def create(request, edition):
    try:
        draft = press.create_draft(edition, by=request.user)
    except ValidationError as error:
        _report(request, error)
        return redirect("press:index", edition.year)
    messages.success(request, _("A draft was written from the current numbers."))
    return redirect("press:edit", edition.year, draft.pk)


@edition_permission(MANAGE)
def edit(request, edition, pk):
    press_text = get_object_or_404(PressText, edition=edition, pk=pk)
    form = PressTextForm(request.POST or None, initial={"text": press_text.text})
    if request.method == "POST" and form.is_valid():
        try:
            press.edit(press_text, form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The press text was saved."))
            return redirect("press:edit", edition.year, press_text.pk)
    return render(
        request,
        "results/press/edit.html",
        {"edition": edition, "press_text": press_text, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@edition_permission(MANAGE)
def publish(request, edition, pk):
    press_text = get_object_or_404(PressText, edition=edition, pk=pk)
    press.publish(press_text, by=request.user)
    messages.success(request, _("The press text is published on the results page."))
    return redirect("press:edit", edition.year, press_text.pk)


@require_POST
@edition_permission(MANAGE)
def unpublish(request, edition, pk):
    press_text = get_object_or_404(PressText, edition=edition, pk=pk)
    press.unpublish(press_text, by=request.user)
    messages.success(request, _("The press text is withdrawn from the results page."))
    return redirect("press:edit", edition.year, press_text.pk)


@require_GET
def numbers(request, year, pk):
    """The figures a text was written from: public for the published text, otherwise for the
    edition's organisers only (a 404 for anyone else, so drafts are not revealed)."""
    edition = get_object_or_404(Edition, year=year)
    press_text = get_object_or_404(PressText, edition=edition, pk=pk)
    is_organiser = request.user.has_perm(MANAGE, edition)
    if press_text.published_at is None and not is_organiser:
        raise Http404
    return render(
        request,
        "results/press/numbers.html",
        {
            "edition": edition,
            "press_text": press_text,
            "numbers": _readable(press_text.numbers),
            "is_organiser": is_organiser,
        },
    )


def _readable(numbers: dict) -> dict:
    """The stored numbers with region names beside their codes, for the template."""
    regions = numbers.get("regions", {})

    def name(code: str) -> str:
        return regions.get(code, {}).get("name", code)

    sections = [
        {
            **section,
            "practices": [
                {
                    **p,
                    "region_name": name(p["region"]),
                    "top": [(name(c), p["regions"][c]) for c in p["top_regions"]],
                    "unusual": [{**row, "name": name(row["region"])} for row in p["unusual"]],
                    "new": [(name(c), n) for c, n in p["new_regions"].items()],
                }
                for p in section["practices"]
            ],
            "top_multiple_names": [
                name(c) for c in (section["top_multiple"] or {}).get("regions", [])
            ],
        }
        for section in numbers.get("sections", [])
    ]
    return {
        **numbers,
        "sections": sections,
        "active": [(name(r["region"]), r["voters"]) for r in numbers.get("active_regions", [])],
        "new": [(name(c), n) for c, n in numbers.get("new_regions", {}).items()],
    }
