"""Writes of the advice area: saving a Quick-Check as an advisory record, linking it to a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import CONTACT_KINDS, Action, can
from lotse.advice.library import Contact as LibraryContact
from lotse.advice.library import PhoneFormatError, german_phone, library, source_urls
from lotse.advice.models import AdvisoryRecord, ContactDetails
from lotse.audit.services import audit_record
from lotse.organisations.models import Organisation
from lotse.rules import ProfileError, evaluate, parse_profile

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case


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


class ContactDetailsConflictError(Exception):
    """Someone else saved the contact's data since the form was loaded: nothing saved."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed this contact's data in the meantime. Nothing was saved; "
                "your entries are still in the form. Check the data and send again."
            )
        )
        self.current_version = current_version


CONTACT_FIELDS = ("phone", "phone_label_de", "phone_label_en", "email", "contact_form", "source",
                  "checked")  # fmt: skip


def _contact_snapshot(details: ContactDetails | None) -> dict[str, str]:
    if details is None:
        return {}
    return {field: str(getattr(details, field) or "") for field in CONTACT_FIELDS}


def _contact_details_errors(
    *,
    contact: LibraryContact,
    phone: str,
    email: str,
    contact_form: str,
    source: str,
    checked: dt.date | None,
    today: dt.date,
) -> tuple[dict[str, list[str]], str]:
    """Field errors for the data of ``contact``, and the phone number in its E.123 form."""
    errors: dict[str, list[str]] = {}
    books = library()
    normalised = ""
    if phone:
        try:
            normalised = german_phone(phone)
        except PhoneFormatError:
            errors["phone"] = [
                _(
                    "Enter a German number with its area code set apart, "
                    "e.g. 07141 144-0 or +49 7141 144-0."
                )
            ]
    if not (phone or email or contact_form):
        return errors, normalised
    if not source:
        errors["source"] = [_("Name the official page on which you read the data.")]
    elif not books.publisher_of(source) or urlsplit(source).scheme not in ("http", "https"):
        errors["source"] = [
            _(
                "Only an official page counts as the source (the office, the Land, a chamber, "
                "the BA, the BAMF …): %(host)s is none of them."
            )
            % {"host": urlsplit(source).hostname or source}
        ]
    if checked is None:
        errors["checked"] = [_("Enter the day you read the data on the official page.")]
    elif checked > today:
        errors["checked"] = [_("The day you read the data cannot lie in the future.")]
    office_pages = [source, contact.url, *source_urls(contact.source)]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            if not books.same_publisher(email.rsplit("@", 1)[1], office_pages):
                errors["email"] = [
                    _(
                        "The address must be on the office's own domain, like its website "
                        "(not a private or third-party address)."
                    )
                ]
    if contact_form:
        host = urlsplit(contact_form).hostname or ""
        if urlsplit(contact_form).scheme != "https" or not books.same_publisher(host, office_pages):
            errors["contact_form"] = [
                _("The contact form must be an https page on the office's own domain.")
            ]
    return errors, normalised


@transaction.atomic
def contact_details_save(
    *,
    contact: LibraryContact,
    actor: User,
    expected_version: int,
    phone: str = "",
    phone_label_de: str = "",
    phone_label_en: str = "",
    email: str = "",
    contact_form: str = "",
    source: str = "",
    checked: dt.date | None = None,
) -> ContactDetails:
    """Keep the phone and e-mail of an information-library contact, read on an official page.

    Empty fields give back the value the library ships with. ``expected_version`` is the version
    the form was loaded with (0 when nothing was kept yet); a different one means someone else
    saved in between, and nothing is saved (ContactDetailsConflictError).
    """
    if not can(actor, Action.EDIT, contact):
        raise PermissionDenied
    phone, email, contact_form = phone.strip(), email.strip(), contact_form.strip()
    source = source.strip()
    errors, phone = _contact_details_errors(
        contact=contact, phone=phone, email=email, contact_form=contact_form, source=source,
        checked=checked, today=timezone.localdate(),
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    # The row is locked for the comparison, so two saves of the same version cannot both pass.
    details = ContactDetails.objects.select_for_update().filter(code=contact.code).first()
    current = details.version if details is not None else 0
    if expected_version != current:
        raise ContactDetailsConflictError(current)
    before = _contact_snapshot(details)
    has_values = bool(phone or email or contact_form)
    values: dict[str, Any] = {
        "phone": phone,
        "phone_label_de": phone_label_de.strip() if phone else "",
        "phone_label_en": phone_label_en.strip() if phone else "",
        "email": email,
        "contact_form": contact_form,
        "source": source if has_values else "",
        "checked": checked if has_values else None,
        "updated_by": actor,
    }
    if details is None:
        details = ContactDetails(code=contact.code, **values)
        try:
            # A concurrent first save of the same contact hits the unique code: a conflict.
            with transaction.atomic():
                details.save()
        except IntegrityError:
            raise ContactDetailsConflictError(1) from None
    else:
        for key, value in values.items():
            setattr(details, key, value)
        details.version += 1
        details.save()
    audit_record(
        actor=actor,
        action="contact_details.saved",
        obj=details,
        concerns=list(_directory_organisations(contact)),
        before=before,
        after=_contact_snapshot(details),
    )
    return details


def _directory_organisations(contact: LibraryContact) -> QuerySet[Organisation]:
    """The office of the contact when it is in Lotse's directory: its audit log shows the change."""
    kind, _sep, code = contact.directory_ref.partition(":")
    if not code:
        return Organisation.objects.none()
    return Organisation.objects.filter(code=code, kind__in=CONTACT_KINDS.get(kind, ()))
