"""Every role × every view and API endpoint × own / foreign organisation's object.

The expectations are written out by hand: they are the access rules of the cooperation.
``test_every_endpoint_is_in_the_matrix`` fails when a new URL or API operation appears
without a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lotse.accounts.models import Invitation, Role, WebAuthnCredential
from lotse.accounts.services import api_token_create, invitation_create
from lotse.api.main import api
from tests.advice import world as advice
from tests.cases import world as cases
from tests.conftest import World
from tests.conversations import world as talk
from tests.documents import world as docs
from tests.notifications import world as notes

CA, CHR = Role.COMPANY_ADMIN, Role.COMPANY_HR
ADV, CL = Role.CHAMBER_ADVISOR, Role.CHAMBER_LEAD
CW, AL = Role.ABH_CASEWORKER, Role.ABH_LEAD
PA = Role.PLATFORM_ADMIN
ROLES = (CA, CHR, ADV, CL, CW, AL, PA)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(allowed: dict[str, int], otherwise: int) -> dict[str, int]:
    return {role: allowed.get(role, otherwise) for role in ROLES}


@dataclass(frozen=True)
class Row:
    name: str  # URL name or "api:<path>"
    target: str  # what object the URL points at: own company, foreign company, …
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[], dict[str, object]] | None = None  # JSON body of an API call


def _invitation(world: World) -> Invitation:
    return invitation_create(
        actor=world.users[CA],
        organisation=world.company,
        email="new@own.example",
        full_name="Neu",
        role=CHR,
    ).invitation


def _security_key(world: World) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=world.users[CA], name="Blue key", credential_id="a2V5", public_key=b"\xa0"
    )


SITE_BODY = {
    "label": "Lager",
    "street": "Hauptstr. 1",
    "postcode": "71679",
    "municipality": "Asperg",
}
MATRIX: tuple[Row, ...] = (
    Row("web:dashboard", "-", "get", lambda w: reverse("web:dashboard"), everyone(200)),
    Row("web:keepalive", "-", "post", lambda w: reverse("web:keepalive"), everyone(200)),
    Row("organisations:own", "-", "get", lambda w: reverse("organisations:own"), everyone(302)),
    Row(
        "organisations:detail",
        "own company",
        "get",
        lambda w: reverse("organisations:detail", args=[w.company.pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "organisations:detail",
        "foreign company",
        "get",
        lambda w: reverse("organisations:detail", args=[w.other_company.pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "organisations:detail",
        "authority (directory)",
        "get",
        lambda w: reverse("organisations:detail", args=[w.lra.pk]),
        everyone(200),
    ),
    Row(
        "organisations:site_create",
        "own company",
        "get",
        lambda w: reverse("organisations:site_create", args=[w.company.pk]),
        {CA: 200, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 200},
    ),
    Row(
        "organisations:site_create",
        "foreign company",
        "get",
        lambda w: reverse("organisations:site_create", args=[w.other_company.pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "organisations:site_create",
        "authority (directory)",
        "get",
        lambda w: reverse("organisations:site_create", args=[w.lra.pk]),
        only({PA: 200}, 403),
    ),
    # Correcting a company's data (size class …): its administrator, the chambers serving it,
    # the platform administrator; a foreign organisation's user does not even see it.
    Row(
        "organisations:company_edit",
        "own company",
        "get",
        lambda w: reverse("organisations:company_edit", args=[w.company.pk]),
        {CA: 200, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 200},
    ),
    Row(
        "organisations:company_edit",
        "foreign company",
        "get",
        lambda w: reverse("organisations:company_edit", args=[w.other_company.pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "organisations:company_edit",
        "foreign company, POST",
        "post",
        lambda w: reverse("organisations:company_edit", args=[w.other_company.pk]),
        only({PA: 422}, 404),
    ),
    Row(
        "organisations:company_edit",
        "authority (directory)",
        "get",
        lambda w: reverse("organisations:company_edit", args=[w.lra.pk]),
        everyone(404),
    ),
    Row(
        "organisations:company_list",
        "-",
        "get",
        lambda w: reverse("organisations:company_list"),
        {CA: 302, CHR: 302, ADV: 200, CL: 200, CW: 200, AL: 200, PA: 200},
    ),
    Row(
        "organisations:company_register",
        "-",
        "get",
        lambda w: reverse("organisations:company_register"),
        only({ADV: 200, CL: 200, PA: 200}, 403),
    ),
    Row(
        "accounts:organisation_team",
        "own company",
        "get",
        lambda w: reverse("accounts:organisation_team", args=[w.company.pk]),
        {CA: 200, CHR: 403, ADV: 403, CL: 403, CW: 404, AL: 404, PA: 200},
    ),
    Row(
        "accounts:organisation_team",
        "foreign company",
        "get",
        lambda w: reverse("accounts:organisation_team", args=[w.other_company.pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "accounts:organisation_team",
        "authority (directory)",
        "get",
        lambda w: reverse("accounts:organisation_team", args=[w.lra.pk]),
        {CA: 403, CHR: 403, ADV: 403, CL: 403, CW: 403, AL: 200, PA: 200},
    ),
    Row(
        "organisations:directory",
        "-",
        "get",
        lambda w: reverse("organisations:directory"),
        everyone(200),
    ),
    Row("audit:list", "-", "get", lambda w: reverse("audit:list"), everyone(200)),
    Row(
        "accounts:team",
        "own organisation",
        "get",
        lambda w: reverse("accounts:team"),
        {CA: 200, CHR: 403, ADV: 403, CL: 200, CW: 403, AL: 200, PA: 302},
    ),
    Row(
        "accounts:invitation_revoke",
        "own company's invitation",
        "post",
        lambda w: reverse("accounts:invitation_revoke", args=[_invitation(w).pk]),
        only({CA: 302, PA: 302}, 404),
    ),
    Row(
        "accounts:member_set_active",
        "own company's HR user",
        "post",
        lambda w: reverse("accounts:member_set_active", args=[w.users[CHR].pk]),
        {CA: 302, CHR: 403, ADV: 404, CL: 404, CW: 404, AL: 404, PA: 302},
    ),
    Row(
        "accounts:member_set_active",
        "foreign chamber's advisor",
        "post",
        lambda w: reverse("accounts:member_set_active", args=[w.foreign_users[ADV].pk]),
        only({PA: 302}, 404),
    ),
    Row("accounts:tokens", "-", "get", lambda w: reverse("accounts:tokens"), everyone(200)),
    Row(
        "accounts:token_revoke",
        "company admin's token",
        "post",
        lambda w: reverse(
            "accounts:token_revoke", args=[api_token_create(user=w.users[CA], name="x").token.pk]
        ),
        only({CA: 302}, 404),
    ),
    # Second factor (lotse.accounts.second_factor_views): one's own pages; nobody in the
    # matrix has a device and LOTSE_REQUIRE_2FA is off in tests, so verify and renew send back.
    Row(
        "accounts:second_factor",
        "-",
        "get",
        lambda w: reverse("accounts:second_factor"),
        everyone(200),
    ),
    Row(
        "accounts:second_factor_verify",
        "-",
        "get",
        lambda w: reverse("accounts:second_factor_verify"),
        everyone(302),
    ),
    Row(
        "accounts:second_factor_recovery_codes",
        "-",
        "post",
        lambda w: reverse("accounts:second_factor_recovery_codes"),
        everyone(302),
    ),
    Row(
        "accounts:second_factor_remove",
        "-",
        "post",
        lambda w: reverse("accounts:second_factor_remove"),
        everyone(302),
    ),
    Row(
        "accounts:member_second_factor_reset",
        "own company's HR user",
        "post",
        lambda w: reverse("accounts:member_second_factor_reset", args=[w.users[CHR].pk]),
        {CA: 302, CHR: 403, ADV: 404, CL: 404, CW: 404, AL: 404, PA: 302},
    ),
    Row(
        "accounts:member_second_factor_reset",
        "foreign chamber's advisor",
        "post",
        lambda w: reverse("accounts:member_second_factor_reset", args=[w.foreign_users[ADV].pk]),
        only({PA: 302}, 404),
    ),
    Row(
        "accounts:second_factor_policy",
        "own company",
        "post",
        lambda w: reverse("accounts:second_factor_policy", args=[w.company.pk]),
        {CA: 302, CHR: 403, ADV: 403, CL: 403, CW: 404, AL: 404, PA: 302},
    ),
    Row(
        "accounts:second_factor_policy",
        "foreign company",
        "post",
        lambda w: reverse("accounts:second_factor_policy", args=[w.other_company.pk]),
        only({PA: 302}, 404),
    ),
    Row(
        "accounts:second_factor_policy",
        "authority (directory)",
        "post",
        lambda w: reverse("accounts:second_factor_policy", args=[w.lra.pk]),
        {CA: 403, CHR: 403, ADV: 403, CL: 403, CW: 403, AL: 302, PA: 302},
    ),
    Row(
        "api:/api/v1/users/{user_id}/second-factor/reset",
        "own company's HR user",
        "post",
        lambda w: f"/api/v1/users/{w.users[CHR].pk}/second-factor/reset",
        {CA: 200, CHR: 403, ADV: 404, CL: 404, CW: 404, AL: 404, PA: 200},
    ),
    Row(
        "api:/api/v1/users/{user_id}/second-factor/reset",
        "foreign chamber's advisor",
        "post",
        lambda w: f"/api/v1/users/{w.foreign_users[ADV].pk}/second-factor/reset",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/second-factor-policy",
        "own company",
        "put",
        lambda w: f"/api/v1/organisations/{w.company.pk}/second-factor-policy",
        {CA: 200, CHR: 403, ADV: 403, CL: 403, CW: 404, AL: 404, PA: 200},
        body=lambda: {"required": False},
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/second-factor-policy",
        "foreign company",
        "put",
        lambda w: f"/api/v1/organisations/{w.other_company.pk}/second-factor-policy",
        only({PA: 200}, 404),
        body=lambda: {"required": False},
    ),
    # Security keys (lotse.accounts.security_key_views, ADR 0026): one's own only, nobody else's,
    # the platform administrator included. The key is made after sign-in, so its holder's
    # session has not passed it yet: the page sends them to confirm (302), the API refuses (403).
    Row(
        "accounts:security_keys",
        "-",
        "get",
        lambda w: reverse("accounts:security_keys"),
        everyone(200),
    ),
    Row(
        "accounts:security_key_remove",
        "company admin's key",
        "post",
        lambda w: reverse("accounts:security_key_remove", args=[_security_key(w).pk]),
        only({CA: 302}, 404),
    ),
    Row(
        "api:/api/v1/me/security-keys",
        "-",
        "get",
        lambda w: "/api/v1/me/security-keys",
        everyone(200),
    ),
    # Without options first there is no challenge to answer: refused for everyone (422).
    Row(
        "api:/api/v1/me/security-keys",
        "-",
        "post",
        lambda w: "/api/v1/me/security-keys",
        everyone(422),
        body=lambda: {"name": "x", "credential": {}},
    ),
    Row(
        "api:/api/v1/me/security-keys/registration-options",
        "-",
        "post",
        lambda w: "/api/v1/me/security-keys/registration-options",
        everyone(200),
    ),
    Row(
        "api:/api/v1/me/security-keys/{key_id}/remove",
        "company admin's key",
        "post",
        lambda w: f"/api/v1/me/security-keys/{_security_key(w).pk}/remove",
        only({CA: 403}, 404),
    ),
    Row("api:/api/v1/me", "-", "get", lambda w: "/api/v1/me", everyone(200)),
    Row("api:/api/v1/organisations", "-", "get", lambda w: "/api/v1/organisations", everyone(200)),
    Row(
        "api:/api/v1/organisations/{organisation_id}",
        "own company",
        "get",
        lambda w: f"/api/v1/organisations/{w.company.pk}",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}",
        "foreign company",
        "get",
        lambda w: f"/api/v1/organisations/{w.other_company.pk}",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/sites",
        "own company",
        "get",
        lambda w: f"/api/v1/organisations/{w.company.pk}/sites",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/sites",
        "foreign company",
        "get",
        lambda w: f"/api/v1/organisations/{w.other_company.pk}/sites",
        only({PA: 200}, 404),
    ),
    Row("api:/api/v1/audit-events", "-", "get", lambda w: "/api/v1/audit-events", everyone(200)),
    # Cases (lotse.cases): a company sees its cases, the serving chamber the cases it serves, an
    # ABH only the cases forwarded to it. Steps: the party the step belongs to meets the stale
    # version (409); a party that may see the case but not take the step gets 403.
    Row("cases:list", "-", "get", lambda w: reverse("cases:list"), everyone(200)),
    Row("cases:deadlines", "-", "get", lambda w: reverse("cases:deadlines"), everyone(200)),
    Row(
        "cases:create",
        "-",
        "get",
        lambda w: reverse("cases:create"),
        {CA: 200, CHR: 200, ADV: 200, CL: 200, CW: 403, AL: 403, PA: 403},
    ),
    Row(
        "cases:detail",
        "own case",
        "get",
        lambda w: reverse("cases:detail", args=[cases.own_case(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "cases:detail",
        "forwarded case",
        "get",
        lambda w: reverse("cases:detail", args=[cases.forwarded_case(w).pk]),
        everyone(200),
    ),
    Row(
        "cases:detail",
        "foreign case",
        "get",
        lambda w: reverse("cases:detail", args=[cases.foreign_case(w).pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "cases:step",
        "forwarded case, accept_intake",
        "post",
        lambda w: reverse("cases:step", args=[cases.forwarded_case(w).pk, "accept_intake"]),
        {CA: 403, CHR: 403, ADV: 403, CL: 403, CW: 409, AL: 409, PA: 403},
    ),
    Row(
        "cases:step",
        "own case, start_collecting",
        "post",
        lambda w: reverse("cases:step", args=[cases.own_case(w).pk, "start_collecting"]),
        {CA: 403, CHR: 403, ADV: 409, CL: 409, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "cases:step",
        "foreign case",
        "post",
        lambda w: reverse("cases:step", args=[cases.foreign_case(w).pk, "start_collecting"]),
        only({PA: 403}, 404),
    ),
    Row(
        "cases:checklist_item",
        "own case",
        "post",
        lambda w: reverse(
            "cases:checklist_item", args=[(c := cases.own_case(w)).pk, c.checklist.first().pk]
        ),
        {CA: 403, CHR: 403, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "cases:note_add",
        "own case",
        "post",
        lambda w: reverse("cases:note_add", args=[cases.own_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "cases:advisor",
        "own case",
        "post",
        lambda w: reverse("cases:advisor", args=[cases.own_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    # Correcting the case data: company and chamber until forwarded, then only the ABH. A GET of
    # the form; the API with a stale version (409 for who may, 403 / 404 for everyone else).
    Row(
        "cases:edit_details",
        "own case",
        "get",
        lambda w: reverse("cases:edit_details", args=[cases.own_case(w).pk]),
        {CA: 200, CHR: 200, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "cases:edit_details",
        "forwarded case",
        "get",
        lambda w: reverse("cases:edit_details", args=[cases.forwarded_case(w).pk]),
        only({CW: 200, AL: 200}, 403),
    ),
    Row(
        "cases:edit_details",
        "foreign case",
        "get",
        lambda w: reverse("cases:edit_details", args=[cases.foreign_case(w).pk]),
        only({PA: 403}, 404),
    ),
    Row("api:/api/v1/cases", "-", "get", lambda w: "/api/v1/cases", everyone(200)),
    # An empty body is invalid for everyone; tests/cases/test_api.py checks who may create.
    Row(
        "api:/api/v1/cases",
        "(empty body)",
        "post",
        lambda w: "/api/v1/cases",
        everyone(422),
        body=lambda: {},
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}",
        everyone(200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "own case, PATCH",
        "patch",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}",
        {CA: 409, CHR: 409, ADV: 409, CL: 409, CW: 404, AL: 404, PA: 403},
        body=lambda: cases.details_body(),
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "forwarded case, PATCH",
        "patch",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}",
        only({CW: 409, AL: 409}, 403),
        body=lambda: cases.details_body(),
    ),
    Row(
        "api:/api/v1/cases/{case_id}",
        "foreign case, PATCH",
        "patch",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}",
        only({PA: 403}, 404),
        body=lambda: cases.details_body(),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/timeline",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/timeline",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/timeline",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/timeline",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/deadlines",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}/deadlines",
        everyone(200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/deadlines",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/deadlines",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/checklist",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/checklist",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/checklist",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/checklist",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/transitions",
        "forwarded case, accept_intake",
        "post",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}/transitions",
        {CA: 403, CHR: 403, ADV: 403, CL: 403, CW: 409, AL: 409, PA: 403},
        body=lambda: cases.step_body("accept_intake"),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/transitions",
        "foreign case",
        "post",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/transitions",
        only({PA: 403}, 404),
        body=lambda: cases.step_body("start_collecting"),
    ),
    # The API twins of the case page's forms (tests/api/test_api_twins.py): the same rules.
    Row(
        "api:/api/v1/cases/{case_id}/checklist/{item_id}",
        "own case",
        "post",
        lambda w: f"/api/v1/cases/{(c := cases.own_case(w)).pk}/checklist/{c.checklist.first().pk}",
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
        body=lambda: {"operation": "paper"},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/checklist/{item_id}",
        "foreign case",
        "post",
        lambda w: (
            f"/api/v1/cases/{(c := cases.foreign_case(w)).pk}/checklist/{c.checklist.first().pk}"
        ),
        only({PA: 403}, 404),
        body=lambda: {"operation": "paper"},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/notes",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/notes",
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/notes",
        "own case",
        "post",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/notes",
        {CA: 403, CHR: 403, ADV: 201, CL: 201, CW: 404, AL: 404, PA: 403},
        body=lambda: {"text": "Called the company."},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/notes",
        "foreign case",
        "post",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/notes",
        only({PA: 403}, 404),
        body=lambda: {"text": "Called the company."},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/advisor",
        "own case",
        "put",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/advisor",
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
        body=lambda: {"advisor_id": None},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/advisor",
        "foreign case",
        "put",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/advisor",
        only({PA: 403}, 404),
        body=lambda: {"advisor_id": None},
    ),
    # The API twins of the team, token and organisation pages.
    Row(
        "api:/api/v1/organisations/{organisation_id}/invitations",
        "own company",
        "post",
        lambda w: f"/api/v1/organisations/{w.company.pk}/invitations",
        {CA: 201, CHR: 403, ADV: 403, CL: 403, CW: 404, AL: 404, PA: 201},
        body=lambda: {"full_name": "Neu", "email": "neu@own.example", "role": CHR},
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/invitations",
        "foreign company",
        "post",
        lambda w: f"/api/v1/organisations/{w.other_company.pk}/invitations",
        only({PA: 201}, 404),
        body=lambda: {"full_name": "Neu", "email": "neu@own.example", "role": CHR},
    ),
    Row(
        "api:/api/v1/invitations/{invitation_id}/revoke",
        "own company's invitation",
        "post",
        lambda w: f"/api/v1/invitations/{_invitation(w).pk}/revoke",
        only({CA: 200, PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/users/{user_id}/active",
        "own company's HR user",
        "post",
        lambda w: f"/api/v1/users/{w.users[CHR].pk}/active",
        {CA: 200, CHR: 403, ADV: 404, CL: 404, CW: 404, AL: 404, PA: 200},
        body=lambda: {"active": True},
    ),
    Row(
        "api:/api/v1/users/{user_id}/active",
        "foreign chamber's advisor",
        "post",
        lambda w: f"/api/v1/users/{w.foreign_users[ADV].pk}/active",
        only({PA: 200}, 404),
        body=lambda: {"active": True},
    ),
    Row("api:/api/v1/tokens", "-", "get", lambda w: "/api/v1/tokens", everyone(200)),
    Row(
        "api:/api/v1/tokens",
        "-",
        "post",
        lambda w: "/api/v1/tokens",
        everyone(201),
        body=lambda: {"name": "HR system"},
    ),
    Row(
        "api:/api/v1/tokens/{token_id}/revoke",
        "company admin's token",
        "post",
        lambda w: f"/api/v1/tokens/{api_token_create(user=w.users[CA], name='x').token.pk}/revoke",
        only({CA: 200}, 404),
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/sites",
        "own company",
        "post",
        lambda w: f"/api/v1/organisations/{w.company.pk}/sites",
        {CA: 201, CHR: 403, ADV: 201, CL: 201, CW: 404, AL: 404, PA: 201},
        body=lambda: SITE_BODY,
    ),
    Row(
        "api:/api/v1/organisations/{organisation_id}/sites",
        "foreign company",
        "post",
        lambda w: f"/api/v1/organisations/{w.other_company.pk}/sites",
        only({PA: 201}, 404),
        body=lambda: SITE_BODY,
    ),
    Row(
        "api:/api/v1/companies/{company_id}",
        "own company, PATCH",
        "patch",
        lambda w: f"/api/v1/companies/{w.company.pk}",
        {CA: 200, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 200},
        body=lambda: {"version": 1, "size_class": "small"},
    ),
    Row(
        "api:/api/v1/companies/{company_id}",
        "foreign company, PATCH",
        "patch",
        lambda w: f"/api/v1/companies/{w.other_company.pk}",
        only({PA: 200}, 404),
        body=lambda: {"version": 1, "size_class": "small"},
    ),
    Row(
        "api:/api/v1/companies",
        "-",
        "post",
        lambda w: "/api/v1/companies",
        only({ADV: 201, CL: 201, PA: 201}, 403),
        body=lambda: {
            **SITE_BODY,
            "site_label": "Werk",
            "name": "Neu GmbH",
            "legal_form": "GmbH",
            "chamber_membership": "ihk",
        },
    ),
    # Documents (lotse.documents): the company and its chamber collect; the chamber reviews and
    # seals supplements; the ABH sees documents and the sealed file only once forwarded.
    Row(
        "documents:case",
        "own case",
        "get",
        lambda w: reverse("documents:case", args=[docs.own_case(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "documents:case",
        "foreign case",
        "get",
        lambda w: reverse("documents:case", args=[docs.foreign_case(w).pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "documents:case",
        "forwarded case",
        "get",
        lambda w: reverse("documents:case", args=[docs.forwarded_case(w).pk]),
        everyone(200),
    ),
    Row(
        "documents:upload",
        "own case (no file)",
        "post",
        lambda w: reverse(
            "documents:upload", args=[(c := docs.own_case(w)).pk, c.checklist.first().pk]
        ),
        {CA: 302, CHR: 302, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:download",
        "own case's document",
        "get",
        lambda w: reverse("documents:download", args=[docs.own_document(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "documents:review",
        "own case's document",
        "get",
        lambda w: reverse("documents:review", args=[docs.own_document(w).pk]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:link_create",
        "own case",
        "post",
        lambda w: reverse("documents:link_create", args=[docs.own_case(w).pk]),
        {CA: 302, CHR: 302, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:link_send",
        "own case",
        "post",
        lambda w: reverse("documents:link_send", args=[docs.own_case(w).pk]),
        {CA: 302, CHR: 302, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:link_revoke",
        "own case's link",
        "post",
        lambda w: reverse("documents:link_revoke", args=[docs.own_link(w).pk]),
        only({PA: 404, CW: 404, AL: 404}, 302),
    ),
    Row(
        "documents:sealed_download",
        "forwarded case",
        "get",
        lambda w: reverse("documents:sealed_download", args=[docs.forwarded_case(w).pk, 0]),
        everyone(200),
    ),
    Row(
        "documents:sealed_download",
        "own case, not forwarded",
        "get",
        lambda w: reverse("documents:sealed_download", args=[docs.own_case(w).pk, 0]),
        everyone(404),
    ),
    Row(
        "privacy:worker_export",
        "forwarded case",
        "get",
        lambda w: reverse("privacy:worker_export", args=[docs.forwarded_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 200, AL: 200, PA: 403},
    ),
    Row(
        "privacy:worker_export",
        "own case, not forwarded",
        "get",
        lambda w: reverse("privacy:worker_export", args=[docs.own_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "privacy:worker_export",
        "foreign case",
        "get",
        lambda w: reverse("privacy:worker_export", args=[docs.foreign_case(w).pk]),
        only({PA: 403}, 404),
    ),
    Row(
        "documents:seal_supplement",
        "forwarded case",
        "post",
        lambda w: reverse("documents:seal_supplement", args=[docs.forwarded_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 302, CL: 302, CW: 403, AL: 403, PA: 403},
    ),
    Row(
        "documents:upload_many",
        "own case (no file)",
        "post",
        lambda w: reverse("documents:upload_many", args=[docs.own_case(w).pk]),
        {CA: 302, CHR: 302, ADV: 302, CL: 302, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:review_file",
        "own case",
        "get",
        lambda w: reverse("documents:review_file", args=[docs.own_document(w).case_id]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:review_file",
        "foreign case",
        "get",
        lambda w: reverse("documents:review_file", args=[docs.foreign_case(w).pk]),
        only({PA: 403}, 404),
    ),
    Row(
        "documents:review_bulk",
        "own case (nothing ticked)",
        "post",
        lambda w: reverse("documents:review_bulk", args=[docs.own_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 422, CL: 422, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "documents:preview",
        "own case's document",
        "get",
        lambda w: reverse("documents:preview", args=[docs.own_document(w).pk, 1]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "documents:preview",
        "foreign case's document",
        "get",
        lambda w: reverse("documents:preview", args=[docs.foreign_document(w).pk, 1]),
        only({PA: 200}, 404),
    ),
    Row(
        "documents:decide",
        "own case's document (no decision)",
        "post",
        lambda w: reverse("documents:decide", args=[docs.own_document(w).pk]),
        {CA: 403, CHR: 403, ADV: 422, CL: 422, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "api:/api/v1/documents/{document_id}/pages/{page}",
        "own case's document",
        "get",
        lambda w: f"/api/v1/documents/{docs.own_document(w).pk}/pages/1",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/documents/{document_id}/pages/{page}",
        "foreign case's document",
        "get",
        lambda w: f"/api/v1/documents/{docs.foreign_document(w).pk}/pages/1",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/documents/review",
        "own case (unknown document)",
        "post",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/documents/review",
        {CA: 403, CHR: 403, ADV: 422, CL: 422, CW: 404, AL: 404, PA: 403},
        body=lambda: {"documents": [2**40], "decision": "accept"},
    ),
    # Without files the input is invalid for everyone; tests/documents/test_review_file.py uploads.
    Row(
        "api:/api/v1/cases/{case_id}/documents/batch",
        "own case (no file)",
        "post",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/documents/batch",
        everyone(422),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/file/supplements",
        "forwarded case (nothing new)",
        "post",
        lambda w: f"/api/v1/cases/{docs.forwarded_case(w).pk}/file/supplements",
        {CA: 403, CHR: 403, ADV: 409, CL: 409, CW: 403, AL: 403, PA: 403},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/file/supplements",
        "forwarded case (one new document)",
        "post",
        lambda w: f"/api/v1/cases/{docs.forwarded_case_with_new_document(w).pk}/file/supplements",
        {CA: 403, CHR: 403, ADV: 201, CL: 201, CW: 403, AL: 403, PA: 403},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/file/supplements",
        "foreign case",
        "post",
        lambda w: f"/api/v1/cases/{docs.foreign_case(w).pk}/file/supplements",
        only({PA: 403}, 404),
    ),
    Row(
        "documents:letter",
        "own case",
        "get",
        lambda w: reverse("documents:letter", args=[docs.own_case(w).pk, "vollmacht"]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "documents:letter",
        "foreign case",
        "get",
        lambda w: reverse("documents:letter", args=[docs.foreign_case(w).pk, "vollmacht"]),
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/documents",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/documents",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/documents",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{docs.forwarded_case(w).pk}/documents",
        everyone(200),
    ),
    # Without a file the input is invalid for everyone; tests/documents/test_api.py checks who may upload.
    Row(
        "api:/api/v1/cases/{case_id}/documents",
        "own case (no file)",
        "post",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/documents",
        everyone(422),
    ),
    Row(
        "api:/api/v1/documents/{document_id}",
        "own case's document",
        "get",
        lambda w: f"/api/v1/documents/{docs.own_document(w).pk}",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/documents/{document_id}/content",
        "own case's document",
        "get",
        lambda w: f"/api/v1/documents/{docs.own_document(w).pk}/content",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/personal-data",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{docs.forwarded_case(w).pk}/personal-data",
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 200, AL: 200, PA: 403},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/personal-data",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{docs.foreign_case(w).pk}/personal-data",
        only({PA: 403}, 404),
    ),
    Row(
        "api:/api/v1/documents/{document_id}/review",
        "own case's document (no body)",
        "post",
        lambda w: f"/api/v1/documents/{docs.own_document(w).pk}/review",
        everyone(400),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/upload-links",
        "own case",
        "post",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/upload-links",
        {CA: 201, CHR: 201, ADV: 201, CL: 201, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "api:/api/v1/cases/{case_id}/upload-links/send",
        "own case",
        "post",
        lambda w: f"/api/v1/cases/{docs.own_case(w).pk}/upload-links/send",
        {CA: 201, CHR: 201, ADV: 201, CL: 201, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "api:/api/v1/upload-links/{link_id}/revoke",
        "own case's link",
        "post",
        lambda w: f"/api/v1/upload-links/{docs.own_link(w).pk}/revoke",
        only({PA: 404, CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/file",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{docs.forwarded_case(w).pk}/file",
        everyone(200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/file",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{docs.foreign_case(w).pk}/file",
        everyone(404),
    ),
    # Conversations (lotse.conversations): every party reads the audiences that include it; the
    # ABH only once the file is forwarded; the platform admin reads but takes no part. Messages to
    # the worker carry no files; who reads them: tests/conversations/test_services.py.
    Row(
        "conversations:case",
        "own case",
        "get",
        lambda w: reverse("conversations:case", args=[cases.own_case(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "conversations:case",
        "forwarded case",
        "get",
        lambda w: reverse("conversations:case", args=[cases.forwarded_case(w).pk]),
        everyone(200),
    ),
    Row(
        "conversations:case",
        "foreign case",
        "get",
        lambda w: reverse("conversations:case", args=[cases.foreign_case(w).pk]),
        only({PA: 200}, 404),
    ),
    # Without a body the form is shown again with its error (200) to whoever may write.
    Row(
        "conversations:post",
        "own case (empty)",
        "post",
        lambda w: reverse("conversations:post", args=[cases.own_case(w).pk]),
        {CA: 200, CHR: 200, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "conversations:post",
        "forwarded case (empty)",
        "post",
        lambda w: reverse("conversations:post", args=[cases.forwarded_case(w).pk]),
        only({PA: 403}, 200),
    ),
    Row(
        "conversations:post",
        "foreign case (empty)",
        "post",
        lambda w: reverse("conversations:post", args=[cases.foreign_case(w).pk]),
        only({PA: 403}, 404),
    ),
    Row(
        "conversations:request",
        "own case (empty)",
        "post",
        lambda w: reverse("conversations:request", args=[cases.own_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 404, AL: 404, PA: 403},
    ),
    Row(
        "conversations:request",
        "forwarded case (empty)",
        "post",
        lambda w: reverse("conversations:request", args=[cases.forwarded_case(w).pk]),
        {CA: 403, CHR: 403, ADV: 200, CL: 200, CW: 200, AL: 200, PA: 403},
    ),
    Row(
        "conversations:attachment",
        "forwarded case, audience all",
        "get",
        lambda w: reverse("conversations:attachment", args=[talk.attachment(w, "all").pk]),
        everyone(200),
    ),
    Row(
        "conversations:attachment",
        "forwarded case, audience company_chamber",
        "get",
        lambda w: reverse(
            "conversations:attachment", args=[talk.attachment(w, "company_chamber").pk]
        ),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "conversations:attachment",
        "forwarded case, audience chamber_abh",
        "get",
        lambda w: reverse("conversations:attachment", args=[talk.attachment(w, "chamber_abh").pk]),
        only({CA: 404, CHR: 404}, 200),
    ),
    Row(
        "conversations:attachment",
        "foreign case",
        "get",
        lambda w: reverse("conversations:attachment", args=[talk.foreign_attachment(w).pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/messages",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/messages",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/messages",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}/messages",
        everyone(200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/messages",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/messages",
        only({PA: 200}, 404),
    ),
    # A JSON body is no form: invalid for everyone; tests/conversations/test_api.py checks who writes.
    Row(
        "api:/api/v1/cases/{case_id}/messages",
        "own case (no form)",
        "post",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/messages",
        everyone(422),
    ),
    Row(
        "api:/api/v1/message-attachments/{attachment_id}/content",
        "forwarded case, audience all",
        "get",
        lambda w: f"/api/v1/message-attachments/{talk.attachment(w, 'all').pk}/content",
        everyone(200),
    ),
    Row(
        "api:/api/v1/message-attachments/{attachment_id}/content",
        "forwarded case, audience company_chamber",
        "get",
        lambda w: f"/api/v1/message-attachments/{talk.attachment(w, 'company_chamber').pk}/content",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/message-attachments/{attachment_id}/content",
        "forwarded case, audience chamber_abh",
        "get",
        lambda w: f"/api/v1/message-attachments/{talk.attachment(w, 'chamber_abh').pk}/content",
        only({CA: 404, CHR: 404}, 200),
    ),
    Row(
        "api:/api/v1/message-attachments/{attachment_id}/content",
        "foreign case",
        "get",
        lambda w: f"/api/v1/message-attachments/{talk.foreign_attachment(w).pk}/content",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/document-requests",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/document-requests",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/document-requests",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/document-requests",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/document-requests",
        "own case (due date in the past)",
        "post",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/document-requests",
        {CA: 403, CHR: 403, ADV: 422, CL: 422, CW: 404, AL: 404, PA: 403},
        body=talk.request_body,
    ),
    Row(
        "api:/api/v1/cases/{case_id}/document-requests",
        "forwarded case (due date in the past)",
        "post",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}/document-requests",
        {CA: 403, CHR: 403, ADV: 422, CL: 422, CW: 422, AL: 422, PA: 403},
        body=talk.request_body,
    ),
    Row(
        "api:/api/v1/cases/{case_id}/document-requests",
        "foreign case (due date in the past)",
        "post",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/document-requests",
        only({PA: 403}, 404),
        body=talk.request_body,
    ),
    # Calendar feeds (lotse.calendars): each user manages their own feed; the feed URL itself is
    # public by design (see PUBLIC).
    Row("calendars:settings", "-", "get", lambda w: reverse("calendars:settings"), everyone(200)),
    Row("calendars:renew", "-", "post", lambda w: reverse("calendars:renew"), everyone(302)),
    Row("calendars:revoke", "-", "post", lambda w: reverse("calendars:revoke"), everyone(302)),
    Row("api:/api/v1/me/calendar", "-", "get", lambda w: "/api/v1/me/calendar", everyone(200)),
    Row(
        "api:/api/v1/me/calendar",
        "-",
        "post",
        lambda w: "/api/v1/me/calendar",
        everyone(201),
        body=lambda: {},
    ),
    Row(
        "api:/api/v1/me/calendar/revoke",
        "-",
        "post",
        lambda w: "/api/v1/me/calendar/revoke",
        everyone(200),
        body=lambda: {},
    ),
    # Advice (lotse.advice): the Quick-Check is for companies and chambers; an advisory record
    # belongs to the company it was made for and the chamber that made it; an ABH sees one only
    # through a case forwarded to it (tests/advice/test_access.py).
    Row(
        "advice:quickcheck",
        "-",
        "get",
        lambda w: reverse("advice:quickcheck"),
        only({CW: 403, AL: 403, PA: 403}, 200),
    ),
    Row(
        "advice:quickcheck",
        "- (empty answers)",
        "post",
        lambda w: reverse("advice:quickcheck"),
        only({CW: 403, AL: 403, PA: 403}, 200),
    ),
    Row(
        "advice:occupations",
        "-",
        "get",
        lambda w: reverse("advice:occupations") + "?reference_occupation=Mechatron",
        only({CW: 403, AL: 403, PA: 403}, 200),
    ),
    Row("advice:record_list", "-", "get", lambda w: reverse("advice:record_list"), everyone(200)),
    Row(
        "advice:record_detail",
        "own company's record",
        "get",
        lambda w: reverse("advice:record_detail", args=[advice.own_record(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "advice:record_detail",
        "foreign record",
        "get",
        lambda w: reverse("advice:record_detail", args=[advice.foreign_record(w).pk]),
        only({PA: 200}, 404),
    ),
    Row(
        "advice:record_pdf",
        "own company's record",
        "get",
        lambda w: reverse("advice:record_pdf", args=[advice.own_record(w).pk]),
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "advice:record_pdf",
        "foreign record",
        "get",
        lambda w: reverse("advice:record_pdf", args=[advice.foreign_record(w).pk]),
        only({PA: 200}, 404),
    ),
    Row("advice:library", "-", "get", lambda w: reverse("advice:library"), everyone(200)),
    Row(
        "advice:library_topic",
        "-",
        "get",
        lambda w: reverse("advice:library_topic", args=["procedure"]),
        everyone(200),
    ),
    # The library's contact data: the platform administrator for every contact, the leads of an
    # office of the directory for its own entry (tests/advice/test_contact_details.py).
    Row(
        "advice:contact_edit",
        "own chamber's contact",
        "get",
        lambda w: reverse("advice:contact_edit", args=["ihk-region-stuttgart"]),
        only({CL: 200, PA: 200}, 403),
    ),
    Row(
        "advice:contact_edit",
        "own chamber's contact, POST",
        "post",
        lambda w: reverse("advice:contact_edit", args=["ihk-region-stuttgart"]),
        only({CL: 422, PA: 422}, 403),
    ),
    Row(
        "advice:contact_edit",
        "foreign chamber's contact",
        "get",
        lambda w: reverse("advice:contact_edit", args=["hwk-region-stuttgart"]),
        only({PA: 200}, 403),
    ),
    Row(
        "advice:contact_edit",
        "own ABH's contact",
        "get",
        lambda w: reverse("advice:contact_edit", args=["lra-ludwigsburg"]),
        only({AL: 200, PA: 200}, 403),
    ),
    Row(
        "advice:contact_edit",
        "foreign ABH's contact",
        "get",
        lambda w: reverse("advice:contact_edit", args=["stadt-ludwigsburg"]),
        only({PA: 200}, 403),
    ),
    Row(
        "advice:contact_edit",
        "office outside the directory",
        "get",
        lambda w: reverse("advice:contact_edit", args=["iq-netzwerk-bw"]),
        only({PA: 200}, 403),
    ),
    Row(
        "advice:contact_edit",
        "unknown contact",
        "get",
        lambda w: reverse("advice:contact_edit", args=["no-such-office"]),
        everyone(404),
    ),
    Row(
        "api:/api/v1/information/contacts",
        "-",
        "get",
        lambda w: "/api/v1/information/contacts",
        everyone(200),
    ),
    Row(
        "api:/api/v1/information/contacts/{code}",
        "own chamber's contact, PUT",
        "put",
        lambda w: "/api/v1/information/contacts/ihk-region-stuttgart",
        only({CL: 200, PA: 200}, 403),
        body=lambda: {"version": 0},
    ),
    Row(
        "api:/api/v1/information/contacts/{code}",
        "foreign chamber's contact, PUT",
        "put",
        lambda w: "/api/v1/information/contacts/hwk-region-stuttgart",
        only({PA: 200}, 403),
        body=lambda: {"version": 0},
    ),
    Row(
        "api:/api/v1/information/contacts/{code}",
        "own ABH's contact, PUT",
        "put",
        lambda w: "/api/v1/information/contacts/lra-ludwigsburg",
        only({AL: 200, PA: 200}, 403),
        body=lambda: {"version": 0},
    ),
    Row(
        "api:/api/v1/information/contacts/{code}",
        "unknown contact, PUT",
        "put",
        lambda w: "/api/v1/information/contacts/no-such-office",
        everyone(404),
        body=lambda: {"version": 0},
    ),
    # An empty body is invalid for everyone; tests/advice/test_api.py checks the answers.
    Row(
        "api:/api/v1/quick-check",
        "(empty body)",
        "post",
        lambda w: "/api/v1/quick-check",
        everyone(422),
        body=lambda: {},
    ),
    Row(
        "api:/api/v1/advisory-records",
        "-",
        "get",
        lambda w: "/api/v1/advisory-records",
        everyone(200),
    ),
    Row(
        "api:/api/v1/advisory-records",
        "(empty body)",
        "post",
        lambda w: "/api/v1/advisory-records",
        everyone(422),
        body=lambda: {},
    ),
    Row(
        "api:/api/v1/advisory-records/{record_id}",
        "own company's record",
        "get",
        lambda w: f"/api/v1/advisory-records/{advice.own_record(w).pk}",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/advisory-records/{record_id}",
        "foreign record",
        "get",
        lambda w: f"/api/v1/advisory-records/{advice.foreign_record(w).pk}",
        only({PA: 200}, 404),
    ),
    Row(
        "api:/api/v1/advisory-records/{record_id}/pdf",
        "own company's record",
        "get",
        lambda w: f"/api/v1/advisory-records/{advice.own_record(w).pk}/pdf",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/advisory-records/{record_id}/pdf",
        "foreign record",
        "get",
        lambda w: f"/api/v1/advisory-records/{advice.foreign_record(w).pk}/pdf",
        only({PA: 200}, 404),
    ),
    # Notifications (lotse.notifications): everyone has their own centre; a notification is
    # seen and marked read only by its recipient (here: the company HR's).
    Row("notifications:list", "-", "get", lambda w: reverse("notifications:list"), everyone(200)),
    Row(
        "notifications:settings",
        "-",
        "get",
        lambda w: reverse("notifications:settings"),
        everyone(200),
    ),
    Row(
        "notifications:read_all",
        "-",
        "post",
        lambda w: reverse("notifications:read_all"),
        everyone(302),
    ),
    Row(
        "notifications:read",
        "HR's notification",
        "post",
        lambda w: reverse("notifications:read", args=[notes.hr_notification(w).pk]),
        only({CHR: 302}, 404),
    ),
    Row("api:/api/v1/notifications", "-", "get", lambda w: "/api/v1/notifications", everyone(200)),
    Row(
        "api:/api/v1/notifications/unread-count",
        "-",
        "get",
        lambda w: "/api/v1/notifications/unread-count",
        everyone(200),
    ),
    Row(
        "api:/api/v1/notifications/read-all",
        "-",
        "post",
        lambda w: "/api/v1/notifications/read-all",
        everyone(200),
    ),
    Row(
        "api:/api/v1/notifications/{notification_id}/read",
        "HR's notification",
        "post",
        lambda w: f"/api/v1/notifications/{notes.hr_notification(w).pk}/read",
        only({CHR: 200}, 404),
    ),
    Row(
        "api:/api/v1/notifications/preferences",
        "-",
        "get",
        lambda w: "/api/v1/notifications/preferences",
        everyone(200),
    ),
    # Insights (lotse.insights): the leads' figures; a case's expected dates as the case itself.
    *(
        Row(name, "-", "get", lambda w, n=name: reverse(n), only({CL: 200, AL: 200, PA: 200}, 403))
        for name in (
            "insights:statistics",
            "insights:statistics_csv",
            "insights:statistics_xlsx",
        )
    ),
    Row(
        "api:/api/v1/statistics",
        "-",
        "get",
        lambda w: "/api/v1/statistics",
        only({CL: 200, AL: 200, PA: 200}, 403),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/expected-dates",
        "own case",
        "get",
        lambda w: f"/api/v1/cases/{cases.own_case(w).pk}/expected-dates",
        only({CW: 404, AL: 404}, 200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/expected-dates",
        "forwarded case",
        "get",
        lambda w: f"/api/v1/cases/{cases.forwarded_case(w).pk}/expected-dates",
        everyone(200),
    ),
    Row(
        "api:/api/v1/cases/{case_id}/expected-dates",
        "foreign case",
        "get",
        lambda w: f"/api/v1/cases/{cases.foreign_case(w).pk}/expected-dates",
        only({PA: 200}, 404),
    ),
)

# Pages anyone may open without signing in, by design; tested in tests/accounts and tests/web.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation_accept",
    "set_language",
    # Probes and the metrics scraper (the bearer token protects /metrics): tests/ops.
    "healthz",
    "readyz",
    "metrics",
    "api:openapi-json",
    "api:openapi-view",
    # The worker's upload page: no account by design, the token in the URL is the capability
    # (expiring, revocable, rate-limited); tested in tests/documents/test_worker.py.
    "documents:worker",
    # The calendar feed: no account by design (calendar programs cannot sign in); the secret
    # token in the URL is the capability (hashed at rest, revocable); tests/calendars.
    "calendars:feed",
    # The forms the worker signs, through the same link (tests/web/test_worker_page.py).
    "documents:worker_letter",
    # The open statistics of the cooperation: suppressed figures only (tests/insights).
    "insights:public",
    "insights:public_csv",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.name}[{r.target}]")
def test_access(row: Row, role: str, world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[role])
    url = row.url(world)
    if row.method in {"patch", "put"}:
        response = getattr(client, row.method)(
            url, row.body() if row.body else {}, content_type="application/json"
        )
    elif row.body is not None:
        response = client.post(url, row.body(), content_type="application/json")
    else:
        response = client.post(url) if row.method == "post" else client.get(url)
    assert response.status_code == row.expected[role], (
        f"{role} {row.method.upper()} {url} ({row.target}) → {response.status_code}, "
        f"expected {row.expected[role]}"
    )


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.name}[{r.target}]")
def test_anonymous_is_sent_to_login_or_refused(row: Row, world: World) -> None:
    url = row.url(world)
    if row.method in {"patch", "put"}:
        response = getattr(Client(), row.method)(url, {}, content_type="application/json")
    else:
        response = Client().post(url) if row.method == "post" else Client().get(url)
    if row.name.startswith("api:"):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    elif row.name == "web:keepalive":  # asked by lotse.js: it answers, the page then warns
        assert response.status_code == 401
        assert response.json() == {"status": "expired"}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_deactivated_user_is_refused_everywhere(
    world: World, client_for: Callable[..., Client]
) -> None:
    user = world.users[CA]
    client = client_for(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get(reverse("web:dashboard")).status_code == 302


def _url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_endpoint_is_in_the_matrix() -> None:
    covered = {row.name for row in MATRIX}
    views = {
        name for name in _url_names(get_resolver().url_patterns) if not name.startswith("api:")
    }
    operations = {
        f"api:/api/v1{path}" if not path.startswith("/api/v1") else f"api:{path}"
        for path in api.get_openapi_schema()["paths"]
    }
    missing = (views | operations) - covered - PUBLIC
    assert not missing, f"add these to the access matrix: {sorted(missing)}"
