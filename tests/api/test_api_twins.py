"""Every page action has an API twin: the same service behind the same access rule.

The test walks the resolved URL patterns, finds every view that accepts POST (a page action) and
fails unless ``TWINS`` names its API operation(s) — present in the OpenAPI document — or
``EXEMPT`` says why it has none. A new page action therefore needs a line here; add the operation
first. (Access rows for each operation are in tests/test_access_matrix.py.)
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lotse.api.main import api

# page (URL name) -> its API twin(s), as "METHOD /api/v1/path" of the OpenAPI document.
TWINS: dict[str, tuple[str, ...]] = {
    # accounts
    "accounts:team": ("POST /api/v1/organisations/{organisation_id}/invitations",),
    "accounts:organisation_team": ("POST /api/v1/organisations/{organisation_id}/invitations",),
    "accounts:invitation_revoke": ("POST /api/v1/invitations/{invitation_id}/revoke",),
    "accounts:member_set_active": ("POST /api/v1/users/{user_id}/active",),
    "accounts:tokens": ("POST /api/v1/tokens",),
    "accounts:token_revoke": ("POST /api/v1/tokens/{token_id}/revoke",),
    "accounts:member_second_factor_reset": ("POST /api/v1/users/{user_id}/second-factor/reset",),
    "accounts:security_keys": (
        "POST /api/v1/me/security-keys/registration-options",
        "POST /api/v1/me/security-keys",
    ),
    "accounts:security_key_remove": ("POST /api/v1/me/security-keys/{key_id}/remove",),
    "accounts:second_factor_policy": (
        "PUT /api/v1/organisations/{organisation_id}/second-factor-policy",
    ),
    # organisations
    "organisations:site_create": ("POST /api/v1/organisations/{organisation_id}/sites",),
    "organisations:company_edit": ("PATCH /api/v1/companies/{company_id}",),
    "organisations:company_register": ("POST /api/v1/companies",),
    # cases
    "cases:create": ("POST /api/v1/cases",),
    "cases:edit_details": ("PATCH /api/v1/cases/{case_id}",),
    "cases:step": ("POST /api/v1/cases/{case_id}/transitions",),
    "cases:checklist_item": ("POST /api/v1/cases/{case_id}/checklist/{item_id}",),
    "cases:note_add": ("POST /api/v1/cases/{case_id}/notes",),
    "cases:advisor": ("PUT /api/v1/cases/{case_id}/advisor",),
    # advice: evaluate, and "save as advisory record"
    "advice:quickcheck": ("POST /api/v1/quick-check", "POST /api/v1/advisory-records"),
    "advice:contact_edit": ("PUT /api/v1/information/contacts/{code}",),
    # documents
    "documents:upload": ("POST /api/v1/cases/{case_id}/documents",),
    "documents:review": ("POST /api/v1/documents/{document_id}/review",),
    "documents:link_create": ("POST /api/v1/cases/{case_id}/upload-links",),
    "documents:link_revoke": ("POST /api/v1/upload-links/{link_id}/revoke",),
    "documents:link_send": ("POST /api/v1/cases/{case_id}/upload-links/send",),
    "documents:seal_supplement": ("POST /api/v1/cases/{case_id}/file/supplements",),
    "documents:decide": ("POST /api/v1/documents/{document_id}/review",),
    "documents:review_bulk": ("POST /api/v1/cases/{case_id}/documents/review",),
    "documents:upload_many": ("POST /api/v1/cases/{case_id}/documents/batch",),
    # notifications
    "notifications:read": ("POST /api/v1/notifications/{notification_id}/read",),
    "notifications:read_all": ("POST /api/v1/notifications/read-all",),
    "notifications:settings": ("PUT /api/v1/notifications/preferences",),
    # conversations and calendars
    "conversations:post": ("POST /api/v1/cases/{case_id}/messages",),
    "conversations:request": ("POST /api/v1/cases/{case_id}/document-requests",),
    "calendars:renew": ("POST /api/v1/me/calendar",),
    "calendars:revoke": ("POST /api/v1/me/calendar/revoke",),
}

# page -> why it has no API twin.
EXEMPT: dict[str, str] = {
    "accounts:login": "signing in makes a browser session; the API authenticates with a token",
    "accounts:logout": "ends the browser session; a token is revoked with its own operation",
    "accounts:password_reset": "the password is for the browser sign-in, not for the API",
    "accounts:password_reset_confirm": "the password is for the browser sign-in, not for the API",
    "accounts:invitation_accept": "the invited person has no account (and no token) yet: "
    "accepting sets the password and signs in the browser",
    "accounts:second_factor": "setting up the second factor protects the browser sign-in; an "
    "API token is a credential of its own and skips it",
    "accounts:second_factor_verify": "confirms a browser sign-in; the API authenticates with a "
    "token",
    "accounts:second_factor_recovery_codes": "recovery codes stand in for the phone at a browser "
    "sign-in; a token has no use for them",
    "accounts:second_factor_remove": "one's own second factor belongs to the browser sign-in; an "
    "administrator resets someone else's with POST /users/{user_id}/second-factor/reset",
    "set_language": "the language of the pages; the API follows Accept-Language",
    "web:keepalive": "keeps the browser session from expiring while a form is filled in; an API "
    "token does not expire that way",
    "documents:worker": "the worker has no account and no token by design (the link is the "
    "capability); the company uploads for the worker with POST /cases/{case_id}/documents",
}

_POST_MARKERS = ("require_POST", "request.POST", '"POST"', "'POST'")


def _source(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _called_functions(function: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Functions of the view's own module that the view calls (``_team_page`` for ``team``)."""
    code = getattr(function, "__code__", None)
    module = inspect.getmodule(function)
    if code is None or module is None:
        return
    for name in code.co_names:
        found = getattr(module, name, None)
        if isinstance(found, types.FunctionType) and found.__module__ == module.__name__:
            yield inspect.unwrap(found)


