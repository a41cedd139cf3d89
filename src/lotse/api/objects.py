"""Finding the objects an API operation works on, the same way for every area: the caller's user,
and a case from the cases the user may see (404 when invisible, 403 when visible but not allowed)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotse.access import Action, cases_visible_to, require
from lotse.accounts.models import User
from lotse.cases.models import Case


def request_user(request: HttpRequest) -> User:
    # Every operation runs behind TokenAuth or ActiveSessionAuth, so the user is authenticated.
    return request.user  # type: ignore[return-value]


def visible_case(request: HttpRequest, case_id: int, action: Action = Action.VIEW) -> Case:
    user = request_user(request)
    case = get_object_or_404(
        cases_visible_to(user=user).select_related("company", "chamber", "authority"), pk=case_id
    )
    require(user, action, case)
    return case
