"""Everything that changes an application. `set_state` is the only writer of `state`."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from smartdialog.audit.services import record
from smartdialog.contests.enums import StageKind
from smartdialog.contests.selectors import stage_window
from smartdialog.notifications.services import enqueue
from smartdialog.organizations.selectors import members_of

from . import passport
from .enums import (
    ALLOWED_TRANSITIONS,
    EDITABLE_STATES,
    FREEZING_STATES,
    NOTICE_KEYS,
    ChecklistItem,
    SubmissionState,
)
from .models import (
    Attachment,
    DraftConflict,
    ModerationComment,
    ResultIndicator,
    Submission,
    SubmissionTransition,
    SubmissionVersion,
)
from .rules import can_transition
from .validators import validate_attachment

S = SubmissionState


class DraftConflictError(Exception):
    """Another member saved first; `conflict` keeps the text that lost, `current` the winner."""

    def __init__(self, current: Submission, conflict: DraftConflict):
        super().__init__("draft changed since it was opened")
        self.current = current
        self.conflict = conflict


# --- deadlines ---------------------------------------------------------------------------


def deadline(submission: Submission):
    """The last moment this application may be submitted or resubmitted."""
    window = stage_window(submission.edition, StageKind.INTAKE)
    end = window[1] if window else None
    if submission.deadline_override and (end is None or submission.deadline_override > end):
        return submission.deadline_override
    return end


def intake_open(submission: Submission, now=None) -> bool:
    now = now or timezone.now()
    window = stage_window(submission.edition, StageKind.INTAKE)
    end = deadline(submission)
    return window is not None and window[0] <= now <= end


def _require_intake_open(submission: Submission) -> None:
    if not intake_open(submission):
        end = deadline(submission)
        when = date_format(timezone.localtime(end), "j E Y, H:i") if end else "—"
        raise ValidationError(
            _("Intake is closed: the deadline was %(deadline)s (Moscow time).") % {"deadline": when}
        )


# --- drafts ------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, edition, organization, nomination, title: str, by) -> Submission:
    if nomination.edition_id != edition.pk:
        raise ValidationError({"nomination": _("This nomination belongs to another edition.")})
    submission = Submission(
        edition=edition,
        organization=organization,
        nomination=nomination,
        title=title.strip(),
        created_by=by,
    )
    end = deadline(submission)
    if end is not None and timezone.now() > end:
        raise ValidationError(_("Intake for this edition is over."))
    submission.save()
    record(by, "submissions.draft_created", submission, after={"title": submission.title})
    return submission


def save_draft(
    submission: Submission,
    *,
    fields: dict,
    many: dict,
    results: list[dict],
    by,
    expected_version: int,
) -> Submission:
    """Save the passport if nobody saved since `expected_version`; else keep both texts.

    The losing text is stored as a `DraftConflict` in its own transaction, so it survives
    the `DraftConflictError` the caller gets.
    """
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk, lock_version=expected_version, state__in=EDITABLE_STATES
        ).update(**fields, lock_version=F("lock_version") + 1, updated_at=timezone.now())
        if updated:
            submission.refresh_from_db()
            for name, values in many.items():
                getattr(submission, name).set(values)
            submission.results.all().delete()
            ResultIndicator.objects.bulk_create(
                ResultIndicator(submission=submission, order=i, **row)
                for i, row in enumerate(results)
            )
            return submission
    current = Submission.objects.get(pk=submission.pk)
    if current.state not in EDITABLE_STATES:
        raise ValidationError(
            _("The application is %(state)s and cannot be edited now.")
            % {"state": current.get_state_display()}
        )
    conflict = DraftConflict.objects.create(
        submission=current,
        author=by,
        based_on_version=expected_version,
        data=passport.jsonable({**fields, "results": results}),
    )
    raise DraftConflictError(current, conflict)


# --- attachments -------------------------------------------------------------------------


@transaction.atomic
def add_attachment(submission: Submission, uploaded, *, by) -> Attachment:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state not in EDITABLE_STATES:
        raise ValidationError(_("Files can be added only to a draft or a returned application."))
    stored = submission.attachments.filter(removed_at__isnull=True).aggregate(t=Sum("size"))["t"]
    content_type = validate_attachment(uploaded, already_stored=stored or 0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment.objects.create(
        submission=submission,
        file=uploaded,
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    record(by, "submissions.attachment_added", submission, after=attachment.as_version_data())
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    if attachment.submission.state not in EDITABLE_STATES:
        raise ValidationError(
            _("Files can be removed only from a draft or a returned application.")
        )
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])
    record(
        by,
        "submissions.attachment_removed",
        attachment.submission,
        before=attachment.as_version_data(),
    )


# --- the state machine -------------------------------------------------------------------


def _check_rule(submission: Submission, new_state: str, comment: str, checklist) -> None:
    """What must hold to enter `new_state`, beyond the transition being allowed."""
    if new_state in FREEZING_STATES:
        _require_intake_open(submission)
        missing = passport.missing_for_submission(submission)
        if missing:
            raise ValidationError(missing)
    if new_state in (S.RETURNED, S.REJECTED) and not comment.strip():
        raise ValidationError({"comment": _("Explain the decision to the applicant.")})
    if new_state in (S.ADMITTED, S.REJECTED):
        if checklist is None or set(checklist) != set(ChecklistItem.values):
            raise ValidationError({"checklist": _("Answer every item of the checklist.")})
        if new_state == S.ADMITTED and not all(checklist.values()):
            raise ValidationError(
                {
                    "checklist": _(
                        "An application is admitted only when every checklist item is met."
                    )
                }
            )


def _notify(submission: Submission, key: str, comment: str = "", **extra) -> None:
    """Queue `key` to every member of the applicant organisation."""
    context = {
        "submission_title": submission.title,
        "submission_number": submission.number,
        "organization": str(submission.organization),
        "nomination": str(submission.nomination),
        "edition": str(submission.edition),
        "state_label": str(submission.get_state_display()),
        "comment": comment,
        "url": submission_url(submission),
        **extra,
    }
    emails = [m.user.email for m in members_of(submission.organization)]
    for email in dict.fromkeys([*emails, submission.organization.contact_email]):
        enqueue(key, email, context, related=submission)


def submission_url(submission: Submission) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("submissions:detail", args=[submission.pk])


@transaction.atomic
def set_state(
    submission: Submission, new_state: str, *, by, comment: str = "", checklist: dict | None = None
) -> SubmissionTransition:
    """Move an application to `new_state`: the single entry point of its lifecycle.

    Locks the row, checks the transition, who makes it and the rule for the target state,
    freezes a version on (re)submission, records the transition and the audit entry, and
    queues the notice to the organisation's members — all in one transaction.
    """
    submission = (
        Submission.objects.select_for_update()
        .select_related("edition", "organization", "nomination")
        .get(pk=submission.pk)
    )
    old_state = submission.state
    if new_state not in ALLOWED_TRANSITIONS[old_state]:
        raise ValidationError(
            _("An application that is %(old)s cannot become %(new)s.")
            % {"old": submission.get_state_display(), "new": S(new_state).label},
            code="transition",
        )
    if not can_transition(by, submission, new_state):
        raise PermissionDenied(_("You may not make this change to the application."))
    _check_rule(submission, new_state, comment, checklist)
    version = None
    if new_state in FREEZING_STATES:
        number = submission.versions.count() + 1
        version = SubmissionVersion.objects.create(
            submission=submission, number=number, created_by=by, data=passport.snapshot(submission)
        )
    now = timezone.now()
    submission.state = new_state
    submission.state_changed_at = now
    update = ["state", "state_changed_at"]
    if new_state == S.SUBMITTED and submission.submitted_at is None:
        submission.submitted_at = now
        update.append("submitted_at")
    submission.save(update_fields=update)
    transition = SubmissionTransition.objects.create(
        submission=submission,
        from_state=old_state,
        to_state=new_state,
        by=by,
        comment=comment.strip(),
        checklist=checklist,
        version=version,
    )
    record(
        by,
        f"submissions.{new_state}",
        submission,
        before={"state": old_state},
        after={"state": new_state, "checklist": checklist},
        reason=comment.strip(),
    )
    _notify(submission, NOTICE_KEYS[new_state], comment.strip())
    return transition


def available_transitions(user, submission: Submission) -> set[str]:
    """The states `user` may move `submission` to now (before the rules for each are checked)."""
    return {s for s in ALLOWED_TRANSITIONS[submission.state] if can_transition(user, submission, s)}


@transaction.atomic
def take_into_moderation(submission: Submission, *, by) -> SubmissionTransition:
    """Start checking an application; it becomes the moderator's if nobody has it yet."""
    transition = set_state(submission, S.IN_MODERATION, by=by)
    submission.refresh_from_db()
    if submission.moderator_id is None:
        assign_moderator([submission], by, by=by)
    return transition


