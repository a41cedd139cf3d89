"""What each page of the information library shows, built from the rule data and the library.

Deadlines come from lotse.clocks and lotse.rules.procedure, fees from lotse.rules.fees,
thresholds from lotse.rules.thresholds: the pages never restate those numbers themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.advice.library import DISTRICT, Contact, Lang, euro, fee_amount, library, period
from lotse.advice.presenters import TITLE_ORDER, actor_label, payer_label
from lotse.clocks import clocks
from lotse.rules import directory, fees, procedure, thresholds
from lotse.rules._data import load as load_rules_data
from lotse.rules.occupations import occupations
from lotse.rules.quickcheck import title_label
from lotse.rules.thresholds import ThresholdKind

THRESHOLD_COLUMNS: tuple[ThresholdKind, ...] = (
    "blue_card_general",
    "blue_card_reduced",
    "experience_19c2",
    "age45",
)


def _threshold_labels() -> dict[str, tuple[str, str]]:
    """Short column heading and the rule it stands for, per threshold."""
    return {
        "blue_card_general": (
            _("Blue Card"),
            _("EU Blue Card, general threshold (§ 18g Abs. 1 Satz 1 AufenthG)"),
        ),
        "blue_card_reduced": (
            _("Blue Card, reduced"),
            _(
                "EU Blue Card for shortage occupations, career starters and IT specialists "
                "without a degree (§ 18g Abs. 1 Satz 2, Abs. 2 AufenthG)"
            ),
        ),
        "experience_19c2": (
            _("Professional experience"),
            _("Employment based on professional experience (§ 19c Abs. 2 AufenthG, § 6 BeschV)"),
        ),
        "age45": (
            _("From age 45"),
            _("First permit under §§ 18a, 18b from the age of 45 (§ 18 Abs. 2 Nr. 5 AufenthG)"),
        ),
    }


def legal_options(language: Lang) -> dict[str, Any]:
    raw_titles = load_rules_data("titles")["title"]
    info = library().titles
    items = []
    for code in TITLE_ORDER:
        raw = raw_titles[code]
        items.append(
            {
                "code": code,
                "label": title_label(code, language),
                "summary": info[code].summary(language),
                "points": info[code].points(language),
                "legal_basis": raw["legal_basis"],
                "ba_required": raw["ba_approval"] == "required",
                "language": raw["language"] or "",
                "in_force_from": raw["in_force_from"],
                "source": info[code].source,
                "sources": library().sources(info[code].source),
                "checked": info[code].checked,
            }
        )
    labels = _threshold_labels()
    columns = [(kind, *labels[kind]) for kind in THRESHOLD_COLUMNS]
    rows = []
    for item in thresholds.periods():
        cells = []
        for kind in THRESHOLD_COLUMNS:
            value = item.get(kind)
            cells.append(euro(value.amount, language) if value is not None else "–")
        rows.append(
            {
                "period": f"{date_format(item.valid_from)} – {date_format(item.valid_until)}",
                "cells": cells,
            }
        )
    return {"title_items": items, "threshold_columns": columns, "threshold_rows": rows}


def _clock_rows(codes: tuple[str, ...] | None, language: Lang) -> list[dict[str, Any]]:
    rows = []
    for item in clocks():
        if codes is not None and item.code not in codes:
            continue
        rows.append(
            {
                "label": item.label(language),
                "period": period(item.amount, item.unit, language, nominative=True),
                "kind": {
                    "deadline": _("deadline"),
                    "validity": _("validity"),
                    "fiction": _("deemed approval"),
                }[item.kind],
                "binding": item.binding,
                "runs_against": actor_label(item.runs_against),
                "legal_basis": item.legal_basis,
                "source": item.source,
            }
        )
    return rows


def _fee_rows(items: tuple[fees.Fee, ...], language: Lang) -> list[dict[str, Any]]:
    return [
        {
            "label": item.label_de if language == "de" else item.label_en,
            "amount": fee_amount(item, language),
            "payer": payer_label(item.payer),
            "due": item.due_de if language == "de" else item.due_en,
            "legal_basis": item.legal_basis,
        }
        for item in items
    ]


def recognition(language: Lang) -> dict[str, Any]:
    counts = Counter(o.body for o in occupations())
    examples: dict[str, list[str]] = {}
    for item in occupations():
        examples.setdefault(item.body, [])
        if len(examples[item.body]) < 6:
            examples[item.body].append(item.name)
    bodies = [
        {
            "code": body.code,
            "name": body.name,
            "role": body.role_de if language == "de" else body.role_en,
            "address": body.address,
            "url": body.url,
            "legal_basis": body.legal_basis,
            "count": counts.get(body.code, 0),
            "examples": examples.get(body.code, []),
        }
        for body in directory.external_bodies()
        if body.kind in ("recognition", "comparability")
    ]
    recognition_fees = tuple(item for item in fees.fees() if item.body)
    return {
        "bodies": bodies,
        "outcomes": [
            {
                "code": o.code,
                "label": o.label(language),
                "text": o.text(language),
                "legal_basis": o.legal_basis,
                "source": o.source,
                "sources": library().sources(o.source),
                "checked": o.checked,
            }
            for o in library().outcomes
        ],
        "anabin": [
            {
                "code": a.code,
                "text": a.text(language),
                "source": a.source,
                "sources": library().sources(a.source),
                "checked": a.checked,
            }
            for a in library().anabin
        ],
        "clock_rows": _clock_rows(
            ("recognition_receipt", "recognition_decision", "comparability_statement"), language
        ),
        "fee_rows": _fee_rows(recognition_fees, language),
    }


def procedure_page(language: Lang) -> dict[str, Any]:
    applies = {
        "always": _("always"),
        "recognition": _("when recognition is needed"),
        "comparability": _("when a ZAB statement or DAB is needed"),
        "ba_approval": _("when the BA must approve"),
        "entry": _("after entry"),
    }
    steps = [
        {
            "label": step.label_de if language == "de" else step.label_en,
            "actor": actor_label(step.actor),
            "deadline": step.deadline_de if language == "de" else step.deadline_en,
            "applies": applies.get(step.applies, step.applies),
            "legal_basis": step.legal_basis,
        }
        for step in procedure.steps()
    ]
    cooperation = [
        {
            "name": authority.name,
            "since": authority.cooperation_since,
            "kind": authority.kind,
            "municipalities": authority.municipalities,
        }
        for authority in directory.authorities()
    ]
    return {
        "steps": steps,
        "clock_rows": _clock_rows(None, language),
        "fee_rows": _fee_rows(fees.fees(), language),
        "authorities": cooperation,
    }


def _area_label(code: str) -> str:
    if code == DISTRICT:
        return _("For companies in the district of Ludwigsburg")
    authority = directory.authority(code)
    return _("For the area of %(office)s (%(places)s)") % {
        "office": authority.name,
        "places": ", ".join(authority.municipalities),
    }


def onboarding(language: Lang, authorities: Collection[str] | None = None) -> dict[str, Any]:
    """The topics; a local note only for the companies of its area (``authorities`` of the
    viewer's places of business; None for a viewer who is not a company, who sees every note
    with the area it concerns)."""
    items = []
    for t in library().topics:
        local = [
            {
                "area": _area_label(note.authority),
                "paragraphs": note.paragraphs(language),
                "sources": library().sources(note.source),
                "checked": note.checked,
            }
            for note in t.local
            if note.serves(authorities)
        ]
        items.append(
            {
                "code": t.code,
                "heading": t.heading(language),
                "paragraphs": t.paragraphs(language),
                "legal_basis": t.legal_basis,
                "source": t.source,
                "sources": library().sources(t.source),
                "checked": t.checked,
                "local": local,
            }
        )
    return {"topic_items": items}


def contacts(
    language: Lang,
    authorities: Collection[str] | None = None,
    entries_shown: Iterable[Contact] | None = None,
) -> dict[str, Any]:
    """The contacts; an immigration office or a local alliance only for the companies it serves.

    ``entries_shown`` are the contacts with the data kept in Lotse (advice.selectors); the shipped
    library when not given."""
    shown = tuple(entries_shown) if entries_shown is not None else library().contacts
    groups = {
        "integration": _("Arrival and integration"),
        "recognition_advice": _("Advice on recognition"),
        "recognition_body": _("Recognition bodies"),
        "authority": _("Immigration offices and federal agency"),
        "chamber": _("Chambers in the cooperation"),
    }
    grouped: list[dict[str, Any]] = []
    for code, label in groups.items():
        entries = []
        for item in shown:
            if item.group != code or not item.shown_to(authorities):
                continue
            since = None
            if item.authority_code:
                since = directory.authority(item.authority_code).cooperation_since
            entries.append(
                {
                    "code": item.code,
                    "name": item.name,
                    "role": item.role(language),
                    "address": item.address,
                    "url": item.url,
                    "email": item.email,
                    "phone": item.phone,
                    "phone_link": "".join(ch for ch in item.phone if ch.isdigit() or ch == "+"),
                    "phone_label": item.phone_label(language),
                    "contact_form": item.contact_form,
                    "source": item.source,
                    "sources": library().sources(item.source),
                    "checked": item.checked,
                    "is_authority": bool(item.authority_code),
                    "cooperation_since": since,
                }
            )
        grouped.append({"code": code, "label": label, "entries": entries})
    return {"groups": grouped}
