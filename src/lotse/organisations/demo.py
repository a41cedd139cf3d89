"""The demo world: the real directory plus invented companies and one person per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lotse.accounts.models import Role, User
from lotse.accounts.services import user_create
from lotse.organisations.models import Organisation, OrganisationKind
from lotse.organisations.services import company_create, directory_sync, site_create


@dataclass(frozen=True)
class DemoCompany:
    code: str
    name: str
    legal_form: str
    membership: str
    collective_agreement: bool
    betriebsnummer: str
    site_label: str
    street: str
    postcode: str
    municipality: str
    size_class: str = ""  # organisations.CompanySize; blank: not given


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    organisation_kind: str | None
    organisation_code: str | None
    language: str = "de"


COMPANIES = (
    DemoCompany(
        "demo-weber-maschinenbau",
        "Weber Maschinenbau GmbH",
        "GmbH",
        "ihk",
        True,
        "41234567",
        "Werk Asperg",
        "Eglosheimer Straße 20",
        "71679",
        "Asperg",
        size_class="medium",
    ),
    DemoCompany(
        "demo-shk-yilmaz",
        "SHK Yilmaz GmbH",
        "GmbH",
        "hwk",
        False,
        "42345678",
        "Betrieb Murr",
        "Hauptstraße 12",
        "71711",
        "Murr",
        size_class="micro",
    ),
    DemoCompany(
        "demo-softwarehaus-ludwigsburg",
        "Softwarehaus Ludwigsburg AG",
        "AG",
        "ihk",
        False,
        "43456789",
        "Büro Ludwigsburg",
        "Schlossstraße 5",
        "71634",
        "Ludwigsburg",
        size_class="small",
    ),
    DemoCompany(
        "demo-elektro-kraemer",
        "Elektro Krämer GmbH & Co. KG",
        "GmbH & Co. KG",
        "both",
        True,
        "44567890",
        "Stammhaus",
        "Bahnhofstraße 33",
        "74321",
        "Bietigheim-Bissingen",
    ),
    DemoCompany(
        "demo-autohaus-schneider",
        "Autohaus Schneider GmbH",
        "GmbH",
        "both",
        False,
        "45678901",
        "Autohaus",
        "Stuttgarter Straße 80",
        "70806",
        "Kornwestheim",
    ),
)

USERS = (
    DemoUser("admin@lotse.example", "Petra Admin", Role.PLATFORM_ADMIN, None, None),
    DemoUser(
        "sabine.berger@weber-maschinenbau.example",
        "Sabine Berger",
        Role.COMPANY_ADMIN,
        OrganisationKind.COMPANY,
        "demo-weber-maschinenbau",
    ),
    DemoUser(
        "ahmet.yilmaz@shk-yilmaz.example",
        "Ahmet Yilmaz",
        Role.COMPANY_HR,
        OrganisationKind.COMPANY,
        "demo-shk-yilmaz",
    ),
    DemoUser(
        "keller@ihk-ludwigsburg.example",
        "Frau Keller",
        Role.CHAMBER_ADVISOR,
        OrganisationKind.CHAMBER,
        "ihk-region-stuttgart",
    ),
    DemoUser(
        "brandt@kh-ludwigsburg.example",
        "Herr Brandt",
        Role.CHAMBER_ADVISOR,
        OrganisationKind.CHAMBER,
        "hwk-region-stuttgart",
    ),
    DemoUser(
        "leitung@ihk-ludwigsburg.example",
        "Dr. Martina Hahn",
        Role.CHAMBER_LEAD,
        OrganisationKind.CHAMBER,
        "ihk-region-stuttgart",
    ),
    DemoUser(
        "vogel@landkreis-ludwigsburg.example",
        "Herr Vogel",
        Role.ABH_CASEWORKER,
        OrganisationKind.AUTHORITY,
        "lra-ludwigsburg",
    ),
    DemoUser(
        "leitung-abh@landkreis-ludwigsburg.example",
        "Jana Roth",
        Role.ABH_LEAD,
        OrganisationKind.AUTHORITY,
        "lra-ludwigsburg",
    ),
)


@transaction.atomic
def demo_world_load(*, password: str) -> list[DemoUser]:
    """Load the demo world; idempotent (what exists already is left as it is)."""
    directory_sync()
    for spec in COMPANIES:
        if Organisation.objects.companies().filter(code=spec.code).exists():
            continue
        company = company_create(
            actor=None,
            code=spec.code,
            name=spec.name,
            legal_form=spec.legal_form,
            chamber_membership=spec.membership,
            collective_agreement=spec.collective_agreement,
            size_class=spec.size_class,
            betriebsnummer=spec.betriebsnummer,
            street=spec.street,
            postcode=spec.postcode,
            city=spec.municipality,
        )
        site_create(
            company=company,
            actor=None,
            label=spec.site_label,
            street=spec.street,
            postcode=spec.postcode,
            municipality=spec.municipality,
            is_main=True,
        )
    for spec_user in USERS:
        if User.objects.filter(email=spec_user.email).exists():
            continue
        organisation = (
            Organisation.objects.get(
                kind=spec_user.organisation_kind, code=spec_user.organisation_code
            )
            if spec_user.organisation_code
            else None
        )
        user_create(
            actor=None,
            email=spec_user.email,
            full_name=spec_user.full_name,
            role=spec_user.role,
            organisation=organisation,
            password=password,
            language=spec_user.language,
        )
    return list(USERS)
