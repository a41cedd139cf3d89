"""What the board and the lists read is stored when a clock or the file changes, never computed
per request: after every change the stored values equal the ones computed from the clocks.

Stored per case: ``list_due_on`` (earliest open due day) and ``deadline_due_on`` (earliest open
deadline, the overdue filter); per open clock: the parties whose board shows it; per ABH: the
companies whose files were forwarded to it (its filter choices).
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.access import cases_visible_to, companies_visible_to, open_clocks_visible_to
from lotse.accounts.models import User
from lotse.cases import deadlines, selectors, volume
from lotse.cases.models import (
    LIST_DUE_NONE,
    AuthorityCompany,
    Case,
    CaseClock,
    board_parties,
)
from lotse.organisations.models import Organisation, OrganisationKind
from tests.cases.conftest import ADV, CA, CW, create_case, drive, take
from tests.cases.world import own_case
from tests.conftest import World

pytestmark = pytest.mark.django_db

BACKFILL = importlib.import_module("lotse.cases.migrations.0005_board_parties_and_search")


def computed(case: Case) -> dict[str, object]:
    """What the stored values must be, computed from the clock rows themselves."""
    case = Case.objects.get(pk=case.pk)
    open_rows = list(case.clocks.filter(stopped_on__isnull=True))
    dues = [r.due_on for r in open_rows if r.due_on is not None]
    deadlines_ = [r.due_on for r in open_rows if r.due_on is not None and r.kind == "deadline"]
    return {
        "list_due_on": min(dues, default=LIST_DUE_NONE),
        "deadline_due_on": min(deadlines_, default=LIST_DUE_NONE),
        "parties": {r.pk: board_parties(case) for r in open_rows},
    }


def stored(case: Case) -> dict[str, object]:
    row = Case.objects.values("list_due_on", "deadline_due_on").get(pk=case.pk)
    clocks = CaseClock.objects.filter(case_id=case.pk, stopped_on__isnull=True)
    return {
        **row,
        "parties": {
            r.pk: {
                "board_company_id": r.board_company_id,
                "board_chamber_id": r.board_chamber_id,
                "board_authority_id": r.board_authority_id,
            }
            for r in clocks
        },
    }


STARTS = ("recognition_file_complete", "ba_approval_requested", "comparability_file_complete",
          "recognition_initiated", "preapproval_issued", "visa_applied")  # fmt: skip
OPS = st.lists(
    st.tuples(
        st.sampled_from(["start", "suspend", "resume", "extend", "close", "forward"]),
        st.integers(0, 5),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_the_stored_values_equal_the_computed_ones_after_every_clock_change(
    world: World, ops: list[tuple[str, int, int]]
) -> None:
    case = own_case(world)
    day = dt.date(2026, 3, 2)
    for op, pick, step in ops:
        day += dt.timedelta(days=step)
        codes = sorted(deadlines.SUSPENDED_BY["recognition"] + deadlines.SUSPENDED_BY["ba"])
        if op == "start":
            event = STARTS[pick % len(STARTS)]
            deadlines.apply_events(case, [(event, day)])
        elif op == "suspend":
            deadlines.suspend(case, codes, day, "documents requested")
        elif op == "resume":
            deadlines.resume(case, codes, day)
        elif op == "extend":
            row = case.clocks.filter(stopped_on__isnull=True).order_by("id").first()
            limit = deadlines.definition(row.code).max_extensions if row else None
            if row is None or (limit is not None and len(row.extensions) >= limit):
                continue
            deadlines.extend(row, days=pick + 1, unit="calendar_days", reason="more time")
        elif op == "close":
            deadlines.close_moot(case, None, day)
        elif case.forwarded_at is None:
            # As the forwarding service does (tested through it below).
            Case.objects.filter(pk=case.pk).update(
                forwarded_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
            )
            case = Case.objects.get(pk=case.pk)
            deadlines.refresh_list_due(case)
        assert stored(case) == computed(case)
        # The set-based rebuild (seed, rows written past the services) agrees as well.
        deadlines.rebuild([case.pk])
        assert stored(case) == computed(case)


def test_forwarding_puts_the_open_clocks_on_the_abh_board_and_the_company_in_its_choices(
    world: World,
) -> None:
    abh = world.users[CW]
    case = drive(world, create_case(world), "forward")
    assert not AuthorityCompany.objects.filter(company=world.company).exists()
    assert world.company not in companies_visible_to(user=abh)
    # A clock that runs before the file is forwarded (started directly: any open clock will do).
    (early,) = deadlines.apply_events(case, [("recognition_file_complete", dt.date.today())])
    assert early.pk not in set(open_clocks_visible_to(user=abh).values_list("pk", flat=True))
    case = take(case, "forward", world.users[ADV])
    assert AuthorityCompany.objects.filter(
        authority_id=case.authority_id, company=world.company
    ).exists()
    assert world.company in companies_visible_to(user=abh)
    assert stored(case) == computed(case)
    on_board = set(open_clocks_visible_to(user=abh).values_list("pk", flat=True))
    still_open = set(case.clocks.filter(stopped_on__isnull=True).values_list("pk", flat=True))
    assert still_open
    assert still_open <= on_board
    # The chamber's and the company's boards read their own stored party.
    assert still_open <= set(
        open_clocks_visible_to(user=world.users[ADV]).values_list("pk", flat=True)
    )
    assert still_open <= set(
        open_clocks_visible_to(user=world.users[CA]).values_list("pk", flat=True)
    )
    assert not still_open & set(
        open_clocks_visible_to(user=world.foreign_users[CW]).values_list("pk", flat=True)
    )


@pytest.fixture
def seeded() -> dict[str, User]:
    volume.seed_volume(cases=120, seed=11)
    users = User.objects.filter(email__endswith=volume.EMAIL_DOMAIN)
    authorities = Case.objects.filter(forwarded_at__isnull=False).values_list(
        "authority_id", flat=True
    )
    return {"abh": users.filter(organisation_id__in=authorities).first()}  # type: ignore[dict-item]


def test_the_board_shows_exactly_the_open_clocks_of_the_visible_cases(
    seeded: dict[str, User],
) -> None:
    for user in User.objects.filter(email__endswith=volume.EMAIL_DOMAIN):
        visible = cases_visible_to(user=user)
        expected = set(
            CaseClock.objects.filter(stopped_on__isnull=True, case__in=visible).values_list(
                "pk", flat=True
            )
        )
        assert set(open_clocks_visible_to(user=user).values_list("pk", flat=True)) == expected


def test_the_company_choices_of_an_abh_are_the_companies_of_its_forwarded_cases(
    seeded: dict[str, User],
) -> None:
    for abh in User.objects.filter(
        email__endswith=volume.EMAIL_DOMAIN, organisation__kind=OrganisationKind.AUTHORITY
    ):
        expected = set(
            Case.objects.filter(
                authority_id=abh.organisation_id, forwarded_at__isnull=False
            ).values_list("company_id", flat=True)
        )
        assert set(companies_visible_to(user=abh).values_list("pk", flat=True)) == expected
        assert {pk for pk, _name in selectors.company_choices(user=abh)} == expected


def test_a_case_removed_later_takes_its_company_off_the_abh_choices(
    seeded: dict[str, User],
) -> None:
    abh = seeded["abh"]
    company = companies_visible_to(user=abh).first()
    assert company is not None
    # Stale rows of the small table never show a company the ABH no longer sees a case of.
    Case.objects.filter(authority_id=abh.organisation_id, company=company).update(forwarded_at=None)
    assert AuthorityCompany.objects.filter(authority_id=abh.organisation_id, company=company)
    assert company not in companies_visible_to(user=abh)


def test_the_migration_backfill_restores_what_the_services_store(seeded: dict[str, User]) -> None:
    cases = list(Case.objects.all())
    before = {case.pk: stored(case) for case in cases}
    assert before == {case.pk: computed(case) for case in cases}
    pairs = set(AuthorityCompany.objects.values_list("authority_id", "company_id"))
    Case.objects.update(deadline_due_on=LIST_DUE_NONE)
    CaseClock.objects.update(board_company=None, board_chamber=None, board_authority=None)
    AuthorityCompany.objects.all().delete()
    with connection.cursor() as cursor:
        for sql in (BACKFILL.BACKFILL_CASES, BACKFILL.BACKFILL_CLOCKS, BACKFILL.BACKFILL_COMPANIES):
            cursor.execute(sql)
    assert {case.pk: stored(case) for case in cases} == before
    assert set(AuthorityCompany.objects.values_list("authority_id", "company_id")) == pairs


def test_the_overdue_filter_reads_the_stored_next_deadline(seeded: dict[str, User]) -> None:
    today = dt.date.today()
    for user in User.objects.filter(email__endswith=volume.EMAIL_DOMAIN):
        found = set(
            selectors.case_list_for(
                user=user, filters=selectors.CaseFilters(overdue=True), today=today
            ).values_list("pk", flat=True)
        )
        expected = set(
            cases_visible_to(user=user)
            .filter(
                clocks__stopped_on__isnull=True,
                clocks__kind="deadline",
                clocks__due_on__lt=today,
            )
            .values_list("pk", flat=True)
        )
        assert found == expected


def test_no_organisation_row_is_needed_for_a_clock_of_a_case_never_forwarded(world: World) -> None:
    case = own_case(world)
    (row,) = deadlines.apply_events(case, [("recognition_file_complete", dt.date(2026, 3, 2))])
    row.refresh_from_db()
    assert row.board_authority_id is None
    assert row.board_company_id == world.company.pk
    assert Organisation.objects.filter(pk=row.board_chamber_id, kind=OrganisationKind.CHAMBER)
