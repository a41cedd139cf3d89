from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lotse.audit.models import AuditEvent
from lotse.organisations.models import Organisation
from lotse.organisations.services import company_create, directory_sync, site_create
from tests.conftest import World


@pytest.mark.parametrize(
    ("municipality", "authority"),
    [
        ("Asperg", "lra-ludwigsburg"),
        ("Murr", "lra-ludwigsburg"),
        ("Ludwigsburg", "stadt-ludwigsburg"),
        ("Tamm", "stadt-bietigheim-bissingen"),
        ("Sersheim", "stadt-vaihingen-enz"),
        ("Remseck am Neckar", "stadt-remseck"),
        ("Kornwestheim", "stadt-kornwestheim"),
        ("Ditzingen", "stadt-ditzingen"),
        ("Boennigheim", "lra-ludwigsburg"),
    ],
)
def test_site_gets_the_competent_abh_of_its_municipality(
    world: World, municipality: str, authority: str
) -> None:
    site = site_create(
        company=world.company,
        actor=None,
        label="X",
        street="Weg 1",
        postcode="71000",
        municipality=municipality,
    )
    assert site.authority is not None
    assert site.authority.code == authority


def test_site_outside_the_district_has_no_authority(world: World) -> None:
    site = site_create(
        company=world.company,
        actor=None,
        label="Stuttgart",
        street="Weg 1",
        postcode="70173",
        municipality="Stuttgart",
    )
    assert site.authority is None


def test_site_with_a_bad_postcode_is_refused_and_nothing_is_saved(world: World) -> None:
    count = world.company.sites.count()
    with pytest.raises(ValidationError) as excinfo:
        site_create(
            company=world.company,
            actor=None,
            label="X",
            street="Weg",
            postcode="7167",
            municipality="Asperg",
        )
    assert "postcode" in excinfo.value.message_dict
    assert world.company.sites.count() == count


def test_company_is_served_by_the_chambers_of_its_membership(world: World) -> None:
    both = company_create(
        actor=None, name="Mischbetrieb GmbH", legal_form="GmbH", chamber_membership="both"
    )
    assert set(both.served_by.all()) == {world.ihk, world.hwk}
    assert list(world.other_company.served_by.all()) == [world.hwk]


def test_betriebsnummer_must_have_eight_digits(world: World) -> None:
    with pytest.raises(ValidationError, match=r"acht Ziffern|eight digits"):
        company_create(
            actor=None,
            name="X GmbH",
            legal_form="GmbH",
            chamber_membership="ihk",
            betriebsnummer="123",
        )


def test_directory_sync_is_idempotent(db: None) -> None:
    first = directory_sync()
    events = AuditEvent.objects.count()
    second = directory_sync()
    assert first["created"] >= 2 + 8 + 5
    assert second == {"created": 0, "updated": 0}
    assert AuditEvent.objects.count() == events
    assert (
        Organisation.objects.get(kind="authority", code="lra-ludwigsburg").cooperation_since
        is not None
    )


def test_site_form_shows_a_specific_error_and_keeps_the_input(world: World) -> None:
    client = Client()
    client.force_login(world.users["company_admin"])
    response = client.post(
        f"/organisations/{world.company.pk}/sites/new/",
        {"label": "Halle 3", "street": "Weg 3", "postcode": "ABCDE", "municipality": "Asperg"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eine deutsche Postleitzahl hat fünf Ziffern." in html
    assert 'value="Halle 3"' in html
    assert 'aria-invalid="true"' in html


def test_a_chamber_registers_a_company_and_invites_its_administrator(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django.core import mail

    client = Client()
    client.force_login(world.users["chamber_advisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/companies/new/",
            {
                "name": "Bäckerei Hofmann GmbH",
                "legal_form": "GmbH",
                "betriebsnummer": "",
                "chamber_membership": "hwk",
                "label": "Backstube",
                "street": "Marktplatz 1",
                "postcode": "71672",
                "municipality": "Marbach am Neckar",
                "admin_full_name": "Jonas Hofmann",
                "admin_email": "jonas@hofmann.example",
            },
        )
    assert response.status_code == 302
    company = Organisation.objects.get(name="Bäckerei Hofmann GmbH")
    # Registered by the IHK advisor although an HWK member: the registering chamber serves it too.
    assert set(company.served_by.all()) == {world.hwk, world.ihk}
    assert company.sites.get().authority == world.lra
    assert [m.to for m in mail.outbox] == [["jonas@hofmann.example"]]


def test_a_company_user_cannot_register_companies(world: World) -> None:
    client = Client()
    client.force_login(world.users["company_admin"])
    assert client.post("/companies/new/", {"name": "X"}).status_code == 403
    assert not Organisation.objects.filter(name="X").exists()


def test_a_chamber_serving_many_companies_sees_a_bounded_dashboard_and_a_paged_list(
    world: World, client_for: Callable[..., Client]
) -> None:
    # The dashboard rendered every company the chamber serves: at the scale of a Land
    # (1 M cases) that was 265 KB of HTML and 200 ms of CPU per visit.
    from lotse.organisations.views import COMPANY_PAGE_SIZE
    from lotse.web.views import DASHBOARD_COMPANIES

    for n in range(COMPANY_PAGE_SIZE + 5):
        company_create(actor=None, name=f"Betrieb {n:03d} GmbH", legal_form="GmbH",
                       chamber_membership="ihk")  # fmt: skip
    client = client_for(world.users["chamber_advisor"])
    dashboard = client.get("/").content.decode()
    assert dashboard.count('href="/organisations/') <= DASHBOARD_COMPANIES
    assert 'data-testid="all-companies"' in dashboard

    first = client.get("/companies/").content.decode()
    assert first.count("Betrieb ") == COMPANY_PAGE_SIZE
    assert 'data-testid="next-page"' in first
    assert 'data-testid="previous-page"' not in first
    second = client.get("/companies/?page=2").content.decode()
    assert 'data-testid="previous-page"' in second
    served = Organisation.objects.filter(kind="company", served_by=world.ihk).count()
    assert second.count('href="/organisations/') == served - COMPANY_PAGE_SIZE
    # A page past the end or not a number shows a page, never an error.
    assert client.get("/companies/?page=99").status_code == 200
    assert client.get("/companies/?page=x").status_code == 200
