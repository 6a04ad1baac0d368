from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Criterion, Direction, Edition, Nomination, Stage
from .validators import validate_nomination_code, validate_stage_dates

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; values are Moscow time (TIME_ZONE) and stored in UTC."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class EditionPartForm(forms.ModelForm):
    """A form for something inside one edition: the edition is fixed by the URL."""

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.instance.edition = edition


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        error_messages = {"title": {"required": gettext_lazy("Enter the edition's title.")}}
        fields = [
            "year",
            "title",
            "title_en",
            "status",
            "organisers",
            "organisers_en",
            "summary",
            "summary_en",
            "eligibility",
            "eligibility_en",
            "rewards",
            "rewards_en",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "organisers",
                "organisers_en",
                "summary",
                "summary_en",
                "eligibility",
                "eligibility_en",
                "rewards",
                "rewards_en",
            ]
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        if Edition.objects.filter(year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("An edition of %(year)s already exists.") % {"year": year}
            )
        if self.instance.pk and year != self.instance.year and self.instance.stages.exists():
            raise forms.ValidationError(
                _("The year cannot change once the edition has stages: move the stages instead.")
            )
        return year


class DirectionForm(EditionPartForm):
    class Meta:
        model = Direction
        error_messages = {"title": {"required": gettext_lazy("Enter the direction's title.")}}
        fields = ["number", "title", "title_en", "description", "description_en"]

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = self.edition.directions.filter(number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Direction number %(number)s is already used in this edition.")
                % {"number": number}
            )
        return number


class NominationForm(EditionPartForm):
    class Meta:
        model = Nomination
        error_messages = {"title": {"required": gettext_lazy("Enter the nomination's title.")}}
        fields = ["direction", "code", "title", "title_en", "description", "description_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = self.edition.directions.all()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        validate_nomination_code(code)
        if self.edition.nominations.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Nomination code «%(code)s» is already used in this edition: choose another.")
                % {"code": code}
            )
        return code

    def save(self, commit=True):
        self.instance.order = Nomination.order_for(self.instance.code)
        return super().save(commit)


class CriterionForm(EditionPartForm):
    class Meta:
        model = Criterion
        error_messages = {"name": {"required": gettext_lazy("Enter the criterion's name.")}}
        fields = [
            "name",
            "name_en",
            "description",
            "description_en",
            "weight",
            "scale_min",
            "scale_max",
            "order",
        ]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise forms.ValidationError(_("The weight must be greater than zero."))
        return weight

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest score must be greater than the lowest."))
        return cleaned


class StageForm(EditionPartForm):
    """A new stage; its first dates become its planned dates."""

    class Meta:
        model = Stage
        fields = [
            "kind",
            "title",
            "title_en",
            "description",
            "description_en",
            "starts_at",
            "ends_at",
        ]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}

    def clean(self):
        cleaned = super().clean()
        errors = validate_stage_dates(
            cleaned.get("starts_at"), cleaned.get("ends_at"), self.edition.year
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class StageDescriptionForm(EditionPartForm):
    class Meta:
        model = Stage
        fields = ["title", "title_en", "description", "description_en"]


class StageMoveForm(forms.Form):
    starts_at = forms.DateTimeField(label=gettext_lazy("New start"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("New end"), widget=LocalDateTimeInput())
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown to everyone in the edition's history."),
        error_messages={"required": gettext_lazy("Say why the dates move.")},
    )
    reason_en = forms.CharField(
        label=gettext_lazy("Reason (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeleteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)
