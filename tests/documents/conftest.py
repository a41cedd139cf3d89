from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper


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
