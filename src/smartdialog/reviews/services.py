"""Assigning applications to experts, conflicts, and saving reviews; every change audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record
from smartdialog.contests.enums import StageKind
from smartdialog.contests.selectors import stage_window
from smartdialog.submissions.selectors import admitted_in

from . import assignment as engine
from .conflicts import ConflictIndex, reasons
from .enums import AssignmentSource, ConflictReason, ExpertStatus, ReviewState
from .models import Conflict, Expert, Review, ReviewAssignment, ReviewSettings, Score


def settings_for(edition) -> ReviewSettings:
    return ReviewSettings.objects.get_or_create(edition=edition)[0]


def _active(assignments):
    return assignments.filter(withdrawn_at__isnull=True)


def accepted_experts(edition) -> list[Expert]:
    return list(
        Expert.objects.filter(edition=edition, status=ExpertStatus.ACCEPTED).prefetch_related(
            "nominations", "declared_organizations", "declared_regions"
        )
    )


@transaction.atomic
def run_assignment(edition, *, by) -> engine.Result:
    """Give every admitted application K evaluations by experts of its nomination.

    Started evaluations stay as they are: active assignments are passed to the solver as
    fixed; it only adds. Nominations that cannot be covered come back as `problems`.
    """
    config = settings_for(edition)
    experts = accepted_experts(edition)
    index = ConflictIndex(experts, exclude_own_region=config.exclude_own_region)
    submissions = list(admitted_in(edition))
    applications = [
        engine.Application(
            id=s.pk,
            nomination=s.nomination.code,  # codes are unique per edition and read well
            conflicts=index.experts_in_conflict(s),
            topics=frozenset(s.nomination.title.lower().split()),
        )
        for s in submissions
    ]
    pool = [
        engine.Expert(
            id=e.pk,
            capacity=e.capacity,
            pools=frozenset(n.code for n in e.nominations.all()),
            topics=e.topics,
        )
        for e in experts
    ]
    existing = [
        engine.Existing(application_id=a.submission_id, expert_id=a.expert_id)
        for a in _active(ReviewAssignment.objects.filter(expert__edition=edition))
    ]
    result = engine.solve(
        applications, pool, k=config.evaluations_per_application, existing=existing
    )
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            submission_id=a, expert_id=e, source=AssignmentSource.AUTOMATIC, created_by=by
        )
        for a, e in result.pairs
    )
    record(
        by,
        "reviews.assignment_run",
        None,
        edition=edition,
        after={
            "new_assignments": len(result.pairs),
            "problems": [p.message for p in result.problems],
        },
    )
    return result


def _check_can_take(expert: Expert, submission, config: ReviewSettings) -> None:
    if expert.status != ExpertStatus.ACCEPTED:
        raise ValidationError(_("%(expert)s has not accepted the invitation.") % {"expert": expert})
    if not expert.nominations.filter(pk=submission.nomination_id).exists():
        raise ValidationError(
            _("%(expert)s does not evaluate nomination %(code)s.")
            % {"expert": expert, "code": submission.nomination.code}
        )
    found = reasons(expert, submission, exclude_own_region=config.exclude_own_region)
    if found:
        labels = ", ".join(str(ConflictReason(r).label) for r in found)
        raise ValidationError(
            _("%(expert)s has a conflict of interest with this application: %(reasons)s.")
            % {"expert": expert, "reasons": labels}
        )
    load = _active(expert.assignments).count()
    if load >= expert.capacity:
        raise ValidationError(
            _("%(expert)s already has %(load)s applications, the most they take.")
            % {"expert": expert, "load": load}
        )
    if _active(expert.assignments).filter(submission=submission).exists():
        raise ValidationError(
            _("%(expert)s already evaluates this application.") % {"expert": expert}
        )


@transaction.atomic
def assign_by_hand(submission, expert: Expert, *, by) -> ReviewAssignment:
    """An organiser's adjustment: the same rules as the solver's."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    _check_can_take(expert, submission, settings_for(expert.edition))
    assignment = ReviewAssignment.objects.create(
        expert=expert, submission=submission, source=AssignmentSource.MANUAL, created_by=by
    )
    record(
        by,
        "reviews.assigned_by_hand",
        assignment,
        after={"expert": expert.user.email, "submission": submission.number},
    )
    return assignment


