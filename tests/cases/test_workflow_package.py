"""The workflow is one table with explicit dispatch: nothing is attached to Case at start-up."""

from __future__ import annotations

import ast
from pathlib import Path

from lotse.cases import workflow
from lotse.cases.models import Case

PACKAGE = Path(workflow.__file__).parent


def test_no_transition_methods_are_attached_to_the_case() -> None:
    assert not [name for name in dir(Case) if name.startswith("do_")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    assert "setattr(Case" not in source


def test_every_step_is_in_the_one_table_with_a_past_tense_label() -> None:
    assert set(workflow.STEP_BY_NAME) == set(workflow.STEP_NAMES)
    for step in workflow.STEPS:
        assert str(step.done_label), step.name
        assert step.track in ("state", "recognition_state", "ba_state"), step.name


def test_the_workflow_does_not_reach_into_documents_sealing() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "lotse.documents.sealing" not in modules, path.name
