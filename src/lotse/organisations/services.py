from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.accounts.models import Role
from lotse.accounts.services import invitation_create
from lotse.audit.services import audit_record
from lotse.organisations.models import (
    AuthorityKind,
    ChamberKind,
    ChamberMembership,
    Organisation,
    OrganisationKind,
    Site,
)
from lotse.rules import directory

if TYPE_CHECKING:
    from lotse.accounts.models import User

_SITE_FIELDS = ("label", "street", "postcode", "municipality", "is_main")
_COMPANY_FIELDS = (
    "name",
    "legal_form",
    "betriebsnummer",
    "chamber_membership",
    "collective_agreement",
    "size_class",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def _chambers_for_membership(membership: str) -> list[Organisation]:
    kinds = {
        ChamberMembership.IHK: [ChamberKind.IHK],
        ChamberMembership.HWK: [ChamberKind.HWK],
        ChamberMembership.BOTH: [ChamberKind.IHK, ChamberKind.HWK],
    }[ChamberMembership(membership)]
    return list(Organisation.objects.chambers().filter(chamber_kind__in=kinds))


def _resolve_authority(municipality: str) -> tuple[str, Organisation | None]:
    """The canonical municipality name and its competent ABH (§ 71 Abs. 1 AufenthG)."""
    found = directory.find_municipality(municipality)
    if found is None:
        return municipality.strip(), None
    return found.name, Organisation.objects.authorities().filter(code=found.authority_code).first()


@transaction.atomic
def company_create(
    *,
    actor: User | None,
    name: str,
    legal_form: str,
    chamber_membership: str,
    betriebsnummer: str = "",
    collective_agreement: bool = False,
    size_class: str = "",
    email: str = "",
    phone: str = "",
    street: str = "",
    postcode: str = "",
    city: str = "",
    code: str | None = None,
) -> Organisation:
    """Register a company; the chambers of its membership serve it from the start."""
    company = Organisation(
        kind=OrganisationKind.COMPANY,
        code=code or _unique_company_code(name),
        name=name,
        legal_form=legal_form,
        chamber_membership=chamber_membership,
        betriebsnummer=betriebsnummer,
        collective_agreement=collective_agreement,
        size_class=size_class,
        email=email,
        phone=phone,
        street=street,
        postcode=postcode,
        city=city,
    )
    company.full_clean()
    company.save()
    chambers = _chambers_for_membership(chamber_membership)
    company.served_by.set(chambers)
    audit_record(
        actor=actor,
        action="organisation.company_created",
        obj=company,
        concerns=[company, *chambers],
        after=_snapshot(company, _COMPANY_FIELDS),
    )
    return company


def _unique_company_code(name: str) -> str:
    base = "company-" + (slugify(name)[:60] or "unnamed")
    code, counter = base, 2
    while Organisation.objects.companies().filter(code=code).exists():
        code = f"{base}-{counter}"
        counter += 1
    return code


# What a company corrects in its own profile (the registration's fields, without the chamber
# membership: that decides which chambers serve the company and is changed by them).
PROFILE_FIELDS = ("name", "legal_form", "betriebsnummer", "collective_agreement", "size_class")


class CompanyConflictError(Exception):
    """Someone else changed the company's profile since the form was loaded: nothing saved."""

    def __init__(self, company: Organisation, expected_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed the company's data in the meantime. Nothing was saved; "
                "your entries are still in the form. Check the data and send again."
            )
        )
        self.company = company
        self.expected_version = expected_version


