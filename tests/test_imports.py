"""No function-level imports between apps: every ``lotse.<other app>`` import sits at module top.

An import hidden in a function body hides a dependency (and often an import cycle) from the
reader and from the import graph. Imports of the module's own app and imports inside an
``if TYPE_CHECKING:`` block are fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "lotse"


def _app_of_module(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").parts[0]


def _app_of_import(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "lotse" or len(parts) < 2:
        return None
    return parts[1]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or node.module is None:
        return []
    if node.module == "lotse":
        return [f"lotse.{alias.name}" for alias in node.names]
    return [node.module]


def _function_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    walk(orelse, in_function)
                continue
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((child.lineno, name) for name in _imported_modules(child))
            walk(child, inside)

    walk(tree, False)
    return found


def offending_imports(root: Path = SRC) -> list[str]:
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        own = _app_of_module(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _function_imports(tree):
            app = _app_of_import(name)
            if app is not None and app != own:
                problems.append(f"{path.relative_to(root).as_posix()}:{line}: {name}")
    return problems


def test_no_function_level_imports_between_apps() -> None:
    problems = offending_imports()
    assert problems == [], "import at module top instead:\n" + "\n".join(problems)


def test_the_check_finds_a_function_level_import(tmp_path: Path) -> None:
    app = tmp_path / "cases"
    app.mkdir()
    (app / "services.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from lotse.documents import sealing\n"
        "if TYPE_CHECKING:\n"
        "    from lotse.accounts.models import User\n"
        "def f():\n"
        "    from lotse.cases import models\n"
        "    from lotse.documents.selectors import item_statuses\n"
        "    import lotse.rules.quickcheck\n"
        "    return item_statuses\n",
        encoding="utf-8",
    )
    assert offending_imports(tmp_path) == [
        "cases/services.py:7: lotse.documents.selectors",
        "cases/services.py:8: lotse.rules.quickcheck",
    ]
