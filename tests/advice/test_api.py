"""POST /api/v1/quick-check and the advisory-record endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from lotse.accounts.models import Role
from lotse.advice import api as advice_api
from lotse.advice.models import AdvisoryRecord
from lotse.audit.models import AuditEvent
from lotse.rules import evaluate, parse_profile
from tests.conftest import World
from tests.rules.test_json import FIXED
from tests.rules.test_properties import profiles


@pytest.fixture
def api(world: World, client_for: Callable[..., Client]) -> Client:
    return client_for(world.users[Role.CHAMBER_ADVISOR])


def post(client: Client, url: str, body: object) -> Any:
    return client.post(url, body, content_type="application/json")


def fields(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["field_errors"]}


def test_answers_the_output_contract(api: Client, profile: dict[str, Any]) -> None:
    response = post(api, "/api/v1/quick-check", profile)
    assert response.status_code == 200
    body = response.json()
    assert body == evaluate(parse_profile(profile)).to_dict()
    assert set(body) == {"ruleset", "authority", "options", "recommended", "other_routes"}
    assert body["authority"] == {
        "code": "lra-ludwigsburg",
        "name": "Landratsamt Ludwigsburg – Fachbereich Ausländerangelegenheiten",
        "cooperation": True,
    }
    assert body["recommended"]["title"] == "18a"


def test_followups_are_an_optional_query_field(api: Client, profile: dict[str, Any]) -> None:
    body = post(api, "/api/v1/quick-check?with_followups=true", profile).json()
    assert body == evaluate(parse_profile(profile)).to_dict(include_followups=True)
    assert any(fee["min"] == 411 for fee in body["fees"])
    assert any(step["code"] == "ba_approval" for step in body["next_steps"])


def test_none_eligible_answers_recommended_null(api: Client, profile: dict[str, Any]) -> None:
    profile["worker"]["abroad"] = False
    body = post(api, "/api/v1/quick-check", profile).json()
    assert body["recommended"] is None
    assert all(not o["eligible"] for o in body["options"])


def test_unknown_field_is_named(api: Client, profile: dict[str, Any]) -> None:
    profile["worker"]["shoe_size"] = 44
    response = post(api, "/api/v1/quick-check", profile)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert fields(response) == {"worker.shoe_size": "unknown field"}


def test_missing_fields_are_named_like_the_cli(api: Client, profile: dict[str, Any]) -> None:
    del profile["job"]["annual_gross_salary"]
    del profile["decision_date"]
    response = post(api, "/api/v1/quick-check", profile)
    assert response.status_code == 422
    assert fields(response) == {
        "decision_date": "required field is missing",
        "job.annual_gross_salary": "required field is missing",
    }


def test_model_level_error_gets_its_field_path(api: Client, profile: dict[str, Any]) -> None:
    profile["worker"]["birth_date"] = "2027-01-01"
    response = post(api, "/api/v1/quick-check", profile)
    assert response.status_code == 422
    assert fields(response) == {"worker.birth_date": "must be before decision_date"}


def test_decision_date_without_thresholds_is_refused(api: Client, profile: dict[str, Any]) -> None:
    profile["decision_date"] = "2031-01-01"
    response = post(api, "/api/v1/quick-check", profile)
    assert response.status_code == 422
    assert "no salary thresholds are known" in fields(response)["decision_date"]


def test_not_signed_in_is_401(profile: dict[str, Any], db: None) -> None:
    response = post(Client(), "/api/v1/quick-check", profile)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_schema_documents_the_profile_and_the_errors() -> None:
    from lotse.api.main import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/quick-check"]["post"]
    assert {200, 401, 422} <= set(operation["responses"])
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    profile_schema = schema["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert profile_schema["additionalProperties"] is False
    assert set(profile_schema["required"]) == {"decision_date", "worker", "qualification", "job"}
    assert [p["name"] for p in operation["parameters"]] == ["with_followups"]


# ------------------------------------------------------------------ advisory records


def test_saving_a_record_computes_the_result_and_audits(
    api: Client, world: World, profile: dict[str, Any]
) -> None:
    response = post(
        api,
        "/api/v1/advisory-records",
        {"company_id": world.company.pk, "profile": profile, "notes": "Telefonat"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["company"] == {"id": world.company.pk, "name": "Weber Maschinenbau GmbH"}
    assert body["chamber"]["id"] == world.ihk.pk
    assert body["recommended_title"] == "18a"
    assert body["result"]["fees"]
    record = AdvisoryRecord.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(
        action="advisory_record.created", object_id=str(record.pk)
    ).exists()


def test_record_profile_errors_are_prefixed(
    api: Client, world: World, profile: dict[str, Any]
) -> None:
    profile["qualification"]["colour"] = "blue"
    response = post(
        api, "/api/v1/advisory-records", {"company_id": world.company.pk, "profile": profile}
    )
    assert response.status_code == 422
    assert fields(response) == {"profile.qualification.colour": "unknown field"}
    assert not AdvisoryRecord.objects.exists()


def test_a_chamber_cannot_save_for_a_company_it_does_not_serve(
    api: Client, world: World, profile: dict[str, Any]
) -> None:
    response = post(
        api,
        "/api/v1/advisory-records",
        {"company_id": world.other_company.pk, "profile": profile},
    )
    assert response.status_code == 404
    assert not AdvisoryRecord.objects.exists()


def test_an_abh_may_not_save_records(
    world: World, client_for: Callable[..., Client], profile: dict[str, Any]
) -> None:
    client = client_for(world.users[Role.ABH_CASEWORKER])
    response = post(
        client, "/api/v1/advisory-records", {"company_id": world.company.pk, "profile": profile}
    )
    assert response.status_code == 404  # the company is not visible to an ABH without a case


def test_list_detail_and_pdf(
    world: World, client_for: Callable[..., Client], profile: dict[str, Any]
) -> None:
    advisor = client_for(world.users[Role.CHAMBER_ADVISOR])
    ids = [
        post(
            advisor,
            "/api/v1/advisory-records",
            {"company_id": world.company.pk, "profile": profile, "reference": f"Nr. {n}"},
        ).json()["id"]
        for n in range(3)
    ]
    company = client_for(world.users[Role.COMPANY_HR])
    page = company.get("/api/v1/advisory-records?limit=2").json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    detail = company.get(f"/api/v1/advisory-records/{ids[0]}").json()
    assert detail["reference"] == "Nr. 0"
    assert detail["input"]["job"]["municipality"] == "Asperg"
    pdf = company.get(f"/api/v1/advisory-records/{ids[0]}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(__import__("io").BytesIO(pdf.content)).pages[0].extract_text()
    assert "Fachkraft mit Berufsausbildung (§ 18a AufenthG)" in text
    foreign = client_for(world.foreign_users[Role.COMPANY_ADMIN])
    assert foreign.get("/api/v1/advisory-records").json()["count"] == 0
    assert foreign.get(f"/api/v1/advisory-records/{ids[0]}").status_code == 404


# ------------------------------------------------------------------ the engine's JSON, unvalidated
#
# POST /api/v1/quick-check answers the engine's own JSON text (lotse.advice.api._answer) instead
# of handing the result dict to django-ninja, which validated it against QuickCheckOut and
# encoded it again (slower than evaluating the profile). The bytes must be exactly those of the
# validated path, which the reference restores by handing ninja the dict as before.


def _both(
    api: Client, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], followups: bool
) -> tuple[Any, Any]:
    url = "/api/v1/quick-check" + ("?with_followups=true" if followups else "")
    fast = post(api, url, data)
    with monkeypatch.context() as patched:
        patched.setattr(advice_api, "_answer",
                        lambda result, f: result.to_dict(include_followups=f))  # fmt: skip
        validated = post(api, url, data)
    return fast, validated


@pytest.mark.parametrize("data", FIXED)
@pytest.mark.parametrize("followups", [False, True])
def test_the_answer_is_what_ninjas_validated_path_renders(
    api: Client, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], followups: bool
) -> None:
    fast, validated = _both(api, monkeypatch, data, followups)
    assert fast.status_code == validated.status_code == 200
    assert fast["Content-Type"] == validated["Content-Type"]
    assert fast.content == validated.content


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=profiles())
def test_the_answer_is_what_ninjas_validated_path_renders_for_any_profile(
    api: Client, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    fast, validated = _both(api, monkeypatch, data, followups=True)
    assert fast.status_code == validated.status_code
    assert fast.content == validated.content
