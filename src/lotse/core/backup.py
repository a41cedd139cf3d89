"""Backup and restore of one instance: the database and the encrypted document blobs.

``lotse backup DIR`` writes
- ``database.sqlite3`` (SQLite: the online backup API, a consistent copy while Lotse runs) or
  ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot);
- ``blobs/…``: every object of the documents storage, copied as stored (still encrypted: the
  backup holds no plaintext and no key; keep the keys apart, ``docs/operations.md``);
- ``manifest.json``: when, which database, the migration state, rows per table and the SHA-256
  of every file.

The database is dumped before the blobs are copied. A blob is written before the row that names
it is committed, so every blob the dump names is normally in the copy (a few newer, unnamed ones
may be too; the orphan sweep removes those). A key rotation at the same time replaces blobs: the
backup then checks the names of the dump against the copy and stops rather than write an
incomplete backup.

``lotse restore DIR`` checks every hash, refuses an instance that holds data, loads the database
and the blobs, and compares the restored row counts and migrations with the manifest.
Blobs go through Django's storage API, so the same commands work for a local directory and for
S3-compatible object storage.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
BLOB_DIR = "blobs"
DOCUMENTS_STORAGE = "documents"
# Tables that `migrate` fills by itself: an instance with rows only there is still empty.
_SEEDED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _storage() -> Storage:
    return storages[DOCUMENTS_STORAGE]


def stored_names(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every object name below ``prefix``, for a directory as for an S3 bucket."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from stored_names(storage, f"{prefix}{directory}/")


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            # The names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def migration_state() -> list[list[str]]:
    if "django_migrations" not in _tables():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


# --------------------------------------------------------------------------- the database


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    # A fixed program with arguments from the settings; no shell.
    result = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


BLOB_TABLE = "documents_storedblob"
BLOB_QUERY = f"SELECT name FROM {BLOB_TABLE}"  # noqa: S608 -- a constant


@dataclass(frozen=True)
class _Dump:
    path: Path
    row_counts: dict[str, int]
    migrations: list[list[str]]
    blob_names: set[str]  # the blobs the dumped rows name


def _dump_database(target: Path) -> _Dump:
    """The dump, with the row counts, migrations and blob names of exactly the state it holds."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return _sqlite_facts(path)
    if connection.vendor == "postgresql":
        path = target / "database.dump"
        args, environment = _pg_environment()
        # pg_dump joins this transaction's snapshot, so the counts are of the dumped state even
        # while Lotse keeps writing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                  "--file", str(path), *args], environment)  # fmt: skip
            counts = row_counts()
            names: set[str] = set()
            if BLOB_TABLE in counts:
                cursor.execute(BLOB_QUERY)
                names = {row[0] for row in cursor.fetchall()}
            return _Dump(path, counts, migration_state(), names)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _load_database(path: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database; this instance uses {connection.vendor}."
        )
    connection.ensure_connection()
    if vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    args, environment = _pg_environment()
    # The instance is empty (checked): --clean only drops the bare schema `migrate` made.
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          *args, str(path)], environment)  # fmt: skip


# --------------------------------------------------------------------------- backup


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    manifest: dict[str, Any]


def backup_create(target: Path) -> BackupResult:
    """Write a backup of this instance into ``target`` (a new or empty directory)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new directory for the backup.")
    target.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now()
    dump = _dump_database(target)
    database = dump.path
    storage = _storage()
    files = {database.name: _sha256_file(database)}
    copied = set()
    for name in stored_names(storage):
        destination = target / BLOB_DIR / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, destination.open("wb") as sink:
            shutil.copyfileobj(source, sink)
        files[f"{BLOB_DIR}/{name}"] = _sha256_file(destination)
        copied.add(name)
    missing = sorted(dump.blob_names - copied)
    if missing:
        # A key rotation replaced blobs between the dump and the copy: this backup would lack
        # them. Nothing is lost in the instance; running the backup again gets a complete copy.
        raise BackupError(
            f"{len(missing)} blobs named in the database vanished during the backup (a key "
            f"rotation running?), e.g. {missing[0]}. Run the backup again into a new directory."
        )
    manifest = {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "database": {"vendor": connection.vendor, "file": database.name},
        "migrations": dump.migrations,
        "row_counts": dump.row_counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupResult(target, manifest)


def _sqlite_facts(database: Path) -> _Dump:
    """Row counts, migrations and blob names, read from the SQLite copy itself."""
    copy = sqlite3.connect(database)
    try:
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts = {
            table: int(copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
            for table in tables
        }
        migrations = [
            [app, name]
            for app, name in copy.execute("SELECT app, name FROM django_migrations ORDER BY 1, 2")
        ]
        names = {row[0] for row in copy.execute(BLOB_QUERY)} if BLOB_TABLE in counts else set()
    finally:
        copy.close()
    return _Dump(database, counts, migrations, names)


# --------------------------------------------------------------------------- restore


def manifest_verify(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, after checking every file against it."""
    source = Path(source)
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}; it is not a Lotse backup.") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source / MANIFEST} is damaged: {exc}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for relative, expected in manifest["files"].items():
        path = source / relative
        if not path.is_file():
            raise BackupError(f"{relative} is missing from the backup.")
        if _sha256_file(path) != expected:
            raise BackupError(f"{relative} does not match its SHA-256 in the manifest.")
    listed = set(manifest["files"])
    extra = [
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.relative_to(source).as_posix() not in listed
    ]
    if extra:
        raise BackupError(f"Files not in the manifest: {', '.join(sorted(extra)[:5])}.")
    return manifest


def instance_data() -> list[str]:
    """What makes this instance non-empty: tables with rows, and stored blobs."""
    found = [
        f"{table} ({count} rows)"
        for table, count in row_counts().items()
        if count and table not in _SEEDED_BY_MIGRATE
    ]
    blobs = next(stored_names(_storage()), None)
    if blobs is not None:
        found.append("document storage (holds files)")
    return found


def backup_restore(source: Path) -> dict[str, Any]:
    """Bring the backup in ``source`` into this empty instance; returns its manifest."""
    source = Path(source)
    manifest = manifest_verify(source)
    present = instance_data()
    if present:
        raise BackupError(
            "This instance is not empty, restore refused. It holds: "
            + "; ".join(present[:8])
            + ". Restore into a new database and an empty document storage."
        )
    _load_database(source / manifest["database"]["file"], manifest["database"]["vendor"])
    storage = _storage()
    for relative in manifest["files"]:
        if not relative.startswith(f"{BLOB_DIR}/"):
            continue
        name = relative.removeprefix(f"{BLOB_DIR}/")
        saved = storage.save(name, ContentFile((source / relative).read_bytes()))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}; restore into an empty one.")
    counts = row_counts()
    differing = sorted(
        table
        for table, count in manifest["row_counts"].items()
        if counts.get(table) != count and table not in _SEEDED_BY_MIGRATE
    )
    if differing:
        raise BackupError(f"Restored row counts differ from the manifest: {', '.join(differing)}.")
    if migration_state() != manifest["migrations"]:
        raise BackupError("The restored migration state differs from the manifest.")
    return manifest
