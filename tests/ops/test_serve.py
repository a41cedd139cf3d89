from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from lotse.ops.management.commands import serve


def test_serve_takes_workers_threads_and_bind_from_the_settings(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings.LOTSE_WEB_BIND = "127.0.0.1:9123"
    settings.LOTSE_WEB_WORKERS = 5
    settings.LOTSE_WEB_THREADS = 7
    settings.LOTSE_WEB_TIMEOUT = 33
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_bytes(b"old")
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.LotseServer, "run", lambda self: started.append(self.options))
    call_command("serve")
    [options] = started
    assert options["bind"] == ["127.0.0.1:9123"]
    assert (options["workers"], options["threads"], options["timeout"]) == (5, 7, 33)
    assert options["worker_class"] == "gthread"
    assert options["preload_app"] is False
    # A previous run's metric files would be added to this run's counts.
    assert list((tmp_path / "metrics").iterdir()) == []


def test_serve_options_on_the_command_line_win(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "m"))
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.LotseServer, "run", lambda self: started.append(self.options))
    call_command("serve", bind="0.0.0.0:8001", workers=2, threads=1)
    assert started[0]["bind"] == ["0.0.0.0:8001"]
    assert (started[0]["workers"], started[0]["threads"]) == (2, 1)
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "m")
