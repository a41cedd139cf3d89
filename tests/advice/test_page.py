"""The Quick-Check page: German by default, complete in English, errors keep what was typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.advice.models import AdvisoryRecord
from lotse.organisations.services import site_create
from tests.conftest import World

URL = reverse("advice:quickcheck")


@pytest.fixture
def advisor(world: World, client_for: Callable[..., Client]) -> Client:
    return client_for(world.users[Role.CHAMBER_ADVISOR])


def english(client: Client) -> Client:
    client.cookies["lotse_language"] = "en"
    return client


def test_typical_profile_in_german(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    response = advisor.post(URL, {**form_data, "company": world.company.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="quickcheck-result"' in html
    # The recommended path first, in words, then every title with why / why not.
    assert html.index("Unsere Empfehlung") < html.index("Alle Aufenthaltstitel im Vergleich")
    assert "Fachkraft mit Berufsausbildung (§ 18a AufenthG)" in html
    assert "IHK FOSA (Foreign Skills Approval) prüft, ob der Abschluss" in html
    assert "gilt die Zustimmung nach 1\u00a0Woche als erteilt" in html
    assert "Landratsamt Ludwigsburg – Fachbereich Ausländerangelegenheiten" in html
    assert "Hindernis:" in html
    assert "§ 18g Abs. 1" in html
    # Steps with statutory deadlines, fees, documents.
    assert "innerhalb von 3 Werktagen" in html
    assert "411\u00a0€" in html
    assert "100–600\u00a0€" in html
    assert "Tabellarischer Lebenslauf in deutscher Sprache" in html
    assert "/information/legal-options/#title-18a" in html


def test_typical_profile_in_english(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    response = english(advisor).post(URL, {**form_data, "company": world.company.pk})
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Our recommendation" in html
    assert "Skilled worker with vocational training (section 18a AufenthG)" in html
    assert "counts as given after 1\u00a0week" in html
    assert "€411" in html
    assert "Curriculum vitae" in html or "CV" in html
    # Legal citations stay German in both languages.
    assert "§ 18a AufenthG" in html
    assert "Unsere Empfehlung" not in html


def test_invalid_answers_keep_the_input_and_name_the_field(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {
        **form_data,
        "company": world.company.pk,
        "birth_date": "2026-07-01",
        "reference_occupation": "Industriemechanikerr",
        "annual_gross_salary": "",
    }
    response = advisor.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="quickcheck-errors"' in html
    assert 'data-testid="quickcheck-result"' not in html
    assert "Dieses Feld ist zwingend erforderlich." in html  # the salary
    assert 'value="Industriemechanikerr"' in html
    assert 'value="2026-07-01"' in html
    assert 'value="Asperg"' in html
    form = response.context["form"]
    assert "annual_gross_salary" in form.errors


def test_engine_errors_go_onto_their_field_translated(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {
        **form_data,
        "company": world.company.pk,
        "birth_date": "2026-07-01",
        "reference_occupation": "Industriemechanikerr",
    }
    errors = advisor.post(URL, data).context["form"].errors
    assert errors["birth_date"] == ["Das Geburtsdatum muss vor dem Datum der Entscheidung liegen."]
    assert errors["reference_occupation"][0].startswith(
        "Den Beruf „Industriemechanikerr“ kennen wir nicht. Meinten Sie: Industriemechaniker/in"
    )
    english_errors = english(advisor).post(URL, data).context["form"].errors
    assert english_errors["birth_date"] == [
        "The date of birth must be before the date of the decision."
    ]


def test_no_thresholds_for_the_decision_year(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {**form_data, "company": world.company.pk, "decision_date": "2031-03-01"}
    errors = advisor.post(URL, data).context["form"].errors
    assert errors["decision_date"][0].startswith(
        "Für eine Entscheidung am 01.03.2031 sind noch keine Gehaltsgrenzen bekannt."
    )


def test_answers_to_hidden_questions_do_not_count(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    # A degree date typed while "university degree" was chosen, then vocational picked.
    data = {**form_data, "company": world.company.pk, "degree_date": "not a date"}
    response = advisor.post(URL, data)
    assert not response.context["form"].errors
    assert 'data-testid="quickcheck-result"' in response.content.decode()


def test_htmx_recalculation_answers_the_fragment(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    response = advisor.post(URL, {**form_data, "company": world.company.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert 'data-testid="quickcheck-result"' in html


def test_the_page_works_for_a_chamber_with_its_companies_only(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    page = advisor.get(URL)
    choices = [c.pk for c in page.context["form"].fields["company"].queryset]
    assert choices == [world.company.pk]
    # One company served: it is preselected and its main site decides the municipality.
    assert page.context["form"].initial["municipality"] == "Asperg"
    response = advisor.post(URL, {**form_data, "company": world.other_company.pk})
    assert "company" in response.context["form"].errors


def test_the_municipality_follows_the_chosen_company(advisor: Client, world: World) -> None:
    site_create(
        company=world.company,
        actor=None,
        label="Lager",
        street="Lagerweg 1",
        postcode="71732",
        municipality="Tamm",
        is_main=True,
    )
    page = advisor.get(URL, {"company": world.company.pk})
    assert page.context["form"].initial["municipality"] == "Tamm"


def test_a_company_user_has_its_company_preset(
    world: World, client_for: Callable[..., Client], form_data: dict[str, str]
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    page = client.get(URL).content.decode()
    assert "Weber Maschinenbau GmbH" in page
    assert 'type="hidden" name="company"' in page
    # A company cannot slip in another company's id.
    response = client.post(URL, {**form_data, "company": world.other_company.pk, "save": "1"})
    assert response.status_code == 302
    record = AdvisoryRecord.objects.get()
    assert record.company == world.company
    assert record.chamber is None


def test_saving_creates_the_record_and_shows_it(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {**form_data, "company": world.company.pk, "save": "1", "notes": "Vertrag folgt"}
    response = advisor.post(URL, data)
    record = AdvisoryRecord.objects.get()
    assert response["Location"] == reverse("advice:record_detail", args=[record.pk])
    assert record.notes == "Vertrag folgt"
    assert record.recommended_title == "18a"
    assert record.chamber == world.ihk
    detail = advisor.get(response["Location"]).content.decode()
    assert f"Beratungsprotokoll {record.number}" in detail
    assert "Vertrag folgt" in detail
    assert "Industriemechaniker/in" in detail


def test_a_failed_save_keeps_the_notes(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {
        **form_data,
        "company": world.company.pk,
        "save": "1",
        "notes": "Wichtig",
        "birth_date": "",
    }
    html = advisor.post(URL, data).content.decode()
    assert not AdvisoryRecord.objects.exists()
    assert 'name="notes" value="Wichtig"' in html


def test_occupation_suggestions(advisor: Client) -> None:
    url = reverse("advice:occupations")
    html = advisor.get(url, {"reference_occupation": "Mechatron"}).content.decode()
    assert '<option value="Mechatroniker/in">' in html
    found = advisor.get(url, {"reference_occupation": "pflegefachfrau"}).content.decode()
    assert "Regierungspräsidium Stuttgart" in found
    assert "Ein reglementierter Beruf." in found


def test_abh_and_platform_users_have_no_quickcheck_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    for role in (Role.ABH_CASEWORKER, Role.PLATFORM_ADMIN):
        assert client_for(world.users[role]).get(URL).status_code == 403


def test_navigation_and_dashboard_link_to_the_quickcheck(
    world: World, client_for: Callable[..., Client]
) -> None:
    for role in (Role.COMPANY_ADMIN, Role.CHAMBER_ADVISOR):
        html = client_for(world.users[role]).get(reverse("web:dashboard")).content.decode()
        assert f'href="{URL}"' in html
        assert 'data-testid="start-quickcheck"' in html
        assert "Informationen" in html
    abh = client_for(world.users[Role.ABH_CASEWORKER]).get(reverse("web:dashboard")).content
    assert f'href="{URL}"'.encode() not in abh
    assert reverse("advice:library").encode() in abh
