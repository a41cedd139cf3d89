"""The case's document checklist, built from the rules engine's matrix for the chosen title."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lotse.cases.models import Case, ChecklistItem, Requirement
from lotse.documents.selectors import item_statuses
from lotse.rules import documents as rules_documents


def rows_for(
    title: str, documents: Iterable[Mapping[str, Any]] | None = None
) -> list[dict[str, str]]:
    """Checklist rows for ``title``.

    ``documents`` is the Quick-Check option's list (conditions already resolved for this worker);
    without it the whole matrix is used, conditional rows as "if applicable".
    """
    catalogue = rules_documents.catalogue()
    if documents is not None:
        source = [
            {
                "code": str(item["code"]),
                "requirement": str(item.get("requirement", "conditional")),
                "condition": "",
                "translation": str(item.get("translation", "")),
            }
            for item in documents
        ]
    else:
        source = [
            {
                "code": row.code,
                "requirement": row.requirement if row.when is None else "conditional",
                "condition": row.when or "",
                "translation": row.translation,
            }
            for row in rules_documents.matrix(title)
        ]
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in source:
        if item["code"] in seen or item["code"] not in catalogue:
            continue
        seen.add(item["code"])
        doc = catalogue[item["code"]]
        requirement = (
            Requirement.MANDATORY if item["requirement"] == "mandatory" else Requirement.CONDITIONAL
        )
        rows.append(
            {
                **item,
                "requirement": requirement,
                "label_de": doc.label_de,
                "label_en": doc.label_en,
            }
        )
    return rows


def checklist_build(case: Case, rows: list[dict[str, str]]) -> list[ChecklistItem]:
    """Add the rows the case does not have yet; a row already present keeps its ticks.

    A conditional row that becomes mandatory (the title changed) is raised to mandatory.
    """
    existing = {item.document_code: item for item in case.checklist.all()}
    start = max((item.position for item in existing.values()), default=0) + 1
    new: list[ChecklistItem] = []
    for offset, row in enumerate(rows):
        current = existing.get(row["code"])
        if current is not None:
            if row["requirement"] == Requirement.MANDATORY and not current.is_mandatory:
                current.requirement = Requirement.MANDATORY
                current.save(update_fields=["requirement"])
            continue
        new.append(
            ChecklistItem(
                case=case,
                document_code=row["code"],
                requirement=row["requirement"],
                label_de=row["label_de"],
                label_en=row["label_en"],
                condition=row.get("condition", ""),
                translation=row.get("translation", ""),
                position=start + offset,
            )
        )
    return ChecklistItem.objects.bulk_create(new)


def checklist_gaps(case: Case, statuses: list[Any] | None = None) -> list[ChecklistItem]:
    """The mandatory items that keep the chamber from forwarding the file.

    An item counts as present when the chamber ticked it as present and checked, or recorded
    that it saw the original on paper. This is the one place that decides it; the documents
    area extends it (an uploadable item then needs an accepted document).
    """
    # An uploadable item needs an accepted document (with its accepted translation where one is
    # required) or the original seen on paper; the tick counts only for items that are data in
    # Lotse (lotse.documents.selectors.NOT_UPLOADABLE).
    # ``statuses``: the page's ``checklist_rows`` of the same case, so as not to load them twice.
    return [
        status.item
        for status in (item_statuses(case) if statuses is None else statuses)
        if status.item.requirement == Requirement.MANDATORY and not status.complete
    ]


def checklist_rows(case: Case) -> list[Any]:
    """The checklist with each item's document state, for the case page.

    Each row is a ``lotse.documents.selectors.ItemStatus``: ``item``, ``state`` (missing,
    uploaded, rejected, accepted, paper, not_uploadable), ``complete`` and ``uploadable``.
    """
    return list(item_statuses(case))
