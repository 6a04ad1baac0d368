from django.core.paginator import Paginator
from django.shortcuts import render

from smartdialog.core.decorators import edition_permission

from .forms import AuditFilterForm
from .models import AuditEntry
from .selectors import entries_for


@edition_permission("audit.view_log")
def log(request, edition):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = entries_for(edition, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEntry.objects.filter(edition=edition)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "edition": edition,
            "form": form,
            "page": page,
            "actions": actions,
            "query": query.urlencode(),
        },
    )
