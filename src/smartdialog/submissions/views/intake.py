"""Organisers' view of the intake: the dashboard and the register export (CSV, XLSX)."""

from django import forms
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from smartdialog.core.decorators import edition_permission
from smartdialog.reference.models import ApplicantKind, Region

from .. import analytics, exports
from ..enums import SubmissionState
from ..forms import NominationChoiceField

MANAGE = "submissions.manage_intake"


def _unknown(what):
    return {"invalid_choice": what}


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"— {obj.display_name}" if obj.parent_id else obj.display_name


class IntakeFilterForm(forms.Form):
    """Filters shared by the dashboard and the exports; choices are limited to the edition."""

    direction = forms.ModelChoiceField(
        label=gettext_lazy("Direction"),
        queryset=None,
        required=False,
        error_messages=_unknown(
            gettext_lazy("There is no such direction in this edition: choose one from the list.")
        ),
    )
    nomination = NominationChoiceField(
        label=gettext_lazy("Nomination"),
        queryset=None,
        required=False,
        error_messages=_unknown(
            gettext_lazy("There is no such nomination in this edition: choose one from the list.")
        ),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=None,
        required=False,
        error_messages=_unknown(gettext_lazy("Unknown region: choose one from the list.")),
    )
    kind = KindChoiceField(
        label=gettext_lazy("Kind of organisation"),
        queryset=None,
        required=False,
        error_messages=_unknown(
            gettext_lazy("Unknown kind of organisation: choose one from the list.")
        ),
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        error_messages=_unknown(gettext_lazy("Unknown state: choose one from the list.")),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = edition.directions.order_by("number")
        self.fields["nomination"].queryset = edition.nominations.order_by("order", "code")
        self.fields["region"].queryset = Region.objects.all()
        self.fields["kind"].queryset = ApplicantKind.objects.all()
        self.fields["state"].choices = [("", gettext_lazy("any state")), *SubmissionState.choices]

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _filters(request, edition) -> tuple[IntakeFilterForm, dict | None]:
    """The form and its filters; None when the filters are invalid."""
    form = IntakeFilterForm(request.GET or None, edition=edition)
    if not form.is_bound:
        return form, {}
    return form, form.filters() if form.is_valid() else None


@edition_permission(MANAGE)
def dashboard(request, edition):
    form, filters = _filters(request, edition)
    return render(
        request,
        "submissions/intake/dashboard.html",
        {
            "edition": edition,
            "form": form,
            "filtered": bool(filters),
            "report": analytics.report(edition, **(filters or {})),
            "query": request.GET.urlencode(),
        },
    )


def _invalid(request, edition):
    """Invalid filters: back to the dashboard, which names the field and the fix."""
    return redirect(f"{reverse('intake:dashboard', args=[edition.year])}?{request.GET.urlencode()}")


@edition_permission(MANAGE)
def export_csv(request, edition):
    _form, filters = _filters(request, edition)
    if filters is None:
        return _invalid(request, edition)
    response = StreamingHttpResponse(
        exports.csv_lines(exports.register(edition, **filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(edition, "csv")}"'
    return response


@edition_permission(MANAGE)
def export_xlsx(request, edition):
    _form, filters = _filters(request, edition)
    if filters is None:
        return _invalid(request, edition)
    return FileResponse(
        exports.xlsx_file(exports.register(edition, **filters)),
        as_attachment=True,
        filename=exports.filename(edition, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
