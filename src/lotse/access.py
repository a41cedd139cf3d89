"""Object-level access, decided here and nowhere else.

Views and API endpoints ask ``can(user, action, obj)`` or take their querysets from the
``*_visible_to`` selectors below; tests/test_access_matrix.py checks every role × action ×
own / foreign organisation's object. The rule of the cooperation: a company sees its own
data, a chamber sees the companies it serves (and their cases), an immigration office sees
only what was forwarded to it. Objects a user may not see answer 404, not 403, so that
their existence is not revealed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lotse.accounts.models import (
    ROLE_ORGANISATION_KIND,
    ApiToken,
    Invitation,
    Role,
    WebAuthnCredential,
)
from lotse.accounts.models import User as UserModel
from lotse.advice.library import Contact as LibraryContact
from lotse.advice.models import AdvisoryRecord
from lotse.calendars.models import CalendarFeed
from lotse.calendars.selectors import calendar_feed_for_token
from lotse.cases.models import AuthorityCompany, Case, CaseClock
from lotse.conversations.models import Message, MessageAttachment
from lotse.documents.models import Document, SealedFile, UploadLink
from lotse.notifications.models import Notification
from lotse.organisations.models import Organisation, OrganisationKind, Site

if TYPE_CHECKING:
    from lotse.accounts.models import User


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE_SITES = "manage_sites"
    REGISTER_COMPANY = "register_company"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    REVOKE = "revoke"
    # Cases (lotse.cases). Which workflow step a party may take is declared in
    # lotse.cases.workflow; the party itself (company, chamber, ABH) is decided here.
    CREATE_CASE = "create_case"  # on a company: start a case for it
    TRANSITION = "transition"  # take workflow steps on a case
    CHECK_DOCUMENTS = "check_documents"  # tick the checklist
    ADVISE = "advise"  # read and write the chamber's advisory notes
    # Correct the worker's passport data and the job: company and chamber until the file is
    # forwarded, then only the ABH it was forwarded to.
    EDIT_CASE_DETAILS = "edit_case_details"
    # Advice (lotse.advice). On a company: run a Quick-Check for it and save the advisory record.
    QUICK_CHECK = "quick_check"
    # Documents (lotse.documents). Reading a document is VIEW on it (or on its case).
    UPLOAD = "upload"  # on a case: upload documents for its checklist
    REVIEW = "review"  # on a case or document: accept/reject, record metadata and the MRZ
    SHARE = "share"  # on a case: send the worker an upload link (REVOKE on the link)
    SEAL = "seal"  # on a case: seal a supplement to the forwarded file
    # Conversations (lotse.conversations). Reading a message is VIEW on it; who reads which
    # audience is decided by message_audiences_readable() below.
    MESSAGE = "message"  # on a case: write a message (to an audience of message_audiences_writable)
    REQUEST_DOCUMENTS = "request_documents"  # on a case: a Nachforderung (chamber, ABH)
    # on a case: everything held about the worker as a ZIP (Art. 15, 20 DSGVO), docs/privacy.md
    EXPORT_PERSONAL_DATA = "export_personal_data"


# Chambers, immigration offices and external bodies are a public directory for every signed-in
# user; companies are not.
_DIRECTORY_KINDS = (
    OrganisationKind.CHAMBER,
    OrganisationKind.AUTHORITY,
    OrganisationKind.EXTERNAL_BODY,
)


class AccessDeniedError(PermissionDenied):
    """The user may see the object but not take this action on it (HTTP 403)."""


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_platform_admin:
        return Organisation.objects.all()
    visible = Q(kind__in=_DIRECTORY_KINDS) | Q(pk=user.organisation_id)
    # EXISTS per organisation (one index probe each), not a join over the cases that needs a
    # DISTINCT: the choices of a filter must not cost a scan of a million cases.
    if user.is_chamber_user:
        served = Organisation.served_by.through.objects.filter(
            from_organisation_id=OuterRef("pk"), to_organisation_id=user.organisation_id
        )
        visible |= Q(Exists(served), kind=OrganisationKind.COMPANY)
    if user.is_authority_user:
        # The candidates come from the small table of the ABH's companies (filled on
        # forwarding), each confirmed by one probe of the forwarded cases, so that a case
        # removed later (retention) takes its company off the list as before.
        known = AuthorityCompany.objects.filter(authority_id=user.organisation_id).values(
            "company_id"
        )
        forwarded = _forwarded_cases(user).filter(company_id=OuterRef("pk"))
        visible |= Q(pk__in=known, kind=OrganisationKind.COMPANY) & Q(Exists(forwarded))
    return Organisation.objects.filter(visible)


def open_clocks_visible_to(*, user: User) -> QuerySet[CaseClock]:
    """The open clocks on the user's deadline board: those of the cases the user may see
    (``cases_visible_to``), read from the parties stored on the open clock row."""
    clocks = CaseClock.objects.filter(stopped_on__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return clocks.none()
    if user.is_platform_admin:
        return clocks
    if user.is_company_user:
        return clocks.filter(board_company_id=user.organisation_id)
    if user.is_chamber_user:
        return clocks.filter(board_chamber_id=user.organisation_id)
    if user.is_authority_user:
        return clocks.filter(board_authority_id=user.organisation_id)
    return clocks.none()


def companies_visible_to(*, user: User) -> QuerySet[Organisation]:
    if (
        user.is_authenticated
        and user.is_active
        and user.is_authority_user
        and not user.is_platform_admin
    ):
        # The same set as below, without the OR over the directory kinds that keeps the
        # planner from starting at the ABH's few rows of the small table.
        known = AuthorityCompany.objects.filter(authority_id=user.organisation_id).values(
            "company_id"
        )
        forwarded = _forwarded_cases(user).filter(company_id=OuterRef("pk"))
        return Organisation.objects.filter(pk__in=known, kind=OrganisationKind.COMPANY).filter(
            Exists(forwarded)
        )
    return organisations_visible_to(user=user).filter(kind=OrganisationKind.COMPANY)


def _serves(user: User, company: Organisation) -> bool:
    if not user.is_chamber_user or not company.is_company or user.organisation_id is None:
        return False
    return company.served_by.filter(pk=user.organisation_id).exists()


def _can_see_organisation(user: User, org: Organisation) -> bool:
    if user.is_platform_admin or org.kind in _DIRECTORY_KINDS or org.pk == user.organisation_id:
        return True
    if user.is_authority_user and org.is_company:
        # An immigration office sees the companies whose cases were forwarded to it.
        return _forwarded_cases(user).filter(company_id=org.pk).exists()
    return _serves(user, org)


def _organisation(user: User, action: Action, org: Organisation) -> bool:
    own = org.pk == user.organisation_id
    if action is Action.VIEW:
        return _can_see_organisation(user, org)
    if action in (Action.EDIT, Action.MANAGE_SITES):
        if not org.is_company:
            return user.is_platform_admin
        # The chamber acts for the company under the sub-power of attorney (§ 81a Abs. 1 Satz 2).
        return (
            user.is_platform_admin or (own and user.role == "company_admin") or _serves(user, org)
        )
    if action is Action.MANAGE_STAFF:
        return user.is_platform_admin or (own and bool(user.manageable_roles))
    if action is Action.VIEW_AUDIT:
        return user.is_platform_admin or own
    if action is Action.CREATE_CASE:
        # A company starts its own cases; its chamber may start one on its behalf.
        return org.is_company and ((own and user.is_company_user) or _serves(user, org))
    if action is Action.QUICK_CHECK:
        # The company checks for itself; a chamber advises the companies it serves.
        return org.is_company and ((own and user.is_company_user) or _serves(user, org))
    return False


def _forwarded_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(authority_id=user.organisation_id, forwarded_at__isnull=False)


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A company sees its cases, a chamber the cases it serves, an ABH those forwarded to it."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_platform_admin:
        return Case.objects.all()
    if user.is_company_user:
        return Case.objects.filter(company_id=user.organisation_id)
    if user.is_chamber_user:
        return Case.objects.filter(chamber_id=user.organisation_id)
    if user.is_authority_user:
        return _forwarded_cases(user)
    return Case.objects.none()


def advisory_records_visible_to(*, user: User) -> QuerySet[AdvisoryRecord]:
    """A record belongs to the company it was made for and to the chamber that made it.

    An ABH sees a record only once a case started from it was forwarded to that ABH.
    """
    if not user.is_authenticated or not user.is_active:
        return AdvisoryRecord.objects.none()
    if user.is_platform_admin:
        return AdvisoryRecord.objects.all()
    if user.is_company_user:
        return AdvisoryRecord.objects.filter(company_id=user.organisation_id)
    if user.is_chamber_user:
        return AdvisoryRecord.objects.filter(chamber_id=user.organisation_id)
    if user.is_authority_user:
        return AdvisoryRecord.objects.filter(case__in=_forwarded_cases(user))
    return AdvisoryRecord.objects.none()


def case_party(user: User, case: Case) -> str | None:
    """The user's part in the case: "company", "chamber", "abh" or None (no part, or not visible).

    lotse.cases.workflow declares per step which parties may take it.
    """
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return None
    if user.is_company_user and case.company_id == user.organisation_id:
        return "company"
    if user.is_chamber_user and case.chamber_id == user.organisation_id:
        return "chamber"
    if (
        user.is_authority_user
        and case.authority_id == user.organisation_id
        and case.forwarded_at is not None
    ):
        return "abh"
    return None


def _case(user: User, action: Action, case: Case) -> bool:
    party = case_party(user, case)
    if action is Action.VIEW:
        return user.is_platform_admin or party is not None
    if action is Action.TRANSITION:
        return party is not None
    if action in (Action.CHECK_DOCUMENTS, Action.ADVISE, Action.REVIEW, Action.SEAL):
        return party == "chamber"
    if action is Action.EDIT_CASE_DETAILS:
        # Once forwarded, the file is the authority's: only its caseworkers correct it.
        if case.forwarded_at is None:
            return party in ("company", "chamber")
        return party == "abh"
    if action in (Action.UPLOAD, Action.SHARE):
        # The company collects documents too; the ABH receives the sealed file, it uploads nothing.
        return party in ("company", "chamber")
    if action is Action.MESSAGE:
        return party is not None
    if action is Action.REQUEST_DOCUMENTS:
        # The chamber after its completeness check; the ABH for itself, the recognition body
        # or the BA. The company answers; it requests nothing.
        return party in ("chamber", "abh")
    if action is Action.EXPORT_PERSONAL_DATA:
        # The public bodies answer the worker's request (the ABH once it has the file, the
        # chamber that serves the case); the employer reads the case but is not the controller.
        return party in ("chamber", "abh")
    return False


# --- Conversations --------------------------------------------------------------------------------
# Audience codes as in lotse.conversations.models.Audience (strings here: access.py imports no
# app's models at module level).
_READS: dict[str, tuple[str, ...]] = {
    "company": ("all", "company_chamber", "worker"),
    "chamber": ("all", "company_chamber", "chamber_abh", "worker"),
    "abh": ("all", "chamber_abh"),
}
# A party writes to the audiences it reads.
_WRITES = _READS
# Audiences that include the ABH exist only once the file is forwarded to it.
_WITH_ABH = ("all", "chamber_abh")


def message_audiences_readable(user: User, case: Case) -> tuple[str, ...]:
    """The audiences whose messages on ``case`` the user reads (the platform admin: all)."""
    if user.is_authenticated and user.is_active and user.is_platform_admin:
        return _READS["chamber"]
    return _READS.get(case_party(user, case) or "", ())


def message_audiences_writable(user: User, case: Case) -> tuple[str, ...]:
    """The audiences the user may address on ``case``; the ABH's only once forwarded."""
    audiences = _WRITES.get(case_party(user, case) or "", ())
    if case.forwarded_at is None:
        audiences = tuple(a for a in audiences if a not in _WITH_ABH)
    return audiences


