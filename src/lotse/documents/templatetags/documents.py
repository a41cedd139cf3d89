from __future__ import annotations

from typing import Any

from django import template

from lotse.documents.selectors import document_gaps, item_statuses, powers_signed

register = template.Library()


@register.simple_tag
def case_documents_summary(case: Any) -> dict[str, Any]:
    """For the documents panel on the case page (``documents/_case_documents.html``)."""
    statuses = item_statuses(case)
    uploaded = [s for s in statuses if s.document is not None]
    return {
        "gaps": document_gaps(case, statuses),
        "total": sum(1 for s in statuses if s.uploadable),
        "accepted": sum(1 for s in uploaded if s.document and s.document.is_accepted),
        "to_review": sum(1 for s in uploaded if s.state == "uploaded"),
        "powers": powers_signed(case),
    }
