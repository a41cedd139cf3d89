"""Art. 15/20 DSGVO: an authorised user exports everything held about one worker as a ZIP."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role, User
from lotse.accounts.services import api_token_create
from lotse.audit.models import AuditEvent
from lotse.documents.models import Document
from tests.conftest import World
from tests.documents.conftest import WORKER
from tests.documents.world import forwarded_case, good_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_dir(tmp_path: Path, settings: SettingsWrapper) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_abh_exports_data_and_decrypted_documents(
    world: World, client_for: Callable[[User], Client]
) -> None:
    case = forwarded_case(world)
    user = world.users[Role.ABH_CASEWORKER]
    response = client_for(user).get(reverse("privacy:worker_export", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    files = _unzip(response.content)
    data = json.loads(files["data.json"])
    assert data["case"]["worker_surname"] == WORKER["worker_surname"]
    assert data["case"]["worker_passport_number"] == WORKER["worker_passport_number"]
    assert data["history"] is not None
    document = Document.objects.get(case=case)
    entry = next(d for d in data["documents"] if d["id"] == document.pk)
    assert files[entry["file"]] == good_pdf()
    event = AuditEvent.objects.get(action="privacy.worker_data_exported")
    assert event.actor == user
    assert event.object_id == str(case.pk)


def test_the_api_twin_gives_the_same_zip(world: World) -> None:
    case = forwarded_case(world)
    token = api_token_create(user=world.users[Role.CHAMBER_LEAD], name="t").secret
    response = Client().get(
        f"/api/v1/cases/{case.pk}/personal-data", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert "data.json" in _unzip(response.content)


def test_the_company_may_not_export(world: World, client_for: Callable[[User], Client]) -> None:
    case = forwarded_case(world)
    client = client_for(world.users[Role.COMPANY_ADMIN])
    assert client.get(reverse("privacy:worker_export", args=[case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="privacy.worker_data_exported").exists()


def test_the_case_page_offers_the_export_to_whom_may_take_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    case = forwarded_case(world)
    page = client_for(world.users[Role.CHAMBER_ADVISOR]).get(
        reverse("cases:detail", args=[case.pk])
    )
    assert reverse("privacy:worker_export", args=[case.pk]) in page.content.decode()
    page = client_for(world.users[Role.COMPANY_HR]).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("privacy:worker_export", args=[case.pk]) not in page.content.decode()
