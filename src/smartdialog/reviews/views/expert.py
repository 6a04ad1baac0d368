"""The expert's pages: invitations and assignments, scoring, files, conflict declaration.

Every page about one assignment fetches and authorises in one step (`_assignment_for`):
an unknown id is a 404, anything but the user's own active assignment a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smartdialog.submissions import passport

from .. import pool, selectors, services
from ..enums import ReviewState
from ..forms import ConflictForm, ReviewForm
from ..models import Expert, ReviewAssignment


def _assignment_for(request, pk: int) -> ReviewAssignment:
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "expert__edition", "submission__edition", "submission__nomination"
        ),
        pk=pk,
    )
    if not request.user.has_perm("reviews.score_reviewassignment", assignment):
        raise PermissionDenied
    return assignment


@login_required
def home(request):
    return render(
        request,
        "reviews/expert/home.html",
        {
            "invitations": selectors.invitations_of(request.user),
            "groups": selectors.assignments_by_edition(request.user),
        },
    )


@login_required
@require_POST
def respond(request, pk):
    """Accept or decline an invitation (`accept` = 1 or 0) through `pool.respond`."""
    expert = get_object_or_404(Expert.objects.select_related("edition"), pk=pk)
    if expert.user_id != request.user.pk:
        raise PermissionDenied
    accept = request.POST.get("accept") == "1"
    try:
        pool.respond(expert, accept, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("You have accepted the invitation.")
            if accept
            else _("You have declined the invitation."),
        )
    return redirect("expert:home")


def _review_page(request, assignment, form, *, is_open, review):
    version = selectors.frozen_version(assignment.submission)
    return render(
        request,
        "reviews/expert/review.html",
        {
            "assignment": assignment,
            "submission": assignment.submission,
            "edition": assignment.expert.edition,
            "version": version,
            "rows": passport.display_rows(version.data) if version else [],
            "attachments": version.data.get("attachments", []) if version else [],
            "form": form,
            "review": review,
            "is_open": is_open,
            "conflict_form": ConflictForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The frozen version and the scoring form; read-only once the stage has closed."""
    assignment = _assignment_for(request, pk)
    edition = assignment.expert.edition
    is_open = services.evaluation_open(edition)
    review = selectors.own_review(assignment)
    criteria = edition.criteria.all()
    if request.method == "GET" or not is_open:
        if request.method == "POST":
            messages.error(request, _("Expert evaluation is closed: scores can no longer change."))
        form = ReviewForm(criteria=criteria, review=review, read_only=not is_open)
        return _review_page(request, assignment, form, is_open=is_open, review=review)
    form = ReviewForm(request.POST, criteria=criteria)
    # A submitted review counts in the ranking: it may change only as a whole, never go back
    # to an incomplete draft (services.save_review does not refuse that yet; see the report).
    submit = "submit" in request.POST or getattr(review, "state", None) == ReviewState.SUBMITTED
    if form.is_valid():
        try:
            services.save_review(
                assignment,
                by=request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Your review has been submitted.") if submit else _("Draft saved."),
            )
            return redirect("expert:review", pk=assignment.pk)
    messages.error(request, _("The review has not been saved: correct the marked fields."))
    return _review_page(request, assignment, form, is_open=is_open, review=review)


@login_required
def download(request, pk, attachment_id):
    """A file of the frozen version, only to the assigned expert; others' ids are 404."""
    assignment = _assignment_for(request, pk)
    version = selectors.frozen_version(assignment.submission)
    attachment = selectors.version_attachment(version, attachment_id)
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def conflict(request, pk):
    """«Declare a conflict of interest»: withdraw this assignment and reassign the gap."""
    assignment = _assignment_for(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["comment"]))
        return redirect("expert:review", pk=assignment.pk)
    if not services.evaluation_open(assignment.expert.edition):
        messages.error(request, _("Expert evaluation is closed: ask the organisers."))
        return redirect("expert:review", pk=assignment.pk)
    try:
        result = services.declare_conflict(
            assignment, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("expert:review", pk=assignment.pk)
    messages.success(
        request,
        _(
            "Conflict of interest recorded: application %(number)s has been taken off your "
            "list and will not be given to you again."
        )
        % {"number": assignment.submission.number},
    )
    reassigned = any(a == assignment.submission_id for a, _e in result.pairs)
    if not reassigned:
        messages.warning(
            request,
            _(
                "Another expert could not be found automatically; the organisers will "
                "reassign the application by hand."
            ),
        )
    else:
        messages.info(request, _("The application has been given to another expert."))
    return redirect("expert:home")
