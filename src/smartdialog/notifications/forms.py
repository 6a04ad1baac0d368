from django import forms
from django.utils.translation import gettext_lazy

from .defaults import DEFAULTS
from .models import MessageState
from .validators import validate_template_syntax


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("any")), *MessageState.choices],
    )
    key = forms.ChoiceField(
        label=gettext_lazy("Message"),
        required=False,
        choices=[("", gettext_lazy("any"))] + [(k, k) for k in DEFAULTS],
    )
    recipient = forms.CharField(label=gettext_lazy("Recipient"), required=False)


class MailTemplateForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=300,
        validators=[validate_template_syntax],
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        widget=forms.Textarea(attrs={"rows": 18}),
        strip=False,
        validators=[validate_template_syntax],
    )
