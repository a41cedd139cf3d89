"""Issue 10, "Contacts carry phone and e-mail": the data an office prints where this repository
could not read it is kept in the running system, with the official page it was read on, by the
platform administrator or the office's own leads (page and API, one service, one access rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.advice.library import Contact as LibraryContact
from lotse.advice.library import (
    KeptContactData,
    PhoneFormatError,
    german_phone,
    library,
    source_urls,
    with_kept_data,
)
from lotse.advice.models import ContactDetails
from lotse.advice.selectors import library_contact
from lotse.advice.services import ContactDetailsConflictError, contact_details_save
from lotse.audit.models import AuditEvent
from tests.conftest import World


def as_shown(code: str) -> LibraryContact:
    """The contact as the pages show it."""
    return library_contact(code)[0]


IHK_PAGE = "https://www.ihk.de/stuttgart/bezirke/bezirkskammer-ludwigsburg/kontakt"
GOOD: dict[str, Any] = {
    "phone": "07141 122-0",
    "email": "ludwigsburg@stuttgart.ihk.de",
    "source": IHK_PAGE,
    "checked": dt.date(2026, 11, 30),
}

# ------------------------------------------------------------------ the phone's form (E.123)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07141 144-0", "+49 7141 144-0"),
        ("07141/144-0", "+49 7141 144-0"),
        ("(07141) 144 0", "+49 7141 144 0"),
        ("+49 7141 144-0", "+49 7141 144-0"),
        ("+497141 144-0", "+49 7141 144-0"),
        ("+49 (0)7141 144-0", "+49 7141 144-0"),
        ("0049 7141 1440", "+49 7141 1440"),
        ("  0911   815060 ", "+49 911 815060"),
    ],
)
def test_a_german_number_is_stored_in_its_international_form(typed: str, stored: str) -> None:
    assert german_phone(typed) == stored


@pytest.mark.parametrize("typed", ["071411440", "144-0", "+44 20 7946 0000", "Zentrale", "0 7141"])
def test_a_number_without_a_set_apart_area_code_is_refused(typed: str) -> None:
    with pytest.raises(PhoneFormatError):
        german_phone(typed)


# ------------------------------------------------------------------ shipped data and kept data


def _kept(**changes: Any) -> KeptContactData:
    values: dict[str, Any] = {"phone": "", "phone_label_de": "", "phone_label_en": "",
                              "email": "", "contact_form": "", "source": IHK_PAGE,
                              "checked": dt.date(2026, 12, 1)}  # fmt: skip
    return KeptContactData(**(values | changes))


def test_kept_phone_replaces_the_shipped_one_and_cites_both_pages() -> None:
    shipped = library().contact("zab")
    shown = with_kept_data(shipped, _kept(phone="+49 228 501-123"))
    assert shown.phone == "+49 228 501-123"
    # The shipped label described the old number (a switchboard); the kept one has none.
    assert shown.phone_label("de") == ""
    assert shown.email == shipped.email  # kept empty: the shipped value stays
    assert source_urls(shown.source) == [IHK_PAGE, *source_urls(shipped.source)]
    assert shown.checked == dt.date(2026, 12, 1)


def test_nothing_kept_shows_the_library_as_shipped() -> None:
    shipped = library().contact("iq-netzwerk-bw")
    assert with_kept_data(shipped, _kept()) == shipped
    assert with_kept_data(shipped, None) == shipped


def test_the_english_label_falls_back_to_the_german_one() -> None:
    shown = with_kept_data(library().contact("iq-netzwerk-bw"),
                           _kept(phone="+49 711 1234-0", phone_label_de="Zentrale"))  # fmt: skip
    assert shown.phone_label("en") == "Zentrale"


# ------------------------------------------------------------------ the service


def test_the_chamber_lead_keeps_the_chambers_line_with_an_audit_event(world: World) -> None:
    lead = world.users[Role.CHAMBER_LEAD]
    contact = as_shown("ihk-region-stuttgart")
    details = contact_details_save(contact=contact, actor=lead, expected_version=0, **GOOD)
    assert (details.phone, details.email, details.version) == (
        "+49 7141 122-0", "ludwigsburg@stuttgart.ihk.de", 1)  # fmt: skip
    event = AuditEvent.objects.get(action="contact_details.saved")
    assert event.actor == lead
    assert event.before == {}
    assert event.after["phone"] == "+49 7141 122-0"
    assert event.after["source"] == IHK_PAGE
    # The chamber's own audit log shows the change.
    assert list(event.concerns.all()) == [world.ihk]
    shown = as_shown("ihk-region-stuttgart")
    assert (shown.phone, shown.email, shown.checked) == (
        "+49 7141 122-0", "ludwigsburg@stuttgart.ihk.de", dt.date(2026, 11, 30))  # fmt: skip


def test_a_stale_version_saves_nothing(world: World) -> None:
    admin = world.users[Role.PLATFORM_ADMIN]
    contact = as_shown("ihk-region-stuttgart")
    contact_details_save(contact=contact, actor=admin, expected_version=0, **GOOD)
    with pytest.raises(ContactDetailsConflictError) as caught:
        contact_details_save(contact=contact, actor=admin, expected_version=0,
                             **(GOOD | {"phone": "07141 999-0"}))  # fmt: skip
    assert caught.value.current_version == 1
    assert ContactDetails.objects.get().phone == "+49 7141 122-0"
    assert AuditEvent.objects.filter(action="contact_details.saved").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "https://www.pressebox.com/pressrelease/hwk"}, "source"),
        ({"source": ""}, "source"),
        ({"source": "ftp://ihk.de/kontakt"}, "source"),
        ({"email": "ihk.ludwigsburg@gmail.com"}, "email"),
        ({"email": "ludwigsburg@ihk"}, "email"),
        ({"phone": "071411220"}, "phone"),
        ({"checked": None}, "checked"),
        ({"contact_form": "http://www.ihk.de/stuttgart/kontakt"}, "contact_form"),
        ({"contact_form": "https://forms.example.com/ihk"}, "contact_form"),
    ],
)
def test_data_not_from_an_official_page_is_refused(
    world: World, changes: dict[str, Any], field: str
) -> None:
    admin = world.users[Role.PLATFORM_ADMIN]
    with pytest.raises(ValidationError) as caught:
        contact_details_save(contact=as_shown("ihk-region-stuttgart"), actor=admin,
                             expected_version=0, **(GOOD | changes))  # fmt: skip
    assert set(caught.value.message_dict) == {field}
    assert not ContactDetails.objects.exists()


def test_a_day_in_the_future_is_refused(world: World) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        contact_details_save(contact=as_shown("ihk-region-stuttgart"),
                             actor=world.users[Role.PLATFORM_ADMIN], expected_version=0,
                             **(GOOD | {"checked": tomorrow}))  # fmt: skip
    assert set(caught.value.message_dict) == {"checked"}


@pytest.mark.parametrize("role", [Role.CHAMBER_ADVISOR, Role.COMPANY_ADMIN, Role.ABH_LEAD])
def test_only_the_offices_leads_and_the_platform_administrator_may(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        contact_details_save(contact=as_shown("ihk-region-stuttgart"),
                             actor=world.users[role], expected_version=0, **GOOD)  # fmt: skip


def test_the_lead_of_another_chamber_may_not(world: World) -> None:
    with pytest.raises(PermissionDenied):
        contact_details_save(contact=as_shown("ihk-region-stuttgart"),
                             actor=world.foreign_users[Role.CHAMBER_LEAD], expected_version=0,
                             **GOOD)  # fmt: skip


def test_the_handwerkskammers_lead_keeps_its_recognition_teams_line(world: World) -> None:
    """The HWK is a chamber and, under the same code, a recognition body."""
    contact = as_shown("hwk-region-stuttgart-recognition")
    details = contact_details_save(
        contact=contact, actor=world.foreign_users[Role.CHAMBER_LEAD], expected_version=0,
        phone="0711 1657-0", source="https://www.hwk-stuttgart.de/kontakt", checked=GOOD["checked"],
    )  # fmt: skip
    assert details.phone == "+49 711 1657-0"


def test_all_fields_empty_gives_back_the_shipped_data(world: World) -> None:
    admin = world.users[Role.PLATFORM_ADMIN]
    contact = as_shown("zab")
    contact_details_save(contact=contact, actor=admin, expected_version=0,
                         phone="0228 501-999", source="https://zab.kmk.org/de/kontakt",
                         checked=GOOD["checked"])  # fmt: skip
    assert as_shown("zab").phone == "+49 228 501-999"
    contact_details_save(contact=as_shown("zab"), actor=admin, expected_version=1)
    assert as_shown("zab") == library().contact("zab")
    assert ContactDetails.objects.get().version == 2


# ------------------------------------------------------------------ the page


@pytest.fixture
def lead(world: World, client_for: Callable[..., Client]) -> Client:
    return client_for(world.users[Role.CHAMBER_LEAD])


CONTACTS = reverse("advice:library_topic", args=["contacts"])
EDIT = reverse("advice:contact_edit", args=["ihk-region-stuttgart"])


def _form(**changes: Any) -> dict[str, Any]:
    return {"version": "0", "phone": "07141 122-0", "email": GOOD["email"],
            "source": IHK_PAGE, "checked": "2026-11-30"} | changes  # fmt: skip


def test_the_page_saves_and_the_contacts_page_shows_the_line(lead: Client) -> None:
    response = lead.post(EDIT, _form())
    assert response.status_code == 302
    assert response["Location"].endswith("#contact-ihk-region-stuttgart")
    page = lead.get(CONTACTS).content.decode()
    assert "Die Kontaktdaten wurden gespeichert." in page
    assert 'href="tel:+4971411220"' in page
    assert 'href="mailto:ludwigsburg@stuttgart.ihk.de"' in page
    assert IHK_PAGE in page


def test_a_refused_entry_keeps_what_was_typed_and_says_why_in_german(lead: Client) -> None:
    response = lead.post(EDIT, _form(email="ihk@gmail.com"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Die Adresse muss zur eigenen Domain der Stelle gehören" in page
    assert 'value="ihk@gmail.com"' in page
    assert 'value="07141 122-0"' in page
    assert not ContactDetails.objects.exists()


def test_a_conflict_keeps_the_form_and_names_the_change(lead: Client, world: World) -> None:
    contact_details_save(contact=as_shown("ihk-region-stuttgart"),
                         actor=world.users[Role.PLATFORM_ADMIN], expected_version=0,
                         **GOOD)  # fmt: skip
    response = lead.post(EDIT, _form(phone="07141 555-0"))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="conflict"' in page
    assert 'value="07141 555-0"' in page
    assert 'name="version" value="1"' in page
    assert ContactDetails.objects.get().phone == "+49 7141 122-0"


def test_the_edit_link_is_shown_only_where_the_user_may_edit(
    world: World, client_for: Callable[..., Client]
) -> None:
    lead_page = client_for(world.users[Role.CHAMBER_LEAD]).get(CONTACTS).content.decode()
    assert EDIT in lead_page
    assert reverse("advice:contact_edit", args=["hwk-region-stuttgart"]) not in lead_page
    advisor_page = client_for(world.users[Role.CHAMBER_ADVISOR]).get(CONTACTS).content.decode()
    assert 'data-testid="contact-edit"' not in advisor_page
    admin_page = client_for(world.users[Role.PLATFORM_ADMIN]).get(CONTACTS).content.decode()
    assert admin_page.count('data-testid="contact-edit"') == len(library().contacts)


def test_a_contact_without_phone_or_e_mail_says_so(lead: Client) -> None:
    page = lead.get(CONTACTS).content.decode()
    card = page[page.index('id="contact-iq-netzwerk-bw"') :]
    card = card[: card.index('class="kern-card"')]
    assert 'data-testid="no-contact-data"' in card
    zab = page[page.index('id="contact-zab"') :]
    assert 'data-testid="no-contact-data"' not in zab[: zab.index('class="kern-card"')]


# ------------------------------------------------------------------ the API twin

API = "/api/v1/information/contacts"


def _put(client: Client, code: str, body: dict[str, Any]) -> Any:
    return client.put(f"{API}/{code}", body, content_type="application/json")


def test_the_api_keeps_the_data_through_the_same_service(lead: Client) -> None:
    response = _put(lead, "ihk-region-stuttgart",
                    {"version": 0, "phone": "07141 122-0", "email": GOOD["email"],
                     "source": IHK_PAGE, "checked": "2026-11-30"})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phone"] == "+49 7141 122-0"
    assert body["kept"]["version"] == 1
    assert body["sources"][0] == IHK_PAGE
    assert AuditEvent.objects.filter(action="contact_details.saved").count() == 1
    listed = {c["code"]: c for c in lead.get(API).json()}
    assert listed["ihk-region-stuttgart"]["phone"] == "+49 7141 122-0"
    assert listed["ihk-region-stuttgart"]["editable"] is True
    assert listed["hwk-region-stuttgart"]["editable"] is False


def test_the_api_answers_422_with_the_field_and_409_on_a_stale_version(lead: Client) -> None:
    bad = _put(
        lead,
        "ihk-region-stuttgart",
        {"version": 0, "phone": "071411220", "source": IHK_PAGE, "checked": "2026-11-30"},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["field_errors"]] == ["phone"]
    good = {"version": 0, "phone": "07141 122-0", "source": IHK_PAGE, "checked": "2026-11-30"}
    assert _put(lead, "ihk-region-stuttgart", good).status_code == 200
    stale = _put(lead, "ihk-region-stuttgart", good | {"phone": "07141 999-0"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert ContactDetails.objects.get().phone == "+49 7141 122-0"
