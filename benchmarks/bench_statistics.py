"""The statistics at volume: the nightly rebuild, the lead's page and API, the public page.

    .venv/bin/python benchmarks/bench_statistics.py [--cases 100000] [--rounds 20]
    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_bench .venv/bin/python benchmarks/bench_statistics.py
    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_x_1m .venv/bin/python \
        benchmarks/bench_statistics.py --no-seed [--fill-dimensions] [--build-facts]

With ``--no-seed`` it measures a database already seeded with ``lotse seed_volume`` and already
migrated (it writes only a chamber lead, and with the flags the dimensions and the facts): on a
PostgreSQL copy of the shared volume database, never on the shared one itself.
``--fill-dimensions`` gives the seeded companies and cases a size class and a country of
qualification (``lotse.cases.volume_dimensions``, the same values the seeder now writes);
``--keep-rollups`` measures the rollups as ``lotse seed_volume`` built them (no rebuild; the
lead's page of a chamber and of an immigration office, with no to four filters).
``--build-facts`` writes every case's ``CaseFacts`` with one SQL statement (PostgreSQL), an
approximation of ``lotse.insights.facts.facts_values`` from the case row and its history (see
``FACTS_SQL``) — a million cases through the per-case code would take hours.

Seeds ``--cases`` closed and open cases with bulk inserts (synthetic facts over three years, two
chambers, two immigration offices, every title, four recognition bodies, seven occupation
groups, one clock each), runs the nightly job's rollup and publication once, then times the
reads a person waits for (median of ``--rounds``): the statistics page of a chamber lead (whole
request: rollup sum, overdue list, WIP, charts, template) without and with filters, the API,
the public page, and a case's expected dates.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import statistics as stats
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.test")


def median_ms(run: object, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append((time.perf_counter() - start) * 1000)
    return stats.median(timings)


def _in(values: object) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))  # type: ignore[attr-defined]


def facts_sql() -> str:
    """One INSERT … SELECT of every case's facts (PostgreSQL): events from the history, phase
    lengths from them (recognition and BA are not seeded: left empty), the current phase from
    the state (waiting since the last step), no expected dates."""
    from lotse.cases.workflow.base import BEFORE_ENTRY
    from lotse.insights.facts import EARLY_ENDS, WIP_PHASE

    def day(action: str) -> str:
        return f"min(occurred_on) FILTER (WHERE action = '{action}')"

    def days(start: str, end: str) -> str:
        return f"CASE WHEN {end} >= {start} THEN {end} - {start} END"

    phase = " ".join(f"WHEN '{state}' THEN '{name}'" for state, name in WIP_PHASE.items())
    # Only constants of the code are put into the statement, never input.
    return f"""
WITH t AS (
  SELECT case_id, {day("forward")} AS fw, {day("accept_intake")} AS acc,
    {day("issue_preapproval")} AS pre, {day("apply_visa")} AS appt, {day("issue_visa")} AS visa,
    max(occurred_on) AS last_day,
    count(*) FILTER (WHERE action = 'return_to_chamber') AS ret,
    count(*) FILTER (WHERE action = 'recognition_request_documents') AS req
  FROM cases_casetransition WHERE from_state <> '' GROUP BY case_id
)
INSERT INTO insights_casefacts (case_id, chamber_id, authority_id, title, recognition_body_id,
  occupation_group, company_size, qualification_country, started_on, forwarded_on, accepted_on,
  recognition_started_on, recognition_ended_on, ba_started_on, ba_ended_on, preapproved_on,
  appointment_on, visa_issued_on, entered_on, ended_early_on, advice_to_forwarding,
  forwarding_to_acceptance, recognition, ba, acceptance_to_preapproval, preapproval_to_visa,
  whole, returned_count, requests_count, is_open, current_phase, phase_since, expected,
  computed_at)
