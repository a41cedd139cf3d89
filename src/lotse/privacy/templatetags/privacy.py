"""The privacy notice's facts that come from the settings (controller, retention periods)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.html import format_html

register = template.Library()

# The worker's notice speaks the worker's six languages (ADR 0014); its strings are in the
# catalogues locale/{fr,es,tr,ar} and in tests/test_translations.py's list of worker templates.
# The company's notice is for staff pages (German and English).
_TEMPLATES = {"worker": "privacy/_notice_worker.html", "company": "privacy/_notice.html"}


@register.simple_tag(takes_context=True)
def privacy_notice(context: Context, audience: str) -> str:
    """``audience`` is "worker" (the worker's upload page) or "company" (sign-up of a company).

    The worker's page passes the parties of the case in its context (company_name, chamber_name,
    authority_name); the notice names them next to the controller.
    """
    facts: dict[str, Any] = {
        "audience": audience,
        "controller": settings.LOTSE_PRIVACY_CONTROLLER,
        "contact": settings.LOTSE_PRIVACY_CONTACT,
        "days_closed": int(settings.LOTSE_RETENTION_DAYS_CLOSED),
        "days_withdrawn": int(settings.LOTSE_RETENTION_DAYS_WITHDRAWN),
        "days_refused": int(settings.LOTSE_RETENTION_DAYS_REFUSED),
    }
    for name in ("company_name", "chamber_name", "authority_name"):
        facts[name] = context.get(name, "")
    if audience == "worker" and facts["contact"]:
        # An address or e-mail in Latin script inside an Arabic sentence keeps its own direction.
        facts["contact"] = format_html("<bdi>{}</bdi>", facts["contact"])
    return render_to_string(_TEMPLATES[audience], facts)
