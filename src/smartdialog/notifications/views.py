"""Organisers watch the edition's outbox and edit its mail texts. Each view: authorise, form,
one service call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smartdialog.core.decorators import edition_permission

from . import selectors, services
from .defaults import DEFAULTS, LANGUAGES, SAMPLE_CONTEXT
from .forms import MailTemplateForm, OutboxFilterForm
from .models import OutboundMessage

MANAGE_MAIL = "notifications.manage_mail"


def _known(key: str, language: str) -> None:
    if key not in DEFAULTS or language not in LANGUAGES:
        raise Http404


@edition_permission(MANAGE_MAIL)
def outbox(request, edition):
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.messages_for(edition, **filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/outbox.html",
        {"edition": edition, "form": form, "page": page, "query": query.urlencode()},
    )


@edition_permission(MANAGE_MAIL)
@require_POST
def retry(request, edition, pk):
    message = get_object_or_404(OutboundMessage, pk=pk, edition=edition)
    try:
        services.retry(message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:outbox", year=edition.year)


@edition_permission(MANAGE_MAIL)
def templates(request, edition):
    return render(
        request,
        "notifications/templates.html",
        {"edition": edition, "rows": selectors.template_rows(edition)},
    )


@edition_permission(MANAGE_MAIL)
@require_http_methods(["GET", "POST"])
def template_edit(request, edition, key, language):
    """Edit the override; the "preview" button renders the text with sample values unsaved."""
    _known(key, language)
    template = services.template_for(edition, key, language)
    form = MailTemplateForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    if request.method == "POST" and form.is_valid():
        if "preview" not in request.POST:
            try:
                services.save_template(edition, key, language, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                messages.success(request, _("Mail template saved."))
                return redirect("notifications:templates", year=edition.year)
        template.subject, template.body = form.cleaned_data["subject"], form.cleaned_data["body"]
    preview = None
    if not form.is_bound or not form.errors:
        preview = services.render_preview(template, SAMPLE_CONTEXT)
    return render(
        request,
        "notifications/template_edit.html",
        {
            "edition": edition,
            "form": form,
            "key": key,
            "language": language,
            "default": DEFAULTS[key],
            "overridden": template.pk is not None,
            "preview": preview,
        },
    )


@edition_permission(MANAGE_MAIL)
@require_POST
def template_reset(request, edition, key, language):
    _known(key, language)
    if services.reset_template(edition, key, language, by=request.user):
        messages.success(request, _("The default text is used again."))
    return redirect("notifications:templates", year=edition.year)