def submit(submission: Submission, *, by) -> SubmissionTransition:
    """Submit a draft, or resubmit a returned application."""
    target = S.RESUBMITTED if submission.state == S.RETURNED else S.SUBMITTED
    return set_state(submission, target, by=by)


@transaction.atomic
def return_for_revision(
    submission: Submission, *, by, comment: str, field_comments: dict[str, str]
) -> SubmissionTransition:
    """Return with a general comment and remarks on fields of the version under review."""
    version = submission.versions.order_by("-number").first()
    for field, text in field_comments.items():
        if text.strip():
            ModerationComment.objects.create(
                submission=submission, version=version, field=field, text=text.strip(), author=by
            )
    return set_state(submission, S.RETURNED, by=by, comment=comment)


# --- moderation housekeeping -------------------------------------------------------------


@transaction.atomic
def assign_moderator(submissions, moderator, *, by) -> int:
    """Assign (or, with None, unassign) applications of one edition to a moderator."""
    count = 0
    for submission in Submission.objects.select_for_update().filter(
        pk__in=[s.pk for s in submissions]
    ):
        if not by.has_perm("submissions.moderate_submission", submission):
            raise PermissionDenied
        if moderator is not None and not moderator.has_perm(
            "submissions.moderate_submission", submission
        ):
            raise ValidationError(
                _("%(user)s is not a moderator of this edition.") % {"user": moderator.email}
            )
        before = submission.moderator.email if submission.moderator else None
        submission.moderator = moderator
        submission.save(update_fields=["moderator"])
        record(
            by,
            "submissions.moderator_assigned",
            submission,
            before={"moderator": before},
            after={"moderator": moderator.email if moderator else None},
        )
        count += 1
    return count


