"""The PostgreSQL privileges of the application role (``lotse db_roles``, docs/security.md).

Two roles: the **migration role** owns the schema and runs ``lotse migrate``; the **application
role** runs the web server, the worker and the scheduler. The application role may read and write
ordinary tables, but on the evidence tables (lotse.core.evidence.EVIDENCE_TABLES) only SELECT and
INSERT, plus UPDATE of exactly the personal columns retention neutralises (the triggers allow
that only inside a redaction window). It has no DELETE and no TRUNCATE there, and it owns nothing,
so it cannot drop or disable a trigger.
"""

from __future__ import annotations

import re

from lotse.core.evidence import EVIDENCE_TABLES

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def quoted(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a plain PostgreSQL identifier: {identifier!r}")
    return f'"{identifier}"'


def role_statements(*, role: str, owner: str | None = None, schema: str = "public") -> list[str]:
    """The GRANTs and REVOKEs for ``role``; run them as the migration role after each migrate."""
    app = quoted(role)
    space = quoted(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {space} TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {space} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {space} TO {app}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {space} FROM {app}",
    ]
    for table, personal in EVIDENCE_TABLES.items():
        target = quoted(table)
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {target} FROM {app}")
        if personal:
            columns = ", ".join(quoted(column) for column in personal)
            statements.append(f"GRANT UPDATE ({columns}) ON {target} TO {app}")
    if owner:
        # Tables a later migration creates get the ordinary privileges without a new run.
        statements.append(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(owner)} IN SCHEMA {space} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}"
        )
        statements.append(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(owner)} IN SCHEMA {space} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {app}"
        )
    return statements