def messages_visible_to(*, user: User) -> QuerySet[Message]:
    """Every message the user may read: a party reads its audiences on the cases it sees."""
    if not user.is_authenticated or not user.is_active:
        return Message.objects.none()
    if user.is_platform_admin:
        return Message.objects.all()
    if user.is_company_user:
        return Message.objects.filter(
            case__company_id=user.organisation_id, audience__in=_READS["company"]
        )
    if user.is_chamber_user:
        return Message.objects.filter(
            case__chamber_id=user.organisation_id, audience__in=_READS["chamber"]
        )
    if user.is_authority_user:
        return Message.objects.filter(case__in=_forwarded_cases(user), audience__in=_READS["abh"])
    return Message.objects.none()


def _message(user: User, action: Action, message: Message) -> bool:
    if action is Action.VIEW:
        return message.audience in message_audiences_readable(user, message.case)
    return False


def calendar_feed_for(*, token: str) -> CalendarFeed | None:
    """The active calendar feed for ``token``, or None (unknown or revoked).

    Like the worker's upload link, the feed URL is a capability of its own: calendar programs
    cannot sign in. The feed shows what its owner sees, no more, for as long as the owner is
    active and the feed is not revoked.
    """
    return calendar_feed_for_token(token)


def upload_link_for(*, token: str) -> UploadLink | None:
    """The worker's upload link for ``token``, or None (unknown, expired or revoked).

    The link is a capability of its own: whoever holds it may see the worker's view of this one
    case and upload documents for it, without an account, until it expires or is revoked.
    """
    return document_selectors.upload_link_for_token(token)


