from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import ApiToken, User
from lotse.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create or revoke personal API tokens: lotse token create EMAIL [--name N] | lotse token revoke EMAIL PREFIX"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="command line")
        revoke = sub.add_parser("revoke", help="Revoke a token by the beginning shown in lists.")
        revoke.add_argument("email")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail address {options['email']}.")
        if options["action"] == "create":
            issued = api_token_create(user=user, name=options["name"])
            self.stdout.write(issued.secret)
            return
        token = ApiToken.objects.filter(
            user=user, prefix=options["prefix"], revoked_at=None
        ).first()
        if token is None:
            raise CommandError(
                f"{user.email} has no active token beginning with {options['prefix']}."
            )
        api_token_revoke(actor=user, token=token)
        self.stdout.write(f"Revoked {token.name} ({token.prefix}…).")
