from django.db.models import QuerySet

from smartdialog.organizations.selectors import organizations_of

from .models import ModerationComment, Submission


def submissions_of(user) -> QuerySet:
    """Applications of every organisation `user` belongs to."""
    return Submission.objects.filter(organization__in=organizations_of(user)).select_related(
        "edition", "nomination", "organization"
    )


def open_comments(submission: Submission) -> dict[str, list[ModerationComment]]:
    """The moderator's remarks on the version last returned, by field."""
    latest = submission.versions.order_by("-number").first()
    comments: dict[str, list[ModerationComment]] = {}
    if latest is None:
        return comments
    for comment in latest.comments.select_related("author"):
        comments.setdefault(comment.field, []).append(comment)
    return comments


def current_attachments(submission: Submission) -> QuerySet:
    return submission.attachments.filter(removed_at__isnull=True)


def moderation_queue(
    edition,
    *,
    state=None,
    direction=None,
    nomination=None,
    region=None,
    kind=None,
    moderator=None,
    unassigned=False,
    waiting_days=None,
    query="",
    order="waiting",
) -> QuerySet:
    """The moderators' queue of one edition, filtered; a fixed number of queries per page."""
    from django.db.models import Q
    from django.utils import timezone

    from .enums import AWAITING_MODERATION

    items = (
        Submission.objects.filter(edition=edition)
        .exclude(state="draft")
        .select_related(
            "nomination",
            "organization",
            "organization__region",
            "organization__kind",
            "moderator",
        )
    )
    items = items.filter(state=state) if state else items.filter(state__in=AWAITING_MODERATION)
    if direction:
        items = items.filter(nomination__direction=direction)
    if nomination:
        items = items.filter(nomination=nomination)
    if region:
        items = items.filter(organization__region=region)
    if kind:
        items = items.filter(Q(organization__kind=kind) | Q(organization__kind__parent=kind))
    if moderator:
        items = items.filter(moderator=moderator)
    if unassigned:
        items = items.filter(moderator__isnull=True)
    if waiting_days:
        items = items.filter(
            state_changed_at__lte=timezone.now() - timezone.timedelta(days=waiting_days)
        )
    if query:
        number = query.removeprefix(f"SD-{edition.year}-").lstrip("0")
        match = Q(title__icontains=query) | Q(organization__short_name__icontains=query)
        if number.isascii() and number.isdigit():
            match |= Q(pk=int(number))
        items = items.filter(match)
    orders = {
        "waiting": ["state_changed_at", "id"],
        "newest": ["-submitted_at", "-id"],
        "nomination": ["nomination__order", "state_changed_at"],
        "region": ["organization__region__name", "state_changed_at"],
    }
    return items.order_by(*orders.get(order, orders["waiting"]))


def admitted_in(edition) -> QuerySet:
    """Applications admitted to expert evaluation: what the reviews app works on."""
    return Submission.objects.filter(edition=edition, state="admitted").select_related(
        "organization", "organization__region", "nomination"
    )
