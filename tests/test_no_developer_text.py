"""No developer text reaches a user: markers and notes stay in the data's notes, users see citations.

The data files keep open questions in their ``note`` fields and comments ("[UNVERIFIED] …",
"domain.md § …", "verify …"). Every other value can reach a page, a PDF, an e-mail or an API
response, so it must be clean. Stored results (an advisory record keeps its result for years) may
still hold an old citation with a note; the presenters clean those.
"""

from __future__ import annotations

import copy
import io
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

import lotse
from lotse.accounts.models import Role
from lotse.advice.models import AdvisoryRecord
from lotse.advice.presenters import result_view
from lotse.advice.services import advisory_record_create
from lotse.advice.views import TOPICS
from lotse.letters.context import LetterKind
from lotse.letters.services import letter_render
from lotse.rules.citations import DEVELOPER_MARKERS, clean_citation, is_clean
from tests.advice.conftest import PROFILE
from tests.cases.conftest import take
from tests.conftest import World
from tests.documents.conftest import document_dir, make_case  # noqa: F401 -- autouse fixture
from tests.documents.flow import forward

SRC = Path(lotse.__file__).parent
DATA_FILES = sorted(SRC.glob("*/data/*.toml"))

# Keys that hold developer notes by the data's own definition (see the file headers), and the
# one source field that is stored for the record but shown to nobody.
NOTE_KEY = re.compile(r"(^|_)notes?$")
NOT_SHOWN = {"cooperation_source"}

# Notes that once stood inside citations; none may come back on any page.
OLD_NOTES = (
    "for Land professions",
    "Land professions:",
    "(membership)",
    "public-law association of 76 IHKs",
    "amount sourced",
    "text approved 2012",
)


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str):
        yield path, value


def test_the_data_files_are_found() -> None:
    names = {p.name for p in DATA_FILES}
    assert {"fees.toml", "clocks.toml", "authorities.toml", "library.toml"} <= names


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_user_facing_data_text_carries_no_developer_notes(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = []
    for keys, text in _strings(data):
        key = keys[-1] if keys else ""
        if NOTE_KEY.search(key) or key in NOT_SHOWN:
            continue
        if DEVELOPER_MARKERS.search(text):
            problems.append(f"{'.'.join(keys)}: {text}")
        elif key == "legal_basis" and not is_clean(text):
            problems.append(f"{'.'.join(keys)} (a note inside the citation): {text}")
    assert not problems, "move these notes into a note field or a comment:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("stored", "clean"),
    [
        ("§ 46 Abs. 2 Nr. 1 AufenthV [UNVERIFIED paragraph; amount sourced]", "§ 46 Abs. 2 Nr. 1 AufenthV"),
        ("§ 14a Abs. 3 BQFG (BQFG-BW § 14a for Land professions)", "§ 14a Abs. 3 BQFG"),
        ("§ 14a BQFG (Land professions: § 14a BQFG-BW); § 81a Abs. 3 Nr. 2 AufenthG", "§ 14a BQFG; § 81a Abs. 3 Nr. 2 AufenthG"),
        ("§ 8 BQFG; IHK FOSA as public-law association of 76 IHKs (IHK Region Stuttgart membership [UNVERIFIED], domain.md § 3.1)", "§ 8 BQFG; IHK FOSA as public-law association of 76 IHKs"),
        ("[UNVERIFIED, text approved 2012] https://www.bahlingen.de/x", "https://www.bahlingen.de/x"),
        ("§ 17 BQFG (Gebühren nach Kostenrecht der Kammer)", "§ 17 BQFG (Gebühren nach Kostenrecht der Kammer)"),
        ("§ 36 Abs. 2 Satz 2 BeschV (Zustimmungsfiktion)", "§ 36 Abs. 2 Satz 2 BeschV (Zustimmungsfiktion)"),
    ],
)  # fmt: skip
def test_a_stored_citation_is_cleaned(stored: str, clean: str) -> None:
    assert clean_citation(stored) == clean


def test_clean_citation_leaves_no_marker_in_any_stored_form() -> None:
    for stored in (
        "§ 14a BQFG (Land professions: § 14a BQFG-BW)",
        "x [UNVERIFIED] https://a.example — lower than 2025; verify against the BMI (domain.md § 10)",
    ):
        assert not DEVELOPER_MARKERS.search(clean_citation(stored))


# Hidden form fields carry data back to the server and are not read by anyone.
HIDDEN_INPUT = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>")


