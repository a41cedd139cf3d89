"""The privacy notice's facts that come from the settings (controller, retention periods)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("privacy/_notice.html")
def privacy_notice(audience: str) -> dict[str, Any]:
    """``audience`` is "worker" (the worker's upload page) or "company" (sign-up of a company)."""
    return {
        "audience": audience,
        "controller": settings.LOTSE_PRIVACY_CONTROLLER,
        "contact": settings.LOTSE_PRIVACY_CONTACT,
        "days_closed": int(settings.LOTSE_RETENTION_DAYS_CLOSED),
        "days_withdrawn": int(settings.LOTSE_RETENTION_DAYS_WITHDRAWN),
        "days_refused": int(settings.LOTSE_RETENTION_DAYS_REFUSED),
    }
