"""What a case needs, decided by the server from the ruleset: never taken from a client.

The needs of a case (its title, the recognition or comparability procedure, the BA approval and
the documents) come from one of three sources, all evaluated here:

* a Quick-Check input, evaluated with the rules engine (``lotse.rules.quickcheck``);
* a saved advisory record, whose input and result the advice area evaluated and stored;
* the title alone ("from scratch"): every step the title may need (``titles.toml``,
  ``without_quickcheck``), since the server cannot know the worker's profile.

The forwarding gate and the pre-approval guard call ``needs_of(case)``, which derives the needs
again from the case's stored input (or its title), not from a stored result or list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lotse.cases.models import Case, RecognitionKind, Title
from lotse.rules.profile import ProfileError
from lotse.rules.quickcheck import evaluate_data, ruleset_version, title_needs


@dataclass(frozen=True)
class Needs:
    title: str
    recognition_kind: str  # "" when the title needs no recognition procedure
    recognition_body: str | None
    ba_required: bool
    # The documents the engine resolved for the worker; None: the title's whole matrix.
    documents: list[Mapping[str, Any]] | None
    result: dict[str, Any] | None
    ruleset: str


def evaluate(quickcheck_input: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate a Quick-Check input with the rules engine; ValidationError names the problems."""
    try:
        return evaluate_data(dict(quickcheck_input)).to_dict()
    except ProfileError as exc:
        raise ValidationError(
            {"quickcheck_input": [f"{p.path or '<input>'}: {p.reason}" for p in exc.problems]}
        ) from None
    except LookupError as exc:  # no thresholds known for the decision date
        raise ValidationError({"quickcheck_input": str(exc)}) from None


def needs_from_result(result: Mapping[str, Any], title: str | None) -> Needs:
    """The needs of ``title`` (or the recommended one) in a result the server evaluated."""
    options = result.get("options")
    if not isinstance(options, list) or not result.get("ruleset"):
        raise ValidationError({"quickcheck_input": _("This is not a Quick-Check result.")})
    recommended = result.get("recommended") or {}
    chosen = title or recommended.get("title")
    option = next((o for o in options if isinstance(o, dict) and o.get("title") == chosen), None)
    if option is None or chosen not in Title.values:
        raise ValidationError(
            {"title": _("Choose a residence title; the Quick-Check recommends none.")}
        )
    if option.get("eligible") is False:
        raise ValidationError(
            {"title": _("The Quick-Check finds this residence title not open to the worker.")}
        )
    recognition = option.get("recognition") or {}
    kind = str(recognition.get("kind") or "") if recognition.get("required") else ""
    if kind and kind not in RecognitionKind.values:
        kind = RecognitionKind.EQUIVALENCE
    return Needs(
        title=str(chosen),
        recognition_kind=kind,
        recognition_body=recognition.get("body") if kind else None,
        ba_required=option.get("ba_approval") == "required",
        documents=list(option.get("documents") or []),
        result=dict(result),
        ruleset=str(result["ruleset"]),
    )


def needs_for_title(title: str | None) -> Needs:
    """The needs of a title alone: every step it may need (``titles.toml``)."""
    if title not in Title.values:
        raise ValidationError({"title": _("Choose a residence title.")})
    found = title_needs(str(title))
    return Needs(
        title=str(title),
        recognition_kind=found.recognition,
        recognition_body=None,
        ba_required=found.ba_approval == "required",
        documents=None,
        result=None,
        ruleset=ruleset_version(),
    )


def needs_of(case: Case) -> Needs:
    """The needs of the case's current title, derived again by the server.

    From the Quick-Check input the case was started with (stored by the server at creation), or
    from the title alone. A stored result, a stored checklist or a stored flag is not consulted.
    """
    if case.quickcheck_input:
        try:
            return needs_from_result(evaluate(case.quickcheck_input), case.title)
        except ValidationError:
            pass  # the title is no option of that input (any more): the title's needs apply
    return needs_for_title(case.title)