def _assert_clean(where: str, text: str) -> None:
    text = HIDDEN_INPUT.sub("", text)
    marker = DEVELOPER_MARKERS.search(text)
    assert marker is None, f"{where}: {text[max(0, marker.start() - 80) : marker.end() + 80]!r}"
    for note in OLD_NOTES:
        assert note not in text, f"{where}: {note!r}"


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# Profiles whose results touch the fees (the national visa fee had a note), a regulated health
# occupation of Land law (its citation had a marker) and an academic title.
PROFILES: dict[str, dict[str, Any]] = {
    "vocational": PROFILE,
    "health_land_law": {
        **PROFILE,
        "qualification": {
            **PROFILE["qualification"],
            "reference_occupation": "Altenpflegehelfer/in",
        },
    },
    "academic": {
        **PROFILE,
        "qualification": {
            "type": "academic",
            "training_years": 4,
            "state_recognised": True,
            "degree_date": "2018-07-01",
            "anabin_institution": "H+",
            "anabin_degree_equivalent": True,
        },
        "job": {**PROFILE["job"], "annual_gross_salary": 70000},
    },
}


@pytest.mark.parametrize("name", list(PROFILES))
def test_quick_check_page_api_record_and_pdf_show_clean_citations(
    name: str, world: World, client: Client
) -> None:
    profile = copy.deepcopy(PROFILES[name])
    client.force_login(world.users[Role.CHAMBER_ADVISOR])
    response = client.post("/api/v1/quick-check", profile, content_type="application/json")
    assert response.status_code == 200, response.content
    _assert_clean("API /quick-check", response.content.decode())
    record = advisory_record_create(
        actor=world.users[Role.CHAMBER_ADVISOR], company=world.company, profile=profile
    )
    page = client.get(reverse("advice:record_detail", args=[record.pk]))
    assert page.status_code == 200
    _assert_clean("advisory record page", page.content.decode())
    pdf = client.get(reverse("advice:record_pdf", args=[record.pk]))
    assert pdf.status_code == 200
    _assert_clean("advisory record PDF", _pdf_text(pdf.content))


def test_an_old_record_with_noted_citations_is_shown_clean(world: World, client: Client) -> None:
    record = advisory_record_create(
        actor=world.users[Role.CHAMBER_ADVISOR], company=world.company, profile=PROFILE
    )
    # The result as an older ruleset stored it, with the notes still inside the citations.
    result = copy.deepcopy(record.result)
    for fee in result.get("fees") or ():
        if fee["code"] == "national_visa":
            fee["legal_basis"] = "§ 46 Abs. 2 Nr. 1 AufenthV [UNVERIFIED paragraph; amount sourced]"
    for step in result.get("next_steps") or ():
        step["legal_basis"] = "§ 14a Abs. 3 BQFG (BQFG-BW § 14a for Land professions)"
    for option in result["options"]:
        option["legal_basis"] = [*option["legal_basis"], "§ 8 BQFG (membership [UNVERIFIED])"]
    AdvisoryRecord.objects.filter(pk=record.pk).update(result=result)
    view = result_view(result, "de")
    texts = [
        *(line for option in view.options for line in option.legal_basis),
        *(fee.legal_basis for fee in view.fees),
        *(step.legal_basis for step in view.steps),
    ]
    assert texts
    for text in texts:
        _assert_clean("result_view", text)
    client.force_login(world.users[Role.CHAMBER_ADVISOR])
    page = client.get(reverse("advice:record_detail", args=[record.pk]))
    _assert_clean("old record page", page.content.decode())
    pdf = client.get(reverse("advice:record_pdf", args=[record.pk]))
    _assert_clean("old record PDF", _pdf_text(pdf.content))


def test_library_pages_show_clean_citations_and_sources(world: World, client: Client) -> None:
    client.force_login(world.users[Role.COMPANY_ADMIN])
    urls = [reverse("advice:library")] + [
        reverse("advice:library_topic", args=[topic]) for topic in TOPICS
    ]
    for language in ("de", "en"):
        client.cookies["lotse_language"] = language
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_clean(f"{url} ({language})", response.content.decode())


def test_case_page_deadlines_and_letters_show_clean_citations(world: World, client: Client) -> None:
    # Far enough for the recognition clocks to run: their legal bases are on the page.
    case = forward(make_case(world), world)
    for step, data in (
        ("accept_intake", {}),
        ("conclude_agreement", {"fee_paid_on": "__today__"}),
        ("recognition_initiate", {"body": "ihk-fosa", "reference": "FOSA-1"}),
    ):
        case = take(case, step, world.users[Role.ABH_CASEWORKER], data)
    assert case.clocks.filter(stopped_on__isnull=True).exists()
    client.force_login(world.users[Role.CHAMBER_ADVISOR])
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:deadlines")):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(url, response.content.decode())
    api = client.get(f"/api/v1/cases/{case.pk}")
    assert api.status_code == 200
    _assert_clean("API case", api.content.decode())
    for kind in LetterKind:
        _assert_clean(f"letter {kind}", _pdf_text(letter_render(case=case, kind=kind)))
