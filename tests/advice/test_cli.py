"""`lotse quickcheck FILE|-` through the real console script: exit codes 0 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

LOTSE = str(Path(sys.executable).with_name("lotse"))


def run(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOTSE, "quickcheck", *args, "-"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_valid_profile_exits_0_with_the_result_json(profile: dict[str, Any]) -> None:
    done = run(json.dumps(profile))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["recommended"]["title"] == "18a"
    assert [o["title"] for o in result["options"]] == [
        "16a", "16d1", "16d3", "18a", "18b", "18g", "19c2"
    ]  # fmt: skip
    assert "next_steps" not in result


def test_with_followups_adds_steps_and_fees(profile: dict[str, Any]) -> None:
    done = run(json.dumps(profile), "--with-followups")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {fee["code"] for fee in result["fees"]} >= {"procedure_81a"}
    assert result["next_steps"][0]["code"] == "agreement"


def test_invalid_profile_exits_2_and_names_every_problem(profile: dict[str, Any]) -> None:
    profile["worker"]["shoe_size"] = 44
    del profile["job"]["municipality"]
    done = run(json.dumps(profile))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "2 problem(s)" in done.stderr
    assert "worker.shoe_size: unknown field" in done.stderr
    assert "job.municipality: required field is missing" in done.stderr


def test_invalid_json_exits_2() -> None:
    done = run("{not json")
    assert done.returncode == 2
    assert "is not valid JSON" in done.stderr


def test_call_command_writes_json_and_raises_with_code_2(
    profile: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    out = StringIO()
    call_command("quickcheck", str(path), stdout=out)
    assert json.loads(out.getvalue())["ruleset"]
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("quickcheck", str(path), stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 2
