from __future__ import annotations

from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.demo import demo_cases_load
from lotse.cases.models import BaState, Case, CaseState
from lotse.cases.selectors import deadline_board
from lotse.organisations.demo import demo_world_load


def test_the_demo_cases_span_the_procedure(db: None) -> None:
    demo_world_load(password="Demo-Passwort-2026!")
    assert demo_cases_load() == 5
    assert demo_cases_load() == 0  # idempotent
    states = sorted(Case.objects.values_list("state", flat=True))
    assert states == sorted([CaseState.COLLECTING_DOCUMENTS, CaseState.AGREEMENT_CONCLUDED,
                             CaseState.PREAPPROVAL_ISSUED, CaseState.FORWARDED, CaseState.ADVICE])  # fmt: skip
    assert Case.objects.get(worker_surname="NAIR").ba_state == BaState.REQUESTED
    vogel = User.objects.get(email="vogel@landkreis-ludwigsburg.example")
    board = deadline_board(user=vogel, today=timezone.localdate())
    assert [e.case.worker_surname for e in board.deemed_to_confirm] == ["NAIR"]
