"""Subject, one-line summary and mail text of a notification, in the recipient's language.

A mail names the case by its reference and the worker by name, and links to the case; it carries
no other personal data of the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import CaseState
from lotse.clocks import registry as clock_registry
from lotse.documents.worker_texts import document_title
from lotse.notifications.models import Kind, Notification

SUBJECTS: dict[str, Promise] = {
    Kind.CASE_CREATED: _("%(ref)s: new case for %(worker)s"),
    Kind.DOCUMENTS_SUBMITTED: _("%(ref)s: documents handed in for the check"),
    Kind.DOCUMENT_UPLOADED: _("%(ref)s: new upload “%(document)s”"),
    Kind.DOCUMENT_REJECTED: _("%(ref)s: upload rejected: “%(document)s”"),
    Kind.DOCUMENTS_MISSING: _("%(ref)s: documents still missing"),
    Kind.FILE_FORWARDED: _("%(ref)s: file forwarded to the immigration office"),
    Kind.SUPPLEMENT_UPLOADED: _("%(ref)s: supplement to the forwarded file"),
    Kind.FILE_RETURNED: _("%(ref)s: file returned to the chamber"),
    Kind.AUTHORITY_QUESTION: _("%(ref)s: question from the immigration office"),
    Kind.PREAPPROVAL_ISSUED: _("%(ref)s: pre-approval issued"),
    Kind.STEP_RECORDED: _("%(ref)s: now “%(state)s”"),
    Kind.CASE_ENDED: _("%(ref)s: case ended (“%(state)s”)"),
    Kind.DEADLINE_REMINDER: _("%(ref)s: “%(clock)s” due on %(due)s"),
    Kind.STEP_OVERDUE: _("%(ref)s: “%(clock)s” passed on %(due)s"),
    Kind.MESSAGE: _("%(ref)s: new message"),
}


def site_url(path: str = "/") -> str:
    return str(settings.LOTSE_SITE_URL).rstrip("/") + path


def _date(value: str | None) -> str:
    if not value:
        return ""
    return str(formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT"))


def _label(context: dict[str, Any], key: str) -> str:
    """A checklist item's label, stored as ``{key}_de`` / ``{key}_en`` (and ``{key}_code``, for
    the worker's other languages) in the context."""
    return document_title(
        str(context.get(f"{key}_code", "")),
        str(context.get(f"{key}_de", "")),
        str(context.get(f"{key}_en", "")),
        translation.get_language() or "de",
    )


def _facts(notification: Notification) -> dict[str, Any]:
    context = dict(notification.context)
    case = notification.case
    state = context.get("state") or (case.state if case is not None else "")
    clock = ""
    if context.get("clock"):
        definition = clock_registry.clock(context["clock"])
        german = (translation.get_language() or "de").startswith("de")
        clock = definition.label("de" if german else "en")
    return {
        "ref": case.reference if case is not None else "",
        "worker": case.worker_name if case is not None else "",
        "state": str(CaseState(state).label) if state in CaseState.values else state,
        "document": _label(context, "document"),
        "clock": clock,
        "due": _date(context.get("due_on")),
        "valid_until": _date(context.get("valid_until")),
    }


def subject(notification: Notification) -> str:
    with translation.override(notification.language or "de"):
        return str(SUBJECTS[notification.kind]) % _facts(notification)


def case_path(notification: Notification) -> str:
    if notification.case_id is None:
        return reverse("notifications:list")
    return reverse("cases:detail", args=[notification.case_id])


def case_url(notification: Notification) -> str:
    return site_url(case_path(notification))


def body(notification: Notification, *, name: str) -> str:
    with translation.override(notification.language or "de"):
        facts = _facts(notification)
        context = notification.context
        language = translation.get_language() or "de"
        missing = [
            document_title(item.get("code", ""), item.get("de", ""), item.get("en", ""), language)
            for item in context.get("missing", [])
        ]
        return render_to_string(
            "notifications/email/notification.txt",
            {
                "name": name,
                "kind": notification.kind,
                "party": notification.party,
                "summary": str(SUBJECTS[notification.kind]) % facts,
                "facts": facts,
                "reason": context.get("reason", ""),
                "mission": context.get("mission", ""),
                "legal_basis": context.get("legal_basis", ""),
                "missing": missing,
                "url": site_url() if notification.party == "worker" else case_url(notification),
            },
        )
