"""The SQLite options (WAL, IMMEDIATE transactions, busy timeout) hold however SQLite is chosen:
as the default or with ``DATABASE_URL=sqlite:///…``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.db import connections, transaction

SQLITE_EXPECTED = {"transaction_mode": "IMMEDIATE", "timeout": 20}


def _settings_databases(database_url: str | None) -> dict[str, Any]:
    """DATABASES as lotse.conf.settings builds it in a fresh interpreter with this environment."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LOTSE_ENV"] = "development"
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    code = (
        "import json; from lotse.conf import settings; "
        "print(json.dumps(settings.DATABASES, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("from_url", [False, True], ids=["default", "DATABASE_URL"])
def test_sqlite_gets_wal_immediate_transactions_and_a_busy_timeout(
    from_url: bool, tmp_path: Path
) -> None:
    database_url = f"sqlite://{tmp_path / 'lotse.sqlite3'}" if from_url else None
    default = _settings_databases(database_url)["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    options = default.get("OPTIONS", {})
    assert "journal_mode=WAL" in options.get("init_command", "")
    assert {k: options.get(k) for k in SQLITE_EXPECTED} == SQLITE_EXPECTED
    if database_url:
        assert default["NAME"] == str(tmp_path / "lotse.sqlite3")


def test_postgresql_gets_no_sqlite_options() -> None:
    default = _settings_databases("postgresql://user@db.example/lotse")["default"]
    assert "transaction_mode" not in default.get("OPTIONS", {})


ALIAS = "sqlite_writers"


@pytest.fixture
def sqlite_file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    from lotse.conf.settings import database_from_url

    config = database_from_url(f"sqlite://{tmp_path / 'writers.sqlite3'}")
    filled = connections.configure_settings(
        {"default": {"ENGINE": config["ENGINE"]}, ALIAS: config}
    )
    connections.settings[ALIAS] = filled[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
        connections[ALIAS].close()
        try:
            yield ALIAS
        finally:
            del connections.settings[ALIAS]
            if hasattr(connections._connections, ALIAS):
                delattr(connections._connections, ALIAS)


def test_six_concurrent_writers_on_a_file_database_never_see_a_lock_error(
    sqlite_file_database: str, django_db_blocker: Any
) -> None:
    """Each writer reads, then writes, in one transaction: a deferred transaction would fail its
    lock upgrade with "database is locked" at once; IMMEDIATE with a timeout queues them."""
    writers, rounds = 6, 15
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write() -> None:
        try:
            with django_db_blocker.unblock():
                start.wait()
                for _ in range(rounds):
                    with (
                        transaction.atomic(using=sqlite_file_database),
                        connections[sqlite_file_database].cursor() as cursor,
                    ):
                        cursor.execute("SELECT n FROM counter WHERE id = 1")
                        (n,) = cursor.fetchone()
                        time.sleep(0.002)  # let the other writers in between
                        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
                connections[sqlite_file_database].close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, [str(e) for e in errors]
    with django_db_blocker.unblock():
        with connections[sqlite_file_database].cursor() as cursor:
            cursor.execute("SELECT n FROM counter WHERE id = 1")
            assert cursor.fetchone() == (writers * rounds,)
        connections[sqlite_file_database].close()


def test_the_system_checks_report_nothing_on_the_configured_database(db: None) -> None:
    """`make run` and every management command print the checks' warnings to a newcomer."""
    found = checks.run_checks(databases=["default"])
    assert [str(m) for m in found if not m.is_silenced()] == []
