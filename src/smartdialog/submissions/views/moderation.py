"""Moderators' pages: the queue with filters and bulk actions, one application's review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import users_with_roles
from smartdialog.core.decorators import edition_permission

from .. import passport, selectors, services
from ..enums import SubmissionState
from ..forms import (
    AssignForm,
    ChecklistForm,
    CompareForm,
    ExtendDeadlineForm,
    FieldCommentsForm,
    MoveNominationForm,
    QueueFilterForm,
)
from ..models import Submission

MODERATE = "submissions.moderate_submission"
S = SubmissionState


def _moderators(edition):
    return users_with_roles(edition, [Role.MODERATOR, Role.ORGANISER])


def _submission(edition, pk) -> Submission:
    """Only applications of the edition in the URL: another edition's id is a 404."""
    return get_object_or_404(
        Submission.objects.select_related("edition", "nomination", "organization"),
        pk=pk,
        edition=edition,
    )


def _back(submission):
    return redirect("moderation:review", year=submission.edition.year, pk=submission.pk)


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@edition_permission(MODERATE)
def queue(request, edition):
    moderators = _moderators(edition)
    form = QueueFilterForm(request.GET or None, edition=edition, moderators=moderators)
    filters = form.filters() if form.is_valid() else {}
    page = Paginator(selectors.moderation_queue(edition, **filters), 50).get_page(
        request.GET.get("page")
    )
    for submission in page:  # `number` needs the edition; it is the same for every row
        submission.edition = edition
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "submissions/moderation/queue.html",
        {
            "edition": edition,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "assign_form": AssignForm(moderators=moderators),
        },
    )


@edition_permission(MODERATE)
@require_POST
def bulk(request, edition):
    """Bulk actions on the ticked rows: take into moderation, assign a moderator."""
    chosen = list(
        Submission.objects.filter(edition=edition, pk__in=request.POST.getlist("selected"))
    )
    if not chosen:
        messages.error(request, _("Tick at least one application."))
        return redirect("moderation:queue", year=edition.year)
    action = request.POST.get("action")
    try:
        if action == "take":
            taken = [s for s in chosen if s.state in (S.SUBMITTED, S.RESUBMITTED)]
            for submission in taken:
                services.take_into_moderation(submission, by=request.user)
            messages.success(request, _("Taken into moderation: %(n)s.") % {"n": len(taken)})
        elif action == "assign":
            form = AssignForm(request.POST, moderators=_moderators(edition))
            if not form.is_valid():
                raise ValidationError(_("Choose a moderator of this edition."))
            count = services.assign_moderator(
                chosen, form.cleaned_data["moderator"], by=request.user
            )
            messages.success(request, _("Assigned: %(n)s.") % {"n": count})
        else:
            messages.error(request, _("Choose an action."))
    except ValidationError as error:
        _report(request, error)
    url = reverse("moderation:queue", args=[edition.year])
    return redirect(f"{url}?{request.POST.get('query', '')}")


@edition_permission(MODERATE)
def review(request, edition, pk):
    submission = _submission(edition, pk)
    versions = list(submission.versions.order_by("number"))
    compare = CompareForm(request.GET or None)
    changes, pair = [], None
    if len(versions) > 1:
        by_number = {v.number: v for v in versions}
        old, new = versions[-2], versions[-1]
        if compare.is_valid():
            old = by_number.get(compare.cleaned_data["old"], old)
            new = by_number.get(compare.cleaned_data["new"], new)
        changes, pair = passport.diff(old.data, new.data), (old, new)
    latest = versions[-1] if versions else None
    return render(
        request,
        "submissions/moderation/review.html",
        {
            "edition": edition,
            "submission": submission,
            "versions": versions,
            "latest": latest,
            "latest_rows": passport.display_rows(latest.data) if latest else [],
            "changes": changes,
            "pair": pair,
            "transitions": submission.transitions.select_related("by", "version"),
            "checklist_form": ChecklistForm(),
            "notes_form": FieldCommentsForm(),
            "assign_form": AssignForm(
                moderators=_moderators(edition), initial={"moderator": submission.moderator}
            ),
            "move_form": MoveNominationForm(edition=edition),
            "extend_form": ExtendDeadlineForm(),
            "actions": services.available_transitions(request.user, submission) - {S.WITHDRAWN},
            "deadline": services.deadline(submission),
            "comments": [
                (passport.label(c.field), c)
                for c in submission.comments.select_related("author", "version")
            ],
            "can_extend": request.user.has_perm("submissions.manage_intake", submission),
        },
    )


@edition_permission(MODERATE)
@require_POST
def decide(request, edition, pk):
    """Take into moderation, return, admit or reject: one service call each."""
    submission = _submission(edition, pk)
    decision = request.POST.get("decision")
    form = ChecklistForm(request.POST)
    notes = FieldCommentsForm(request.POST)
    form.is_valid()
    notes.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if decision == S.RETURNED:
            services.return_for_revision(
                submission, by=request.user, comment=comment, field_comments=notes.notes()
            )
        elif decision == S.IN_MODERATION:
            services.take_into_moderation(submission, by=request.user)
        elif decision in (S.ADMITTED, S.REJECTED):
            services.set_state(
                submission,
                decision,
                by=request.user,
                comment=comment,
                checklist=form.checklist(),
            )
        else:
            raise ValidationError(_("Unknown decision."))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("Done: the application is now %(state)s.") % {"state": S(decision).label}
        )
    return _back(submission)


@edition_permission(MODERATE)
@require_POST
def assign(request, edition, pk):
    submission = _submission(edition, pk)
    form = AssignForm(request.POST, moderators=_moderators(edition))
    if form.is_valid():
        services.assign_moderator([submission], form.cleaned_data["moderator"], by=request.user)
        messages.success(request, _("Moderator assigned."))
    else:
        messages.error(request, _("Choose a moderator of this edition."))
    return _back(submission)


def _side_action(request, submission, form, action, done: str):
    """Validate a side form, make one service call with its data, report, go back."""
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        action(form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, done)
    return _back(submission)


@edition_permission(MODERATE)
@require_POST
def move(request, edition, pk):
    submission = _submission(edition, pk)
    return _side_action(
        request,
        submission,
        MoveNominationForm(request.POST, edition=edition),
        lambda data: services.move_nomination(
            submission, data["nomination"], by=request.user, reason=data["reason"]
        ),
        _("The application has been moved; the applicant is told."),
    )


@edition_permission("submissions.manage_intake")
@require_POST
def extend(request, edition, pk):
    submission = _submission(edition, pk)
    return _side_action(
        request,
        submission,
        ExtendDeadlineForm(request.POST),
        lambda data: services.extend_deadline(
            submission, data["until"], by=request.user, reason=data["reason"]
        ),
        _("The deadline of this application has been extended."),
    )
