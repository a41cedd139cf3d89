"""Core of ``lotse quickcheck FILE|-`` (the lead wires it into the ``lotse`` console script).

Exit codes: 0 with the result JSON on stdout; 2 for unusable input (unreadable file, invalid
JSON, or a profile that breaks the contract — then every problem is printed with its field path).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from lotse.rules.profile import ProfileError, parse_profile
from lotse.rules.quickcheck import evaluate

USAGE = """\
usage: lotse quickcheck [--with-followups] FILE|-

Evaluate a Quick-Check profile (JSON) and print the result as JSON.
FILE is a path, or - to read standard input.

  --with-followups  also print the procedure steps with deadlines and the expected fees
  -h, --help        show this help
"""

EXIT_OK = 0
EXIT_INPUT = 2


def _read(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    return Path(source).read_bytes().decode("utf-8")


def quickcheck_main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``lotse quickcheck`` with ``argv`` (the arguments after the sub-command)."""
    followups = False
    sources: list[str] = []
    for arg in argv:
        if arg in ("-h", "--help"):
            stdout.write(USAGE)
            return EXIT_OK
        if arg == "--with-followups":
            followups = True
        elif arg.startswith("-") and arg != "-":
            stderr.write(f"lotse quickcheck: unknown option {arg}\n{USAGE}")
            return EXIT_INPUT
        else:
            sources.append(arg)
    if len(sources) != 1:
        stderr.write(f"lotse quickcheck: expected exactly one FILE or -\n{USAGE}")
        return EXIT_INPUT
    source = sources[0]
    name = "standard input" if source == "-" else source

    try:
        text = _read(source, stdin)
    except OSError as error:
        stderr.write(f"lotse quickcheck: cannot read {name}: {error.strerror or error}\n")
        return EXIT_INPUT
    except UnicodeDecodeError as error:
        stderr.write(f"lotse quickcheck: {name} is not UTF-8 text: {error.reason}\n")
        return EXIT_INPUT

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        stderr.write(
            f"lotse quickcheck: {name} is not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})\n"
        )
        return EXIT_INPUT

    try:
        profile = parse_profile(data)
    except ProfileError as error:
        count = len(error.problems)
        stderr.write(f"lotse quickcheck: invalid input in {name} ({count} problem(s)):\n")
        for problem in error.problems:
            stderr.write(f"  {problem.path or '<input>'}: {problem.reason}\n")
        return EXIT_INPUT

    result = evaluate(profile)
    json.dump(result.to_dict(include_followups=followups), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return EXIT_OK