@transaction.atomic
def company_profile_update(
    *, company: Organisation, actor: User, expected_version: int, **changes: Any
) -> Organisation:
    """Correct the company's profile (its own administrator, its chamber or the platform
    administrator: access.Action.EDIT); raises CompanyConflictError or ValidationError."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(
            f"company_profile_update() got fields it does not change: {sorted(unknown)}"
        )
    return company_update(
        company=company, actor=actor, expected_version=expected_version, **changes
    )


@transaction.atomic
def company_update(
    *, company: Organisation, actor: User, expected_version: int | None = None, **changes: Any
) -> Organisation:
    unknown = set(changes) - set(_COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"company_update() got fields it does not change: {sorted(unknown)}")
    # Locked, then compared: of two edits at once one wins, the other gets the conflict.
    company = Organisation.objects.select_for_update().get(pk=company.pk)
    if expected_version is not None and company.version != expected_version:
        raise CompanyConflictError(company, expected_version)
    before = _snapshot(company, _COMPANY_FIELDS)
    for field, value in changes.items():
        setattr(company, field, value)
    company.full_clean()
    company.version += 1
    company.save()
    if (
        "chamber_membership" in changes
        and changes["chamber_membership"] != before["chamber_membership"]
    ):
        company.served_by.set(_chambers_for_membership(company.chamber_membership))
    audit_record(
        actor=actor,
        action="organisation.company_updated",
        obj=company,
        concerns=[company, *company.served_by.all()],
        before=before,
        after=_snapshot(company, _COMPANY_FIELDS),
    )
    return company


@transaction.atomic
def site_create(
    *,
    company: Organisation,
    actor: User | None,
    label: str,
    street: str,
    postcode: str,
    municipality: str,
    is_main: bool = False,
) -> Site:
    """Add a Betriebsstätte; its municipality decides the competent immigration office."""
    if not company.is_company:
        raise ValidationError(_("Only a company has places of business."))
    canonical, authority = _resolve_authority(municipality)
    site = Site(
        company=company,
        label=label,
        street=street,
        postcode=postcode,
        municipality=canonical,
        authority=authority,
        is_main=is_main or not company.sites.exists(),
    )
    site.full_clean()
    if site.is_main:
        company.sites.filter(is_main=True).update(is_main=False)
    site.save()
    audit_record(
        actor=actor,
        action="organisation.site_created",
        obj=site,
        concerns=[company, *company.served_by.all()],
        after={**_snapshot(site, _SITE_FIELDS), "authority": authority.code if authority else None},
    )
    return site


@transaction.atomic
def directory_sync(*, actor: User | None = None) -> dict[str, int]:
    """Create or update the chambers, immigration offices and external bodies from the directory data.

    Idempotent: running it twice changes nothing the second time and writes no audit event.
    """
    counts = {"created": 0, "updated": 0}

    def upsert(code: str, kind: str, values: dict[str, Any]) -> None:
        org = Organisation.objects.filter(kind=kind, code=code).first()
        if org is None:
            org = Organisation(code=code, kind=kind, **values)
            org.full_clean()
            org.save()
            counts["created"] += 1
            audit_record(
                actor=actor,
                action="organisation.directory_created",
                obj=org,
                concerns=[org],
                after={k: str(v) for k, v in values.items()},
            )
            return
        before = {k: getattr(org, k) for k in values}
        if before == values:
            return
        for key, value in values.items():
            setattr(org, key, value)
        org.full_clean()
        org.save()
        counts["updated"] += 1
        audit_record(
            actor=actor,
            action="organisation.directory_updated",
            obj=org,
            concerns=[org],
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in values.items()},
        )

    for chamber in directory.chambers():
        upsert(
            chamber.code,
            OrganisationKind.CHAMBER,
            {
                "name": chamber.name,
                "unit": chamber.local_office,
                "chamber_kind": chamber.kind,
                "website": chamber.url,
            },
        )
    for authority in directory.authorities():
        street, _sep, place = authority.address.partition(", ")
        postcode, _sep, city = place.partition(" ")
        upsert(
            authority.code,
            OrganisationKind.AUTHORITY,
            {
                "name": authority.name,
                "authority_kind": AuthorityKind(authority.kind),
                "cooperation_since": authority.cooperation_since,
                "cooperation_source": authority.cooperation_source,
                "street": street,
                "postcode": postcode,
                "city": city,
                "website": authority.url,
            },
        )
    for body in directory.external_bodies():
        upsert(
            body.code,
            OrganisationKind.EXTERNAL_BODY,
            {"name": body.name, "role_description": body.role_en[:300], "website": body.url},
        )
    return counts


@transaction.atomic
def company_register(
    *,
    actor: User,
    name: str,
    legal_form: str,
    chamber_membership: str,
    betriebsnummer: str,
    collective_agreement: bool,
    site_label: str,
    street: str,
    postcode: str,
    municipality: str,
    admin_full_name: str = "",
    admin_email: str = "",
    size_class: str = "",
) -> Organisation:
    """A chamber (or the platform administrator) registers a company with its first site.

    The registering chamber serves the company from the start, whatever the membership says,
    because it is the one doing the work; the first administrator is invited by e-mail.
    """
    company = company_create(
        actor=actor,
        name=name,
        legal_form=legal_form,
        chamber_membership=chamber_membership,
        betriebsnummer=betriebsnummer,
        collective_agreement=collective_agreement,
        size_class=size_class,
    )
    if actor.is_chamber_user and actor.organisation is not None:
        company.served_by.add(actor.organisation)
    site_create(
        company=company,
        actor=actor,
        label=site_label,
        street=street,
        postcode=postcode,
        municipality=municipality,
        is_main=True,
    )
    if admin_email:
        invitation_create(
            actor=actor,
            organisation=company,
            email=admin_email,
            full_name=admin_full_name or admin_email,
            role=Role.COMPANY_ADMIN,
        )
    return company
