"""Certificates: public verification by code, the applicant's own, the organisers' register."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from smartdialog.core.decorators import edition_permission

from .. import certificates
from ..models import Certificate

MANAGE = "contests.manage_edition"
NOT_FOUND = gettext_lazy(
    "No certificate with this code was found. Check the code printed on the certificate: "
    "twelve letters and digits, e.g. 7KQ4-9XMD-2PRA. A certificate that is not listed here "
    "was not issued by the contest."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the certificate, e.g. 7KQ4-9XMD-2PRA."),
        error_messages={"required": gettext_lazy("Enter the code printed on the certificate.")},
    )

    def clean_code(self):
        code = certificates.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _(
                    "A certificate code has 12 letters and digits, e.g. 7KQ4-9XMD-2PRA: "
                    "check what you typed."
                )
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        error_messages={"required": gettext_lazy("Say why the certificate is revoked.")},
    )


def _verification_url(request, certificate) -> str:
    return request.build_absolute_uri(reverse("certificates:detail", args=[certificate.code]))


@require_GET
def verify(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("certificates:detail", code=form.cleaned_data["code"])
    return render(request, "results/certificates/verify.html", {"form": form})


@require_GET
def detail(request, code):
    certificate = certificates.find(code)
    if certificate is None:
        form = CodeForm(initial={"code": code})
        return render(
            request,
            "results/certificates/verify.html",
            {"form": form, "not_found": NOT_FOUND},
            status=404,
        )
    if certificate.code != code:
        return redirect("certificates:detail", code=certificate.code)
    return render(
        request,
        "results/certificates/detail.html",
        {
            "certificate": certificate,
            "title": certificates.title(certificate),
            "statement": certificates.statement(certificate),
            "may_download": certificates.may_download(request.user, certificate),
        },
    )


@require_GET
def pdf(request, code):
    certificate = certificates.find(code)
    if certificate is None or certificate.revoked_at is not None:
        raise Http404(NOT_FOUND)
    if not certificates.may_download(request.user, certificate):
        raise PermissionDenied
    response = HttpResponse(
        certificates.render(certificate, url=_verification_url(request, certificate)),
        content_type="application/pdf",
    )
    name = certificates.filename(certificate)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "results/certificates/mine.html",
        {"certificates": certificates.of_user(request.user)},
    )


# --- organisers ------------------------------------------------------------------------------


@edition_permission(MANAGE)
def manage(request, edition):
    if request.method == "POST":
        try:
            issued = certificates.issue(edition, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Certificates issued: %(new)s new, %(already)s issued before.")
                % {"new": issued.total_new, "already": issued.already},
            )
        return redirect("certificates_admin:index", year=edition.year)
    return render(
        request,
        "results/certificates/manage.html",
        {
            "edition": edition,
            "certificates": certificates.of_edition(edition),
            "due": len(certificates.recipients(edition)),
            "revoke_form": RevokeForm(),
        },
    )


@require_POST
@edition_permission(MANAGE)
def revoke(request, edition, pk):
    certificate = get_object_or_404(Certificate, pk=pk, submission__edition=edition)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.revoke(certificate, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Certificate %(code)s is revoked.") % {"code": certificate.code}
            )
    else:
        messages.error(request, form.errors["reason"][0])
    return redirect("certificates_admin:index", year=edition.year)
