"""Applicants' pages for their organisations. Each view: authorise, form, one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import InviteForm, OrganizationForm
from .models import Invitation, Organization


def _organization_for(request, pk: int, perm: str) -> Organization:
    """404 for an unknown organisation, 403 for one the user may not `perm`."""
    organization = get_object_or_404(Organization.objects.select_related("kind", "region"), pk=pk)
    if not request.user.has_perm(perm, organization):
        raise PermissionDenied
    return organization


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def organization_list(request):
    return render(
        request,
        "organizations/list.html",
        {"organizations": selectors.organizations_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.register_organization(form.instance, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The organisation is registered."))
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request, "organizations/form.html", {"form": form, "title": _("Register an organisation")}
    )


def _detail_page(request, organization, invite_form):
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "members": selectors.members_of(organization),
            "invitations": selectors.pending_invitations(organization),
            "invite_form": invite_form,
            "can_change": request.user.has_perm("organizations.change_organization", organization),
            "can_invite": request.user.has_perm("organizations.invite_member", organization),
        },
    )


@login_required
def detail(request, pk):
    organization = _organization_for(request, pk, "organizations.view_organization")
    return _detail_page(request, organization, InviteForm())


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    organization = _organization_for(request, pk, "organizations.change_organization")
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(form.instance, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "organization": organization, "title": _("Edit organisation")},
    )


@login_required
@require_POST
def invite(request, pk):
    organization = _organization_for(request, pk, "organizations.invite_member")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite(organization, form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organizations:detail", pk=organization.pk)
    return _detail_page(request, organization, form)


@login_required
@require_http_methods(["GET", "POST"])
def join(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    problem = selectors.invitation_problem(invitation, request.user)
    if request.method == "POST":
        try:
            services.accept_invitation(token, user=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("You are now a member of «%(organization)s».")
                % {"organization": invitation.organization},
            )
            return redirect("organizations:detail", pk=invitation.organization_id)
    return render(
        request, "organizations/join.html", {"invitation": invitation, "problem": problem}
    )
