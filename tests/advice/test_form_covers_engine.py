"""Every input the engine understands can be given on the Quick-Check form and in the API
(issue 10): the form, the API schema and the engine's contract name the same fields."""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pydantic import BaseModel
from pypdf import PdfReader

from lotse.accounts.models import Role
from lotse.advice.forms import PATH_TO_FIELD, QuickCheckForm, initial_from_profile
from lotse.advice.services import advisory_record_create
from lotse.rules import Profile
from tests.conftest import World

URL = reverse("advice:quickcheck")


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def engine_paths(model: type[BaseModel] = Profile, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        nested = _model_in(info.annotation)
        if nested is not None:
            paths |= engine_paths(nested, f"{prefix}{name}.")
        else:
            paths.add(prefix + name)
    return paths


def test_the_engine_contract_is_read_in_full() -> None:
    paths = engine_paths()
    # A few fields by hand, so that the walk itself cannot silently return nothing.
    assert {"decision_date", "worker.nationality", "job.isco_code", "family.spouse"} <= paths


def test_every_engine_input_has_a_form_field_with_a_label() -> None:
    assert set(PATH_TO_FIELD) == engine_paths()
    fields = QuickCheckForm.base_fields
    for path, name in PATH_TO_FIELD.items():
        assert name in fields, path
        assert str(fields[name].label).strip(), name


def test_every_optional_engine_input_has_a_hint() -> None:
    """Optional answers need a reason to be given: the hint says what they decide."""
    fields = QuickCheckForm.base_fields
    for name in ("application_date", "nationality", "eqf_level", "it_experience_years_last_5",
                 "isco_code", "start_date", "end_date", "family_spouse", "spouse_german_level",
                 "family_minor_children", "family_months_after_worker"):  # fmt: skip
        assert str(fields[name].help_text or "").strip(), name


def _schema_paths(schema: dict[str, Any], document: dict[str, Any], prefix: str = "") -> set[str]:
    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            return resolve(document["components"]["schemas"][name])
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, ()):
                target = resolve(option)
                if target.get("properties"):
                    return target
        return node

    paths: set[str] = set()
    for name, node in resolve(schema).get("properties", {}).items():
        target = resolve(node)
        if target.get("properties"):
            paths |= _schema_paths(target, document, f"{prefix}{name}.")
        else:
            paths.add(prefix + name)
    return paths


def test_the_api_schema_documents_every_engine_input(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/quick-check"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert _schema_paths(body, document) == engine_paths()


FULL: dict[str, Any] = {
    "decision_date": "2026-06-01",
    "application_date": "2026-03-02",
    "worker": {
        "birth_date": "1988-04-12",
        "abroad": True,
        "german_level": "B1",
        "pension_provision": True,
        "nationality": "SRB",
    },
    "qualification": {
        "type": "vocational",
        "training_years": 3.0,
        "state_recognised": True,
        "recognition": "none",
        "reference_occupation": "Industriemechaniker/in",
        "regulated": False,
        "experience_years_last_5": 4.0,
        "dab": True,
        "eqf_level": 6,
        "it_experience_years_last_7": 3.0,
        "it_experience_years_last_5": 2.0,
    },
    "job": {
        "kind": "employment",
        "annual_gross_salary": 52000.0,
        "duration_months": 24,
        "collective_agreement": True,
        "shortage_occupation": True,
        "it_specialist": True,
        "municipality": "Asperg",
        "isco_code": "7233",
        "start_date": "2026-07-01",
        "end_date": "2028-06-30",
    },
    "family": {
        "spouse": True,
        "minor_children": 2,
        "spouse_german_level": "A1",
        "months_after_worker": 3,
    },
}


def _post_data(initial: dict[str, Any]) -> dict[str, str]:
    data: dict[str, str] = {}
    for key, value in initial.items():
        if value is True:
            data[key] = "on"
        elif value is False:
            continue
        else:
            data[key] = str(value)
    return data


def test_a_profile_with_every_input_survives_the_form(world: World) -> None:
    Profile.model_validate(FULL)  # the fixture is a valid profile
    data = {**_post_data(initial_from_profile(FULL)), "company": str(world.company.pk)}
    form = QuickCheckForm(data=data, companies=[world.company])
    assert form.profile() is not None, form.errors
    produced = form.profile_data()
    # The form asks for the academic-only answers only for degrees; the rest comes back unchanged.
    assert produced == FULL


@pytest.fixture
def advisor(world: World, client_for: Callable[..., Client]) -> Client:
    return client_for(world.users[Role.CHAMBER_ADVISOR])


def test_the_page_shows_the_new_questions_and_the_family(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    page = advisor.get(URL).content.decode()
    for name in set(PATH_TO_FIELD.values()):
        assert f'name="{name}"' in page, name
    data = {**form_data, "company": world.company.pk, "family_spouse": "on",
            "family_minor_children": "1", "family_months_after_worker": "2"}  # fmt: skip
    html = advisor.post(URL, data).content.decode()
    assert 'data-testid="family-result"' in html
    assert "§ 81a Abs. 4 AufenthG" in html
    assert "§ 30 Abs. 1 Satz 3 Nr. 5 AufenthG" in html  # § 18a: the spouse needs no German
    assert "Legalisation oder Apostille" in html


def test_contradictions_are_said_on_their_field_in_german(
    advisor: Client, world: World, form_data: dict[str, str]
) -> None:
    data = {**form_data, "company": world.company.pk, "start_date": "2026-07-01",
            "end_date": "2026-06-01"}  # fmt: skip
    errors = advisor.post(URL, data).context["form"].errors
    assert errors["end_date"] == ["Das Ende der Beschäftigung muss nach ihrem Beginn liegen."]


def test_the_api_answers_the_family(
    db: None, world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    response = client.post("/api/v1/quick-check", FULL, content_type="application/json")
    assert response.status_code == 200, response.content
    family = response.json()["family"]
    assert family["covered"] is True
    assert family["minor_children"] == 2
    assert family["items"][0]["code"] == "family_covered"
    without = {k: v for k, v in FULL.items() if k != "family"}
    assert "family" not in client.post("/api/v1/quick-check", without,
                                       content_type="application/json").json()  # fmt: skip


def test_the_advisory_record_keeps_the_family_in_its_pdf(
    world: World, client_for: Callable[..., Client]
) -> None:
    record = advisory_record_create(
        actor=world.users[Role.CHAMBER_ADVISOR], company=world.company, profile=FULL, notes=""
    )
    assert record.result["family"]["minor_children"] == 2
    client = client_for(world.users[Role.COMPANY_ADMIN])
    response = client.get(reverse("advice:record_pdf", args=[record.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Familie (§ 81a Abs. 4 AufenthG)" in text
    assert "Minderjährige Kinder, die mitkommen" in text  # the answers
