"""Reads of the advice area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from lotse.access import Action, advisory_records_visible_to, can, companies_visible_to
from lotse.advice.library import Contact as LibraryContact
from lotse.advice.library import KeptContactData, library, with_kept_data
from lotse.advice.models import AdvisoryRecord, ContactDetails
from lotse.organisations.models import Organisation, Site

if TYPE_CHECKING:
    from lotse.accounts.models import User


def advisory_record_list(*, user: User, company_id: int | None = None) -> QuerySet[AdvisoryRecord]:
    records = advisory_records_visible_to(user=user).select_related(
        "company", "chamber", "author", "case"
    )
    if company_id is not None:
        records = records.filter(company_id=company_id)
    return records.order_by("-created_at", "-pk")


def quickcheck_companies(*, user: User) -> list[Organisation]:
    """The companies ``user`` may run a Quick-Check for: its own, or those its chamber serves."""
    candidates = companies_visible_to(user=user).prefetch_related("sites").order_by("name")
    return [company for company in candidates if can(user, Action.QUICK_CHECK, company)]


def main_site(*, company: Organisation) -> Site | None:
    """The company's main place of business (or its first one); it decides the ABH."""
    return Site.objects.filter(company=company).order_by("-is_main", "label", "pk").first()


def library_areas(*, user: User) -> frozenset[str] | None:
    """The immigration offices whose local advice ``user`` sees in the information library.

    A company user sees the advice of the offices of its places of business only (none when
    they all lie outside the district); anyone else (a chamber, an office) sees all of it, each
    note with the area it concerns.
    """
    if not user.is_company_user or user.organisation_id is None:
        return None
    codes = Site.objects.filter(
        company_id=user.organisation_id, authority__isnull=False
    ).values_list("authority__code", flat=True)
    return frozenset(code for code in codes if code)


def kept_contact_data() -> dict[str, ContactDetails]:
    """The contact data kept in the running system, by library contact code (a few dozen rows)."""
    return {details.code: details for details in ContactDetails.objects.all()}


def contact_as_shown(contact: LibraryContact, details: ContactDetails | None) -> LibraryContact:
    """The library's contact with what is kept in Lotse for it (nothing kept: as shipped)."""
    if details is None or details.checked is None:
        return contact
    kept = KeptContactData(
        phone=details.phone,
        phone_label_de=details.phone_label_de,
        phone_label_en=details.phone_label_en,
        email=details.email,
        contact_form=details.contact_form,
        source=details.source,
        checked=details.checked,
    )
    return with_kept_data(contact, kept)


def library_contacts() -> list[LibraryContact]:
    """The information library's contacts as shown: the shipped data with what is kept in Lotse."""
    kept = kept_contact_data()
    return [contact_as_shown(contact, kept.get(contact.code)) for contact in library().contacts]


def library_contact(code: str) -> tuple[LibraryContact, ContactDetails | None]:
    """One contact as shown, and what is kept for it; Http404 for a code the library lacks."""
    try:
        shipped = library().contact(code)
    except KeyError:
        raise Http404(code) from None
    details = ContactDetails.objects.filter(code=code).first()
    return contact_as_shown(shipped, details), details
