"""Property-based conformance of the API to its own OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lotse.accounts.models import Role
from lotse.accounts.services import api_token_create
from tests.conftest import World

# Loading the document needs no database: the OpenAPI view reads only the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The test sends a real token with every call. Were schemathesis to generate the Authorization
# header too, a negative case whose only invalid part is that header would reach the server with
# the valid token and be (rightly) accepted, failing the negative-data check at random.
schema.config.generation.update(with_security_parameters=False)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open() -> Iterator[None]:
    """Schemathesis calls the WSGI app directly, not through Django's test client.

    The app's request signals would close the database connection after every call (inside the
    test's transaction autocommit is off, which Django reads as "unusable"); on PostgreSQL that
    ends the test transaction. Django's test client disconnects the same handlers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, world: World) -> None:
    token = api_token_create(user=world.users[Role.CHAMBER_LEAD], name="schemathesis").secret
    # Schema-valid data may still be refused with the documented 422: rules the schema cannot
    # say (no NUL character in any text, a municipality of the district, a birth date in the
    # past) are checked by the server (lotse.api.input, the services).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )
