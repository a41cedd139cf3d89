"""``lotse quickcheck [--with-followups] FILE|-``: the Quick-Check on the command line.

The work is done by ``lotse.rules.cli.quickcheck_main``; this command only hands it the
arguments and the standard streams and exits with its code (0: result JSON on stdout;
2: unusable input, every problem on stderr).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any, NoReturn, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from lotse.rules.cli import quickcheck_main


class Command(BaseCommand):
    help = (
        "Evaluate a Quick-Check profile (JSON from FILE, or - for standard input) and print the "
        "result as JSON. Exit code 0 on success, 2 on invalid input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", nargs="*", metavar="FILE|-")
        parser.add_argument(
            "--with-followups",
            action="store_true",
            help="also print the procedure steps with deadlines and the expected fees",
        )

    def run_from_argv(self, argv: list[str]) -> NoReturn:
        # The engine's CLI owns usage, messages and exit codes; Django's parser would turn a bad
        # option into its own message and exit code, so it is bypassed on the command line.
        code = quickcheck_main(argv[2:], sys.stdin, sys.stdout, sys.stderr)
        sys.stdout.flush()
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        # call_command(): write to the raw streams, because OutputWrapper appends a newline to
        # every write and json.dump writes in pieces.
        argv = [*(["--with-followups"] if options["with_followups"] else []), *options["source"]]
        stdout = cast(TextIO, self.stdout._out)
        stderr = cast(TextIO, self.stderr._out)
        code = quickcheck_main(argv, sys.stdin, stdout, stderr)
        if code != 0:
            raise CommandError("invalid Quick-Check input", returncode=code)
