"""Expected dates on the case page, its timeline and the company's dashboard (stored, not computed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from lotse.cases.models import Case
from lotse.insights.models import CaseFacts
from lotse.insights.phrases import ExpectedText, texts
from lotse.insights.selectors import expected_of

register = template.Library()


@register.inclusion_tag("insights/_expected_section.html")
def expected_dates_section(case: Case) -> dict[str, Any]:
    return {"case": case, "items": texts(expected_of(case))}


@register.simple_tag
def expected_by_step(case: Case) -> dict[str, ExpectedText]:
    """The expected dates keyed by the timeline entry they belong to."""
    return {item.timeline_key: item for item in texts(expected_of(case))}


@register.filter
def lookup(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.inclusion_tag("insights/_expected_overview.html")
def expected_dates_overview(rows: Iterable[Any]) -> dict[str, Any]:
    cases = [row.case for row in rows]
    stored = dict(
        CaseFacts.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "expected"
        )
    )
    items = []
    for case in cases:
        found = texts(list(stored.get(case.pk) or []))
        if found:
            items.append({"case": case, "next": found[0]})
    return {"items": items}
