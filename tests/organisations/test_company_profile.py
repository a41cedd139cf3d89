"""A company corrects its own data (size class, name, legal form …), page and API (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.organisations.models import Organisation
from lotse.organisations.services import CompanyConflictError, company_profile_update
from tests.conftest import World


def _form(company: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": company.name, "legal_form": company.legal_form,
        "betriebsnummer": company.betriebsnummer, "size_class": company.size_class,
        "version": company.version,
    }  # fmt: skip
    if company.collective_agreement:
        data["collective_agreement"] = "on"
    data.update(changes)
    return data


def test_the_company_admin_corrects_the_size_class_with_an_audit_event(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    page = client.get(f"/organisations/{world.company.pk}/")
    assert 'data-testid="company-edit"' in page.content.decode()
    response = client.post(f"/organisations/{world.company.pk}/edit/",
                           _form(world.company, size_class="medium"))  # fmt: skip
    assert response.status_code == 302
    company = Organisation.objects.get(pk=world.company.pk)
    assert (company.size_class, company.version) == ("medium", world.company.version + 1)
    event = AuditEvent.objects.filter(action="organisation.company_updated",
                                      object_id=str(company.pk)).latest("pk")  # fmt: skip
    assert event.before["size_class"] == world.company.size_class
    assert event.after["size_class"] == "medium"


def test_a_stale_form_is_refused_in_german_and_keeps_the_input(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    stale = _form(world.company, size_class="large", name="Neuer Name GmbH")
    company_profile_update(company=world.company, actor=world.users[Role.CHAMBER_ADVISOR],
                           expected_version=world.company.version, size_class="small")  # fmt: skip
    events = AuditEvent.objects.count()
    response = client.post(f"/organisations/{world.company.pk}/edit/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Jemand anderes hat die Unternehmensdaten inzwischen geändert" in html
    assert 'value="Neuer Name GmbH"' in html
    assert Organisation.objects.get(pk=world.company.pk).size_class == "small"
    assert AuditEvent.objects.count() == events
    # Sent again after checking: the form now carries the new version and wins.
    assert client.post(f"/organisations/{world.company.pk}/edit/",
                       _form(world.company, size_class="large",
                             version=world.company.version + 1)).status_code == 302  # fmt: skip


def test_invalid_data_is_refused_in_german(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    response = client.post(f"/organisations/{world.company.pk}/edit/",
                           _form(world.company, betriebsnummer="123", name=""))  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "Die Betriebsnummer hat genau acht Ziffern" in html
    api = client.patch(f"/api/v1/companies/{world.company.pk}",
                       {"version": world.company.version, "betriebsnummer": "12"},
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    assert api.status_code == 422
    assert Organisation.objects.get(pk=world.company.pk).version == world.company.version


def test_the_api_twin_changes_only_the_fields_sent(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    version = client.get(f"/api/v1/organisations/{world.company.pk}").json()["version"]
    response = client.patch(f"/api/v1/companies/{world.company.pk}",
                            {"version": version, "size_class": "micro"},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert (response.json()["size_class"], response.json()["version"]) == ("micro", version + 1)
    assert response.json()["name"] == world.company.name
    again = client.patch(f"/api/v1/companies/{world.company.pk}",
                         {"version": version, "size_class": "large"},
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    assert again.status_code == 409
    assert again.json()["code"] == "version_conflict"
    assert "inzwischen geändert" in again.json()["message"]


def test_hr_and_foreign_users_may_not_edit(world: World, client_for: Callable[..., Client]) -> None:
    hr = client_for(world.users[Role.COMPANY_HR])
    assert hr.get(f"/organisations/{world.company.pk}/edit/").status_code == 403
    foreign = client_for(world.foreign_users[Role.COMPANY_ADMIN])
    assert foreign.get(f"/organisations/{world.company.pk}/edit/").status_code == 404
    assert foreign.patch(f"/api/v1/companies/{world.company.pk}", {"version": 1, "size_class": "large"},
                         content_type="application/json").status_code == 404  # fmt: skip
    assert Organisation.objects.get(pk=world.company.pk).size_class == world.company.size_class


def test_only_profile_fields_change_and_the_write_is_atomic(world: World) -> None:
    with pytest.raises(TypeError):
        company_profile_update(company=world.company, actor=world.users[Role.COMPANY_ADMIN],
                               expected_version=world.company.version, chamber_membership="hwk")  # fmt: skip
    with pytest.raises(ValidationError), transaction.atomic():
        company_profile_update(company=world.company, actor=world.users[Role.COMPANY_ADMIN],
                               expected_version=world.company.version, size_class="huge")  # fmt: skip
    with pytest.raises(CompanyConflictError):
        company_profile_update(company=world.company, actor=world.users[Role.COMPANY_ADMIN],
                               expected_version=world.company.version + 5, size_class="small")  # fmt: skip
    assert Organisation.objects.get(pk=world.company.pk).version == world.company.version
