"""The citizen's forms: phone or e-mail, code, region, the ballot, the confirmation.

Forms built with `captcha=True` carry django-simple-captcha's field (offline images) when the
`captcha` app is installed; without it they log a warning and go on without one.
"""

import logging

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smartdialog.reference.models import Region

from . import identity

logger = logging.getLogger(__name__)


def captcha_available() -> bool:
    return apps.is_installed("captcha")


class CaptchaMixin:
    """Adds a required `captcha` field when the page asks for it."""

    def __init__(self, *args, captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_captcha = captcha
        if not captcha:
            return
        if not captcha_available():
            logger.warning("a captcha is due but the 'captcha' app is not installed")
            return
        from captcha.fields import CaptchaField

        self.fields["captcha"] = CaptchaField(
            label=_("Characters from the picture"),
            help_text=_("Many requests came from your network: type the characters you see."),
            error_messages={
                "invalid": _("The characters do not match the picture: type them again."),
                "required": _("Type the characters from the picture."),
            },
        )


class IdentifyForm(CaptchaMixin, forms.Form):
    contact = forms.CharField(
        label=_("Mobile phone or e-mail"),
        max_length=254,
        help_text=_("We will send a one-time code to confirm it is you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "+7 900 123-45-67"}
        ),
        error_messages={"required": _("Enter your mobile phone number.")},
    )

    def clean_contact(self):
        channel, destination = identity.parse_destination(self.cleaned_data["contact"])
        self.channel = channel
        return destination


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Enter the code from the message.")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not (code.isdigit() and len(code) == identity.CODE_LENGTH):
            raise ValidationError(
                _("The code has %(n)s digits: type it as it is in the message."),
                params={"n": identity.CODE_LENGTH},
            )
        return code


class RegionForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Your region of residence"),
        queryset=Region.objects.order_by("name"),
        empty_label=_("— choose a region —"),
        help_text=_("Asked once: the results show how each region voted."),
        error_messages={"required": _("Choose your region of residence.")},
    )


def field_name(section) -> str:
    return f"section_{section.pk}"


class BallotForm(forms.Form):
    """One field per section still open to this voter: radio buttons, or checkboxes when the
    ballot allows more than one choice per section. Sections may be left for later."""

    def __init__(self, *args, sections, entries_by_section, choices_per_section=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.choices_per_section = choices_per_section
        for section in sections:
            entries = entries_by_section.get(section.pk, [])
            choices = [(str(e.pk), e.title) for e in entries]
            if choices_per_section > 1:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            field.label = section.title
            field.error_messages["invalid_choice"] = _(
                "This practice is not on the ballot in this section: choose one from the list."
            )
            self.fields[field_name(section)] = field

    def clean(self):
        cleaned = super().clean()
        choices = {}
        for section in self.sections:
            value = cleaned.get(field_name(section))
            picked = [int(v) for v in (value if isinstance(value, list) else [value]) if v]
            if len(picked) > self.choices_per_section:
                self.add_error(
                    field_name(section),
                    ngettext(
                        "Choose at most %(n)s practice in this section.",
                        "Choose at most %(n)s practices in this section.",
                        self.choices_per_section,
                    )
                    % {"n": self.choices_per_section},
                )
            elif picked:
                choices[section.pk] = picked
        if not choices and not self.errors:
            raise ValidationError(_("Choose a practice in at least one section."))
        self.choices = choices
        return cleaned


class ConfirmForm(CaptchaMixin, forms.Form):
    """Only the captcha, when one is due: voter, ballot and picks come signed with the page
    (`confirmation.py`)."""
