from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=gettext_lazy("Action"),
        required=False,
        widget=forms.TextInput(attrs={"list": "actions"}),
    )
    actor = forms.CharField(label=gettext_lazy("Who (e-mail)"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned
