"""Organisers grant and revoke roles in their edition."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smartdialog.core.decorators import edition_permission

from . import services
from .forms import GrantRoleForm, RevokeRoleForm
from .models import RoleAssignment

MANAGE_ROLES = "accounts.manage_roles"


@edition_permission(MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def roles(request, edition):
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                edition,
                form.user,
                data["role"],
                by=request.user,
                region=data["region"],
                reason=data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, _("Role granted."))
            return redirect("manage:roles", year=edition.year)
    assignments = (
        RoleAssignment.objects.filter(edition=edition)
        .select_related("user", "region", "granted_by", "revoked_by")
        .order_by("revoked_at", "role", "user__email")
    )
    return render(
        request,
        "accounts/roles.html",
        {"edition": edition, "form": form, "assignments": assignments},
    )


@edition_permission(MANAGE_ROLES)
@require_POST
def revoke(request, edition, pk):
    assignment = get_object_or_404(RoleAssignment, pk=pk, edition=edition)
    form = RevokeRoleForm(request.POST)
    form.is_valid()
    try:
        services.revoke_role(
            assignment, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("manage:roles", year=edition.year)