def _advisory_record(user: User, action: Action, record: AdvisoryRecord) -> bool:
    if action is Action.VIEW:
        if user.is_platform_admin:
            return True
        if user.is_company_user:
            return record.company_id == user.organisation_id
        if user.is_chamber_user:
            return record.chamber_id is not None and record.chamber_id == user.organisation_id
        if user.is_authority_user and record.case_id is not None:
            return _forwarded_cases(user).filter(pk=record.case_id).exists()
        return False
    if action is Action.CREATE_CASE:
        # Start a case from the record: a party to the record that may start cases for the company.
        return _advisory_record(user, Action.VIEW, record) and _organisation(
            user, Action.CREATE_CASE, record.company
        )
    return False


# The information library's contacts name offices of the directory as "kind:code"; the
# Handwerkskammer is a chamber and, under the same code, a recognition body.
CONTACT_KINDS: dict[str, tuple[str, ...]] = {
    "chamber": (OrganisationKind.CHAMBER,),
    "authority": (OrganisationKind.AUTHORITY,),
    "external_body": (OrganisationKind.EXTERNAL_BODY, OrganisationKind.CHAMBER),
}
_LEADS = (Role.CHAMBER_LEAD, Role.ABH_LEAD)


def _library_contact(user: User, action: Action, contact: LibraryContact) -> bool:
    """Every signed-in user reads the library. Its phone and e-mail data are kept by the platform
    administrator and, for its own entry, by the leads of the office itself: who else could
    vouch for an office's line."""
    if action is Action.VIEW:
        return True
    if action is not Action.EDIT:
        return False
    if user.is_platform_admin:
        return True
    kind, _sep, code = contact.directory_ref.partition(":")
    org = user.organisation
    if user.role not in _LEADS or not code or org is None:
        return False
    return org.code == code and org.kind in CONTACT_KINDS.get(kind, ())


