"""Who hears what: one table of event kind × party, and the people behind each party of a case.

- company: the company's administrators and HR staff;
- chamber: the case's advisor, or the chamber's leads while no advisor is named;
- authority: the ABH's intake (its caseworkers; its leads while it has none);
- worker: the worker's e-mail address on the case (no account), in the worker's language;
- leads: the leads of the party that owes a step (escalation of a passed deadline).

The person who caused an event is never told of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse.accounts.models import Role, User
from lotse.cases.models import Case
from lotse.notifications.models import Kind, Party

C, CH, A, W = Party.COMPANY, Party.CHAMBER, Party.AUTHORITY, Party.WORKER

# The one table: for each kind the parties that hear of it. Reminders (deadline_reminder,
# step_overdue) and messages name their audience when they are emitted; the parties listed here
# are their default audience.
RULES: dict[str, frozenset[str]] = {
    Kind.CASE_CREATED: frozenset({CH}),
    Kind.DOCUMENTS_SUBMITTED: frozenset({CH}),
    Kind.DOCUMENT_UPLOADED: frozenset({CH}),
    Kind.DOCUMENT_REJECTED: frozenset({C, W}),
    Kind.DOCUMENTS_MISSING: frozenset({C, W}),
    Kind.FILE_FORWARDED: frozenset({A, C}),
    Kind.SUPPLEMENT_UPLOADED: frozenset({A}),
    Kind.FILE_RETURNED: frozenset({CH, C}),
    Kind.AUTHORITY_QUESTION: frozenset({CH}),
    Kind.PREAPPROVAL_ISSUED: frozenset({C, CH, W}),
    Kind.STEP_RECORDED: frozenset({C}),
    Kind.CASE_ENDED: frozenset({C, CH}),
    Kind.DEADLINE_REMINDER: frozenset(),
    Kind.STEP_OVERDUE: frozenset(),
    Kind.MESSAGE: frozenset(),
}

# Which workflow step (lotse.cases.workflow step name) is which kind; any other step that moves
# the case is STEP_RECORDED (the company waits for it or acts next).
STEP_KINDS: dict[str, str] = {
    "submit_for_check": Kind.DOCUMENTS_SUBMITTED,
    "return_gaps": Kind.DOCUMENTS_MISSING,
    "forward": Kind.FILE_FORWARDED,
    "return_to_chamber": Kind.FILE_RETURNED,
    "issue_preapproval": Kind.PREAPPROVAL_ISSUED,
    "withdraw": Kind.CASE_ENDED,
    "terminate_noncooperation": Kind.CASE_ENDED,
    "end_requirements_not_met": Kind.CASE_ENDED,
    "expire_preapproval": Kind.CASE_ENDED,
}

_LEAD_OF: dict[str, Role] = {
    Party.COMPANY: Role.COMPANY_ADMIN,
    Party.CHAMBER: Role.CHAMBER_LEAD,
    Party.AUTHORITY: Role.ABH_LEAD,
}


@dataclass(frozen=True)
class Recipient:
    party: str
    user: User | None = None
    email: str = ""
    language: str = "de"

    @property
    def address(self) -> str:
        return self.user.email if self.user is not None else self.email


def _active(**filters: object) -> list[User]:
    return list(User.objects.filter(is_active=True, **filters).order_by("pk"))


def users_of(party: str, case: Case) -> list[User]:
    """The accounts that stand for ``party`` in ``case`` (the worker has none)."""
    if party == Party.COMPANY:
        return _active(
            organisation_id=case.company_id, role__in=(Role.COMPANY_ADMIN, Role.COMPANY_HR)
        )
    if party == Party.CHAMBER:
        advisor = case.advisor
        if advisor is not None and advisor.is_active:
            return [advisor]
        return _active(organisation_id=case.chamber_id, role=Role.CHAMBER_LEAD)
    if party == Party.AUTHORITY:
        return _active(organisation_id=case.authority_id, role=Role.ABH_CASEWORKER) or _active(
            organisation_id=case.authority_id, role=Role.ABH_LEAD
        )
    return []


def leads_of(party: str, case: Case) -> list[User]:
    organisation: int | None = {
        str(Party.COMPANY): case.company_id,
        str(Party.CHAMBER): case.chamber_id,
        str(Party.AUTHORITY): case.authority_id,
    }.get(party)
    if organisation is None:
        return []
    return _active(organisation_id=organisation, role=_LEAD_OF[party])


def resolve(
    parties: frozenset[str] | set[str], case: Case, *, exclude: User | None = None
) -> list[Recipient]:
    """The recipients of the parties in ``case``, each address once, without ``exclude``."""
    found: list[Recipient] = []
    seen: set[str] = set()
    for party in (C, CH, A, W):
        if party not in parties:
            continue
        if party == W:
            if case.worker_email and case.worker_email.lower() not in seen:
                seen.add(case.worker_email.lower())
                found.append(
                    Recipient(party=W, email=case.worker_email, language=case.worker_language)
                )
            continue
        for user in users_of(party, case):
            if exclude is not None and user.pk == exclude.pk:
                continue
            if user.email.lower() in seen:
                continue
            seen.add(user.email.lower())
            found.append(Recipient(party=party, user=user, language=user.language or "de"))
    return found
