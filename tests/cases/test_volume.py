"""The seeded volume (``lotse seed_volume``) is what the app itself would hold.

Its facts are what lotse.insights derives from the seeded rows, every case's list key is the
earliest due day of its open clocks, the states follow the configured spread, the statistics pages
have figures, the same seed writes the same rows, and on PostgreSQL the fast load leaves the
schema (indexes, constraints, append-only guards) exactly as the migrations made it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Min
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.cases import volume
from lotse.cases.models import LIST_DUE_NONE, Case, CaseClock
from lotse.insights.facts import facts_case_queryset, facts_values
from lotse.insights.models import CaseFacts, MonthlyRollup
from lotse.insights.services import public_refresh, rollups_refresh

NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_stored_facts_are_what_insights_derives_from_the_seeded_rows() -> None:
    volume.seed_volume(cases=300, seed=5)
    stored = {row["case_id"]: row for row in CaseFacts.objects.values()}
    cases = list(facts_case_queryset())
    assert len(stored) == len(cases) == 300
    for case in cases:
        derived = facts_values(case)
        assert {k: stored[case.pk][k] for k in derived} == derived, case.state


@pytest.mark.django_db
def test_every_case_lists_by_the_earliest_due_day_of_its_open_clocks() -> None:
    volume.seed_volume(cases=300, seed=6)
    earliest = dict(
        CaseClock.objects.filter(stopped_on__isnull=True, due_on__isnull=False)
        .values("case_id")
        .annotate(first=Min("due_on"))
        .values_list("case_id", "first")
    )
    assert earliest, "some seeded cases have an open clock"
    for pk, list_due in Case.objects.values_list("pk", "list_due_on"):
        assert list_due == earliest.get(pk, LIST_DUE_NONE), pk


@pytest.mark.django_db
def test_the_states_follow_the_configured_spread() -> None:
    cases = 1500
    volume.seed_volume(cases=cases, seed=8)
    counts = Counter(Case.objects.values_list("state", flat=True))
    total = sum(weight for _state, weight in volume.STATE_WEIGHTS)
    assert set(counts) == {str(state) for state, _w in volume.STATE_WEIGHTS}
    for state, weight in volume.STATE_WEIGHTS:
        p = weight / total
        # Binomial counts: five standard deviations either way (a wrong weight is far outside).
        assert abs(counts[state] - cases * p) <= 5 * math.sqrt(cases * p * (1 - p)), state
    spread = Case.objects.values("authority_id", "chamber_id", "company_id")
    assert len({row["authority_id"] for row in spread}) > 30
    assert len({row["chamber_id"] for row in spread}) > 15
    assert len({row["company_id"] for row in spread}) > 50


@pytest.mark.django_db
def test_the_statistics_have_figures_for_the_seeded_volume() -> None:
    volume.seed_volume(cases=400, seed=9)
    assert rollups_refresh() > 0
    figures = public_refresh(minimum=1).data
    assert figures["quarters"]
    assert any(row["median_days"] for row in figures["headline"])
    assert MonthlyRollup.objects.filter(figures__durations__has_key="whole").exists()
    for role in (Role.CHAMBER_LEAD, Role.ABH_LEAD):
        lead = User.objects.filter(email__endswith=volume.LEAD_EMAIL_DOMAIN, role=role).first()
        assert lead is not None
        client = Client()
        client.force_login(lead)
        assert client.get(reverse("insights:statistics")).status_code == 200, role
    assert Client().get(reverse("insights:public")).status_code == 200
    assert volume.seed_leads() == 0  # every lead is there already


@pytest.mark.django_db
def test_the_command_seeds_the_cases_their_leads_and_the_statistics() -> None:
    call_command("seed_volume", cases=40, seed=2, force=True, stdout=io.StringIO())
    assert Case.objects.count() == 40
    assert MonthlyRollup.objects.exists()
    assert User.objects.filter(email__endswith=volume.LEAD_EMAIL_DOMAIN).count() == 44 + 20
    out = io.StringIO()
    call_command("seed_volume", leads_only=True, force=True, stdout=out)
    assert out.getvalue().startswith("0 leads added")


def _generated(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    world = volume.World(
        authorities=[1, 2], chambers=[3], companies=[(4, 10, 3, 1), (5, 11, 3, 2)],
        users={1: 101, 2: 102, 3: 103, 4: 104, 5: 105},
        user_labels={101: "ABH 1", 102: "ABH 2", 103: "Kammer", 104: "Firma A", 105: "Firma Ü"},
    )  # fmt: skip
    tables = {model: volume.Table(model, columns) for model, columns in volume.TABLES}
    gen = volume.Generator(rng, world, tables, dict.fromkeys(tables, 1), "0" * 64, NOW, seed)
    for n in range(200):
        gen.case(n)
    return {table.table: table.lines for table in tables.values()}


def test_the_same_seed_generates_the_same_rows() -> None:
    first, again, other = _generated(81), _generated(81), _generated(82)
    assert first == again
    assert first["cases_case"] != other["cases_case"]
    assert first["audit_auditevent"][-1] != other["audit_auditevent"][-1]


def test_a_column_the_seed_does_not_write_is_refused() -> None:
    with pytest.raises(ValueError, match="worker_surname"):
        volume.Table(Case, tuple(c for c in volume.CASE_COLUMNS if c != "worker_surname"))


def test_copy_text_escapes_round_trip() -> None:
    table = volume.Table(AuditEvent, volume.EVENT_COLUMNS)
    text = "a\\b\tc\nd"
    line = "\t".join(["1", "2026-01-01 10:00:00+00:00", volume.NULL, volume.esc(text)]
                     + [""] * (len(volume.EVENT_COLUMNS) - 5) + ["t"]) + "\n"  # fmt: skip
    values = table._values(line)
    assert values[:4] == ("1", "2026-01-01 10:00:00", None, text)
    assert values[-1] is True


def _schema() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[tuple[str, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE NOT tgisinternal ORDER BY 1, 2"
        )
        triggers = cursor.fetchall()
    return indexes, constraints, triggers


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LOUD SKIP: the streamed load needs PostgreSQL (DATABASE_URL=postgresql://…)",
)
@pytest.mark.django_db(transaction=True)
def test_the_streamed_load_leaves_the_schema_as_migrated_and_the_chain_intact() -> None:
    before = _schema()
    assert not connection.in_atomic_block  # the streamed path, not the in-transaction one
    volume.seed_volume(cases=400, seed=4)
    assert _schema() == before
    checked, broken = audit_chain_verify()
    assert broken is None
    assert checked == AuditEvent.objects.count() > 400
    assert CaseFacts.objects.count() == Case.objects.count() == 400
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_casetransition t "
            "LEFT JOIN cases_case c ON c.id = t.case_id WHERE c.id IS NULL"
        )
        assert cursor.fetchone() == (0,)
