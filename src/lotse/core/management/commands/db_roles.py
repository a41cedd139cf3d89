from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from lotse.core.db_roles import role_statements


class Command(BaseCommand):
    help = (
        "Print (or with --apply run) the GRANTs that give the application's PostgreSQL role no "
        "UPDATE, DELETE or TRUNCATE on the evidence tables. Run as the migration role after "
        "every 'lotse migrate' (docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="lotse_app", help="the application role")
        parser.add_argument(
            "--owner", default="", help="the migration role (for default privileges)"
        )
        parser.add_argument("--schema", default="public")
        parser.add_argument(
            "--apply", action="store_true", help="run the statements on DATABASE_URL"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statements = role_statements(
                role=options["role"], owner=options["owner"] or None, schema=options["schema"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not options["apply"]:
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        if connection.vendor != "postgresql":
            raise CommandError("db_roles --apply needs PostgreSQL (DATABASE_URL=postgresql://…)")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"privileges of {options['role']} set ({len(statements)} statements)")
