"""`make run` prints the demo logins last: the demo's e-mails go to a log, the logins after them."""

from __future__ import annotations

from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def _run_recipe() -> list[str]:
    lines = MAKEFILE.read_text(encoding="utf-8").splitlines()
    # The rule itself, not a target-specific variable line ("run: export X ?= …").
    start = next(i for i, line in enumerate(lines) if line.startswith("run:") and "=" not in line)
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_the_demo_output_goes_to_a_log_and_the_logins_are_printed_after_it() -> None:
    recipe = _run_recipe()
    demo = next(i for i, line in enumerate(recipe) if "$(LOTSE) demo" in line)
    logins = next(i for i, line in enumerate(recipe) if "Demo world ready" in line)
    serve = next(i for i, line in enumerate(recipe) if "$(LOTSE) run " in line)
    assert "> var/demo.log" in recipe[demo]
    assert demo < logins < serve
    # Nothing but the address is printed between the logins and the server.
    assert all("echo" in line for line in recipe[logins + 1 : serve])
