"""What the worker sees through the upload link: their own documents and the step the case is in.

Nothing else of the case reaches this page: no advisory notes, no company documents, no salary,
not even the worker's own name (a forwarded link must not reveal whose case it is). It names the
two people the worker may contact (the employer's contact and the chamber advisor), offers the
power of attorney to sign, and after the pre-approval the mission, reference and validity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role, User
from lotse.audit.services import audit_record
from lotse.documents.models import UploadLink
from lotse.documents.selectors import ItemStatus, item_statuses
from lotse.documents.services import case_concerns, upload_link_create
from lotse.documents.worker_texts import WORKER_LANGUAGE_CODES, document_title, worker_language
from lotse.notifications.models import MailPurpose
from lotse.notifications.services import mail_queue

if TYPE_CHECKING:
    from lotse.cases.models import Case, PreApproval

# The documents the worker provides, and why, in plain words.
WORKER_DOCUMENTS: dict[str, Promise] = {
    "passport": _(
        "A colour scan or photo of the page of your passport with your photo. The immigration "
        "office checks your identity with it. Your passport must be valid for at least 15 months "
        "after your planned arrival."
    ),
    "power_of_attorney": _(
        "The power of attorney, signed by hand. It allows your employer to apply for you in "
        "Germany. Print it, sign it and upload a scan."
    ),
    "cv": _(
        "Your CV as a table, in German: your training and all jobs from the end of your "
        "training until today, without gaps."
    ),
    "qualification_certificate": _(
        "Your diploma or final certificate. The recognition body compares it with the German "
        "qualification. If it is not in German, also upload the sworn German translation."
    ),
    "transcript": _(
        "The list of your subjects and grades (with hours, if you have them), with a sworn German "
        "translation if it is not in German."
    ),
    "work_experience_proof": _(
        "Letters from your employers that show what you did and for how long, with a sworn "
        "German translation."
    ),
    "further_qualifications": _(
        "Certificates of further training or courses, with a sworn German translation."
    ),
    "language_certificate": _("Your German language certificate (for example Goethe or telc)."),
    "eu_residence_permit": _(
        "If you live in another EU country: a colour copy of your residence permit there."
    ),
    "no_prior_application_declaration": _(
        "Your signed declaration that you have not applied for recognition in Germany before."
    ),
    "recognition_application": _("The application for recognition, signed by you by hand."),
    "pension_provision_proof": _("Proof of your old-age pension provision."),
    "parental_consent": _("The consent of your parents (if you are under 18)."),
}

# The step of the case, in plain words, without anything internal.
WORKER_STEPS: list[tuple[tuple[str, ...], Promise]] = [
    (("advice", "collecting_documents", "completeness_check", "returned"),
     _("We are collecting and checking your documents.")),
    (("powers_signed",), _("Your documents are complete. The file is being prepared for the immigration office.")),
    (("forwarded", "intake_accepted"), _("Your file is with the immigration office in Germany.")),
    (("agreement_concluded",),
     _("The immigration office is checking your qualification and, if needed, asking the Federal Employment Agency.")),
    (("preapproval_issued",),
     _("The pre-approval has been issued. You can now book your visa appointment at the German embassy or consulate.")),
    (("visa_appointment_requested", "visa_applied"), _("Your visa application is with the German embassy or consulate.")),
    (("visa_issued",), _("Your visa has been issued. Welcome to Germany soon!")),
    (("entered", "registered", "residence_permit_applied", "residence_permit_issued", "onboarding"),
     _("You have arrived in Germany. Your employer helps you with the next steps.")),
]  # fmt: skip
_ENDED = _("This procedure has ended. Please contact your employer.")


def worker_items(case: Case) -> list[ItemStatus]:
    return [s for s in item_statuses(case) if s.item.document_code in WORKER_DOCUMENTS]


def worker_step(case: Case) -> Promise:
    for states, text in WORKER_STEPS:
        if case.state in states:
            return text
    return _ENDED


@dataclass(frozen=True)
class Contact:
    role: Promise
    name: str
    organisation: str
    email: str


def worker_contacts(case: Case) -> list[Contact]:
    """The employer's contact (who started the case, else the company's administrator) and the
    chamber advisor: names and e-mail only."""
    contacts: list[Contact] = []
    employer: User | None = case.created_by if case.created_by_id else None
    if employer is None or employer.organisation_id != case.company_id or not employer.is_active:
        employer = (
            User.objects.filter(organisation_id=case.company_id, is_active=True)
            .order_by("role", "pk")  # company_admin before company_hr
            .filter(role__in=(Role.COMPANY_ADMIN, Role.COMPANY_HR))
            .first()
        )
    if employer is not None:
        contacts.append(Contact(_("Your employer"), employer.display_name, case.company.name,
                                employer.email))  # fmt: skip
    advisor = case.advisor
    if advisor is not None and advisor.is_active and case.chamber is not None:
        contacts.append(Contact(_("Your advisor at the chamber"), advisor.display_name,
                                case.chamber.name, advisor.email))  # fmt: skip
    return contacts


PREAPPROVAL_SHOWN_STATES = frozenset({
    "preapproval_issued", "visa_appointment_requested", "visa_applied", "visa_issued",
})  # fmt: skip


def worker_preapproval(case: Case) -> PreApproval | None:
    """The pre-approval the worker takes to the mission, once issued (and while it matters)."""
    if case.state not in PREAPPROVAL_SHOWN_STATES:
        return None
    return case.preapprovals.order_by("-issued_on", "-pk").first()


WORKER_LANGUAGE_COOKIE = "lotse_worker_language"


def worker_view(case: Case) -> dict[str, Any]:
    """What the page shows, in the active language."""
    items = worker_items(case)
    language = translation.get_language() or "en"
    return {
        "items": [
            (
                status,
                WORKER_DOCUMENTS[status.item.document_code],
                document_title(
                    status.item.document_code, status.item.label_de, status.item.label_en, language
                ),
            )
            for status in items
        ],
        "step": worker_step(case),
        "company_name": case.company.name,
        "reference": case.reference,
        "open_count": sum(1 for s in items if s.item.is_mandatory and not s.complete),
        "contacts": worker_contacts(case),
        "preapproval": worker_preapproval(case),
        "chamber_name": case.chamber.name if case.chamber is not None else "",
        "authority_name": case.authority.name if case.authority is not None else "",
    }


@transaction.atomic
def worker_language_choose(*, case: Case, link: UploadLink, language: str) -> None:
    """The worker chose a language on the page: the mails to the worker follow it."""
    if language not in WORKER_LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the offered languages."))
    before = case.worker_language
    case.worker_language = language
    case.save(update_fields=["worker_language"])
    audit_record(
        actor=None,
        action="case.worker_language_chosen",
        obj=case,
        concerns=case_concerns(case),
        before={"worker_language": before},
        after={"worker_language": language, "via": "upload_link", "link": link.pk},
    )


def worker_letter_downloaded(*, case: Case, link: UploadLink, kind: str) -> None:
    """The worker took a form to sign through the link (recorded like a staff download)."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action="letter.generated",
            obj=case,
            concerns=case_concerns(case),
            after={"letter": kind, "via": "upload_link", "link": link.pk},
        )