@transaction.atomic
def move_nomination(submission: Submission, nomination, *, by, reason: str) -> Submission:
    """Move an application to another nomination of its edition; the applicant is told."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if nomination.edition_id != submission.edition_id:
        raise ValidationError({"nomination": _("This nomination belongs to another edition.")})
    if nomination.pk == submission.nomination_id:
        raise ValidationError({"nomination": _("The application is already in this nomination.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the nomination changes.")})
    old = submission.nomination
    submission.nomination = nomination
    submission.save(update_fields=["nomination"])
    record(
        by,
        "submissions.nomination_changed",
        submission,
        before={"nomination": str(old)},
        after={"nomination": str(nomination)},
        reason=reason,
    )
    _notify(
        submission,
        "submission.nomination_changed",
        reason,
        old_nomination=str(old),
        new_nomination=str(nomination),
    )
    return submission


@transaction.atomic
def extend_deadline(submission: Submission, until, *, by, reason: str) -> Submission:
    """Give one application more time than the edition's intake deadline."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline is extended.")})
    window = stage_window(submission.edition, StageKind.INTAKE)
    if window and until <= window[1]:
        raise ValidationError(
            {"until": _("The new deadline must be later than the edition's intake deadline.")}
        )
    before = submission.deadline_override
    submission.deadline_override = until
    submission.save(update_fields=["deadline_override"])
    record(
        by,
        "submissions.deadline_extended",
        submission,
        before={"deadline": before},
        after={"deadline": until},
        reason=reason,
    )
    return submission


def remind_draft_owners(now=None) -> int:
    """Queue one reminder per draft whose deadline is DEADLINE_REMINDER_DAYS away or less."""
    from django.conf import settings

    now = now or timezone.now()
    horizon = now + timezone.timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    sent = 0
    drafts = Submission.objects.filter(state=S.DRAFT).select_related(
        "edition", "organization", "nomination"
    )
    for submission in drafts:
        end = deadline(submission)
        if end is None or not now < end <= horizon or submission.reminded_for == end:
            continue
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if locked.reminded_for == end:
                continue
            locked.reminded_for = end
            locked.save(update_fields=["reminded_for"])
            days_left = max((end - now).days, 0)
            _notify(
                submission,
                "submission.deadline_reminder",
                deadline=date_format(timezone.localtime(end), "j E Y, H:i"),
                days_left=days_left,
            )
        sent += 1
    return sent
