"""The applicant's pages: my applications, the passport editor, files, submit, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smartdialog.contests.selectors import editions_open_for_intake

from .. import passport, selectors, services
from ..enums import SubmissionState
from ..forms import AttachmentForm, NewSubmissionForm, PassportForm, ResultFormSet, result_rows
from ..models import Attachment, Submission


def _submission_for(request, pk: int, perm: str) -> Submission:
    """Fetch and authorise in one step: 404 for an unknown id, 403 without the right."""
    submission = get_object_or_404(
        Submission.objects.select_related("edition", "nomination", "organization"), pk=pk
    )
    if not request.user.has_perm(perm, submission):
        raise PermissionDenied
    return submission


@login_required
def my_submissions(request):
    return render(
        request, "submissions/list.html", {"submissions": selectors.submissions_of(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """A new draft in an edition whose intake is open (`?edition=<year>` picks one)."""
    open_editions = editions_open_for_intake()
    year = request.GET.get("edition", "")
    edition = (open_editions.filter(year=year).first() if year.isdigit() else None) or (
        open_editions.first()
    )
    if edition is None:
        return render(request, "submissions/create.html", {"edition": None})
    form = NewSubmissionForm(request.POST or None, user=request.user, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.create_draft(
                edition=edition, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("submissions:edit", pk=submission.pk)
    return render(request, "submissions/create.html", {"form": form, "edition": edition})


@login_required
def detail(request, pk):
    submission = _submission_for(request, pk, "submissions.view_submission")
    return render(
        request,
        "submissions/detail.html",
        {
            "submission": submission,
            "versions": submission.versions.order_by("-number"),
            "transitions": submission.transitions.select_related("by"),
            "comments": [
                (passport.label(field), comment)
                for field, items in selectors.open_comments(submission).items()
                for comment in items
            ],
            "attachments": selectors.current_attachments(submission),
            "deadline": services.deadline(submission),
            "can_edit": request.user.has_perm("submissions.change_submission", submission),
            "can_withdraw": SubmissionState.WITHDRAWN
            in services.available_transitions(request.user, submission),
        },
    )


def _editor(request, submission, form, results, *, conflict=None, status=200):
    comments = selectors.open_comments(submission)
    return render(
        request,
        "submissions/edit.html",
        {
            "submission": submission,
            "form": form,
            "results": results,
            "fields": [
                (form[name], comments.get(name, []))
                for name in form.fields
                if name != "lock_version"
            ],
            "attachment_form": AttachmentForm(),
            "attachments": selectors.current_attachments(submission),
            "missing": passport.missing_for_submission(submission),
            "comments": comments,
            "deadline": services.deadline(submission),
            "conflict": conflict,
            "conflict_differences": passport.conflict_differences(submission, conflict.data)
            if conflict
            else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The passport editor; `autosave` (htmx) and the submit button post here too."""
    submission = _submission_for(request, pk, "submissions.change_submission")
    form = PassportForm(request.POST or None, instance=submission)
    results = ResultFormSet(
        request.POST or None, queryset=submission.results.all(), prefix="results"
    )
    if request.method == "GET":
        return _editor(request, submission, form, results)
    autosave = request.htmx and request.POST.get("autosave")
    if not (form.is_valid() and results.is_valid()):
        if autosave:
            return render(
                request,
                "submissions/_partials/autosave.html",
                {"ok": False, "submission": submission},
            )
        return _editor(request, submission, form, results)
    fields, many = form.split()
    try:
        submission = services.save_draft(
            submission,
            fields=fields,
            many=many,
            results=result_rows(results),
            by=request.user,
            expected_version=form.cleaned_data["lock_version"],
        )
    except services.DraftConflictError as conflict:
        messages.error(
            request,
            _(
                "Another member saved this application while you were editing. Your text is kept "
                "below and in the conflict log; compare it with the saved text and save again."
            ),
        )
        form.data = form.data.copy()
        form.data["lock_version"] = conflict.current.lock_version
        return _editor(
            request,
            conflict.current,
            form,
            results,
            conflict=conflict.conflict,
            status=409 if autosave else 200,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("submissions:detail", pk=submission.pk)
    if autosave:
        return render(
            request,
            "submissions/_partials/autosave.html",
            {"ok": True, "submission": submission, "saved_at": timezone.now()},
        )
    if "submit" in request.POST:
        return _submit(request, submission)
    messages.success(request, _("Draft saved."))
    return redirect("submissions:edit", pk=submission.pk)


def _submit(request, submission):
    try:
        services.submit(submission, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("submissions:edit", pk=submission.pk)
    messages.success(request, _("The application has been sent to moderation."))
    return redirect("submissions:detail", pk=submission.pk)


@login_required
@require_POST
def submit(request, pk):
    submission = _submission_for(request, pk, "submissions.change_submission")
    return _submit(request, submission)


@login_required
@require_POST
def withdraw(request, pk):
    submission = _submission_for(request, pk, "submissions.view_submission")
    try:
        services.set_state(
            submission,
            SubmissionState.WITHDRAWN,
            by=request.user,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("submissions:detail", pk=submission.pk)


@login_required
@require_POST
def upload(request, pk):
    submission = _submission_for(request, pk, "submissions.change_submission")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(submission, form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("File uploaded."))
    else:
        messages.error(request, " ".join(form.errors["file"]))
    return redirect("submissions:edit", pk=submission.pk)


@login_required
@require_POST
def remove_file(request, pk, attachment_id):
    submission = _submission_for(request, pk, "submissions.change_submission")
    attachment = get_object_or_404(
        Attachment, pk=attachment_id, submission=submission, removed_at__isnull=True
    )
    services.remove_attachment(attachment, by=request.user)
    messages.success(request, _("File removed."))
    return redirect("submissions:edit", pk=submission.pk)


@login_required
def download(request, pk, attachment_id):
    """Any file ever attached (versions list removed ones too) to those who may see it."""
    submission = _submission_for(request, pk, "submissions.view_submission")
    attachment = get_object_or_404(Attachment, pk=attachment_id, submission=submission)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
