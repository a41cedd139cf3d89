"""Database triggers that keep evidence tables append-only below the ORM (PostgreSQL and SQLite).

Used by the migrations of the apps that own evidence (audit, cases, documents). A trigger refuses
every DELETE, and every UPDATE except one that only touches the table's personal columns while a
redaction window (lotse.core.models.RedactionWindow) is open in the same transaction.

SQLite drops a table's triggers when a migration rebuilds the table (most ALTERs do): a migration
that changes an evidence table must call :func:`install` again (``tests/security`` checks that
every evidence table has its triggers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.db.backends.base.base import BaseDatabaseWrapper


class Executor(Protocol):
    """A migration's schema editor, or :class:`CursorExecutor` outside migrations."""

    connection: BaseDatabaseWrapper

    def execute(self, sql: str, params: Any = ...) -> None: ...


class CursorExecutor:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


WINDOW_TABLE = "core_redactionwindow"

# table -> the columns retention may overwrite inside a redaction window
EVIDENCE_TABLES: dict[str, tuple[str, ...]] = {
    "audit_auditevent": ("object_repr", "before", "after", "ip_address", "redacted"),
    "audit_auditeventconcern": (),
    "cases_casetransition": ("data", "reason"),
    "documents_sealedfile": ("manifest",),
}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION lotse_evidence_guard() RETURNS trigger AS $$
DECLARE
    new_row jsonb;
    old_row jsonb;
    i integer;
BEGIN
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM core_redactionwindow) THEN
        new_row := to_jsonb(NEW);
        old_row := to_jsonb(OLD);
        FOR i IN 0 .. TG_NARGS - 1 LOOP
            new_row := new_row - TG_ARGV[i];
            old_row := old_row - TG_ARGV[i];
        END LOOP;
        IF new_row = old_row THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'evidence is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_names(table: str) -> tuple[str, ...]:
    return (f"{table}_no_delete", f"{table}_no_update", f"{table}_personal_only")


def _columns(schema_editor: Executor, table: str) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def install(schema_editor: Executor, tables: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the function body has % placeholders of its own (RAISE … %).
        schema_editor.execute(PG_FUNCTION, params=None)
    for table in tables:
        personal = EVIDENCE_TABLES[table]
        if vendor == "postgresql":
            arguments = ", ".join(f"'{column}'" for column in personal)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION lotse_evidence_guard({arguments})"
            )
        elif vendor == "sqlite":
            no_delete, no_update, personal_only = trigger_names(table)
            refusal = "evidence is append-only: {} on " + table + " refused"
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {no_delete} BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal.format('DELETE')}'); END"
            )
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {no_update} BEFORE UPDATE ON {table} "  # noqa: S608 -- constant table names
                f"WHEN NOT EXISTS (SELECT 1 FROM {WINDOW_TABLE}) "
                f"BEGIN SELECT RAISE(ABORT, '{refusal.format('UPDATE')}'); END"
            )
            others = [c for c in _columns(schema_editor, table) if c not in personal]
            changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in others)
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {personal_only} BEFORE UPDATE ON {table} "
                f"WHEN {changed} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal.format('UPDATE')}'); END"
            )


def uninstall(schema_editor: Executor, tables: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif vendor == "sqlite":
            for name in trigger_names(table):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_flush_lifting_guards(
    connection: BaseDatabaseWrapper, sql_list: Sequence[str], flush: Any
) -> None:
    """Wipe an SQLite database (the test suite's flush): its DELETEs would meet the guards.

    A deliberate, complete wipe is the one thing the guards give way to; PostgreSQL's flush is
    TRUNCATE, which the triggers do not see (the application role may not truncate, docs/security.md).
    """
    executor = CursorExecutor(connection)
    uninstall(executor, list(EVIDENCE_TABLES))
    try:
        flush(sql_list)
    finally:
        install(executor, list(EVIDENCE_TABLES))


def installed(connection: BaseDatabaseWrapper, table: str) -> bool:
    """Whether ``table`` carries its guard (tests/security checks every evidence table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal",
                [f"{table}_append_only"],
            )
            return bool(cursor.fetchone()[0] == 1)
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        return bool(cursor.fetchone()[0] == 3)
