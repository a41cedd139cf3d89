from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from tests.conftest import World

if TYPE_CHECKING:
    from lotse.cases.models import Case


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def document_dir(tmp_path: Path, settings: SettingsWrapper) -> Path:
    """Every test in this package stores its documents in its own temporary directory."""
    root = tmp_path / "documents"
    root.mkdir()
    storages = dict(settings.STORAGES)
    storages["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    settings.STORAGES = storages
    return root


WORKER = {
    "worker_surname": "Müller-Lüdenscheid",
    "worker_given_names": "Priya Anna",
    "worker_birth_date": "1994-03-12",
    "worker_birth_place": "Kochi",
    "worker_nationality": "IND",
    "worker_passport_number": "L898902C3",
    "worker_passport_expiry": "2034-04-15",
    "worker_email": "priya@example.org",
}


def make_case(world: World, *, title: str = "18a", **changes: Any) -> Case:
    from lotse.cases.services import case_create

    advisor = world.users[Role.CHAMBER_ADVISOR]
    return case_create(
        actor=advisor,
        company=world.company,
        site=world.company.sites.get(),
        worker={**WORKER, **changes},
        title=title,
        job_title="Industriemechanikerin",
        planned_start=date(2027, 3, 1),
    )


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world)
