"""``{% conversation_section case %}``: the case's messages, for the case page (one include)."""

from __future__ import annotations

from typing import Any

from django import template

from lotse.cases.models import Case
from lotse.conversations.selectors import worker_messages
from lotse.conversations.views import conversation_context

register = template.Library()


@register.inclusion_tag("conversations/_section.html", takes_context=True)
def conversation_section(context: template.Context, case: Case) -> dict[str, Any]:
    request = context["request"]
    return {
        **conversation_context(user=request.user, case=case),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("conversations/_worker_messages.html")
def worker_message_list(case: Case) -> dict[str, Any]:
    """The messages to the worker, for the worker's page (no staff names: parties only)."""
    return {"worker_messages": list(worker_messages(case=case))}