def can(user: User, action: Action, obj: object) -> bool:
    """Whether ``user`` may take ``action`` on ``obj``. Unknown combinations are refused."""
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(obj, LibraryContact):
        return _library_contact(user, action, obj)
    if isinstance(obj, Organisation):
        return _organisation(user, action, obj)
    if isinstance(obj, Case):
        return _case(user, action, obj)
    if isinstance(obj, AdvisoryRecord):
        return _advisory_record(user, action, obj)
    if isinstance(obj, Document):
        if action in (Action.VIEW, Action.REVIEW):
            return _case(user, action, obj.case)
        return False
    if isinstance(obj, UploadLink):
        if action in (Action.VIEW, Action.REVOKE):
            return _case(user, Action.SHARE, obj.case)
        return False
    if isinstance(obj, SealedFile):
        return action is Action.VIEW and _case(user, Action.VIEW, obj.case)
    if isinstance(obj, Message):
        return _message(user, action, obj)
    if isinstance(obj, MessageAttachment):
        return action is Action.VIEW and _message(user, action, obj.message)
    if isinstance(obj, CalendarFeed):
        return action in (Action.VIEW, Action.REVOKE) and obj.user_id == user.pk
    if isinstance(obj, Site):
        if action is Action.VIEW:
            return _can_see_organisation(user, obj.company) and (
                obj.company.pk == user.organisation_id
                or user.is_platform_admin
                or _serves(user, obj.company)
            )
        return _organisation(user, Action.MANAGE_SITES, obj.company)
    if isinstance(obj, UserModel):
        if action is Action.VIEW:
            return user.is_platform_admin or obj.organisation_id == user.organisation_id
        if action is Action.EDIT:
            # Deactivating a colleague; nobody deactivates themselves (the last lead would lock the door).
            return (
                obj.pk != user.pk
                and obj.organisation is not None
                and _organisation(user, Action.MANAGE_STAFF, obj.organisation)
                and (user.is_platform_admin or obj.role in user.manageable_roles)
            )
        return False
    if isinstance(obj, Invitation):
        if action in (Action.VIEW, Action.REVOKE):
            return _organisation(user, Action.MANAGE_STAFF, obj.organisation)
        return False
    if isinstance(obj, ApiToken):
        return action in (Action.VIEW, Action.REVOKE) and obj.user_id == user.pk
    if isinstance(obj, WebAuthnCredential):
        # A security key is its holder's alone; an administrator resets all factors instead.
        return action in (Action.VIEW, Action.REVOKE) and obj.user_id == user.pk
    if isinstance(obj, Notification):
        # Only its recipient reads it or marks it read.
        return action in (Action.VIEW, Action.EDIT) and obj.recipient_id == user.pk
    return False


