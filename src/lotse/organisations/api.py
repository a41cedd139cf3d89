"""API of the organisations area: places of business and company registration.

The twins of the organisation pages: the same services and the same access rules.
No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lotse.access import (
    AccessDeniedError,
    Action,
    can_register_companies,
    organisations_visible_to,
    require,
)
from lotse.accounts.models import User
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.schemas import OBJECT_ID, OrganisationOut, SiteOut
from lotse.organisations.models import Organisation, OrganisationKind, Site
from lotse.organisations.selectors import municipality_choices, site_list
from lotse.organisations.services import (
    CompanyConflictError,
    company_profile_update,
    company_register,
    site_create,
)

router = Router(tags=["organisations"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class SiteIn(Schema):
    label: str = Field(min_length=1, max_length=120, description="e.g. Werk Asperg")
    street: str = Field(min_length=1, max_length=200)
    postcode: str = Field(pattern=r"^\d{5}$")
    municipality: str = Field(
        min_length=1, max_length=100, description="It decides the competent immigration office."
    )
    is_main: bool = False


def _ref(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.pk, "kind": org.kind, "code": org.code, "name": org.name}


def _site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "label": site.label,
        "street": site.street,
        "postcode": site.postcode,
        "municipality": site.municipality,
        "is_main": site.is_main,
        "authority": _ref(site.authority),
    }


def _known_municipality(name: str, field: str) -> None:
    """As on the page (a select of the district's municipalities): no free text."""
    if name not in {value for value, _label in municipality_choices()}:
        raise ValidationError(
            {field: _("Choose a municipality of the district; it decides the immigration office.")}
        )


@router.get(
    "/organisations/{organisation_id}/sites",
    response={200: list[SiteOut], **OBJECT_ERRORS},
    summary="Places of business of a company",
)
def organisation_sites(
    request: HttpRequest, organisation_id: int = OBJECT_ID
) -> list[dict[str, Any]]:
    user = _user(request)
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=organisation_id)
    require(user, Action.VIEW, organisation)
    if not organisation.is_company:
        return []
    return [_site_out(site) for site in site_list(company=organisation)]


@router.post(
    "/organisations/{organisation_id}/sites",
    response={201: SiteOut, **WRITE_ERRORS},
    summary="Add a place of business (Betriebsstätte) to a company",
)
def site_create_api(
    request: HttpRequest, payload: SiteIn, organisation_id: int = OBJECT_ID
) -> Status[dict[str, Any]]:
    user = _user(request)
    company = get_object_or_404(organisations_visible_to(user=user), pk=organisation_id)
    require(user, Action.MANAGE_SITES, company)
    _known_municipality(payload.municipality, "municipality")
    site = site_create(company=company, actor=user, **payload.dict())
    return Status(201, _site_out(site))


class CompanyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    legal_form: str = Field(min_length=1, max_length=40, description="e.g. GmbH")
    betriebsnummer: str = Field("", pattern=r"^(\d{8})?$", description="8 digits, or empty")
    chamber_membership: Literal["ihk", "hwk", "both"]
    collective_agreement: bool = False
    size_class: Literal["", "micro", "small", "medium", "large"] = Field(
        "",
        description="Employees (EU SME classes): micro 1–9, small 10–49, medium 50–249, "
        "large 250+; empty: not given. Used only for the statistics.",
    )
    site_label: str = Field(min_length=1, max_length=120, description="The first site's name")
    street: str = Field(min_length=1, max_length=200)
    postcode: str = Field(pattern=r"^\d{5}$")
    municipality: str = Field(min_length=1, max_length=100)
    admin_full_name: str = Field("", max_length=150)
    admin_email: str = Field("", max_length=254, description="Invited as the company's admin.")


@router.post(
    "/companies",
    response={201: OrganisationOut, **COMMON_ERRORS, 403: ErrorOut},
    summary="Register a company with its first place of business (chambers)",
)
def company_register_api(request: HttpRequest, payload: CompanyIn) -> Status[Organisation]:
    user = _user(request)
    if not can_register_companies(user):
        raise AccessDeniedError("register company")
    _known_municipality(payload.municipality, "municipality")
    company = company_register(actor=user, **payload.dict())
    return Status(201, company)


class CompanyPatchIn(Schema):
    version: int = Field(description="The company's version as you read it (optimistic locking).")
    name: str | None = Field(None, min_length=1, max_length=200)
    legal_form: str | None = Field(None, min_length=1, max_length=40, description="e.g. GmbH")
    betriebsnummer: str | None = Field(
        None, pattern=r"^(\d{8})?$", description="8 digits, or empty"
    )
    collective_agreement: bool | None = None
    size_class: Literal["", "micro", "small", "medium", "large"] | None = Field(
        None,
        description="Employees (EU SME classes): micro 1–9, small 10–49, medium 50–249, "
        "large 250+; empty: not given. Used only for the statistics (from the next night).",
    )


@router.patch(
    "/companies/{company_id}",
    response={200: OrganisationOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Correct a company's data (size class, name, legal form, Betriebsnummer, "
    "collective agreement)",
    description="Only the fields sent change. The company's administrator, a chamber serving "
    "it and the platform administrator may; everyone else 403 `forbidden` (404 when the "
    "company is not visible). 409 `version_conflict`: someone else changed the data, nothing "
    "was saved; 422 `invalid_input` with field_errors. The twin of the page "
    "/organisations/{id}/edit/; GET /organisations/{id} gives the version.",
)
def company_update_api(
    request: HttpRequest, payload: CompanyPatchIn, company_id: int = OBJECT_ID
) -> Organisation:
    user = _user(request)
    company = get_object_or_404(
        organisations_visible_to(user=user).filter(kind=OrganisationKind.COMPANY),
        pk=company_id,
    )
    require(user, Action.EDIT, company)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        return company_profile_update(
            company=company, actor=user, expected_version=payload.version, **changes
        )
    except CompanyConflictError as exc:
        raise ApiError(409, "version_conflict", str(exc)) from None
