"""What an expert sees: their invitations, their active assignments, the frozen version.

Reads only. Nothing here shows one expert another expert's scores: every query about
reviews starts from the asking user's own assignments.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from smartdialog.contests.enums import StageKind
from smartdialog.contests.selectors import stage_window
from smartdialog.submissions.models import Attachment, SubmissionVersion

from .models import Expert, Review, ReviewAssignment

NO_REVIEW = "none"


def invitations_of(user) -> list[Expert]:
    """Every Expert row of `user`, newest edition first, each with `.window` set to the
    (start, end) of its edition's evaluation stage."""
    experts = list(
        Expert.objects.filter(user=user)
        .select_related("edition")
        .prefetch_related("nominations")
        .order_by("-edition__year")
    )
    for expert in experts:
        expert.window = stage_window(expert.edition, StageKind.EVALUATION)
    return experts


def assignments_for(user, edition=None) -> QuerySet:
    """The user's active (not withdrawn) assignments, optionally in one edition."""
    assignments = ReviewAssignment.objects.filter(
        expert__user=user, withdrawn_at__isnull=True
    ).select_related("expert__edition", "submission__edition", "submission__nomination", "review")
    if edition is not None:
        assignments = assignments.filter(expert__edition=edition)
    return assignments.order_by(
        "-expert__edition__year",
        "submission__nomination__order",
        "submission__nomination__code",
        "submission_id",
    )


def review_state(assignment: ReviewAssignment) -> str:
    """`none`, `draft` or `submitted`: the state of this assignment's own review."""
    try:
        return assignment.review.state
    except Review.DoesNotExist:
        return NO_REVIEW


@dataclass
class NominationGroup:
    nomination: object
    assignments: list = field(default_factory=list)


@dataclass
class EditionGroup:
    edition: object
    window: tuple | None
    nominations: list[NominationGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(g.assignments) for g in self.nominations)

    @property
    def submitted(self) -> int:
        return sum(1 for g in self.nominations for a in g.assignments if a.state == "submitted")


def assignments_by_edition(user) -> list[EditionGroup]:
    """Active assignments grouped by edition, then nomination, each with `.state` set."""
    groups: list[EditionGroup] = []
    for assignment in assignments_for(user):
        assignment.state = review_state(assignment)
        edition = assignment.expert.edition
        if not groups or groups[-1].edition.pk != edition.pk:
            groups.append(EditionGroup(edition, stage_window(edition, StageKind.EVALUATION)))
        nominations = groups[-1].nominations
        nomination = assignment.submission.nomination
        if not nominations or nominations[-1].nomination.pk != nomination.pk:
            nominations.append(NominationGroup(nomination))
        nominations[-1].assignments.append(assignment)
    return groups


def frozen_version(submission) -> SubmissionVersion | None:
    """The latest submitted version: what was admitted and what experts evaluate."""
    return submission.versions.order_by("-number").first()


def version_attachment(version: SubmissionVersion | None, attachment_id: int):
    """The attachment if the version lists it (the only files an expert may download)."""
    if version is None:
        return None
    listed = {a.get("id") for a in version.data.get("attachments", [])}
    if attachment_id not in listed:
        return None
    return Attachment.objects.filter(pk=attachment_id, submission_id=version.submission_id).first()


def own_review(assignment: ReviewAssignment) -> Review | None:
    """The review of this assignment (the asking expert's own), with its scores."""
    return Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
