"""Demo cases in different states for the demo world (``lotse demo``). Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import Case
from lotse.cases.services import case_create, case_transition, checklist_item_update
from lotse.cases.workflow import STEP_BY_NAME
from lotse.organisations.models import Organisation

ADVISOR_IHK = "keller@ihk-ludwigsburg.example"
ADVISOR_HWK = "brandt@kh-ludwigsburg.example"
ABH = "vogel@landkreis-ludwigsburg.example"
WEBER = "sabine.berger@weber-maschinenbau.example"
YILMAZ = "ahmet.yilmaz@shk-yilmaz.example"

# Carlos, industrial mechanic from Bogotá, for Weber Maschinenbau in Asperg.
CARLOS_PROFILE: dict[str, Any] = {
    "decision_date": None,  # set to today
    "worker": {"birth_date": "1990-05-01", "abroad": True, "german_level": "B1"},
    "qualification": {
        "type": "vocational",
        "training_years": 3,
        "state_recognised": True,
        "recognition": "none",
        "reference_occupation": "Industriemechaniker/in",
        "experience_years_last_5": 4,
    },
    "job": {"kind": "employment", "annual_gross_salary": 48000, "municipality": "Asperg"},
}

# Ngozi, software developer with an anabin H+ degree, above the Blue Card's general threshold:
# the Quick-Check finds neither a comparability statement nor a BA approval needed.
NGOZI_PROFILE: dict[str, Any] = {
    "decision_date": None,  # set to today
    "worker": {"birth_date": "1994-02-10", "abroad": True, "german_level": "A1"},
    "qualification": {
        "type": "academic",
        "state_recognised": True,
        "anabin_institution": "H+",
        "anabin_degree_equivalent": True,
        "degree_date": "2016-07-01",
        "experience_years_last_5": 5,
    },
    "job": {"kind": "employment", "annual_gross_salary": 72000, "municipality": "Asperg"},
}


def _worker(surname: str, given: str, born: str, place: str, nationality: str,
            passport: str) -> dict[str, Any]:  # fmt: skip
    return {
        "worker_surname": surname,
        "worker_given_names": given,
        "worker_birth_date": born,
        "worker_birth_place": place,
        "worker_nationality": nationality,
        "worker_passport_number": passport,
        "worker_passport_expiry": "2033-06-30",
        "worker_language": "en",
    }


def _step(case: Case, action: str, email: str, days_ago: int = 0, **data: Any) -> Case:
    fresh = Case.objects.get(pk=case.pk)
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    if any(f.name == "occurred_on" for f in STEP_BY_NAME[action].fields):
        data = {"occurred_on": day.isoformat(), **data}
    case_transition(case=fresh, action=action, actor=User.objects.get(email=email), data=data,
                    expected_version=fresh.version)  # fmt: skip
    return Case.objects.get(pk=case.pk)


def _prepared(case: Case, advisor: str, company_user: str, days_ago: int) -> Case:
    """From advice to forwarded: the chamber saw every mandatory original on paper."""
    case = _step(case, "start_collecting", advisor, days_ago)
    case = _step(case, "submit_for_check", company_user, days_ago - 2)
    actor = User.objects.get(email=advisor)
    for item in case.checklist.filter(requirement="mandatory"):
        checklist_item_update(item=item, actor=actor, operation="paper",
                              seen_on=timezone.localdate() - dt.timedelta(days=days_ago - 3))  # fmt: skip
    signed = (timezone.localdate() - dt.timedelta(days=days_ago - 3)).isoformat()
    case = _step(case, "record_powers_signed", company_user, days_ago - 3,
                 power_of_attorney_signed_on=signed, sub_power_of_attorney_signed_on=signed)  # fmt: skip
    return _step(case, "forward", advisor, days_ago - 4)


@transaction.atomic
def demo_cases_load() -> int:
    """Five cases across the procedure; does nothing when demo cases exist already."""
    weber = Organisation.objects.companies().filter(code="demo-weber-maschinenbau").first()
    yilmaz = Organisation.objects.companies().filter(code="demo-shk-yilmaz").first()
    if weber is None or yilmaz is None or Case.objects.filter(company__in=[weber, yilmaz]).exists():
        return 0
    today = timezone.localdate()
    site = weber.sites.get(is_main=True)
    profile = {**CARLOS_PROFILE, "decision_date": today.isoformat()}
    keller = User.objects.get(email=ADVISOR_IHK)

    # 1. Collecting documents, started by the advisor from a Quick-Check.
    carlos = case_create(actor=keller, company=weber, site=site, quickcheck_input=profile,
                         worker=_worker("ROJAS", "CARLOS ANDRES", "1990-05-01", "Bogotá", "COL",
                                        "AV1234567"), job_title="Industriemechaniker",
                         qualification_country="COL")  # fmt: skip
    _step(carlos, "start_collecting", ADVISOR_IHK)

    # 2. Recognition running, BA week passed without answer: a deemed approval to confirm.
    priya = case_create(actor=User.objects.get(email=WEBER), company=weber, site=site, title="18a",
                        recognition_kind="equivalence", recognition_body="ihk-fosa",
                        worker=_worker("NAIR", "PRIYA", "1995-09-12", "Kochi", "IND", "Z7654321"),
                        job_title="Mechatronikerin", qualification_country="IND")  # fmt: skip
    priya = _prepared(priya, ADVISOR_IHK, WEBER, 40)
    priya = _step(priya, "accept_intake", ABH, 34)
    priya = _step(
        priya,
        "conclude_agreement",
        ABH,
        30,
        fee_paid_on=(today - dt.timedelta(days=29)).isoformat(),
    )
    priya = _step(
        priya, "recognition_initiate", ABH, 28, body="ihk-fosa", reference="FOSA-2026-0815"
    )
    priya = _step(priya, "recognition_confirm_receipt", ABH, 20)
    priya = _step(priya, "recognition_file_complete", ABH, 18)
    _step(priya, "ba_request", ABH, 12, reference="BA-LB-4711")

    # 3. Pre-approval issued, the worker requests the visa appointment next.
    ngozi = case_create(actor=keller, company=weber, site=site, title="18g",
                        quickcheck_input={**NGOZI_PROFILE, "decision_date": today.isoformat()},
                        worker=_worker("OKAFOR", "NGOZI", "1994-02-10", "Lagos", "NGA", "A09876543"),
                        job_title="Softwareentwicklerin", qualification_country="NGA")  # fmt: skip
    ngozi = _prepared(ngozi, ADVISOR_IHK, WEBER, 25)
    ngozi = _step(ngozi, "accept_intake", ABH, 20)
    ngozi = _step(
        ngozi,
        "conclude_agreement",
        ABH,
        18,
        fee_paid_on=(today - dt.timedelta(days=18)).isoformat(),
    )
    _step(ngozi, "issue_preapproval", ABH, 10, reference="LRA-32.1-2026-118",
          mission="Generalkonsulat Lagos")  # fmt: skip

    # 4. Forwarded by the crafts chamber: waiting in the ABH's intake queue.
    ahmet = User.objects.get(email=YILMAZ)
    mehmet = case_create(actor=ahmet, company=yilmaz, site=yilmaz.sites.get(is_main=True),
                         title="18a", recognition_kind="equivalence",
                         recognition_body="hwk-region-stuttgart",
                         worker=_worker("DEMIR", "MEHMET", "1992-11-03", "Izmir", "TUR", "U12345678"),
                         job_title="Anlagenmechaniker SHK", qualification_country="TUR")  # fmt: skip
    _prepared(mehmet, ADVISOR_HWK, YILMAZ, 6)

    # 5. Advice only: a new request of SHK Yilmaz.
    case_create(actor=ahmet, company=yilmaz, site=yilmaz.sites.get(is_main=True), title="16a",
                recognition_kind="", worker=_worker("HASSAN", "OMAR", "2006-01-15", "Tunis", "TUN",
                                                    "P0011223"), job_title="Auszubildender SHK")  # fmt: skip
    return 5
