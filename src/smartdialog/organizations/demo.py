"""The demo applicant's organisation, so `make run` lets one apply at once."""

from smartdialog.reference.models import ApplicantKind, Region

from .models import Organization
from .selectors import is_member
from .services import register_organization
from .validators import INN10_WEIGHTS, inn_check_digit

DEMO_INN_BASE = "590200000"  # 59: Пермский край
DEMO_OGRN_BASE = "102590000000"


def demo_numbers() -> tuple[str, str]:
    inn = DEMO_INN_BASE + inn_check_digit(DEMO_INN_BASE, INN10_WEIGHTS)
    ogrn = DEMO_OGRN_BASE + str(int(DEMO_OGRN_BASE) % 11 % 10)
    return inn, ogrn


def ensure_demo_organization(member) -> Organization:
    """A regional institution with `member` in it; created once."""
    inn, ogrn = demo_numbers()
    organization = Organization.objects.filter(inn=inn).first()
    if organization is None:
        organization = register_organization(
            Organization(
                full_name="Государственное бюджетное учреждение Пермского края "
                "«Центр цифровых решений в здравоохранении»",
                short_name="ГБУ «Центр цифровых решений»",
                kind=ApplicantKind.objects.get(code="state_institution"),
                region=Region.objects.get(code="59"),
                municipality="Пермь",
                inn=inn,
                ogrn=ogrn,
                address="614000, Пермь, ул. Ленина, 1",
                contact_name="Демо Заявитель",
                contact_email=member.email,
            ),
            by=member,
        )
    elif not is_member(member, organization):
        raise ValueError(f"{member.email} is not a member of the demo organisation")
    return organization
