"""Builders for organisations, for these tests and for other apps' (submissions, reviews)."""

import itertools

from smartdialog.organizations.models import Organization
from smartdialog.organizations.services import register_organization
from smartdialog.organizations.validators import INN10_WEIGHTS, inn_check_digit
from smartdialog.reference.models import ApplicantKind, Region
from tests.factories import make_user

_numbers = itertools.count(1)


def inn_and_ogrn(n: int) -> tuple[str, str]:
    """A valid 10-digit INN and 13-digit OGRN of a Moscow organisation, distinct per `n`."""
    inn = f"77{n:07d}"
    ogrn = f"10277{n:07d}"
    return inn + inn_check_digit(inn, INN10_WEIGHTS), ogrn + str(int(ogrn) % 11 % 10)


def organization_data(**fields) -> dict:
    """Model field values of a valid organisation; `fields` override them."""
    n = next(_numbers)
    inn, ogrn = inn_and_ogrn(n)
    data = {
        "full_name": f"Государственное казённое учреждение «Центр {n}»",
        "short_name": f"ГКУ «Центр {n}»",
        "kind": ApplicantKind.objects.get(code="state_institution"),
        "region": Region.objects.get(code="77"),
        "municipality": "",
        "inn": inn,
        "ogrn": ogrn,
        "address": "125009, Москва, ул. Тверская, д. 1",
        "website": "https://example.ru",
        "contact_name": "Иванова Мария Петровна",
        "contact_email": f"centre{n}@example.ru",
        "contact_phone": "+7 495 123-45-67",
    }
    data.update(fields)
    return data


def make_organization(member=None, **fields) -> Organization:
    """Register an organisation through the service; `member` (or a new user) is its member."""
    if member is None:
        member = make_user(f"applicant{next(_numbers)}@example.ru")
    return register_organization(Organization(**organization_data(**fields)), by=member)