def notifications_visible_to(*, user: User) -> QuerySet[Notification]:
    """A user's own notifications, nobody else's (platform administrators included)."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def statistics_scope_for(*, user: User) -> dict[str, object] | None:
    """Whose figures a user may read on the statistics page and API (None: none, answer 403).

    A chamber lead reads its chamber's cases, an immigration office lead the cases forwarded to
    its office (what it sees anyway), the platform administrator all; nobody else any.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_platform_admin:
        return {}
    if user.role == "chamber_lead" and user.organisation_id is not None:
        return {"chamber_id": user.organisation_id}
    if user.role == "abh_lead" and user.organisation_id is not None:
        return {"authority_id": user.organisation_id, "forwarded": True}
    return None


def can_register_companies(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_chamber_user or user.is_platform_admin)
    )


def require(user: User, action: Action, obj: object) -> None:
    """Raise 404 when the object is not visible at all, AccessDeniedError when the action is not allowed."""
    if can(user, action, obj):
        return
    if action is not Action.VIEW and can(user, Action.VIEW, obj):
        raise AccessDeniedError(f"{action} not allowed")
    raise Http404


def invitable_roles(*, user: User, organisation: Organisation) -> tuple[str, ...]:
    if _serves(user, organisation):
        # A chamber registers the companies it serves and invites their first administrator.
        return ("company_admin",)
    if not _organisation(user, Action.MANAGE_STAFF, organisation):
        return ()
    if user.is_platform_admin:
        return tuple(
            role for role, kind in ROLE_ORGANISATION_KIND.items() if kind == organisation.kind
        )
    return user.manageable_roles


__all__ = [
    "AccessDeniedError",
    "Action",
    "advisory_records_visible_to",
    "calendar_feed_for",
    "can",
    "can_register_companies",
    "case_party",
    "cases_visible_to",
    "companies_visible_to",
    "invitable_roles",
    "message_audiences_readable",
    "message_audiences_writable",
    "messages_visible_to",
    "organisations_visible_to",
    "require",
    "statistics_scope_for",
    "upload_link_for",
]

# Imported last, and as a module: lotse.documents.selectors imports this module's
# cases_visible_to (defined by now), and it may itself be the module that is still loading when
# this line runs; its functions are looked up only when called.
from lotse.documents import selectors as document_selectors  # noqa: E402
