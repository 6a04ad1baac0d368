from itertools import groupby

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from smartdialog.reference.models import ApplicantKind

from .models import Organization
from .services import PROFILE_FIELDS


class GroupedKindIterator(forms.models.ModelChoiceIterator):
    """Sub-kinds grouped under their kind, so the select shows one optgroup per kind."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for parent, kinds in groupby(self.queryset, key=lambda kind: kind.parent):
            yield (str(parent), [self.choice(kind) for kind in kinds])


class KindChoiceField(forms.ModelChoiceField):
    iterator = GroupedKindIterator


class OrganizationForm(forms.ModelForm):
    """Registration and editing. INN uniqueness is left to the service, which names the
    organisation that already holds the INN."""

    kind = KindChoiceField(
        queryset=ApplicantKind.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "order"),
        label=capfirst(Organization._meta.get_field("kind").verbose_name),
        help_text=Organization._meta.get_field("kind").help_text,
    )
    website = forms.URLField(
        label=capfirst(Organization._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )

    class Meta:
        model = Organization
        fields = PROFILE_FIELDS
        widgets = {
            "inn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "ogrn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def validate_unique(self):
        """Skipped: `services.register_organization` refuses a taken INN with a hint."""


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail of the person to invite"),
        help_text=gettext_lazy("They join after logging in with this address."),
    )
