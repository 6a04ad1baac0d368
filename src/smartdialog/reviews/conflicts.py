"""Who may not evaluate what: an expert's organisation, declared ties, (optionally) region."""

from collections import defaultdict

from .enums import ConflictReason
from .models import Conflict, Expert


class ConflictIndex:
    """Conflicts of many experts with many applications, found by lookups not pairs."""

    def __init__(self, experts: list[Expert], *, exclude_own_region: bool):
        self.by_inn = defaultdict(set)
        self.by_organization = defaultdict(set)
        self.by_region = defaultdict(set)
        self.stored = defaultdict(set)
        for expert in experts:
            if expert.organization_inn:
                self.by_inn[expert.organization_inn].add(expert.pk)
            for organization in expert.declared_organizations.all():
                self.by_organization[organization.pk].add(expert.pk)
            for region in expert.declared_regions.all():
                self.by_region[region.pk].add(expert.pk)
            if exclude_own_region and expert.region_id:
                self.by_region[expert.region_id].add(expert.pk)
        for expert_id, submission_id in Conflict.objects.filter(expert__in=experts).values_list(
            "expert_id", "submission_id"
        ):
            self.stored[submission_id].add(expert_id)

    def experts_in_conflict(self, submission) -> frozenset:
        organization = submission.organization
        return frozenset(
            self.by_inn.get(organization.inn, set())
            | self.by_organization.get(organization.pk, set())
            | self.by_region.get(organization.region_id, set())
            | self.stored.get(submission.pk, set())
        )


def reasons(expert: Expert, submission, *, exclude_own_region: bool) -> list[str]:
    """Why `expert` may not evaluate `submission`, for messages and the audit log."""
    organization = submission.organization
    found = []
    if expert.organization_inn and expert.organization_inn == organization.inn:
        found.append(ConflictReason.OWN_ORGANIZATION)
    if expert.declared_organizations.filter(pk=organization.pk).exists():
        found.append(ConflictReason.DECLARED_ORGANIZATION)
    if expert.declared_regions.filter(pk=organization.region_id).exists():
        found.append(ConflictReason.DECLARED_REGION)
    if exclude_own_region and expert.region_id == organization.region_id:
        found.append(ConflictReason.OWN_REGION)
    if Conflict.objects.filter(expert=expert, submission=submission).exists():
        found.append(ConflictReason.DECLARED_ON_APPLICATION)
    return found
