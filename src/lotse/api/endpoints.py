from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from lotse.access import Action, organisations_visible_to, require
from lotse.accounts.models import User
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS
from lotse.api.pagination import Pagination
from lotse.api.schemas import OBJECT_ID, AuditEventOut, MeOut, OrganisationOut
from lotse.audit.selectors import audit_event_list_visible_to
from lotse.organisations.models import Organisation, OrganisationKind

router = Router()


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _ref(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.pk, "kind": org.kind, "code": org.code, "name": org.name}


@router.get(
    "/me", response={200: MeOut, **COMMON_ERRORS}, tags=["accounts"], summary="The signed-in user"
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "language": user.language,
        "organisation": _ref(user.organisation),
    }


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **COMMON_ERRORS},
    tags=["organisations"],
    summary="Organisations visible to you",
)
@paginate(Pagination)
def organisation_list(request: HttpRequest, kind: OrganisationKind | None = None) -> Any:
    organisations = organisations_visible_to(user=_user(request)).order_by("kind", "name", "pk")
    if kind is not None:
        organisations = organisations.filter(kind=kind)
    return organisations


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **OBJECT_ERRORS},
    tags=["organisations"],
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: int = OBJECT_ID) -> Organisation:
    user = _user(request)
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=organisation_id)
    require(user, Action.VIEW, organisation)
    return organisation


@router.get(
    "/audit-events",
    response={200: list[AuditEventOut], **COMMON_ERRORS},
    tags=["audit"],
    summary="Audit events about your organisation's objects",
)
@paginate(Pagination)
def audit_event_list(request: HttpRequest) -> Any:
    return audit_event_list_visible_to(user=_user(request))
