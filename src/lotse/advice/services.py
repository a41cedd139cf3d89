"""Writes of the advice area: saving a Quick-Check as an advisory record, linking it to a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import Action, can
from lotse.advice.models import AdvisoryRecord
from lotse.audit.services import audit_record
from lotse.rules import ProfileError, evaluate, parse_profile

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.organisations.models import Organisation


def _snapshot(record: AdvisoryRecord) -> dict[str, Any]:
    return {
        "company": record.company_id,
        "chamber": record.chamber_id,
        "advised_on": record.advised_on.isoformat(),
        "ruleset": record.ruleset,
        "recommended_title": record.recommended_title,
        "reference": record.reference,
        "case": record.case_id,
    }


@transaction.atomic
def advisory_record_create(
    *,
    actor: User,
    company: Organisation,
    profile: Mapping[str, Any],
    notes: str = "",
    reference: str = "",
    advised_on: dt.date | None = None,
) -> AdvisoryRecord:
    """Evaluate ``profile`` and keep input, result and ruleset version as the advisory record.

    The result is computed here, never taken from the caller, so a record always shows what the
    rules answered for exactly this input. A chamber user advises a company it serves (the record
    is the chamber's); a company user checks for its own company (no chamber).
    """
    if not can(actor, Action.QUICK_CHECK, company):
        raise PermissionDenied
    try:
        parsed = parse_profile(dict(profile))
    except ProfileError as error:
        raise ValidationError(
            {problem.path or "profile": [problem.reason] for problem in error.problems}
        ) from None
    result = evaluate(parsed)
    chamber = actor.organisation if actor.is_chamber_user else None
    record = AdvisoryRecord.objects.create(
        company=company,
        chamber=chamber,
        author=actor,
        advised_on=advised_on or timezone.localdate(),
        reference=reference.strip(),
        ruleset=result.ruleset,
        input=parsed.model_dump(mode="json"),
        result=result.to_dict(include_followups=True),
        recommended_title=result.recommended.title if result.recommended else "",
        notes=notes.strip(),
    )
    audit_record(
        actor=actor,
        action="advisory_record.created",
        obj=record,
        concerns=[company, *([chamber] if chamber is not None else [])],
        after=_snapshot(record),
    )
    return record


@transaction.atomic
def advisory_record_attach_case(*, record: AdvisoryRecord, case: Case, actor: User) -> None:
    """Note that ``case`` was started from ``record`` (for the cases area, when it creates one).

    The case must be for the record's company; once the case is forwarded, its ABH sees the
    record too (lotse.access.advisory_records_visible_to).
    """
    if not can(actor, Action.CREATE_CASE, record):
        raise PermissionDenied
    if case.company_id != record.company_id:
        raise ValidationError(_("The case is for another company than the advisory record."))
    before = _snapshot(record)
    record.case = case
    record.save(update_fields=["case"])
    audit_record(
        actor=actor,
        action="advisory_record.case_attached",
        obj=record,
        concerns=[record.company, *([record.chamber] if record.chamber is not None else [])],
        before=before,
        after=_snapshot(record),
    )