@transaction.atomic
def declare_conflict(assignment: ReviewAssignment, *, by, comment: str = "") -> engine.Result:
    """The expert says they may not evaluate this one: withdraw it and reassign the gap."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("expert__edition", "submission")
        .get(pk=assignment.pk)
    )
    if assignment.expert.user_id != by.pk:
        raise PermissionDenied
    if assignment.withdrawn_at is not None:
        raise ValidationError(_("This assignment has already been withdrawn."))
    if not evaluation_open(assignment.expert.edition):
        raise ValidationError(_("Expert evaluation is closed: scores can no longer change."))
    if Review.objects.filter(assignment=assignment, state=ReviewState.SUBMITTED).exists():
        raise ValidationError(_("The review has been submitted; ask the organisers."))
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = comment or str(ConflictReason.DECLARED_ON_APPLICATION.label)
    assignment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    Conflict.objects.get_or_create(
        expert=assignment.expert,
        submission=assignment.submission,
        defaults={"reason": ConflictReason.DECLARED_ON_APPLICATION, "comment": comment},
    )
    record(by, "reviews.conflict_declared", assignment, reason=comment)
    return run_assignment(assignment.expert.edition, by=by)


# --- scoring -----------------------------------------------------------------------------


def evaluation_open(edition, now=None) -> bool:
    window = stage_window(edition, StageKind.EVALUATION)
    now = now or timezone.now()
    return window is not None and window[0] <= now <= window[1]


def _score_errors(criteria, values: dict) -> dict[str, str]:
    """Errors keyed by `score_<criterion id>` / `comment_<criterion id>`."""
    errors = {}
    for criterion in criteria:
        value, comment = values.get(criterion.pk, (None, ""))
        if value is None:
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            errors[f"score_{criterion.pk}"] = _(
                "«%(criterion)s» is scored from %(low)s to %(high)s."
            ) % {"criterion": criterion, "low": criterion.scale_min, "high": criterion.scale_max}
        elif value in (criterion.scale_min, criterion.scale_max) and not comment.strip():
            errors[f"comment_{criterion.pk}"] = _(
                "Explain a score of %(value)s for «%(criterion)s»: the lowest and highest "
                "scores need a comment."
            ) % {"value": value, "criterion": criterion}
    return errors


@transaction.atomic
def save_review(
    assignment: ReviewAssignment, *, by, values: dict, comment: str = "", submit: bool = False
) -> Review:
    """Save an expert's scores (criterion id → (value, comment)); `submit` makes them count."""
    assignment = ReviewAssignment.objects.select_related("expert__edition", "submission").get(
        pk=assignment.pk
    )
    if assignment.expert.user_id != by.pk or assignment.withdrawn_at is not None:
        raise PermissionDenied
    edition = assignment.expert.edition
    if not evaluation_open(edition):
        raise ValidationError(_("Expert evaluation is closed: scores can no longer change."))
    # A submitted review stays complete: later saves are checked as submissions too.
    submit = (
        submit or Review.objects.filter(assignment=assignment, state=ReviewState.SUBMITTED).exists()
    )
    criteria = list(edition.criteria.all())
    errors = _score_errors(criteria, values)
    if submit:
        for criterion in criteria:
            if values.get(criterion.pk, (None, ""))[0] is None:
                errors.setdefault(
                    f"score_{criterion.pk}", _("Score «%(criterion)s».") % {"criterion": criterion}
                )
    if errors:
        raise ValidationError(errors)
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    for criterion in criteria:
        value, note = values.get(criterion.pk, (None, ""))
        if value is None:
            Score.objects.filter(review=review, criterion=criterion).delete()
        else:
            Score.objects.update_or_create(
                review=review,
                criterion=criterion,
                defaults={"value": value, "comment": note.strip()},
            )
    review.comment = comment.strip()
    if submit:
        review.state = ReviewState.SUBMITTED
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        record(
            by,
            "reviews.review_submitted",
            assignment,
            after={str(c): values[c.pk][0] for c in criteria},
        )
    return review
