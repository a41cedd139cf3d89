"""The closed list of audit actions, each with its label in the reader's language.

Every ``audit_record(action=...)`` names one of these codes (a test collects every call in
``src`` and checks it); :func:`lotse.audit.services.audit_record` refuses any other code outside
production. The activity log shows the label, never the code. Like zulip's ``AuditLogEventType``
and open-forms' logging events, the list is the one place that says what can be recorded.

Labels are past tense: an entry says what happened ("Case created"), not what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnknownAuditActionError(ValueError):
    """An audit event was recorded with a code that is not in :data:`ACTIONS`."""


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: Promise


# Codes of the procedure steps: ``case.<step name>`` (lotse.cases.workflow.STEPS).
_CASE_STEPS: dict[str, Promise] = {
    "start_collecting": _("Advice finished, collecting documents started"),
    "submit_for_check": _("Documents handed in for the completeness check"),
    "return_gaps": _("File returned to collecting with the list of gaps"),
    "record_powers_signed": _("Signed powers of attorney recorded"),
    "forward": _("File forwarded to the immigration office"),
    "accept_intake": _("File accepted by the immigration office"),
    "return_to_chamber": _("File returned to the chamber"),
    "resume_collecting": _("Returned file taken back into collecting"),
    "conclude_agreement": _("Agreement and fee payment recorded"),
    "recognition_initiate": _("Recognition initiated at the body"),
    "recognition_confirm_receipt": _("Recognition: receipt confirmed"),
    "recognition_request_documents": _("Recognition: the body requested documents"),
    "recognition_file_complete": _("Recognition: file complete"),
    "recognition_decide_full": _("Recognition decided: fully equivalent"),
    "recognition_decide_partial": _("Recognition decided: partially equivalent"),
    "recognition_decide_rejected": _("Recognition decided: not equivalent"),
    "record_employer_invited": _("Invitation of the employer recorded"),
    "switch_to_16d": _("Continued towards § 16d after partial equivalence"),
    "ba_request": _("BA approval requested"),
    "ba_request_information": _("The BA asked for information"),
    "ba_information_delivered": _("Information for the BA delivered"),
    "ba_approve": _("BA approval given"),
    "ba_confirm_deemed": _("Deemed BA approval confirmed"),
    "ba_refuse": _("BA approval refused"),
    "issue_preapproval": _("Pre-approval issued"),
    "request_visa_appointment": _("Visa appointment requested"),
    "apply_visa": _("Visa applied for at the appointment"),
    "issue_visa": _("Visa issued"),
    "refuse_visa": _("Visa refused"),
    "record_entry": _("Entry into Germany recorded"),
    "record_registration": _("Registration of residence recorded"),
    "apply_residence_permit": _("Application for the residence permit recorded"),
    "issue_residence_permit": _("Issued residence permit recorded"),
    "start_onboarding": _("Onboarding started"),
    "close": _("Case closed"),
    "report_early_end": _("Early end of the employment reported"),
    "record_early_end_reported": _("Report to the immigration office recorded"),
    "record_worker_early_end_reported": _("Worker's own report to the immigration office recorded"),
    "withdraw": _("Case withdrawn"),
    "terminate_noncooperation": _("Procedure terminated for lack of cooperation"),
    "end_requirements_not_met": _("Procedure ended: requirements not met"),
    "expire_preapproval": _("Expiry of the pre-approval recorded"),
    "extend_clock": _("Deadline extended"),
}

_OTHER: dict[str, Promise] = {
    # cases
    "case.created": _("Case created"),
    "case.details_corrected": _("Case data corrected"),
    "case.checklist_check": _("Checklist item ticked"),
    "case.checklist_uncheck": _("Checklist tick removed"),
    "case.checklist_paper": _("Paper original recorded as seen"),
    "case.checklist_unpaper": _("Paper original record removed"),
    "case.note_added": _("Advisory note added"),
    "case.advisor_assigned": _("Advisor assigned"),
    "case.worker_language_chosen": _("Language chosen by the worker on the upload page"),
    # letters
    "letter.generated": _("Letter generated"),
    # advice
    "advisory_record.created": _("Advisory record created"),
    "advisory_record.case_attached": _("Advisory record attached to a case"),
    "contact_details.saved": _("Contact data of the information library saved"),
    # organisations
    "organisation.company_created": _("Company registered"),
    "organisation.company_updated": _("Company data changed"),
    "organisation.site_created": _("Site added"),
    "organisation.directory_created": _("Directory entry created"),
    "organisation.directory_updated": _("Directory entry updated"),
    # accounts
    "account.user_created": _("User account created"),
    "account.invitation_created": _("Invitation sent"),
    "account.invitation_accepted": _("Invitation accepted"),
    "account.invitation_revoked": _("Invitation revoked"),
    "account.user_activated": _("User account activated"),
    "account.user_deactivated": _("User account deactivated"),
    "account.api_token_created": _("API token created"),
    "account.api_token_revoked": _("API token revoked"),
    # identity (lotse.accounts.identity)
    "account.login": _("Signed in"),
    "account.login_failed": _("Sign-in failed"),
    "account.access_denied": _("Access denied"),
    "account.password_reset_requested": _("Password reset requested"),
    "account.password_reset_completed": _("Password reset completed"),
    "account.second_factor_enrolled": _("Second factor set up"),
    "account.second_factor_removed": _("Second factor removed"),
    "account.second_factor_failed": _("Wrong second-factor code entered"),
    "account.recovery_code_used": _("Recovery code used to sign in"),
    "account.recovery_codes_renewed": _("New recovery codes created"),
    "account.second_factor_policy_changed": _("Second-factor rule of the organisation changed"),
    # security keys and passkeys (lotse.accounts.security_keys, ADR 0026)
    "account.security_key_added": _("Security key added"),
    "account.security_key_removed": _("Security key removed"),
    "account.security_key_used": _("Signed in with a security key"),
    "account.security_key_failed": _("Security key not accepted"),
    "account.security_key_counter_regressed": _(
        "Security key refused: its counter went back (the key may have been copied)"
    ),
    # documents
    "document.upload_refused": _("Upload refused"),
    "document.uploaded": _("Document uploaded"),
    "document.accepted": _("Document accepted"),
    "document.rejected": _("Document rejected"),
    "document.metadata_changed": _("Document details changed"),
    "document.downloaded": _("Document downloaded"),
    "document.previewed": _("Document preview viewed"),
    "upload_link.created": _("Upload link for the worker created"),
    "upload_link.revoked": _("Upload link revoked"),
    "upload_link.sent": _("Upload link sent to the worker"),
    "case_file.sealed": _("Case file sealed"),
    "case_file.downloaded": _("Sealed case file downloaded"),
    # conversations
    "message.posted": _("Message posted"),
    "message.attachment_refused": _("Message attachment refused"),
    "message.attachment_downloaded": _("Message attachment downloaded"),
    "document_request.created": _("Documents requested"),
    "document_request.answered": _("Request for documents answered"),
    "document_request.lapsed": _("Request for documents lapsed"),
    # notifications
    "notification.read": _("Notification marked as read"),
    "notification.all_read": _("All notifications marked as read"),
    "notification.preferences_changed": _("Notification settings changed"),
    "reminder.sent": _("Deadline reminder sent"),
    # calendars
    "calendar_feed.created": _("Calendar feed created"),
    "calendar_feed.revoked": _("Calendar feed revoked"),
    # privacy (retention, access and export)
    "privacy.case_personal_data_deleted": _("Documents and personal data deleted (retention)"),
    "privacy.worker_data_exported": _("Data held about the worker exported"),
}

ACTIONS: dict[str, AuditAction] = {
    code: AuditAction(code, label)
    for code, label in (
        *((f"case.{step}", label) for step, label in _CASE_STEPS.items()),
        *_OTHER.items(),
    )
}

# How the object of an event is named, by ``AuditEvent.object_type``; ``%(name)s`` is its
# description (:func:`lotse.audit.presenters.object_description`).
OBJECT_TEMPLATES: dict[str, Promise] = {
    "cases.case": _("Case %(name)s"),
    "cases.checklistitem": _("Checklist item %(name)s"),
    "documents.document": _("Document %(name)s"),
    "documents.sealedfile": _("Sealed file %(name)s"),
    "documents.uploadlink": _("Upload link %(name)s"),
    "advice.advisoryrecord": _("Advisory record %(name)s"),
    "advice.contactdetails": _("Contact data %(name)s"),
    "organisations.organisation": _("Organisation %(name)s"),
    "organisations.site": _("Site %(name)s"),
    "accounts.user": _("User %(name)s"),
    "accounts.invitation": _("Invitation %(name)s"),
    "accounts.apitoken": _("API token %(name)s"),
    "conversations.message": _("Message %(name)s"),
    "conversations.messageattachment": _("Attachment %(name)s"),
    "conversations.documentrequest": _("Request for documents %(name)s"),
    "calendars.calendarfeed": _("Calendar feed %(name)s"),
}


def is_known(code: str) -> bool:
    return code in ACTIONS


def require_known(code: str) -> AuditAction:
    try:
        return ACTIONS[code]
    except KeyError:
        raise UnknownAuditActionError(
            f"audit action {code!r} is not registered in lotse.audit.actions.ACTIONS"
        ) from None


def action_label(code: str) -> str:
    """The label of ``code`` in the active language; never the raw code."""
    action = ACTIONS.get(code)
    return str(action.label) if action is not None else str(_("Other change"))