SELECT c.id, c.chamber_id, c.authority_id, c.title, c.recognition_body_id, '', o.size_class,
  c.qualification_country, s.started, t.fw, t.acc, NULL, NULL, NULL, NULL, t.pre, t.appt, t.visa,
  c.entered_on,
  CASE WHEN c.state IN ({_in(EARLY_ENDS)}) THEN coalesce(c.closed_on, t.last_day, s.started) END,
  {days("s.started", "t.fw")}, {days("t.fw", "t.acc")}, NULL, NULL, {days("t.acc", "t.pre")},
  {days("t.pre", "t.visa")}, {days("s.started", "t.visa")},
  coalesce(t.ret, 0), coalesce(t.req, 0), c.state IN ({_in(BEFORE_ENTRY)}),
  CASE WHEN c.state IN ({_in(BEFORE_ENTRY)}) THEN CASE c.state {phase} ELSE '' END ELSE '' END,
  CASE WHEN c.state IN ({_in(BEFORE_ENTRY)}) THEN coalesce(t.last_day, s.started) END,
  '[]'::jsonb, now()
FROM cases_case c
JOIN organisations_organisation o ON o.id = c.company_id
LEFT JOIN t ON t.case_id = c.id
CROSS JOIN LATERAL (SELECT (c.created_at AT TIME ZONE 'Europe/Berlin')::date AS started) s
WHERE NOT EXISTS (SELECT 1 FROM insights_casefacts f WHERE f.case_id = c.id)
"""  # noqa: S608


def dimensions_sql() -> list[str]:
    from lotse.cases.volume_dimensions import COUNTRY_WEIGHTS, SIZE_WEIGHTS, sql_pick

    company = "substring(code from 'company-([0-9]+)$')::bigint"
    case = "(substring(reference from 5)::bigint - 1)"
    return [
        f"UPDATE organisations_organisation SET size_class = {sql_pick(company, 17, SIZE_WEIGHTS)} "  # noqa: S608
        "WHERE kind = 'company' AND code LIKE 'vol-company-%'",
        f"UPDATE cases_case SET qualification_country = {sql_pick(case, 81, COUNTRY_WEIGHTS)} "  # noqa: S608
        "WHERE reference LIKE 'VOL-%'",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--no-seed", action="store_true", help="measure the seeded, migrated database as it is"
    )
    parser.add_argument(
        "--fill-dimensions",
        action="store_true",
        help="with --no-seed: size classes and countries for seeded rows",
    )
    parser.add_argument(
        "--build-facts",
        action="store_true",
        help="with --no-seed: write missing CaseFacts with SQL (PostgreSQL)",
    )
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="with --no-seed: measure the rollups as seeded (seed_volume built them)",
    )
    parser.add_argument(
        "--one-chamber",
        action="store_true",
        help="with --no-seed: dimensions and rollups of the measured chamber only",
    )
    args = parser.parse_args()
    if args.no_seed:
        return measure_seeded(args)

    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from lotse.accounts.models import Role, User
    from lotse.cases.models import Case, CaseClock
    from lotse.cases.services import case_create
    from lotse.insights.models import CaseFacts, MonthlyRollup
    from lotse.insights.services import public_refresh, rollups_refresh
    from lotse.organisations.models import Organisation
    from lotse.organisations.services import company_create, directory_sync, site_create

    rng = random.Random(13)
    directory_sync()
    chambers = list(Organisation.objects.filter(kind="chamber")[:2])
    authorities = list(Organisation.objects.filter(kind="authority")[:2])
    bodies = list(Organisation.objects.filter(kind="external_body")[:4])
    company = company_create(actor=None, name="Bench GmbH", legal_form="GmbH",
                             chamber_membership="ihk")  # fmt: skip
    site = site_create(company=company, actor=None, label="Werk", street="Weg 1",
                       postcode="71679", municipality="Asperg")  # fmt: skip
    company.served_by.add(chambers[0])
    lead = User.objects.create_user("lead@example.org", "x" * 16, full_name="Lead",
                                    role=Role.CHAMBER_LEAD, organisation=chambers[0])  # fmt: skip
    template = case_create(
        actor=lead, company=company, site=site, title="18a", recognition_body="ihk-fosa",
        worker={"worker_surname": "BENCH", "worker_birth_date": "1990-01-01",
                "worker_birth_place": "X", "worker_nationality": "IND",
                "worker_passport_number": "Z1", "worker_passport_expiry": "2035-01-01"},
    )  # fmt: skip
    titles = ["16a", "16d1", "16d3", "18a", "18b", "18g", "19c2"]
    groups = ["bw-education", "bw-health", "bw-medicine", "hwk-training", "hwo-anlage-a",
              "hwo-anlage-b1", "ihk-training"]  # fmt: skip
    today = dt.date.today()
    seed_start = time.perf_counter()
    batch = 5000
    for offset in range(0, args.cases, batch):
        rows = []
        for i in range(offset, min(offset + batch, args.cases)):
            clone = Case(**{f.attname: getattr(template, f.attname)
                            for f in Case._meta.concrete_fields if f.attname not in ("id",)})  # fmt: skip
            clone.reference = f"B-{i:07d}"
            clone.chamber_id = chambers[i % 2].pk
            clone.authority_id = authorities[(i // 2) % 2].pk
            rows.append(clone)
        made = Case.objects.bulk_create(rows)
        facts, clocks = [], []
        for case in made:
            started = today - dt.timedelta(days=rng.randint(0, 3 * 365))
            d = [rng.randint(5, 60), rng.randint(1, 20), rng.randint(20, 90), rng.randint(7, 60),
                 rng.randint(10, 40)]  # fmt: skip
            forwarded = started + dt.timedelta(days=d[0])
            accepted = forwarded + dt.timedelta(days=d[1])
            pre = accepted + dt.timedelta(days=d[2])
            appointment = pre + dt.timedelta(days=d[3])
            visa = appointment + dt.timedelta(days=d[4])

            def past(day: dt.date) -> dt.date | None:
                return day if day <= today else None

            is_open = visa > today
            facts.append(CaseFacts(
                case=case, chamber_id=case.chamber_id, authority_id=case.authority_id,
                title=rng.choice(titles), recognition_body_id=rng.choice(bodies).pk,
                occupation_group=rng.choice(groups), started_on=started,
                forwarded_on=past(forwarded), accepted_on=past(accepted),
                preapproved_on=past(pre), appointment_on=past(appointment),
                visa_issued_on=past(visa),
                advice_to_forwarding=d[0] if past(forwarded) else None,
                forwarding_to_acceptance=d[1] if past(accepted) else None,
                acceptance_to_preapproval=d[2] if past(pre) else None,
                preapproval_to_visa=d[3] + d[4] if past(visa) else None,
                whole=(visa - started).days if past(visa) else None,
                returned_count=int(rng.random() < 0.1), requests_count=int(rng.random() < 0.3),
                is_open=is_open, current_phase="visa" if is_open else "",
                phase_since=pre if is_open else None,
            ))  # fmt: skip
            due = accepted + dt.timedelta(days=60)
            stopped = accepted + dt.timedelta(days=rng.randint(20, 75))
            clocks.append(CaseClock(case=case, code="recognition_decision", kind="deadline",
                                    started_on=accepted, due_on=due,
                                    stopped_on=stopped if stopped <= today else None))  # fmt: skip
        CaseFacts.objects.bulk_create(facts)
        CaseClock.objects.bulk_create(clocks)
    seed_s = time.perf_counter() - seed_start

    start = time.perf_counter()
    rollups = rollups_refresh(today=today)
    rollup_s = time.perf_counter() - start
    start = time.perf_counter()
    public_refresh()
    public_s = time.perf_counter() - start

    client = Client()
    client.force_login(lead)
    anonymous = Client()
    first = (today.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    period = f"start={first:%Y-%m}&end={today:%Y-%m}"
    body = bodies[0].pk

    def get(c: Client, url: str) -> None:
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)

    figures = {
        "statistics page, 12 months, no filter": lambda: get(client, f"/statistics/?{period}"),
        "statistics page, title + body filter": lambda: get(
            client, f"/statistics/?{period}&title=18a&recognition_body={body}"),
        "statistics page, 36 months, occupation group": lambda: get(
            client, f"/statistics/?start={today.year - 3}-{today:%m}&end={today:%Y-%m}&occupation_group=ihk-training"),
        "GET /api/v1/statistics, 12 months": lambda: get(client, f"/api/v1/statistics?{period}"),
        "CSV export, 12 months": lambda: get(client, f"/statistics/export.csv?{period}"),
        "public page (anonymous)": lambda: get(anonymous, "/open-statistics/"),
        "GET /api/v1/cases/{id}/expected-dates": lambda: get(
            client, f"/api/v1/cases/{template.pk}/expected-dates"),
    }  # fmt: skip
    for run in figures.values():  # warm caches (templates, translations)
        run()
    print(f"# {args.cases} cases on {connection.vendor}, Python {platform.python_version()}, "
          f"{platform.machine()}; seed {seed_s:.1f} s")  # fmt: skip
    print(f"nightly rollups_refresh: {rollup_s:.1f} s ({rollups} rollup rows, "
          f"{MonthlyRollup.objects.count()} stored); public_refresh: {public_s * 1000:.0f} ms")  # fmt: skip
    for name, run in figures.items():
        print(f"{name}: median {median_ms(run, args.rounds):.1f} ms")
    return 0


def chamber_rollups(chamber_id: int, today: object) -> int:
    """The nightly rebuild restricted to one chamber's cases: the rows its lead's page reads
    are the same as after the full rebuild (a chamber's rows hold only its own cases); the
    other scopes' rows are left out (the full rebuild at a million cases is a batch job of about
    half an hour on this loaded machine)."""
    from django.db.models import F, OuterRef, Q, Subquery

    from lotse.cases.models import Case, CaseClock
    from lotse.insights.models import CaseFacts, MonthlyRollup
    from lotse.insights.services import (
        FACT_FIELDS,
        coarse_tails,
        rollups_build,
        rollups_rows,
    )

    case = Case.objects.filter(pk=OuterRef("case_id"))
    CaseFacts.objects.filter(chamber_id=chamber_id).filter(
        ~Q(company_size=F("case__company__size_class"))
        | ~Q(qualification_country=F("case__qualification_country"))
    ).update(company_size=Subquery(case.values("company__size_class")[:1]),
             qualification_country=Subquery(case.values("qualification_country")[:1]))  # fmt: skip
    facts = CaseFacts.objects.filter(chamber_id=chamber_id)
    clocks = CaseClock.objects.filter(case_id__in=facts.values("case_id")).values(
        "case_id", "code", "kind", "stopped_on", "due_on")  # fmt: skip
    table = rollups_build(facts.values(*FACT_FIELDS).iterator(chunk_size=5000),
                          clocks.iterator(chunk_size=5000), today, coarse_tails)  # type: ignore[arg-type]  # fmt: skip
    rows = [row for row in rollups_rows(table) if row.chamber_id == chamber_id]
    MonthlyRollup.objects.all().delete()
    MonthlyRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def measure_seeded(args: argparse.Namespace) -> int:
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    # No setup_test_environment() here: it instruments every template render (a signal per
    # template for response.context), which a served page does not pay.
    from lotse.accounts.models import Role, User
    from lotse.cases.models import Case
    from lotse.insights.models import CaseFacts, MonthlyRollup
    from lotse.insights.services import public_refresh, rollups_refresh

    def timed(label: str, run: object) -> None:
        start = time.perf_counter()
        result = run()  # type: ignore[operator]
        print(f"{label}: {time.perf_counter() - start:.1f} s ({result})", flush=True)

    # The chamber with the most cases: its lead's page is measured.
    chamber_id = (CaseFacts.objects.values("chamber_id").annotate(n=django.db.models.Count("pk"))
                  .order_by("-n").values_list("chamber_id", flat=True).first())  # fmt: skip
    only = f" AND chamber_id = {int(chamber_id)}" if args.one_chamber else ""
    if args.fill_dimensions:

        def fill() -> list[int]:
            with connection.cursor() as cursor:
                counts = []
                for sql in dimensions_sql():
                    cursor.execute(sql + (only if "cases_case" in sql else ""))
                    counts.append(cursor.rowcount)
            return counts

        timed("fill dimensions (companies, cases)", fill)
    if args.build_facts:

        def build() -> int:
            with connection.cursor() as cursor:
                cursor.execute(facts_sql())
                count = cursor.rowcount
                cursor.execute("ANALYZE insights_casefacts")
            return count

        timed("build facts (SQL)", build)
    today = dt.date.today()
    if args.keep_rollups:
        pass
    elif args.one_chamber:
        timed("rollups of the lead's chamber", lambda: chamber_rollups(chamber_id, today))
    else:
        timed("nightly rollups_refresh", lambda: rollups_refresh(today=today))
    if not args.keep_rollups:
        timed("public_refresh", lambda: public_refresh().key)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE insights_monthlyrollup")
        cursor.execute("ANALYZE insights_casefacts")
    lead, _ = User.objects.get_or_create(
        email="bench-lead@volume.example",
        defaults={"full_name": "Bench Lead", "role": Role.CHAMBER_LEAD,
                  "organisation_id": chamber_id},
    )  # fmt: skip
    # The immigration office with the most forwarded cases: its lead's page is measured too.
    authority_id = (CaseFacts.objects.filter(forwarded_on__isnull=False).values("authority_id")
                    .annotate(n=django.db.models.Count("pk")).order_by("-n")
                    .values_list("authority_id", flat=True).first())  # fmt: skip
    abh_lead, _ = User.objects.get_or_create(
        email="bench-abh-lead@volume.example",
        defaults={"full_name": "Bench ABH Lead", "role": Role.ABH_LEAD,
                  "organisation_id": authority_id},
    )  # fmt: skip
    client = Client()
    client.force_login(lead)
    abh = Client()
    abh.force_login(abh_lead)
    anonymous = Client()
    first = (today.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    period = f"start={first:%Y-%m}&end={today:%Y-%m}"
    short = f"start={today:%Y-%m}&end={today:%Y-%m}"
    page = "/statistics/?" + period
    long = f"/statistics/?start={today.year - 3}-{today:%m}&end={today:%Y-%m}"
    body = (CaseFacts.objects.exclude(recognition_body_id=None).values_list(
        "recognition_body_id", flat=True).first() or "")  # fmt: skip
    figures = {
        "statistics page, 12 months, no filter": page,
        "statistics page, title": page + "&title=18a",
        "statistics page, company size": page + "&company_size=small",
        "statistics page, country of qualification": page + "&qualification_country=IND",
        "statistics page, size unknown": page + "&company_size=unknown",
        "statistics page, title + company size (facts)": page + "&title=18a&company_size=small",
        "statistics page, size + country (facts)": page
        + "&company_size=medium&qualification_country=IND",
        "statistics page, title + size + country (facts)": page
        + "&title=18b&company_size=micro&qualification_country=TUR",
        "statistics page, 36 months, country": (
            f"/statistics/?start={today.year - 3}-{today:%m}&end={today:%Y-%m}"
            "&qualification_country=VNM"),
        "GET /api/v1/statistics, 12 months, size + country": (
            f"/api/v1/statistics?{period}&company_size=small&qualification_country=IND"),
        "CSV export, 12 months, company size": (
            f"/statistics/export.csv?{period}&company_size=large"),
        "statistics page, 1 month, title + size": (
            f"/statistics/?{short}&title=16a&company_size=large"),
        "statistics page, 36 months, title + size + country (facts)": (
            long + "&title=18a&company_size=small&qualification_country=IND"),
        "statistics page, body + group + size + country (facts)": (
            page + f"&recognition_body={body}&occupation_group=ihk-training"
            "&company_size=micro&qualification_country=PHL"),
        "statistics page, 36 months, size unknown + country unknown (facts)": (
            long + "&company_size=unknown&qualification_country=unknown"),
    }  # fmt: skip
    abh_figures = {
        "ABH lead: 12 months, no filter": page,
        "ABH lead: company size": page + "&company_size=small",
        "ABH lead: title + country (facts)": page + "&title=18a&qualification_country=IND",
        "ABH lead: 36 months, size + country (facts)": (
            long + "&company_size=medium&qualification_country=TUR"
        ),
        "ABH lead: size unknown": page + "&company_size=unknown",
    }

    def get(c: Client, url: str) -> None:
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)

    runs: dict[str, Callable[[], None]] = {
        name: functools.partial(get, client, url) for name, url in figures.items()
    }
    runs.update({name: functools.partial(get, abh, url) for name, url in abh_figures.items()})
    runs["public page (anonymous)"] = lambda: get(anonymous, "/open-statistics/")
    for run in runs.values():  # warm caches (templates, translations)
        run()
    print(f"# {Case.objects.count()} cases, {CaseFacts.objects.count()} facts, "
          f"{MonthlyRollup.objects.count()} rollup rows on {connection.vendor} "
          f"({connection.settings_dict['NAME']}), Python {platform.python_version()}, "
          f"{platform.machine()}; lead of chamber {chamber_id}, of ABH {authority_id}")  # fmt: skip
    for name, run in runs.items():
        print(f"{name}: median {median_ms(run, args.rounds):.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
