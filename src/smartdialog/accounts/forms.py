from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartdialog.reference.models import Region

from .models import Role


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("User's e-mail"),
        error_messages={
            "invalid": gettext_lazy("Enter a valid e-mail address, e.g. name@example.ru.")
        },
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        required=False,
        help_text=gettext_lazy("Only for a regional official."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No user with the e-mail %(email)s: ask them to register first.")
                % {"email": email}
            )
        self.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.REGIONAL_OFFICIAL and not cleaned.get("region"):
            self.add_error("region", _("A regional official needs a region."))
        return cleaned


class RevokeRoleForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)
