"""Demo accounts, one per role, with verified e-mail addresses; printed by `seed_demo`."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from smartdialog.reference.models import Region

from .models import Role, RoleAssignment
from .services import grant_role

DEMO_PASSWORD = "demo-smartdialog"
DEMO_DOMAIN = "demo.smartdialog.ru"
DEMO_REGION_CODE = "59"  # Пермский край (seed 002 invites its residents)


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@{DEMO_DOMAIN}"


def ensure_user(email: str, *, first_name="", last_name="", superuser=False):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, DEMO_PASSWORD, first_name=first_name, last_name=last_name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def ensure_demo_accounts(edition, organiser) -> list[tuple[str, str]]:
    """One user per role in `edition`; returns (role label, e-mail) pairs."""
    accounts = [(str(Role.ORGANISER.label), organiser.email)]
    region = Region.objects.get(code=DEMO_REGION_CODE)
    for role in Role:
        email = demo_email(role.value)
        user = organiser if role == Role.ORGANISER else ensure_user(email)
        active = RoleAssignment.objects.filter(
            user=user, edition=edition, role=role, revoked_at__isnull=True
        ).exists()
        if not active:
            grant_role(
                edition,
                user,
                role,
                by=organiser,
                region=region if role == Role.REGIONAL_OFFICIAL else None,
                reason="demo account",
            )
        if role != Role.ORGANISER:
            accounts.append((str(role.label), email))
    return accounts
