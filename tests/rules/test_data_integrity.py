"""The rule data is complete and consistent, and the package stays framework-free."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import lotse.rules
from lotse.rules import quickcheck
from lotse.rules._data import load
from lotse.rules.documents import TITLES

PACKAGE = Path(lotse.rules.__file__).parent


def test_no_django_import_in_the_rules_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in {"django", "ninja"} for n in names), path


def test_every_module_uses_postponed_annotations() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path


MESSAGES = load("messages")["message"]


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_message_exists_in_german_and_english_with_same_placeholders(code: str) -> None:
    entry = MESSAGES[code]
    assert entry["severity"] in {"blocker", "warning", "reason", "info"}
    assert entry["message_de"].strip()
    assert entry["message_en"].strip()

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    german = {f.removesuffix("_de") for f in fields(entry["message_de"])}
    english = {f.removesuffix("_en") for f in fields(entry["message_en"])}
    assert german == english
    if entry["severity"] != "reason":
        assert entry["legal_basis"].strip()


def test_every_message_code_used_by_the_engine_exists() -> None:
    source = Path(quickcheck.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    used: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in {"block", "warn", "_finding", "_reason"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            used.add(node.args[0].value)
    assert used
    assert used <= set(MESSAGES)


@pytest.mark.parametrize("title", TITLES)
def test_title_labels_and_legal_basis(title: str) -> None:
    entry = load("titles")["title"][title]
    assert entry["label_de"]
    assert entry["label_en"]
    assert entry["legal_basis"]
    assert entry["accelerated_basis"].startswith("§ 81a Abs.")
    assert entry["source"].startswith("http")


def test_ruleset_version_matches_the_data_files() -> None:
    assert quickcheck.ruleset_version() == load("ruleset")["version"]
    for name, version in load("ruleset")["files"].items():
        assert load(name)["version"] == version


def test_every_threshold_has_legal_basis_and_source() -> None:
    for period in load("thresholds")["period"]:
        for key, value in period.items():
            if isinstance(value, dict):
                assert value["legal_basis"], key
                assert value["source"], key