def worker_link_url(token: str) -> str:
    return settings.LOTSE_SITE_URL.rstrip("/") + reverse("documents:worker", args=[token])


@transaction.atomic
def upload_link_send(*, case: Case, actor: User) -> tuple[UploadLink, str]:
    """A new upload link, mailed to the worker's address after the commit; returns it and its URL."""
    if not case.worker_email:
        raise ValidationError(_("Enter the worker's e-mail in the case data first."))
    link, token = upload_link_create(case=case, actor=actor)
    url = worker_link_url(token)
    audit_record(
        actor=actor,
        action="upload_link.sent",
        obj=link,
        concerns=case_concerns(case),
        after={"case": case.reference, "to": "worker_email"},
    )
    language = worker_language(case.worker_language)
    context = {"url": url, "company": case.company.name, "expires_at": link.expires_at}
    with translation.override(language):
        subject = str(_("Your documents for the move to Germany"))
        body = render_to_string("documents/email/worker_link.txt", context)
    # Into the outbox in the same transaction: the worker sends it, so a mail server that is down
    # or hangs never holds up the page (issue 9), and nothing is lost while it is away.
    mail_queue(
        to=case.worker_email,
        subject=subject,
        body=body,
        language=language,
        purpose=MailPurpose.NOTIFICATION,
    )
    return link, url