def accepts_post(callback: Callable[..., Any]) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    if any(f"@{get_only}" in _source(inspect.unwrap(callback))
           for get_only in ("require_GET", "require_safe")):  # fmt: skip
        return False
    seen: set[Callable[..., Any]] = set()
    todo = [callback, inspect.unwrap(callback)]
    while todo:
        function = todo.pop()
        if function in seen:
            continue
        seen.add(function)
        if any(marker in _source(function) for marker in _POST_MARKERS):
            return True
        todo.extend(_called_functions(function))
    return False


def page_actions(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> dict[str, Callable[..., Any]]:
    """URL name -> view for every page (not API) view that accepts POST."""
    found: dict[str, Callable[..., Any]] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(page_actions(pattern.url_patterns, inner))
        elif pattern.name and accepts_post(pattern.callback):
            found[f"{namespace}{pattern.name}"] = pattern.callback
    return found


def _operations() -> set[str]:
    document = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


ACTIONS = sorted(page_actions())


def test_the_walk_finds_page_actions_and_only_those() -> None:
    assert {"cases:note_add", "accounts:team", "documents:worker", "set_language",
            "accounts:login", "advice:quickcheck"} <= set(ACTIONS)  # fmt: skip
    assert not {"cases:list", "cases:detail", "audit:list", "documents:download"} & set(ACTIONS)


@pytest.mark.parametrize("page", ACTIONS)
def test_every_page_action_has_an_api_twin(page: str) -> None:
    if page in EXEMPT:
        assert len(EXEMPT[page]) > 20, "say why the page needs no API twin"
        return
    assert page in TWINS, f"{page} accepts POST but has no API twin: add the operation to TWINS"
    missing = [twin for twin in TWINS[page] if twin not in _operations()]
    assert not missing, f"{page}: these operations are not in the OpenAPI document: {missing}"


def test_the_tables_name_only_existing_pages() -> None:
    stale = (set(TWINS) | set(EXEMPT)) - set(ACTIONS)
    assert not stale, f"no such page action (any more): {sorted(stale)}"
