"""Running the plan through the real services, on a moving clock, without mail."""

import io
import time
from contextlib import ExitStack
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from smartdialog.accounts.demo import DEMO_PASSWORD, demo_email, ensure_user
from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.organizations.models import Organization
from smartdialog.organizations.services import register_organization
from smartdialog.reference.models import ApplicantKind, NationalProject

from .. import services
from ..models import Submission
from .data import ALL_YES, INTAKE_DOMAIN, NOMINATIONS, PDF, S
from .plan import AppPlan, OrgPlan, Planner

# --- running the plan ------------------------------------------------------------------------


class Clock:
    """Stands in for `django.utils.timezone.now` while the generator walks through time."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def _no_mail(*args, **kwargs):
    """The demo intake is history: no notice is queued for it (see the module docstring)."""
    return None


def generated(edition):
    """Applications of `edition` from organisations this generator registered."""
    return Submission.objects.filter(
        edition=edition, organization__contact_email__endswith=f"@{INTAKE_DOMAIN}"
    )


class Runner:
    def __init__(self, edition, planner: Planner, moderator, nominations):
        self.edition, self.planner, self.moderator = edition, planner, moderator
        self.nominations = nominations
        self.kinds = {k.code: k for k in ApplicantKind.objects.all()}
        self.projects = {p.code: p for p in NationalProject.objects.all()}
        self.orgs: dict[int, tuple] = {}
        self.subs: dict[int, Submission] = {}
        self.new_orgs = 0

    def organisation(self, plan: OrgPlan):
        if plan.serial in self.orgs:
            return self.orgs[plan.serial]
        last, first, patronymic = plan.person
        user = ensure_user(plan.email, first_name=first, last_name=last)
        org = Organization.objects.filter(inn=plan.inn).first()
        if org is None:
            org = register_organization(
                Organization(
                    full_name=plan.full_name,
                    short_name=plan.short_name,
                    kind=self.kinds[plan.kind],
                    region=self.planner.regions[plan.region],
                    municipality=plan.municipality,
                    inn=plan.inn,
                    ogrn=plan.ogrn,
                    address=plan.address,
                    contact_name=f"{last} {first} {patronymic}",
                    contact_email=plan.email,
                    contact_phone=plan.phone,
                ),
                by=user,
            )
            self.new_orgs += 1
        self.orgs[plan.serial] = (org, user)
        return org, user

    def save(self, submission, user, fields, results, app: AppPlan):
        return services.save_draft(
            submission,
            fields=fields,
            results=results,
            by=user,
            many={
                "regions": [self.planner.regions[c] for c in app.regions],
                "national_projects": [self.projects[c] for c in app.projects],
            },
            expected_version=submission.lock_version,
        )

    def run(self, app: AppPlan, action: str) -> None:
        org, user = self.organisation(app.org)
        moderator = self.moderator
        submission = self.subs.get(app.index)
        if action == "create":
            submission = services.create_draft(
                edition=self.edition,
                organization=org,
                title=app.title,
                by=user,
                nomination=self.nominations[app.nomination],
            )
        elif action == "fill":
            submission = self.save(submission, user, app.fields, app.results, app)
        elif action == "revise":
            submission = self.save(submission, user, *app.revision, app)
        elif action == "attach":
            services.add_attachment(
                submission,
                SimpleUploadedFile("Презентация практики.pdf", PDF, content_type="application/pdf"),
                by=user,
            )
        elif action in ("submit", "resubmit"):
            services.submit(submission, by=user)
        elif action == "take":
            services.set_state(submission, S.IN_MODERATION, by=moderator)
            services.assign_moderator([submission], moderator, by=moderator)
        elif action == "admit":
            services.set_state(submission, S.ADMITTED, by=moderator, checklist=ALL_YES)
        elif action == "reject":
            services.set_state(
                submission, S.REJECTED, by=moderator, comment=app.comment, checklist=app.checklist
            )
        elif action == "return":
            services.return_for_revision(
                submission, by=moderator, comment=app.comment, field_comments=app.notes
            )
        elif action == "withdraw":
            services.set_state(submission, S.WITHDRAWN, by=user)
        self.subs[app.index] = submission


@transaction.atomic
def generate_intake(edition, *, size: int = 600, seed: int = 1, stdout=None) -> dict:
    """Generate `size` applications to `edition` (see the module docstring); idempotent.

    Returns the counts: `created` (False when the edition already had a generated intake),
    `applications`, `organisations`, `regions`, `by_state`, `by_direction`, `seconds`.
    """
    out = stdout or io.StringIO()
    began = time.monotonic()
    existing = generated(edition)
    if existing.exists():
        out.write(f"Edition {edition.year} already has a generated intake: nothing to do.\n")
        return {**_counts(edition), "created": False, "seconds": 0.0}
    moderator = get_user_model().objects.filter(email=demo_email(Role.MODERATOR)).first()
    if moderator is None or not has_role(moderator, edition, Role.MODERATOR):
        raise ValueError(f"no demo moderator in edition {edition.year}: run seed_demo first")
    nominations = {
        n.code: n for n in edition.nominations.select_related("direction") if n.code in NOMINATIONS
    }
    if not nominations:
        raise ValueError(f"edition {edition.year} has none of the 2023 nominations")
    planner = Planner(edition, size, seed)
    apps = planner.plan({c: n.direction.number for c, n in nominations.items()})
    events = sorted(
        (
            (when, app.index, step, action)
            for app in apps
            for step, (when, action) in enumerate(app.events)
        ),
        key=lambda e: e[:3],
    )
    runner = Runner(edition, planner, moderator, nominations)
    clock = Clock(events[0][0] if events else planner.start)
    password = make_password(DEMO_PASSWORD)
    with ExitStack() as patches:
        patches.enter_context(mock.patch("django.utils.timezone.now", clock))
        patches.enter_context(mock.patch.object(services, "enqueue", _no_mail))
        patches.enter_context(
            mock.patch(
                "django.contrib.auth.base_user.make_password",
                lambda raw, *a, **k: (
                    password if raw == DEMO_PASSWORD else make_password(raw, *a, **k)
                ),
            )
        )
        done = 0
        for when, index, _step, action in events:
            clock.moment = when
            runner.run(apps[index], action)
            if action == "create":
                done += 1
                if done % 100 == 0:
                    out.write(f"  {done}/{size} applications…\n")
    result = {
        **_counts(edition),
        "created": True,
        "organisations_new": runner.new_orgs,
        "seconds": round(time.monotonic() - began, 1),
    }
    return result


def _counts(edition) -> dict:
    items = generated(edition)
    by_state = {state: 0 for state in S.values}
    for state in items.values_list("state", flat=True):
        by_state[state] += 1
    by_direction = {}
    for title in items.values_list("nomination__direction__title", flat=True):
        by_direction[title] = by_direction.get(title, 0) + 1
    return {
        "applications": items.count(),
        "organisations": items.values("organization").distinct().count(),
        "regions": items.values("organization__region").distinct().count(),
        "by_state": by_state,
        "by_direction": by_direction,
    }
