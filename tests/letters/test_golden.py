"""Golden tests: every letter rendered to PDF, its text extracted with pypdf, compared as a whole.

The golden files live in ``tests/letters/golden/<name>.txt`` (whitespace normalised: one space
between words, one line per PDF page). After an intended change of a letter, regenerate them with

    LOTSE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/letters/test_golden.py

and read the diff before committing it. ``LOTSE_LETTER_PNG=<dir>`` also writes every page as a PNG
(with pypdfium2, when it is installed) to look at the letters. The clock is fixed with time-machine, and the names that
factories number (the advisor) are set, so the text does not depend on the day or the test order.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from lotse.accounts.models import Role, User
from lotse.cases import services
from lotse.cases.models import BaApproval, BaOutcome, Case
from lotse.letters.context import LetterKind
from lotse.letters.services import letter_filename, letter_render
from tests.cases.conftest import WORKER, create_case, take
from tests.conftest import World
from tests.documents.conftest import document_dir, make_case  # noqa: F401 -- autouse fixture
from tests.documents.flow import forward

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LOTSE_UPDATE_GOLDEN") == "1"
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
CW = Role.ABH_CASEWORKER

TO_PREAPPROVAL = (
    ("accept_intake", {}),
    ("conclude_agreement", {"fee_paid_on": "2026-11-20"}),
    ("recognition_initiate", {"body": "ihk-fosa", "reference": "FOSA-2026-118"}),
    ("recognition_confirm_receipt", {}),
    ("recognition_file_complete", {}),
    ("recognition_decide_full", {"reference": "FOSA-B-77"}),
    ("ba_request", {"reference": "BA-9-4711"}),
    ("ba_approve", {}),
)


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]


def _pngs(name: str, pdf: bytes) -> None:
    target = os.environ.get("LOTSE_LETTER_PNG")
    if not target:
        return
    try:
        import pypdfium2  # type: ignore[import-not-found]
    except ImportError:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    for number, page in enumerate(document, start=1):
        page.render(scale=1.4).to_pil().save(Path(target) / f"{name}-{number}.png")


def _compare(name: str, pdf: bytes) -> str:
    _pngs(name, pdf)
    text = "\n".join(page_texts(pdf)) + "\n"
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden text {path.name}: run with LOTSE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from {path}"
    return text


def _named_advisor(world: World) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    advisor.full_name = "Dana Beck"
    User.objects.filter(pk=advisor.pk).update(full_name=advisor.full_name)


@pytest.fixture
def new_case(world: World) -> Case:
    _named_advisor(world)
    with time_machine.travel(NOW, tick=False):
        return make_case(world)


@pytest.fixture
def ready_case(world: World) -> Case:
    """Forwarded, recognised, BA approved: everything but the pre-approval itself."""
    _named_advisor(world)
    with time_machine.travel(NOW, tick=False):
        case = forward(make_case(world), world)
        for step, data in TO_PREAPPROVAL:
            case = take(case, step, world.users[CW], data)
    return case


def _issue(case: Case, world: World) -> Case:
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        return take(case, "issue_preapproval", world.users[CW],
                    {"reference": "LRA-LB-81a-0042", "mission": "Generalkonsulat Bangalore"})  # fmt: skip


@pytest.mark.parametrize(
    "kind",
    [
        LetterKind.VOLLMACHT,
        LetterKind.UNTERVOLLMACHT,
        LetterKind.VEREINBARUNG,
        LetterKind.NACHFORDERUNG,
        LetterKind.DECKBLATT,
    ],
    ids=str,
)
def test_letter_of_a_new_case_matches_its_golden_text(kind: LetterKind, new_case: Case) -> None:
    with time_machine.travel(NOW, tick=False):
        text = _compare(kind.value, letter_render(case=new_case, kind=kind))
    assert new_case.reference in text
    assert "Müller-Lüdenscheid" in text
    assert "12.03.1994" in text  # the worker's birth date
    assert "Weber Maschinenbau GmbH" in text
    assert "§ 81a" in text
    assert "Entwurf" not in text
    assert "…" not in text


def test_the_addressees_and_bases_of_the_letters(new_case: Case) -> None:
    with time_machine.travel(NOW, tick=False):
        texts = {kind: "\n".join(page_texts(letter_render(case=new_case, kind=kind))) for kind in (
            LetterKind.NACHFORDERUNG, LetterKind.DECKBLATT, LetterKind.VEREINBARUNG,
            LetterKind.UNTERVOLLMACHT)}  # fmt: skip
    # The request for documents goes from the chamber to the company, dated today.
    assert texts[LetterKind.NACHFORDERUNG].index("IHK Region Stuttgart") < texts[
        LetterKind.NACHFORDERUNG
    ].index("Weber Maschinenbau GmbH Eglosheimer Str. 20")
    assert "20.11.2026" in texts[LetterKind.NACHFORDERUNG]
    # The cover sheet goes to the immigration office.
    assert "Landratsamt Ludwigsburg" in texts[LetterKind.DECKBLATT]
    assert "20.11.2026" in texts[LetterKind.DECKBLATT]
    assert "Dana Beck" in texts[LetterKind.DECKBLATT]
    # The agreement names the fee and its basis without any developer note.
    assert "411,00 € (§ 47 Abs. 1 Nr. 15 AufenthV)" in texts[LetterKind.VEREINBARUNG]
    assert "§ 81a Abs. 1 Satz 2 AufenthG" in texts[LetterKind.UNTERVOLLMACHT]


def test_the_draft_preapproval_says_draft_and_has_no_gaps(ready_case: Case) -> None:
    with time_machine.travel(NOW, tick=False):
        pdf = letter_render(case=ready_case, kind=LetterKind.VORABZUSTIMMUNG)
        filename = letter_filename(case=ready_case, kind=LetterKind.VORABZUSTIMMUNG)
    text = _compare("vorabzustimmung-entwurf", pdf)
    assert "Entwurf" in text
    assert filename.endswith("Vorabzustimmung-Entwurf.pdf")
    assert "…" not in text
    assert "FOSA-B-77" in text
    assert "BA-9-4711" in text


def test_the_issued_preapproval_is_filled_from_the_record(ready_case: Case, world: World) -> None:
    case = _issue(ready_case, world)
    preapproval = case.preapprovals.get()
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        pdf = letter_render(case=case, kind=LetterKind.VORABZUSTIMMUNG)
        filename = letter_filename(case=case, kind=LetterKind.VORABZUSTIMMUNG)
    text = _compare("vorabzustimmung", pdf)
    assert "Entwurf" not in text
    assert "Draft" not in text
    assert "Vorlage" not in text
    assert filename == f"{case.reference}-Vorabzustimmung.pdf"
    assert "…" not in text
    # Addressee, the day of issue (not the day of printing), the references.
    assert "– Visastelle – Generalkonsulat Bangalore" in text
    assert f"Aktenzeichen {case.reference} / LRA-LB-81a-0042 21.11.2026" in text
    assert f"gültig bis zum {preapproval.valid_until:%d.%m.%Y}" in text
    # 1a: the recognition decision; 1b and 2: the result or "not required" with its reason.
    assert (
        "1a Qualifikation (§ 18 Abs. 2 Nr. 4 AufenthG): Gleichwertigkeitsfeststellung, "
        "IHK FOSA (Foreign Skills Approval), entschieden am 20.11.2026, Az. FOSA-B-77 – "
        "voll gleichwertig"
    ) in text
    assert "1b Besondere Voraussetzungen des Aufenthaltstitels: nicht erforderlich – " in text
    assert (
        "2 Berufsausübungserlaubnis (reglementierte Berufe): nicht erforderlich – "
        "Industriemechaniker/in ist kein reglementierter Beruf"
    ) in text
    assert (
        "3 Zustimmung der Bundesagentur für Arbeit (§ 39 AufenthG): erteilt am 20.11.2026, Az. BA-9-4711"
        in text
    )
    assert "Gültigkeit von 12 Monaten (§ 6 Abs. 3 AufenthG; § 81a Abs. 3 Nr. 6 AufenthG)" in text


@pytest.mark.parametrize("length", [150, 155, 160])
def test_the_signature_block_stays_with_the_text_it_closes(
    ready_case: Case, world: World, length: int
) -> None:
    # A long text moves the page break through the end of the letter (the job is only
    # lengthened in memory, to move the break; it is not saved).
    case = _issue(ready_case, world)
    case.job_title = "Industriemechanikerin" + " in der Instandhaltung" * length
    pages = page_texts(letter_render(case=case, kind=LetterKind.VORABZUSTIMMUNG))
    closing = next(i for i, text in enumerate(pages) if "Ausländerzentralregister" in text)
    signature = next(i for i, text in enumerate(pages) if "Im Auftrag" in text)
    assert closing == signature, f"closing text on page {closing + 1}, signature on {signature + 1}"


def _draft_text(case: Case) -> str:
    with time_machine.travel(NOW, tick=False):
        return " ".join(page_texts(letter_render(case=case, kind=LetterKind.VORABZUSTIMMUNG)))


def test_a_fresh_draft_says_what_is_still_open_and_has_no_placeholders(world: World) -> None:
    text = _draft_text(create_case(world))
    assert "…" not in text
    assert "1a Qualifikation (§ 18 Abs. 2 Nr. 4 AufenthG): noch nicht eingeleitet" in text
    assert "(§ 39 AufenthG): noch nicht beantragt" in text
    assert "Entwurf" in text


def test_not_required_results_name_their_reason(world: World) -> None:
    case = create_case(world, title="18g", recognition="", ba=False)
    text = _draft_text(case)
    assert (
        "1a Qualifikation (§ 18 Abs. 2 Nr. 4 AufenthG): im Verfahren nicht erforderlich – " in text
    )
    assert (
        "3 Zustimmung der Bundesagentur für Arbeit (§ 39 AufenthG): nicht erforderlich – die "
        "Beschäftigung mit diesem Aufenthaltstitel bedarf keiner Zustimmung"
    ) in text


def test_a_regulated_profession_needs_the_permit_to_practise(world: World) -> None:
    case = create_case(world)
    Case.objects.filter(pk=case.pk).update(job_title="Pflegefachfrau")
    # A line may break after the slash of "Pflegefachfrau/Pflegefachmann".
    text = _draft_text(Case.objects.get(pk=case.pk)).replace("/ ", "/")
    assert (
        "2 Berufsausübungserlaubnis (reglementierte Berufe): erforderlich für "
        "Pflegefachfrau/Pflegefachmann (§§ 1, 40 PflBG) – noch nicht erteilt"
    ) in text


def test_from_45_the_salary_line_is_a_special_requirement(world: World) -> None:
    case = create_case(world)
    Case.objects.filter(pk=case.pk).update(worker_birth_date=dt.date(1975, 5, 1))
    text = _draft_text(Case.objects.get(pk=case.pk))
    assert (
        "1b Besondere Voraussetzungen des Aufenthaltstitels: ab 45 Jahren Gehaltsgrenze von "
        in text
    )
    assert (
        "oder angemessene Altersversorgung (§ 18 Abs. 2 Nr. 5 AufenthG; § 1 Abs. 2 BeschV)" in text
    )


def test_a_deemed_approval_shows_the_day_it_took_effect(ready_case: Case) -> None:
    ba = ready_case.ba_approvals.get()
    BaApproval.objects.filter(pk=ba.pk).update(
        outcome=BaOutcome.DEEMED, answered_on=ba.requested_on + dt.timedelta(days=7)
    )
    text = _draft_text(ready_case)
    effective = (ba.requested_on + dt.timedelta(days=7)).strftime("%d.%m.%Y")
    assert f"(§ 39 AufenthG): gilt als erteilt am {effective} (Zustimmungsfiktion nach" in text
    # § 36 Abs. 2 Satz 1 BeschV (the fiction), Satz 2 (one week in the case of § 81a AufenthG).
    assert "§ 36 Abs. 2 Satz 1, 2 BeschV" in text


def test_the_cover_sheet_of_a_forwarded_file(ready_case: Case) -> None:
    with time_machine.travel(NOW, tick=False):
        text = _compare(
            "deckblatt-weitergeleitet", letter_render(case=ready_case, kind=LetterKind.DECKBLATT)
        )
    assert "Die Kammer hat die Vollständigkeit der Unterlagen geprüft." in text
    assert "fehlt" not in text
    assert "geprüft, 1 S." in text


def test_a_salary_threshold_of_the_title_is_stated_with_its_basis(world: World) -> None:
    profile = {
        "decision_date": "2026-11-20",
        "worker": {"birth_date": "1992-04-12", "abroad": True, "german_level": "B1"},
        "qualification": {
            "type": "academic",
            "training_years": 4,
            "state_recognised": True,
            "degree_date": "2018-07-01",
            "anabin_institution": "H+",
            "anabin_degree_equivalent": True,
        },
        "job": {"kind": "employment", "annual_gross_salary": 70000, "municipality": "Asperg"},
    }
    with time_machine.travel(NOW, tick=False):
        case = services.case_create(
            actor=world.users[Role.CHAMBER_ADVISOR], company=world.company,
            site=world.company.sites.get(), worker=WORKER, title="18g", quickcheck_input=profile,
            job_title="Ingenieurin")  # fmt: skip
    text = _draft_text(case)
    assert re.search(
        r"1b Besondere Voraussetzungen des Aufenthaltstitels: Gehaltsgrenze von [\d.]+,\d\d € "
        r"jährlich \(§ 18g Abs\. 1 Satz 1 AufenthG\) – erfüllt mit einem Bruttojahresgehalt von "
        r"70\.000,00 €",
        text,
    ), text
