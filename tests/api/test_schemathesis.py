"""Property-based conformance of the API to its own OpenAPI document."""

from __future__ import annotations

from typing import Any

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from lotse.accounts.models import Role
from lotse.accounts.services import api_token_create
from tests.conftest import World

# Loading the document needs no database: the OpenAPI view reads only the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, world: World) -> None:
    token = api_token_create(user=world.users[Role.CHAMBER_LEAD], name="schemathesis").secret
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
