from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from lotse.rules.cli import quickcheck_main
from lotse.rules.thresholds import known_range
from tests.rules.profiles import ACADEMIC, VOCATIONAL, with_


def call(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = quickcheck_main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_file_gives_exit_0_and_json(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(ACADEMIC), encoding="utf-8")
    code, out, err = call([str(path)])
    assert code == 0
    assert err == ""
    result = json.loads(out)
    assert result["recommended"]["title"] == "18g"
    assert result["authority"]["code"] == "stadt-ludwigsburg"


def test_stdin_dash() -> None:
    code, out, _ = call(["-"], json.dumps(VOCATIONAL))
    assert code == 0
    assert json.loads(out)["authority"]["code"] == "lra-ludwigsburg"


def test_with_followups_adds_steps_and_fees() -> None:
    code, out, _ = call(["--with-followups", "-"], json.dumps(VOCATIONAL))
    assert code == 0
    result = json.loads(out)
    assert result["next_steps"]
    assert result["fees"]


def test_invalid_input_exit_2_with_every_problem() -> None:
    data = with_(VOCATIONAL, worker__abroad="yes", job__annual_gross_salary=-5)
    data["colour"] = "blue"
    code, out, err = call(["-"], json.dumps(data))
    assert code == 2
    assert out == ""
    assert "3 problem(s)" in err
    assert "worker.abroad:" in err
    assert "job.annual_gross_salary:" in err
    assert "colour: unknown field" in err


def test_invalid_json_exit_2() -> None:
    code, out, err = call(["-"], '{"decision_date": ')
    assert code == 2
    assert out == ""
    assert "is not valid JSON" in err
    assert "line 1" in err


def test_missing_file_exit_2(tmp_path: Path) -> None:
    code, _, err = call([str(tmp_path / "nope.json")])
    assert code == 2
    assert "cannot read" in err
    assert "nope.json" in err


def test_non_utf8_file_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"x": "Möglingen"}'.encode("latin-1"))
    code, _, err = call([str(path)])
    assert code == 2
    assert "not UTF-8" in err


@pytest.mark.parametrize("argv", [[], ["a", "b"], ["--colour", "x"]])
def test_bad_usage_exit_2(argv: list[str]) -> None:
    code, _, err = call(argv)
    assert code == 2
    assert "usage: lotse quickcheck" in err


def test_help_exit_0() -> None:
    code, out, _ = call(["--help"])
    assert code == 0
    assert "usage: lotse quickcheck" in out


def test_decision_date_without_thresholds_exit_2() -> None:
    later = (known_range()[1] + timedelta(days=32)).isoformat()
    code, _, err = call(["-"], json.dumps(with_(VOCATIONAL, decision_date=later)))
    assert code == 2
    assert f"decision_date: no salary thresholds are known for decision date {later}" in err
