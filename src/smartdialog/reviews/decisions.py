"""Working groups and their decisions: one winner per nomination, frozen with its protocol.

A decision is recorded once, with a protocol PDF and its sha256, and never edited: a
correction is a new decision that `supersedes` the current one. Only current decisions an
organiser has confirmed make winners (`winners`, read by the public site).
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import users_with_roles
from smartdialog.audit.services import record

from . import protocol
from .models import Decision, Finalist, WorkingGroup

MEMBER_ROLES = [Role.WORKING_GROUP, Role.ORGANISER]
MUTABLE_FIELDS = frozenset({"confirmed_by", "confirmed_at", "is_current"})
"""The only fields of a recorded decision that may change (confirmation, supersession)."""


def eligible_members(edition):
    """Who may sit in a working group: working-group members and organisers of the edition."""
    return users_with_roles(edition, MEMBER_ROLES)


def person(user) -> str:
    return user.get_full_name() or user.email


# --- working groups ---------------------------------------------------------------------


def _group_errors(group, members, nominations) -> dict[str, str]:
    errors = {}
    edition = group.edition
    if any(n.edition_id != edition.pk for n in nominations):
        errors["nominations"] = _("Choose nominations of this edition only.")
    elif not nominations:
        errors["nominations"] = _("Choose at least one nomination or a direction.")
    elif group.direction_id and any(n.direction_id != group.direction_id for n in nominations):
        errors["nominations"] = _("Choose nominations of the group's direction only.")
    else:
        taken = sorted(
            WorkingGroup.nominations.through.objects.filter(nomination__in=nominations)
            .exclude(workinggroup_id=group.pk)
            .values_list("nomination__code", "workinggroup__title")
        )
        if taken:
            errors["nominations"] = _(
                "Each nomination has one working group: %(list)s already decided elsewhere."
            ) % {"list": ", ".join(f"{code} ({title})" for code, title in taken)}
        elif group.pk:
            decided = set(group.decisions.values_list("nomination__code", flat=True)) - {
                n.code for n in nominations
            }
            if decided:
                errors["nominations"] = _(
                    "The group has decisions on %(list)s: these nominations stay."
                ) % {"list": ", ".join(sorted(decided))}
    eligible = set(eligible_members(edition).values_list("pk", flat=True))
    strangers = [person(m) for m in members if m.pk not in eligible]
    if not members:
        errors["members"] = _("Choose the members of the group.")
    elif strangers:
        errors["members"] = _(
            "Only working-group members and organisers of this edition can sit in a group: "
            "%(list)s."
        ) % {"list": ", ".join(strangers)}
    if not group.quorum or group.quorum < 1:
        errors["quorum"] = _("The quorum must be at least 1.")
    elif members and group.quorum > len(members):
        errors["quorum"] = _(
            "The quorum (%(quorum)s) cannot exceed the number of members (%(n)s)."
        ) % {"quorum": group.quorum, "n": len(members)}
    return errors


@transaction.atomic
def save_working_group(group: WorkingGroup, *, members, nominations, by) -> WorkingGroup:
    """Create or change a group. With a direction and no nominations, it takes them all."""
    if not by.has_perm("reviews.confirm_decision", group):
        raise PermissionDenied
    members = list(members)
    nominations = list(nominations)
    if group.direction_id and not nominations:
        nominations = list(group.direction.nominations.all())
    errors = _group_errors(group, members, nominations)
    if errors:
        raise ValidationError(errors)
    before = None
    if group.pk:
        old = WorkingGroup.objects.select_for_update().get(pk=group.pk)
        before = _group_state(old, old.members.all(), old.nominations.all())
    group.save()
    group.members.set(members)
    group.nominations.set(nominations)
    action = "reviews.working_group_changed" if before else "reviews.working_group_created"
    record(by, action, group, before=before, after=_group_state(group, members, nominations))
    return group


def _group_state(group, members, nominations) -> dict:
    return {
        "title": group.title,
        "direction": group.direction_id,
        "quorum": group.quorum,
        "members": sorted(m.email for m in members),
        "nominations": sorted(n.code for n in nominations),
    }


def groups_for(user, edition):
    """Groups `user` may open: all of them for organisers, else the ones they sit in."""
    groups = WorkingGroup.objects.filter(edition=edition).prefetch_related("nominations")
    if user.has_perm("reviews.confirm_decision", edition):
        return groups
    if not user.is_authenticated:
        return groups.none()
    return groups.filter(members=user)


# --- decisions --------------------------------------------------------------------------


def finalists_of(nomination):
    return list(
        Finalist.objects.filter(nomination=nomination)
        .select_related("submission__organization__region", "submission__edition")
        .order_by("rank", "pk")
    )


def current_decision(nomination) -> Decision | None:
    return Decision.objects.filter(nomination=nomination, is_current=True).first()


def _pk(value):
    return getattr(value, "pk", value)


def _decision_errors(group, nomination, *, held_on, present, preferences, winner, supersedes):
    errors = {}
    finalist_ids = set(
        Finalist.objects.filter(nomination=nomination).values_list("submission_id", flat=True)
    )
    if not group.nominations.filter(pk=nomination.pk).exists():
        errors["nomination"] = _(
            "Nomination %(code)s is not decided by the working group «%(group)s»."
        ) % {"code": nomination.code, "group": group.title}
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = _("Give the date of the meeting; it cannot be in the future.")
    member_ids = set(group.members.values_list("pk", flat=True))
    present_ids = {_pk(u) for u in present}
    if present_ids - member_ids:
        errors["present"] = _("Only members of the group can be marked present.")
    elif len(present_ids) < group.quorum:
        errors["present"] = _(
            "No quorum: %(n)s members present, the group's quorum is %(quorum)s."
        ) % {"n": len(present_ids), "quorum": group.quorum}
    chosen = {_pk(u): _pk(s) for u, s in preferences.items() if s}
    if set(chosen) - present_ids:
        errors["preferences"] = _("Only members present at the meeting can state a preference.")
    elif set(chosen.values()) - finalist_ids:
        errors["preferences"] = _("Each preference must name a finalist of this nomination.")
    elif present_ids - set(chosen):
        errors["preferences"] = _("Record the preference of every member present.")
    if winner is None or _pk(winner) not in finalist_ids:
        errors["winner"] = _("The winner must be one of the finalists of nomination %(code)s.") % {
            "code": nomination.code
        }
    current = current_decision(nomination)
    if current and (supersedes is None or _pk(supersedes) != current.pk):
        errors["supersedes"] = _(
            "Nomination %(code)s already has a decision (of %(date)s): a new one must "
            "replace it explicitly."
        ) % {"code": nomination.code, "date": current.held_on.strftime("%d.%m.%Y")}
    elif supersedes is not None and current is None:
        errors["supersedes"] = _("Only the current decision of the nomination can be replaced.")
    return errors, chosen, current


def _snapshot(finalists) -> list[dict]:
    return [
        {
            "submission": f.submission_id,
            "number": f.submission.number,
            "title": f.submission.title,
            "organization": f.submission.organization.short_name,
            "region": str(f.submission.organization.region),
            "rank": f.rank,
            "score": f.score,
        }
        for f in finalists
    ]


@transaction.atomic
def record_decision(
    group: WorkingGroup,
    nomination,
    *,
    held_on,
    present,
    preferences: dict,
    winner,
    dissent: str = "",
    by,
    supersedes: Decision | None = None,
) -> Decision:
    """Record the meeting's decision with its protocol PDF; refuse with field messages.

    `present` is users (or ids), `preferences` maps a present member (or id) to a finalist
    submission (or id), `winner` is a finalist submission. With `supersedes` (the current
    decision) the new decision replaces it, which stays on file as no longer current.
    """
    if not by.has_perm("reviews.record_decision", group):
        raise PermissionDenied
    WorkingGroup.objects.select_for_update().get(pk=group.pk)  # one recording at a time
    present = list(present)
    errors, chosen, current = _decision_errors(
        group,
        nomination,
        held_on=held_on,
        present=present,
        preferences=preferences,
        winner=winner,
        supersedes=supersedes,
    )
    if errors:
        raise ValidationError(errors)
    finalists = _snapshot(finalists_of(nomination))
    titles = {f["submission"]: f["title"] for f in finalists}
    members = {u.pk: u for u in group.members.filter(pk__in={_pk(u) for u in present})}
    prefs = [
        {
            "member": pk,
            "name": person(members[pk]),
            "submission": chosen[pk],
            "title": titles[chosen[pk]],
        }
        for pk in sorted(members, key=lambda pk: person(members[pk]).lower())
    ]
    decision = Decision(
        working_group=group,
        nomination=nomination,
        held_on=held_on,
        winner_id=_pk(winner),
        finalists=finalists,
        preferences=prefs,
        dissent=dissent.strip(),
        supersedes=current,
        recorded_by=by,
    )
    pdf = protocol.render(
        decision, present=[members[p["member"]] for p in prefs], recorded_at=timezone.now()
    )
    if current:
        current.is_current = False
        current.save(update_fields=["is_current"])
    decision.protocol_sha256 = hashlib.sha256(pdf).hexdigest()
    decision.protocol.save(protocol.filename(decision), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        decision.protocol.delete(save=False)
        raise ValidationError(
            {"supersedes": _("Another decision for this nomination was just recorded.")}
        ) from None
    decision.present.set(members.values())
    record(
        by,
        "reviews.decision_recorded",
        decision,
        after={
            "group": group.title,
            "nomination": nomination.code,
            "held_on": held_on,
            "present": sorted(u.email for u in members.values()),
            "winner": titles[_pk(winner)],
            "supersedes": current.pk if current else None,
            "protocol_sha256": decision.protocol_sha256,
        },
    )
    return decision


@transaction.atomic
def confirm_decision(decision: Decision, by) -> Decision:
    """An organiser confirms a current decision; only then is its winner public."""
    if not by.has_perm("reviews.confirm_decision", decision):
        raise PermissionDenied
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_current:
        raise ValidationError(_("This decision was replaced by a newer one: confirm that one."))
    if decision.confirmed_at:
        raise ValidationError(_("This decision is already confirmed."))
    decision.confirmed_by = by
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["confirmed_by", "confirmed_at"])
    record(by, "reviews.decision_confirmed", decision, after={"winner": decision.winner_id})
    return decision


@receiver(pre_save, sender=Decision, dispatch_uid="reviews.decisions.frozen")
def _refuse_changes(sender, instance, raw=False, update_fields=None, **kwargs):
    """A recorded decision is frozen: only confirmation and `is_current` (to False) change."""
    if raw or instance.pk is None or instance._state.adding:
        return
    stored = Decision.objects.filter(pk=instance.pk).values().first()
    if stored is None:
        return
    changed = {
        f.attname
        for f in Decision._meta.concrete_fields
        if f.name not in MUTABLE_FIELDS and stored[f.attname] != _stored(instance, f)
    }
    if changed or (instance.is_current and not stored["is_current"]):
        raise ValidationError(
            _("A recorded decision cannot be changed: record a new decision that replaces it.")
        )


@receiver(m2m_changed, sender=Decision.present.through, dispatch_uid="reviews.decisions.present")
def _refuse_present_changes(sender, instance, action, reverse=False, **kwargs):
    """Who was present is written once, right after the decision itself."""
    if action in {"pre_add", "pre_remove", "pre_clear"} and (reverse or instance.present.exists()):
        raise ValidationError(
            _("A recorded decision cannot be changed: record a new decision that replaces it.")
        )


def _stored(instance, field):
    value = getattr(instance, field.attname)
    return value.name if hasattr(value, "name") and field.attname == "protocol" else value


# --- public -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Winner:
    nomination: object
    submission: object
    organization: object
    region: object
    decision: Decision


def winners(edition) -> list[Winner]:
    """Winners to publish: current decisions an organiser has confirmed, by nomination."""
    decisions = (
        Decision.objects.filter(
            nomination__edition=edition, is_current=True, confirmed_at__isnull=False
        )
        .select_related("nomination__direction", "winner__organization__region", "winner__edition")
        .order_by("nomination__order", "nomination__code")
    )
    return [
        Winner(
            nomination=d.nomination,
            submission=d.winner,
            organization=d.winner.organization,
            region=d.winner.organization.region,
            decision=d,
        )
        for d in decisions
    ]
