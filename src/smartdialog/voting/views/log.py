"""The public side of the sealed log: a receipt check, the chain head and the downloads.

Nothing here shows personal data: a vote appears as its receipt, the voter's pseudonym, the
entry, the section, the region code and the time cast (`sealing.line`).
"""

from django import forms
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from smartdialog.contests.selectors import current_edition, public_edition

from .. import sealing, services
from ..models import Ballot, SealedBatch, Vote


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Receipt code"),
        max_length=40,
        help_text=gettext_lazy("As shown after voting, e.g. K7Q4-9XMD-2P."),
        error_messages={"required": gettext_lazy("Enter the receipt code you were given.")},
    )

    def clean_code(self):
        code = services.normalise_receipt(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "A receipt code has 10 letters and digits, e.g. K7Q4-9XMD-2P: "
                    "check what you typed."
                )
            )
        return code


def _ballot(request) -> Ballot:
    """The ballot of `?year=` or of the current edition; a 404 when there is none."""
    year = request.GET.get("year", "")
    edition = public_edition(int(year), request.user) if year.isdigit() else current_edition()
    ballot = Ballot.objects.filter(edition=edition).select_related("edition").first()
    if edition is None or ballot is None:
        raise Http404(_("There is no vote for this edition."))
    return ballot


def _upto(request) -> int | None:
    value = request.GET.get("upto", "")
    return int(value) if value.isdigit() else None


@require_GET
def receipt(request):
    form = ReceiptForm(request.GET or None)
    vote = None
    if form.is_valid():
        vote = (
            Vote.objects.filter(receipt=form.cleaned_data["code"])
            .select_related("batch", "section", "entry__submission", "ballot__edition")
            .first()
        )
        if vote is None:
            form.add_error(
                "code",
                _(
                    "No vote has this receipt. Check the code; a receipt that was never "
                    "issued is not in the log."
                ),
            )
    excluded = bool(vote and vote.exclusions.filter(revoked_at__isnull=True).exists())
    return render(
        request, "voting/log/receipt.html", {"form": form, "vote": vote, "excluded": excluded}
    )


@require_GET
def chain(request):
    ballot = _ballot(request)
    return render(
        request,
        "voting/log/chain.html",
        {"ballot": ballot, "edition": ballot.edition, "head": sealing.head(ballot)},
    )


def _csv(rows, filename):
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def log_download(request):
    """Every sealed vote's canonical line, batch after batch (`?upto=N`: batches 1…N)."""
    ballot = _ballot(request)
    upto = _upto(request)

    def rows():
        yield sealing.HEADER + "\n"
        for _number, text in sealing.sealed_lines(ballot, upto=upto):
            yield text + "\n"

    return _csv(rows(), f"votes-{ballot.edition.year}.csv")


@require_GET
def batches_download(request):
    ballot = _ballot(request)
    batches = SealedBatch.objects.filter(ballot=ballot).order_by("number")
    upto = _upto(request)
    if upto is not None:
        batches = batches.filter(number__lte=upto)

    def rows():
        yield sealing.BATCH_HEADER + "\n"
        for b in batches.iterator():
            sealed_at = sealing.iso(b.sealed_at)
            yield f"{ballot.pk};{b.number};{b.previous_hash};{b.hash};{b.votes};{sealed_at}\n"

    return _csv(rows(), f"batches-{ballot.edition.year}.csv")
