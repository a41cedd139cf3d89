"""The information library: every page in both languages, facts from the rule data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.advice.library import clock_period, library, render_text
from lotse.advice.views import TOPICS
from lotse.clocks import clocks
from lotse.rules import directory
from tests.conftest import World


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_page_renders_in_both_languages(
    topic: str, language: str, world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.ABH_CASEWORKER])
    client.cookies["lotse_language"] = language
    response = client.get(reverse("advice:library_topic", args=[topic]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "{clock:" not in html
    assert "{fee:" not in html
    assert "{title:" not in html


def test_unknown_topic_is_404(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert client.get(reverse("advice:library_topic", args=["nothing"])).status_code == 404


def test_the_procedure_page_shows_every_statutory_clock_from_the_data(
    world: World, client_for: Callable[..., Client]
) -> None:
    html = (
        client_for(world.users[Role.COMPANY_HR])
        .get(reverse("advice:library_topic", args=["procedure"]))
        .content.decode()
    )
    for item in clocks():
        assert item.label_de in html
    assert "411\u00a0€" in html


def test_texts_take_deadlines_from_the_clocks() -> None:
    arrival = next(t for t in library().topics if t.code == "arrival")
    assert clock_period("registration_after_entry", "de") in arrival.paragraphs("de")[0]
    assert render_text("{clock:ba_deemed_approval}", "en") == "1\u00a0week"
    assert render_text("{title:16d1:max_months}", "de") == "24"


def test_every_library_entry_has_a_source() -> None:
    data = library()
    entries = [*data.titles.values(), *data.outcomes, *data.anabin, *data.topics, *data.contacts]
    assert all(entry.source.startswith("http") for entry in entries)


def test_the_contacts_cover_the_named_bodies_and_every_abh(
    world: World, client_for: Callable[..., Client]
) -> None:
    codes = {c.code for c in library().contacts}
    assert {
        "welcome-service-region-stuttgart",
        "iq-netzwerk-bw",
        "lzf-bw",
        "zab",
        "ihk-fosa",
    } <= codes
    assert {a.code for a in directory.authorities()} <= codes
    html = (
        client_for(world.users[Role.COMPANY_HR])
        .get(reverse("advice:library_topic", args=["contacts"]))
        .content.decode()
    )
    assert "Welcome Service Region Stuttgart" in html
    assert "IQ Netzwerk Baden-Württemberg" in html
    assert "In der Kammerkooperation seit" in html


def test_the_legal_options_page_explains_every_title(
    world: World, client_for: Callable[..., Client]
) -> None:
    html = (
        client_for(world.users[Role.COMPANY_HR])
        .get(reverse("advice:library_topic", args=["legal-options"]))
        .content.decode()
    )
    for code in ("16a", "16d1", "16d3", "18a", "18b", "18g", "19c2"):
        assert f'id="title-{code}"' in html
    assert "50.700\u00a0€" in html  # the 2026 Blue Card threshold, from thresholds.toml
