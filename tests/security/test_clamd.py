"""Issue #11, uploads: malware scanning with a real clamd, and failing closed without one.

The daemon is started by ``.ci/clamd-start`` with its own config and a one-signature database
(EICAR), so no virus database has to be downloaded. ``.ci/run`` starts one and passes its socket
in ``LOTSE_TEST_CLAMD_SOCKET``; otherwise the fixture starts its own where ``clamd`` is
installed (Debian: ``clamav-daemon``) and skips the tests that need it where it is not.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role, User
from lotse.documents.models import Document
from lotse.documents.services import upload_link_create
from lotse.documents.uploads import validate_upload
from lotse.filecheck.uploads import RefusalCode, UploadRefused
from tests.conftest import World
from tests.documents.conftest import stored_files

from .upload_corpus import clean_pdf, pdf_with_eicar

if TYPE_CHECKING:
    from lotse.cases.models import Case

START = Path(__file__).resolve().parents[2] / ".ci" / "clamd-start"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("LOTSE_TEST_CLAMD_SOCKET")
    if given:
        yield given
        return
    directory = tmp_path_factory.mktemp("clamd")
    started = subprocess.run(
        [str(START), str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    if started.returncode == 3:
        pytest.skip("no clamd on this machine (apt-get install clamav-daemon); test skipped")
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip()
    finally:
        pid = int((directory / "clamd.pid").read_text().strip())
        os.kill(pid, signal.SIGTERM)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_eicar_is_refused_by_a_real_clamd(clamd_socket: str, settings: SettingsWrapper) -> None:
    settings.LOTSE_CLAMAV_SOCKET = clamd_socket
    with pytest.raises(UploadRefused) as caught:
        validate_upload(pdf_with_eicar(), filename="rechnung.pdf", declared_type=None)
    assert caught.value.code == RefusalCode.INFECTED
    assert "Lotse.Test.EICAR" in caught.value.detail
    assert "Schadsoftware" in caught.value.message_de


def test_a_clean_file_passes_a_real_clamd(clamd_socket: str, settings: SettingsWrapper) -> None:
    settings.LOTSE_CLAMAV_SOCKET = clamd_socket
    assert validate_upload(clean_pdf(), filename="cv.pdf", declared_type=None).page_count == 1


def _worker_upload(case: Case, world: World, data: bytes) -> str:
    _, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    item = case.checklist.get(document_code="passport")
    client = Client()  # the worker's page speaks English until the worker switches
    upload = SimpleUploadedFile("pass.pdf", data, "application/pdf")
    response = client.post(
        reverse("documents:worker", args=[token]), {"item": item.pk, "file": upload}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_eicar_through_the_worker_link_is_refused_and_not_stored(
    clamd_socket: str, case: Case, world: World, document_dir: Path, settings: SettingsWrapper
) -> None:
    settings.LOTSE_CLAMAV_SOCKET = clamd_socket
    html = _worker_upload(case, world, pdf_with_eicar())
    assert "found malware" in html
    assert stored_files(document_dir) == []
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_clamd_configured_but_down_fails_closed(
    case: Case, world: World, document_dir: Path, settings: SettingsWrapper, tmp_path: Path,
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    settings.LOTSE_CLAMAV_SOCKET = str(tmp_path / "no-clamd-here.sock")
    settings.LOTSE_CLAMAV_TIMEOUT = 2.0
    html = _worker_upload(case, world, clean_pdf())
    assert "could not be checked for viruses" in html
    response = client_for(world.users[Role.COMPANY_HR]).post(
        f"/api/v1/cases/{case.pk}/documents",
        {"item": "passport", "file": SimpleUploadedFile("cv.pdf", clean_pdf(), "application/pdf")},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "scanner_unavailable"
    assert "nicht auf Viren geprüft" in response.json()["message"]
    assert stored_files(document_dir) == []
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_clamd_on_a_tcp_port_that_does_not_answer_fails_closed(settings: SettingsWrapper) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.LOTSE_CLAMAV_HOST = "127.0.0.1"
    settings.LOTSE_CLAMAV_PORT = port
    with pytest.raises(UploadRefused) as caught:
        validate_upload(clean_pdf(), filename="cv.pdf", declared_type=None)
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE
