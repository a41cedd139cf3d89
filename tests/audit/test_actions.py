"""The audit actions are one closed, labelled list; the activity log shows labels, not codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import lotse
from lotse.accounts.models import Role
from lotse.audit.actions import ACTIONS, UnknownAuditActionError, action_label
from lotse.audit.models import AuditEvent
from lotse.audit.presenters import event_views
from lotse.audit.services import audit_record
from lotse.cases.workflow import STEPS
from lotse.conversations.models import RequestState
from tests.conftest import World
from tests.documents.conftest import document_dir, make_case  # noqa: F401 -- autouse fixture
from tests.documents.flow import forward

SRC = Path(lotse.__file__).parent
CASES_SERVICES = SRC / "cases" / "services.py"


def _checklist_operations() -> list[str]:
    # The operations checklist_item_update knows, read from its own comparisons.
    return re.findall(r'operation == "(\w+)"', CASES_SERVICES.read_text())


# How each f-string code pattern in src expands to codes. A new pattern fails the test below
# until it is listed here with every value it can take.
EXPANSIONS = {
    "case.{step.name}": lambda: [f"case.{step.name}" for step in STEPS],
    "case.checklist_{operation}": lambda: [
        f"case.checklist_{op}" for op in _checklist_operations()
    ],
    # A request for documents is closed as answered or lapsed (conversations/services.py _close).
    "document_request.{state}": lambda: [
        f"document_request.{state}" for state in RequestState.values if state != RequestState.OPEN
    ],
}


def _pattern(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        else:
            assert isinstance(value, ast.FormattedValue)
            parts.append("{" + ast.unparse(value.value) + "}")
    return "".join(parts)


def _codes(node: ast.expr, where: str) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _codes(node.body, where) + _codes(node.orelse, where)
    if isinstance(node, ast.JoinedStr):
        pattern = _pattern(node)
        assert pattern in EXPANSIONS, f"{where}: add the f-string {pattern!r} to EXPANSIONS"
        return list(EXPANSIONS[pattern]())
    raise AssertionError(f"{where}: the audit action must be a literal, got {ast.unparse(node)}")


def _recorded_codes() -> dict[str, str]:
    """Every code an ``audit_record(action=...)`` call in src can write, with where it is."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "audit_record":
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if action is None:  # the definition's own recursion or a **kwargs call
                continue
            for code in _codes(action, where):
                found.setdefault(code, where)
    return found


def test_every_recorded_action_is_registered() -> None:
    recorded = _recorded_codes()
    assert len(recorded) > 40  # the collector found the calls (the steps alone are 40)
    missing = {code: where for code, where in recorded.items() if code not in ACTIONS}
    assert not missing, f"register these in lotse/audit/actions.py: {missing}"


def test_every_registered_action_is_recorded_somewhere() -> None:
    unused = sorted(set(ACTIONS) - set(_recorded_codes()))
    assert not unused, f"no audit_record call writes these codes: {unused}"


def test_every_action_has_a_german_and_an_english_label() -> None:
    for code, action in ACTIONS.items():
        with translation.override("en"):
            english = str(action.label)
        with translation.override("de"):
            german = str(action.label)
        assert english
        assert code not in english
        assert german != english, f"{code} has no German label"


def test_an_unknown_action_is_refused(world: World) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(UnknownAuditActionError, match=r"case\.made_up"):
        audit_record(actor=None, action="case.made_up", obj=world.company, concerns=[])
    assert AuditEvent.objects.count() == before


def test_an_unknown_code_in_old_records_never_shows_raw() -> None:
    with translation.override("en"):
        assert action_label("case.gone_step") == "Other change"


RAW_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
ID_ONLY = re.compile(r"(^|\s)\d+ #\d+")


def test_the_activity_log_shows_labels_and_readable_objects(world: World, client: Client) -> None:
    case = forward(make_case(world), world)
    client.force_login(world.users[Role.COMPANY_ADMIN])
    response = client.get("/activity/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Akte an die Ausländerbehörde weitergeleitet" in html
    assert "Akte versiegelt" in html
    assert f"Versiegelte Akte {case.reference}" in html
    assert f"Fall {case.reference}" in html
    for code in ("case.forward", "case_file.sealed", "document.uploaded", "case.created"):
        assert code not in html
    assert not ID_ONLY.search(html), ID_ONLY.search(html)


def test_event_views_name_every_object_of_a_journey_in_german(world: World) -> None:
    forward(make_case(world), world)
    with translation.override("de"):
        views = event_views(AuditEvent.objects.all())
    assert views
    for view in views:
        assert not RAW_CODE.fullmatch(view.label), view.label
        assert view.label != "Other change"
        assert not ID_ONLY.search(view.object), view.object
        assert view.object.strip()
    labels = {view.label for view in views}
    assert "Akte an die Ausländerbehörde weitergeleitet" in labels
