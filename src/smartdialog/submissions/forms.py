from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartdialog.organizations.selectors import organizations_of
from smartdialog.reference.models import NationalProject

from . import passport
from .enums import ChecklistItem
from .models import ResultIndicator, Submission
from .validators import ALLOWED_NAMES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NominationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.display_title}"


class NewSubmissionForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=None)
    nomination = NominationChoiceField(label=gettext_lazy("Nomination"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title of the practice"), max_length=300)

    def __init__(self, *args, user, edition, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = organizations_of(user)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:  # the usual case: no choice to make
            self.fields["organization"].initial = organizations[0]
        self.fields["nomination"].queryset = edition.nominations.order_by("order")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Enter the title of the practice."))
        return title


class PassportForm(forms.ModelForm):
    """The passport as a draft: formats are checked, completeness only at submission."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Submission
        fields = [*passport.SCALAR_FIELDS, *passport.MANY_FIELDS]
        widgets = {
            "started_on": DATE,
            "finished_on": DATE,
            "regions": forms.SelectMultiple(attrs={"size": 8}),
            "national_projects": forms.CheckboxSelectMultiple,
            **{f: forms.Textarea(attrs={"rows": 3}) for f in passport.TEXT_FIELDS if f != "title"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_projects"].queryset = NationalProject.objects.order_by(
            "-program", "name"
        )
        self.fields["lock_version"].initial = self.instance.lock_version
        for name in self.fields:
            if name != "lock_version":
                self.fields[name].required = name == "title"

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Enter the title of the practice."))
        return title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("finished_on")
        if start and end and end < start:
            self.add_error("finished_on", _("The end of implementation cannot precede its start."))
        return cleaned

    def split(self) -> tuple[dict, dict]:
        """(scalar fields, many-to-many fields) for `services.save_draft`."""
        data = self.cleaned_data
        return (
            {f: data[f] for f in passport.SCALAR_FIELDS},
            {f: list(data[f]) for f in passport.MANY_FIELDS},
        )


class ResultForm(forms.ModelForm):
    class Meta:
        model = ResultIndicator
        fields = passport.RESULT_FIELDS
        widgets = {"baseline_date": DATE, "achieved_date": DATE}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("baseline_date"), cleaned.get("achieved_date")
        if start and end and end < start:
            self.add_error(
                "achieved_date", _("The achieved value must be dated after the baseline.")
            )
        return cleaned


ResultFormSet = forms.modelformset_factory(
    ResultIndicator, form=ResultForm, extra=1, can_delete=True
)


def result_rows(formset) -> list[dict]:
    return [
        {f: form.cleaned_data[f] for f in passport.RESULT_FIELDS}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("%(types)s; up to 20 MB a file, 100 MB an application.")
        % {"types": ALLOWED_NAMES},
        error_messages={
            "required": gettext_lazy("Choose a file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )


class ChecklistForm(forms.Form):
    """The eligibility checklist plus the moderator's comment to the applicant."""

    comment = forms.CharField(
        label=gettext_lazy("Comment to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ChecklistItem:
            self.fields[f"check_{item.value}"] = forms.ChoiceField(
                label=item.label,
                choices=[("yes", _("yes")), ("no", _("no"))],
                widget=forms.RadioSelect,
                required=False,
            )

    def checklist(self) -> dict | None:
        answers = {i.value: self.cleaned_data.get(f"check_{i.value}") for i in ChecklistItem}
        if not all(answers.values()):
            return None
        return {k: v == "yes" for k, v in answers.items()}


class FieldCommentsForm(forms.Form):
    """One optional remark per passport field, for returning an application."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in [*passport.SCALAR_FIELDS, *passport.MANY_FIELDS, "results", "attachments"]:
            self.fields[f"note_{field}"] = forms.CharField(
                label=passport.label(field),
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def notes(self) -> dict[str, str]:
        return {k.removeprefix("note_"): v for k, v in self.cleaned_data.items() if v.strip()}


class QueueFilterForm(forms.Form):
    """Filters of the moderation queue; every choice is limited to the edition."""

    ORDERS = [
        ("waiting", gettext_lazy("longest waiting first")),
        ("newest", gettext_lazy("newest first")),
        ("nomination", gettext_lazy("by nomination")),
        ("region", gettext_lazy("by region")),
    ]

    query = forms.CharField(label=gettext_lazy("Search"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    direction = forms.ModelChoiceField(
        label=gettext_lazy("Direction"), queryset=None, required=False
    )
    nomination = NominationChoiceField(
        label=gettext_lazy("Nomination"), queryset=None, required=False
    )
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=None, required=False)
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Kind of organisation"), queryset=None, required=False
    )
    moderator = forms.ModelChoiceField(
        label=gettext_lazy("Moderator"), queryset=None, required=False
    )
    unassigned = forms.BooleanField(label=gettext_lazy("Unassigned only"), required=False)
    waiting_days = forms.IntegerField(
        label=gettext_lazy("Waiting at least, days"), min_value=0, max_value=365, required=False
    )
    order = forms.ChoiceField(label=gettext_lazy("Order"), choices=ORDERS, required=False)

    def __init__(self, *args, edition, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        from smartdialog.reference.models import ApplicantKind, Region

        from .enums import SubmissionState

        self.fields["state"].choices = [("", _("awaiting moderation"))] + [
            c for c in SubmissionState.choices if c[0] != SubmissionState.DRAFT
        ]
        self.fields["direction"].queryset = edition.directions.all()
        self.fields["nomination"].queryset = edition.nominations.order_by("order")
        self.fields["region"].queryset = Region.objects.all()
        self.fields["kind"].queryset = ApplicantKind.objects.all()
        self.fields["moderator"].queryset = moderators

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class AssignForm(forms.Form):
    moderator = forms.ModelChoiceField(
        label=gettext_lazy("Moderator"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— nobody —"),
    )

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = moderators


class MoveNominationForm(forms.Form):
    nomination = NominationChoiceField(label=gettext_lazy("New nomination"), queryset=None)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the nomination changes.")},
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = edition.nominations.order_by("order")


class ExtendDeadlineForm(forms.Form):
    until = forms.DateTimeField(
        label=gettext_lazy("New deadline (Moscow time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        error_messages={"required": gettext_lazy("Say why the deadline is extended.")},
    )


class CompareForm(forms.Form):
    old = forms.IntegerField(min_value=1)
    new = forms.IntegerField(min_value=1)
