"""The names people read for the codes of the figures (phases, events, milestones, groups)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "started": _("Cases started"),
    "forwarded": _("Forwarded to the immigration office"),
    "accepted": _("Accepted by the immigration office"),
    "preapproved": _("Pre-approvals issued"),
    "visa_issued": _("Visas issued"),
    "ended_early": _("Withdrawn or refused"),
}
PHASE_LABELS: dict[str, Promise] = {
    "advice_to_forwarding": _("Advice to forwarding"),
    "forwarding_to_acceptance": _("Forwarding to acceptance"),
    "recognition": _("Recognition"),
    "ba": _("BA approval"),
    "acceptance_to_preapproval": _("Acceptance to pre-approval"),
    "preapproval_to_visa": _("Pre-approval to visa"),
    "whole": _("Whole procedure (start to visa)"),
}
WIP_LABELS: dict[str, Promise] = {
    "preparation": _("Preparing the file (chamber, company)"),
    "acceptance": _("Waiting for acceptance (immigration office)"),
    "preapproval": _("Accepted, until the pre-approval"),
    "visa": _("Pre-approval issued, until the visa"),
    "entry": _("Visa issued, until the entry"),
}
AGE_LABELS: tuple[Promise, ...] = (
    _("up to 30 days"),
    _("31 to 90 days"),
    _("91 to 180 days"),
    _("more than 180 days"),
)
MILESTONE_LABELS: dict[str, Promise] = {
    "preapproval": _("Pre-approval"),
    "visa_appointment": _("Visa appointment"),
    "visa": _("Visa"),
    "entry": _("Entry"),
}
# Where each milestone shows on the case's timeline (lotse.cases.timeline keys).
MILESTONE_TIMELINE: dict[str, str] = {
    "preapproval": "preapproval_issued",
    "visa_appointment": "visa_applied",
    "visa": "visa_issued",
    "entry": "entered",
}
GROUP_LABELS: dict[str, Promise] = {
    "bw-education": _("Education professions (Land law)"),
    "bw-health": _("Health professions"),
    "bw-medicine": _("Medicine"),
    "hwk-training": _("Craft training occupations"),
    "hwo-anlage-a": _("Crafts requiring a licence (HwO annex A)"),
    "hwo-anlage-b1": _("Crafts without a licence (HwO annex B1)"),
    "ihk-training": _("Industry and trade training occupations"),
}
