"""What the worker sees through the upload link: their own documents and the step the case is in.

Nothing else of the case reaches this page: no advisory notes, no company documents, no salary,
no names of staff, not even the worker's own name (a forwarded link must not reveal whose case
it is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.documents.selectors import ItemStatus, item_statuses

if TYPE_CHECKING:
    from lotse.cases.models import Case

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


def worker_view(case: Case) -> dict[str, Any]:
    items = worker_items(case)
    return {
        "items": [(status, WORKER_DOCUMENTS[status.item.document_code]) for status in items],
        "step": worker_step(case),
        "company_name": case.company.name,
        "reference": case.reference,
        "open_count": sum(1 for s in items if s.item.is_mandatory and not s.complete),
    }
