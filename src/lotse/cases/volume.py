"""A realistic volume of cases for benchmarks (``lotse seed_volume --cases N --seed S``).

A Land's worth of organisations (immigration offices, chambers, thousands of companies with one
place of business each, one user per organisation) and N cases spread over them and over the
states of the procedure, each with the history of the steps it took, its statutory clocks (due
days computed by the clock engine, the earliest open one stored as ``Case.list_due_on``), the
records of its procedures (recognition, BA approval, pre-approval, visa), its checklist, document
rows (metadata only: no file is stored), the audit events of its steps (continuing the hash
chain) and its statistical facts (``insights.CaseFacts``, as ``lotse.insights.facts`` derives
them). Deterministic for a seed and a day.

Speed (docs/performance.md): every row is built as one line of PostgreSQL's COPY text format from
precomputed fragments, no model instance and no per-value adaptation; on PostgreSQL each table
streams through its own connection while the next rows are built, foreign-key triggers are off
for the load (``session_replication_role``; the ids are generated consistent) and the secondary
indexes are dropped before and rebuilt after it. SQLite (tests, small volumes) parses the same
lines back into values and inserts them in bulk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

import lotse.access  # noqa: F401  (the access rules load before the checklist that uses them)
from lotse import clocks as engine
from lotse.accounts.models import Role, User
from lotse.audit.chain import CHAIN_VERSION, GENESIS, lock_chain
from lotse.audit.models import AuditEvent, AuditEventConcern
from lotse.cases import deadlines
from lotse.cases.checklist import rows_for
from lotse.cases.models import (
    LIST_DUE_NONE,
    AuthorityCompany,
    BaApproval,
    BaState,
    Case,
    CaseClock,
    CaseState,
    CaseTransition,
    ChecklistItem,
    PreApproval,
    RecognitionProcedure,
    RecognitionState,
    Title,
    VisaApplication,
)
from lotse.cases.requirements import needs_for_title
from lotse.cases.volume_dimensions import company_size_for, qualification_country_for
from lotse.cases.workflow.base import BEFORE_ENTRY, ENDED
from lotse.documents.models import BlobKind, Document, ReviewState, StoredBlob
from lotse.insights.models import CaseFacts
from lotse.organisations.models import (
    AuthorityKind,
    ChamberKind,
    ChamberMembership,
    Organisation,
    OrganisationKind,
    Site,
)

BATCH = 20_000  # cases per transaction
CHUNK = 1 << 20  # characters buffered per table before they go to the database
PREFIX = "vol"
EMAIL_DOMAIN = "volume.example"
# The leads of each chamber and immigration office (the statistics pages are theirs), under a
# domain of their own: one user per organisation stays the one under EMAIL_DOMAIN.
LEAD_EMAIL_DOMAIN = "volume-leads.example"
NULL = "\\N"

# The main line of the procedure: (step that reaches the state, state).
MAIN_LINE: tuple[tuple[str, str], ...] = (
    ("start_collecting", CaseState.COLLECTING_DOCUMENTS),
    ("submit_for_check", CaseState.COMPLETENESS_CHECK),
    ("record_powers_signed", CaseState.POWERS_SIGNED),
    ("forward", CaseState.FORWARDED),
    ("accept_intake", CaseState.INTAKE_ACCEPTED),
    ("conclude_agreement", CaseState.AGREEMENT_CONCLUDED),
    ("issue_preapproval", CaseState.PREAPPROVAL_ISSUED),
    ("request_visa_appointment", CaseState.VISA_APPOINTMENT_REQUESTED),
    ("apply_visa", CaseState.VISA_APPLIED),
    ("issue_visa", CaseState.VISA_ISSUED),
    ("record_entry", CaseState.ENTERED),
    ("record_registration", CaseState.REGISTERED),
    ("apply_residence_permit", CaseState.RESIDENCE_PERMIT_APPLIED),
    ("issue_residence_permit", CaseState.RESIDENCE_PERMIT_ISSUED),
    ("start_onboarding", CaseState.ONBOARDING),
    ("close", CaseState.CLOSED),
)
_DEPTH = {str(state): depth for depth, (_step, state) in enumerate(MAIN_LINE, start=1)}
_DEPTH[str(CaseState.ADVICE)] = 0
_FORWARDED_DEPTH = _DEPTH[CaseState.FORWARDED]
_CHECK_DEPTH = _DEPTH[CaseState.COMPLETENESS_CHECK]

# How a Land's caseload spreads over the states (weights), most cases early or finished.
STATE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (CaseState.ADVICE, 6),
    (CaseState.COLLECTING_DOCUMENTS, 14),
    (CaseState.COMPLETENESS_CHECK, 6),
    (CaseState.POWERS_SIGNED, 3),
    (CaseState.FORWARDED, 4),
    (CaseState.INTAKE_ACCEPTED, 4),
    (CaseState.AGREEMENT_CONCLUDED, 12),
    (CaseState.PREAPPROVAL_ISSUED, 5),
    (CaseState.VISA_APPOINTMENT_REQUESTED, 5),
    (CaseState.VISA_APPLIED, 4),
    (CaseState.VISA_ISSUED, 3),
    (CaseState.ENTERED, 2),
    (CaseState.REGISTERED, 2),
    (CaseState.RESIDENCE_PERMIT_APPLIED, 2),
    (CaseState.RESIDENCE_PERMIT_ISSUED, 1),
    (CaseState.ONBOARDING, 5),
    (CaseState.CLOSED, 12),
    (CaseState.WITHDRAWN, 5),
)
_STATES = tuple(str(s) for s, _w in STATE_WEIGHTS)
_CUM = tuple(accumulate(w for _s, w in STATE_WEIGHTS))

# The clock a case in a state has open: (clock code, main-line step whose day starts it).
OPEN_CLOCK: dict[str, tuple[str, str]] = {
    CaseState.PREAPPROVAL_ISSUED: ("preapproval_validity", "issue_preapproval"),
    CaseState.VISA_APPOINTMENT_REQUESTED: ("visa_appointment", "request_visa_appointment"),
    CaseState.VISA_APPLIED: ("visa_decision", "apply_visa"),
    CaseState.VISA_ISSUED: ("visa_validity", "issue_visa"),
    CaseState.ENTERED: ("registration_after_entry", "record_entry"),
}

# The phase an open case waits in (lotse.insights.facts.WIP_PHASE, restricted to the main line).
_WIP: dict[str, str] = {
    CaseState.ADVICE: "preparation", CaseState.COLLECTING_DOCUMENTS: "preparation",
    CaseState.COMPLETENESS_CHECK: "preparation", CaseState.POWERS_SIGNED: "preparation",
    CaseState.FORWARDED: "acceptance", CaseState.INTAKE_ACCEPTED: "preapproval",
    CaseState.AGREEMENT_CONCLUDED: "preapproval", CaseState.PREAPPROVAL_ISSUED: "visa",
    CaseState.VISA_APPOINTMENT_REQUESTED: "visa", CaseState.VISA_APPLIED: "visa",
    CaseState.VISA_ISSUED: "entry",
}  # fmt: skip
_BEFORE_ENTRY = frozenset(str(s) for s in BEFORE_ENTRY)
_EARLY_ENDS = frozenset(str(s) for s in ENDED - {CaseState.CLOSED})

SURNAMES = ("Sharma", "Okafor", "Nguyen", "Silva", "Kaya", "Hossain", "Mensah", "Reyes",
            "Petrov", "Haddad", "Castillo", "Tanaka", "Mwangi", "Kowalski", "Ali", "Gómez")  # fmt: skip
GIVEN = ("Priya", "Chinedu", "Linh", "Ana", "Emre", "Farhana", "Kwame", "José", "Irina",
         "Omar", "Lucía", "Kenji", "Wanjiru", "Piotr", "Aisha", "Carlos")  # fmt: skip
NATIONALITIES = ("IND", "NGA", "VNM", "BRA", "TUR", "BGD", "GHA", "PHL", "UKR", "JOR", "COL")
JOBS = ("Industriemechaniker", "Pflegefachkraft", "Softwareentwickler", "Elektroniker",
        "Koch", "Anlagenmechaniker SHK", "Kfz-Mechatroniker", "Berufskraftfahrer")  # fmt: skip
TOWNS = ("Ludwigsburg", "Stuttgart", "Heilbronn", "Karlsruhe", "Mannheim", "Freiburg",
         "Ulm", "Reutlingen", "Pforzheim", "Esslingen", "Tübingen", "Konstanz")  # fmt: skip
MISSIONS = ("Deutsche Botschaft Neu-Delhi", "Generalkonsulat Mumbai", "Deutsche Botschaft Abuja",
            "Deutsche Botschaft Hanoi", "Generalkonsulat Istanbul", "Deutsche Botschaft Manila")  # fmt: skip


def esc(value: object) -> str:
    """One value in COPY text format (NULL, booleans, everything else as its text)."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))  # fmt: skip
    return text


def _unesc(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _moment(day: str, hour: int, minute: int) -> tuple[str, str]:
    """A UTC moment as stored (COPY text) and as hashed (lotse.audit.chain._moment)."""
    return (f"{day} {hour:02d}:{minute:02d}:00+00:00",
            f"{day}T{hour:02d}:{minute:02d}:00.000000+00:00")  # fmt: skip


class Table:
    """The rows of one table as COPY text lines, sent in chunks (PostgreSQL) or in bulk."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.columns = columns
        by_column = {f.column: f for f in model._meta.concrete_fields}
        missing = set(by_column) - set(columns)
        if missing:  # a new field must be seeded too (NOT NULL columns have no DB default)
            raise ValueError(f"{self.table}: columns not seeded: {sorted(missing)}")
        self.fields = [by_column[c] for c in columns]
        self.lines: list[str] = []
        self.size = 0
        self.written = 0
        self.copy: Any = None  # an open COPY on PostgreSQL

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line)
        if self.copy is not None and self.size > CHUNK:
            self.send()

    def send(self) -> None:
        if not self.lines:
            return
        self.written += len(self.lines)
        if self.copy is not None:
            self.copy.write("".join(self.lines))
        elif connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in self.columns)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy,
            ):
                copy.write("".join(self.lines))
        else:
            _insert(self, [self._values(line) for line in self.lines])
        self.lines = []
        self.size = 0

    def _values(self, line: str) -> tuple[Any, ...]:
        values: list[Any] = []
        for f, text in zip(self.fields, line.rstrip("\n").split("\t"), strict=True):
            if text == NULL:
                values.append(None)
            elif isinstance(f, models.BooleanField):
                values.append(text == "t")
            elif isinstance(f, models.DateTimeField):
                # SQLite stores naive UTC text (Django's own form); the lines say +00:00.
                values.append(text.removesuffix("+00:00"))
            else:
                values.append(_unesc(text))
        return tuple(values)


def _insert(table: Table, rows: list[tuple[Any, ...]]) -> None:
    cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    with connection.cursor() as cursor:
        # Table and column names come from the models, never from input.
        sql = f"INSERT INTO {connection.ops.quote_name(table.table)} ({cols}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def _next_id(model: type[models.Model]) -> int:
    return int((model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1)


@lru_cache(maxsize=100_000)
def _due(code: str, started: dt.date) -> dt.date | None:
    return engine.compute_due(engine.clock(code), started, suspensions=[], extensions=[])


@lru_cache(maxsize=64)
def _kind(code: str) -> str:
    return str(engine.clock(code).kind)


@dataclass
class World:
    authorities: list[int] = field(default_factory=list)
    chambers: list[int] = field(default_factory=list)
    # (company id, site id, chamber id, authority id)
    companies: list[tuple[int, int, int, int]] = field(default_factory=list)
    users: dict[int, int] = field(default_factory=dict)  # organisation id -> a user id
    user_labels: dict[int, str] = field(default_factory=dict)


def _world(rng: random.Random, cases: int, password: str, now: dt.datetime) -> World:
    """The organisations, one place of business per company and one user per organisation."""
    world = World()
    today = timezone.localdate(now)
    authorities = 44  # the districts and towns of a Land the size of Baden-Württemberg
    chambers = 20
    companies = min(20_000, max(60, cases // 100))
    org_id, site_id, user_id = _next_id(Organisation), _next_id(Site), _next_id(User)
    served_model = Organisation.served_by.through
    served_id = _next_id(served_model)
    orgs = Table(Organisation, tuple(f.column for f in Organisation._meta.concrete_fields))
    sites = Table(Site, tuple(f.column for f in Site._meta.concrete_fields))
    users = Table(User, tuple(f.column for f in User._meta.concrete_fields))
    served = Table(served_model, ("id", "from_organisation_id", "to_organisation_id"))
    hashed = make_password(password)

    def row(table: Table, **values: Any) -> None:
        line = []
        for f in table.fields:
            value = values[f.attname] if f.attname in values else f.get_default()
            if isinstance(f, models.JSONField) and value is not None:
                value = json.dumps(value)
            elif isinstance(value, dt.datetime):
                value = value.astimezone(dt.UTC).isoformat(sep=" ")
            line.append(esc(value))
        table.add("\t".join(line) + "\n")

    def user(org: int, role: str, email: str, name: str) -> None:
        nonlocal user_id
        row(users, id=user_id, email=email, full_name=name, organisation_id=org, role=role,
            password=hashed, is_active=True, date_joined=now, language="de")  # fmt: skip
        world.users[org] = user_id
        world.user_labels[user_id] = name
        user_id += 1

    for n in range(authorities):
        row(orgs, id=org_id, kind=OrganisationKind.AUTHORITY, code=f"{PREFIX}-abh-{n}",
            name=f"Ausländerbehörde {TOWNS[n % len(TOWNS)]} {n}",
            authority_kind=AuthorityKind.ABH,
            cooperation_since=today - dt.timedelta(days=700))  # fmt: skip
        world.authorities.append(org_id)
        user(org_id, Role.ABH_CASEWORKER, f"abh{n}@{EMAIL_DOMAIN}", f"Sachbearbeitung ABH {n}")
        org_id += 1
    for n in range(chambers):
        kind = ChamberKind.IHK if n % 5 < 3 else ChamberKind.HWK
        row(orgs, id=org_id, kind=OrganisationKind.CHAMBER, code=f"{PREFIX}-chamber-{n}",
            name=f"{kind.upper()} {TOWNS[n % len(TOWNS)]} {n}", chamber_kind=kind,
            unit="Welcome Center")  # fmt: skip
        world.chambers.append(org_id)
        user(org_id, Role.CHAMBER_ADVISOR, f"chamber{n}@{EMAIL_DOMAIN}", f"Beratung Kammer {n}")
        org_id += 1
    for n in range(companies):
        chamber = world.chambers[rng.randrange(chambers)]
        authority = world.authorities[rng.randrange(authorities)]
        row(orgs, id=org_id, kind=OrganisationKind.COMPANY, code=f"{PREFIX}-company-{n}",
            name=f"{rng.choice(SURNAMES)} {rng.choice(JOBS)} GmbH {n}",
            chamber_membership=ChamberMembership.IHK, legal_form="GmbH",
            size_class=company_size_for(n))  # fmt: skip
        town = TOWNS[authority % len(TOWNS)]
        row(sites, id=site_id, company_id=org_id, label="Hauptsitz",
            street=f"Hauptstraße {n % 200 + 1}", postcode=f"{70000 + n % 9999:05d}",
            municipality=town, authority_id=authority, is_main=True)  # fmt: skip
        row(served, id=served_id, from_organisation_id=org_id, to_organisation_id=chamber)
        world.companies.append((org_id, site_id, chamber, authority))
        user(org_id, Role.COMPANY_HR, f"company{n}@{EMAIL_DOMAIN}", f"Personal {n}")
        org_id, site_id, served_id = org_id + 1, site_id + 1, served_id + 1
    for table in (orgs, sites, served, users):
        table.send()
    _reset_sequences([Organisation, Site, User, served_model])
    seed_leads(password)
    return world


def seed_leads(password: str = "volume-benchmark") -> int:  # noqa: S107  (benchmark accounts)
    """A lead for every seeded chamber and immigration office that has none yet (idempotent)."""
    hashed = make_password(password)
    now = timezone.now()
    have = set(
        User.objects.filter(email__endswith=f"@{LEAD_EMAIL_DOMAIN}").values_list(
            "organisation_id", flat=True
        )
    )
    made = 0
    for org in (
        Organisation.objects.filter(code__startswith=f"{PREFIX}-")
        .exclude(kind=OrganisationKind.COMPANY)
        .order_by("pk")
    ):
        if org.pk in have:
            continue
        chamber = org.kind == OrganisationKind.CHAMBER
        local = org.code.removeprefix(f"{PREFIX}-")
        User.objects.create(
            email=f"lead-{local}@{LEAD_EMAIL_DOMAIN}", full_name=f"Leitung {org.name}",
            organisation=org, role=Role.CHAMBER_LEAD if chamber else Role.ABH_LEAD,
            password=hashed, is_active=True, date_joined=now, language="de",
        )  # fmt: skip
        made += 1
    return made


CASE_COLUMNS = (
    "id", "reference", "worker_surname", "worker_given_names", "worker_birth_date",
    "worker_birth_place", "worker_nationality", "worker_passport_number",
    "worker_passport_expiry", "worker_email", "worker_language", "job_title", "planned_start",
    "company_id", "site_id", "chamber_id", "advisor_id", "authority_id", "title",
    "quickcheck_input", "quickcheck_result", "ruleset_version", "recognition_kind",
    "recognition_body_id", "state", "recognition_state", "ba_state", "version",
    "power_of_attorney_signed_on", "sub_power_of_attorney_signed_on", "forwarded_at",
    "intake_accepted_on", "agreement_concluded_on", "fee_paid_on", "entered_on", "registered_on",
    "residence_authority_name", "residence_permit_applied_on", "residence_permit_issued_on",
    "closed_on", "end_reason", "created_at", "created_by_id", "updated_at", "list_due_on",
    "qualification_country", "deadline_due_on",
)  # fmt: skip
TRANSITION_COLUMNS = ("id", "case_id", "action", "track", "from_state", "to_state",
                      "occurred_on", "recorded_at", "actor_id", "actor_label",
                      "actor_organisation_id", "data", "reason", "legal_basis", "version")  # fmt: skip
CLOCK_COLUMNS = ("id", "case_id", "code", "started_on", "stopped_on", "suspensions",
                 "extensions", "due_on", "kind", "created_at",
                 # the board's parties: deadlines.rebuild() after the load
                 "board_company_id", "board_chamber_id", "board_authority_id")  # fmt: skip
ITEM_COLUMNS = ("id", "case_id", "document_code", "requirement", "label_de", "label_en",
                "condition", "translation", "position", "checked_by_id", "checked_at",
                "paper_original_seen_by_id", "paper_original_seen_on", "note")  # fmt: skip
BLOB_COLUMNS = ("id", "kind", "name", "key_id", "sha256", "size", "created_at", "rotated_at")
DOCUMENT_COLUMNS = (
    "id", "case_id", "item_id", "blob_id", "filename", "mime_type", "size", "sha256",
    "page_count", "uploaded_at", "uploaded_by_id", "uploaded_via_link_id", "superseded_by_id",
    "retired_at", "translation_of_id", "language", "translation_required", "issued_on",
    "expires_on", "holder_surname", "holder_given_names", "holder_birth_date", "mrz_line1",
    "mrz_line2", "annual_gross_salary", "review_state", "reviewed_by_id", "reviewed_at",
    "rejection_reason", "acceptance_reason",
)  # fmt: skip
EVENT_COLUMNS = ("id", "occurred_at", "actor_id", "actor_label", "actor_organisation_id",
                 "action", "object_type", "object_id", "object_repr", "before", "after",
                 "request_id", "ip_address", "prev_hash", "hash", "personal_sha256", "redacted")  # fmt: skip
CONCERN_COLUMNS = ("id", "event_id", "organisation_id")
RECOGNITION_COLUMNS = ("id", "case_id", "kind", "body_id", "body_reference", "initiated_on",
                       "receipt_confirmed_on", "file_complete_on", "decided_on", "outcome",
                       "decision_reference")  # fmt: skip
BA_COLUMNS = ("id", "case_id", "reference", "requested_on", "answered_on", "outcome", "reason")
PREAPPROVAL_COLUMNS = ("id", "case_id", "reference", "issued_on", "valid_until", "mission")
VISA_COLUMNS = ("id", "case_id", "mission", "appointment_requested_on", "appointment_on",
                "applied_on", "decided_on", "outcome", "valid_until", "reason")  # fmt: skip
FACT_COLUMNS = (
    "id", "case_id", "chamber_id", "authority_id", "title", "recognition_body_id",
    "occupation_group", "started_on", "forwarded_on", "accepted_on", "recognition_started_on",
    "recognition_ended_on", "ba_started_on", "ba_ended_on", "preapproved_on", "appointment_on",
    "visa_issued_on", "entered_on", "ended_early_on", "advice_to_forwarding",
    "forwarding_to_acceptance", "recognition", "ba", "acceptance_to_preapproval",
    "preapproval_to_visa", "whole", "returned_count", "requests_count", "is_open",
    "current_phase", "phase_since", "expected", "computed_at", "company_size",
    "qualification_country",
)  # fmt: skip

# In the order they are written (parents before children, for SQLite's foreign keys).
TABLES: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Case, CASE_COLUMNS),
    (CaseTransition, TRANSITION_COLUMNS),
    (CaseClock, CLOCK_COLUMNS),
    (ChecklistItem, ITEM_COLUMNS),
    (StoredBlob, BLOB_COLUMNS),
    (Document, DOCUMENT_COLUMNS),
    (RecognitionProcedure, RECOGNITION_COLUMNS),
    (BaApproval, BA_COLUMNS),
    (PreApproval, PREAPPROVAL_COLUMNS),
    (VisaApplication, VISA_COLUMNS),
    (AuditEvent, EVENT_COLUMNS),
    (AuditEventConcern, CONCERN_COLUMNS),
    (CaseFacts, FACT_COLUMNS),
)


def _n(day: dt.date | None) -> str:
    return NULL if day is None else day.isoformat()


def _days(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None or end < start:
        return NULL
    return str((end - start).days)


@lru_cache(maxsize=16)
def _checklist(title: str) -> tuple[tuple[str, str, str], ...]:
    """Per row: (document code, whether mandatory, the escaped static columns)."""
    result = []
    for position, row in enumerate(rows_for(title, None), start=1):
        static = "\t".join(esc(v) for v in (
            row["code"], row["requirement"], row["label_de"], row["label_en"],
            row.get("condition", ""), row.get("translation", ""), position))  # fmt: skip
        result.append((row["code"], "t" if row["requirement"] == "mandatory" else "", static))
    return tuple(result)


class Generator:
    """Builds the rows of one case after another (pure: tables in, lines out)."""

    def __init__(self, rng: random.Random, world: World, tables: dict[type[models.Model], Table],
                 start: dict[type[models.Model], int], chain_head: str, now: dt.datetime,
                 seed: int) -> None:  # fmt: skip
        self.rng = rng
        self.world = world
        self.t = tables
        self.next = dict(start)
        self.head = chain_head
        self.now = now
        self.now_text = now.astimezone(dt.UTC).isoformat(sep=" ")
        self.today = timezone.localdate(now)
        self.seed = seed
        self.titles = tuple(str(t) for t in Title.values)
        self.needs = {t: needs_for_title(t) for t in self.titles}
        # What each user's label is in JSON (hashed) and in COPY text (stored).
        self.label_json = {u: json.dumps(lbl, ensure_ascii=False)
                           for u, lbl in world.user_labels.items()}  # fmt: skip
        self.label_text = {u: esc(lbl) for u, lbl in world.user_labels.items()}

    def _id(self, model: type[models.Model]) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk

    def case(self, n: int) -> None:
        rng, world, t, today = self.rng, self.world, self.t, self.today
        one = dt.timedelta(days=1)
        company_number = rng.randrange(len(world.companies))
        company, site, chamber, authority = world.companies[company_number]
        qualification_country = qualification_country_for(n)  # issue 13, outside the rng
        state = _STATES[bisect(_CUM, rng.random() * _CUM[-1])]
        title = self.titles[rng.randrange(len(self.titles))]
        needs = self.needs[title]
        withdrawn = state == CaseState.WITHDRAWN
        depth = rng.randrange(0, 6) if withdrawn else _DEPTH[state]
        gaps = [rng.randint(2, 21) for _ in range(depth + (1 if withdrawn else 0))]
        # Every step lies before today: no moment of the history is in the future.
        started = today - dt.timedelta(days=sum(gaps) + rng.randint(1, 120))
        steps: list[tuple[str, str, str, dt.date]] = []  # step, from, to, day
        day, current = started, str(CaseState.ADVICE)
        for (step, target), gap in zip(MAIN_LINE[:depth], gaps, strict=False):
            day = day + dt.timedelta(days=gap)
            steps.append((step, current, str(target), day))
            current = str(target)
        if withdrawn:
            day = day + dt.timedelta(days=gaps[-1])
            steps.append(("withdraw", current, str(CaseState.WITHDRAWN), day))
            current = str(CaseState.WITHDRAWN)
        step_day = {step: d for step, _f, _t, d in steps}
        forwarded_on = step_day.get("forward")
        agreed = step_day.get("conclude_agreement")
        recognition = str(RecognitionState.NOT_REQUIRED)
        ba = str(BaState.NOT_REQUIRED)
        if needs.recognition_kind:
            recognition = str(RecognitionState.PENDING)
            if agreed:
                recognition = (
                    (RecognitionState.INITIATED, RecognitionState.FILE_COMPLETE,
                     RecognitionState.DOCUMENTS_REQUESTED)[rng.randrange(3)]
                    if current == CaseState.AGREEMENT_CONCLUDED else RecognitionState.DECIDED_FULL
                )  # fmt: skip
        if needs.ba_required:
            ba = str(BaState.PENDING)
            if agreed:
                ba = str(
                    (BaState.REQUESTED, BaState.REQUESTED, BaState.APPROVED)[rng.randrange(3)]
                    if current == CaseState.AGREEMENT_CONCLUDED else BaState.APPROVED
                )  # fmt: skip
        case_id = self._id(Case)
        cid = str(case_id)
        updated = _moment(day.isoformat(), 15, rng.randrange(60))[0]

        # The procedures the ABH ran after the agreement, and the clocks they started: the open
        # one of the state, the BA week and the recognition decision while they run, and the
        # clocks of earlier phases as stopped.
        clocks: list[tuple[str, dt.date, dt.date | None]] = []
        if current in OPEN_CLOCK:
            code, step = OPEN_CLOCK[current]
            clocks.append((code, step_day[step], None))
        rec_start = rec_end = ba_start = ba_end = None
        if agreed:
            if ba == BaState.REQUESTED:
                ba_start = min(agreed + dt.timedelta(days=rng.randint(0, 10)), today)
                clocks.append(("ba_deemed_approval", ba_start, None))
            elif ba == BaState.APPROVED:
                ba_start = agreed + one
                ba_end = min(ba_start + dt.timedelta(days=5), today)
                clocks.append(("ba_deemed_approval", ba_start, ba_end))
            if ba_start is not None:
                t[BaApproval].add(f"{self._id(BaApproval)}\t{cid}\tBA-{case_id}\t{ba_start}\t"
                                  f"{_n(ba_end)}\t{'approved' if ba_end else ''}\t\n")  # fmt: skip
            if recognition != RecognitionState.NOT_REQUIRED:
                receipt = file_complete = None
                if recognition == RecognitionState.FILE_COMPLETE:
                    rec_start = agreed + one
                    file_complete = min(agreed + dt.timedelta(days=rng.randint(5, 30)), today)
                    receipt = rec_start
                    clocks.append(("recognition_decision", file_complete, None))
                elif recognition == RecognitionState.DECIDED_FULL:
                    rec_start = agreed + one
                    receipt = file_complete = rec_start
                    rec_end = rec_start + (step_day["issue_preapproval"] - rec_start) // 2
                else:
                    rec_start = min(agreed + dt.timedelta(days=rng.randint(1, 5)), today)
                    if recognition == RecognitionState.INITIATED:
                        clocks.append(("recognition_receipt", rec_start, None))
                t[RecognitionProcedure].add(
                    f"{self._id(RecognitionProcedure)}\t{cid}\t{needs.recognition_kind}\t{NULL}\t"
                    f"\t{rec_start}\t{_n(receipt)}\t{_n(file_complete)}\t{_n(rec_end)}\t"
                    f"{'full' if rec_end else ''}\t\n"
                )
        preapproved = step_day.get("issue_preapproval")
        if preapproved:
            valid = _due("preapproval_validity", preapproved) or preapproved
            t[PreApproval].add(f"{self._id(PreApproval)}\t{cid}\tVZ-{case_id}\t{preapproved}\t"
                               f"{valid}\t{MISSIONS[case_id % len(MISSIONS)]}\n")  # fmt: skip
        asked = step_day.get("request_visa_appointment")
        applied = step_day.get("apply_visa")
        issued = step_day.get("issue_visa")
        if asked:
            valid_to = _n(issued + dt.timedelta(days=180)) if issued else NULL
            t[VisaApplication].add(
                f"{self._id(VisaApplication)}\t{cid}\t{MISSIONS[case_id % len(MISSIONS)]}\t"
                f"{asked}\t{_n(applied)}\t{_n(applied)}\t{_n(issued)}\t"
                f"{'issued' if issued else ''}\t{valid_to}\t\n"
            )
        if applied and current != CaseState.VISA_APPLIED:
            clocks.append(("visa_decision", applied, issued or applied))
        list_due = LIST_DUE_NONE
        created = _moment(started.isoformat(), 9, rng.randrange(60))[0]
        for code, begun, stopped in clocks:
            begun = min(begun, today)
            due = _due(code, begun)
            if stopped is None and due is not None and due < list_due:
                list_due = due
            t[CaseClock].add(f"{self._id(CaseClock)}\t{cid}\t{code}\t{begun}\t"
                             f"{_n(min(stopped, today) if stopped else None)}\t[]\t[]\t{_n(due)}\t"
                             f"{_kind(code)}\t{created}\t{NULL}\t{NULL}\t{NULL}\n")  # fmt: skip

        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        given = GIVEN[rng.randrange(len(GIVEN))]
        reference = f"VOL-{n + 1:08d}"
        advisor = world.users[chamber]
        powers = _n(step_day.get("record_powers_signed"))
        birth = dt.date(1975 + rng.randrange(30), rng.randint(1, 12), rng.randint(1, 28))
        closed_on = step_day.get("close") or step_day.get("withdraw")
        t[Case].add("\t".join((
            cid, reference, surname, given, birth.isoformat(), TOWNS[rng.randrange(len(TOWNS))],
            NATIONALITIES[rng.randrange(len(NATIONALITIES))], f"P{rng.randrange(10**8):08d}",
            (today + dt.timedelta(days=rng.randint(400, 3000))).isoformat(),
            f"worker{n}@{EMAIL_DOMAIN}", "en", JOBS[rng.randrange(len(JOBS))],
            (started + dt.timedelta(days=240)).isoformat(), str(company), str(site),
            str(chamber), str(advisor), str(authority), title, NULL, NULL, "volume",
            needs.recognition_kind, NULL, current, recognition, ba, str(len(steps) + 1),
            powers, powers, f"{forwarded_on} 11:00:00+00:00" if forwarded_on else NULL,
            _n(step_day.get("accept_intake")), _n(agreed), _n(agreed),
            _n(step_day.get("record_entry")), _n(step_day.get("record_registration")), "",
            _n(step_day.get("apply_residence_permit")), _n(step_day.get("issue_residence_permit")),
            _n(closed_on), "Die Fachkraft hat abgesagt." if withdrawn else "", created,
            str(world.users[company]), updated, list_due.isoformat(),
            # deadline_due_on and the clocks' board parties: deadlines.rebuild() after the load.
            qualification_country, LIST_DUE_NONE.isoformat(),
        )) + "\n")  # fmt: skip

        # History and audit: one row each for the start and every step, the events chained.
        repr_json = json.dumps(f"{reference} {given} {surname}", ensure_ascii=False)
        repr_text = esc(f"{reference} {given} {surname}")
        concerns = sorted({company, chamber})
        concerns_json = ",".join(map(str, concerns))
        events, concern_rows = t[AuditEvent], t[AuditEventConcern]
        for version, (step, source, target, when) in enumerate(
            [("create", "", str(CaseState.ADVICE), started), *steps], start=1
        ):
            acting = (authority if _DEPTH.get(target, 0) > _FORWARDED_DEPTH
                      and target != CaseState.WITHDRAWN else chamber)  # fmt: skip
            actor = world.users[acting]
            stored, hashed = _moment(when.isoformat(), 10, version % 60)
            t[CaseTransition].add(
                f"{self._id(CaseTransition)}\t{cid}\t{step}\tstate\t{source}\t{target}\t{when}\t"
                f"{stored}\t{actor}\t{self.label_text[actor]}\t{acting}\t{{}}\t\t"
                f"§ 81a AufenthG\t{version}\n"
            )
            if step == "forward" and authority not in concerns:
                concerns = sorted({*concerns, authority})
                concerns_json = ",".join(map(str, concerns))
            event = self._id(AuditEvent)
            before = f'{{"state":"{source}"}}' if source else "null"
            after = f'{{"state":"{target}","version":{version}}}'
            # lotse.audit.chain: personal_digest and event_hash over canonical JSON (sorted keys,
            # no spaces); tests/cases/test_volume_chain.py checks this against `audit verify`.
            personal = hashlib.sha256(
                f'{{"after":{after},"before":{before},"ip_address":null,'
                f'"object_repr":{repr_json}}}'.encode()
            ).hexdigest()
            prev = self.head
            self.head = hashlib.sha256(
                f'{{"action":"case.{step}","actor":{actor},'
                f'"actor_label":{self.label_json[actor]},"actor_org":{acting},"at":"{hashed}",'
                f'"concerns":[{concerns_json}],"object_id":"{cid}",'
                f'"object_type":"cases.case","personal":"{personal}","prev":"{prev}",'
                f'"request_id":"","v":{CHAIN_VERSION}}}'.encode()
            ).hexdigest()
            events.add(f"{event}\t{stored}\t{actor}\t{self.label_text[actor]}\t{acting}\t"
                       f"case.{step}\tcases.case\t{cid}\t{repr_text}\t{before if source else NULL}\t"
                       f"{after}\t\t"
                       f"{NULL}\t{prev}\t{self.head}\t{personal}\tf\n")  # fmt: skip
            for org in concerns:
                concern_rows.add(f"{self._id(AuditEventConcern)}\t{event}\t{org}\n")

        # The checklist; from the completeness check on, with its documents (metadata only).
        checked = _DEPTH.get(current, 0) >= _CHECK_DEPTH and not withdrawn
        complete = forwarded_on is not None
        uploader = world.users[company]
        for position, (code, mandatory, static) in enumerate(_checklist(title), start=1):
            item = self._id(ChecklistItem)
            tick = complete and mandatory
            t[ChecklistItem].add(
                f"{item}\t{cid}\t{static}\t{advisor if tick else NULL}\t"
                f"{updated if tick else NULL}\t{NULL}\t{NULL}\t\n"
            )
            if checked and position <= 4:
                blob = self._id(StoredBlob)
                digest = f"{rng.getrandbits(256):064x}"
                size = 180_000 + rng.randrange(2_000_000)
                t[StoredBlob].add(f"{blob}\t{BlobKind.DOCUMENT}\tvolume/{cid}/{item}\tvolume\t"
                                  f"{digest}\t{size}\t{updated}\t{NULL}\n")  # fmt: skip
                t[Document].add(
                    f"{self._id(Document)}\t{cid}\t{item}\t{blob}\t{code}.pdf\tapplication/pdf\t"
                    f"{size}\t{digest}\t{rng.randint(1, 8)}\t{updated}\t{uploader}\t{NULL}\t"
                    f"{NULL}\t{NULL}\t{NULL}\tde\tf\t{NULL}\t{NULL}\t\t\t{NULL}\t\t\t{NULL}\t"
                    f"{ReviewState.ACCEPTED if complete else ReviewState.UPLOADED}\t"
                    f"{advisor if complete else NULL}\t{updated if complete else NULL}\t\t\n"
                )

        # The facts lotse.insights.facts.facts_values derives from these rows (tested).
        accepted = step_day.get("accept_intake")
        is_open = current in _BEFORE_ENTRY
        phase = _WIP.get(current, "") if is_open else ""
        since = None
        if phase:
            since = started
            for _step, source, target, when in steps:
                if _WIP.get(target) == phase and _WIP.get(source) != phase:
                    since = when
        ended_early = closed_on if current in _EARLY_ENDS else None
        t[CaseFacts].add("\t".join((
            str(self._id(CaseFacts)), cid, str(chamber), str(authority), title, NULL, "",
            started.isoformat(), _n(forwarded_on), _n(accepted), _n(rec_start), _n(rec_end),
            _n(ba_start), _n(ba_end), _n(preapproved), _n(applied), _n(issued),
            _n(step_day.get("record_entry")), _n(ended_early),
            _days(started, forwarded_on), _days(forwarded_on if accepted else None, accepted),
            _days(rec_start, rec_end), _days(ba_start, ba_end), _days(accepted, preapproved),
            _days(preapproved, issued), _days(started, issued), "0", "0",
            "t" if is_open else "f", phase, _n(since), "[]", self.now_text,
            company_size_for(company_number), qualification_country,
        )) + "\n")  # fmt: skip


def _tables() -> dict[type[models.Model], Table]:
    return {model: Table(model, columns) for model, columns in TABLES}


def seed_volume(*, cases: int, seed: int = 81, password: str = "volume-benchmark",  # noqa: S107  (benchmark accounts)
                progress: Callable[[int], None] | None = None,
                log: Callable[[str], None] | None = None) -> World:  # fmt: skip
    """Write ``cases`` cases and their world (appending: run it on an empty database)."""
    rng = random.Random(seed)  # noqa: S311  (test data, deterministic on purpose)
    now = timezone.now()
    with transaction.atomic():
        world = _world(rng, cases, password, now)
    tables = _tables()
    start = {model: _next_id(model) for model in tables}
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    gen = Generator(rng, world, tables, start, head, now, seed)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _load_postgresql(gen, cases, progress, log)
    else:
        # Inside a transaction (a test, a caller's atomic block) other sessions cannot see the
        # world or share the locks: one connection, indexes and checks as they are.
        done = 0
        while done < cases:
            count = min(BATCH, cases - done)
            with transaction.atomic():
                lock_chain()
                for n in range(done, done + count):
                    gen.case(n)
                for table in tables.values():
                    table.send()
            done += count
            if progress is not None:
                progress(done)
    _reset_sequences([Organisation, Site, User, Organisation.served_by.through, *tables])
    with transaction.atomic():  # after ANALYZE: the planner needs the sizes
        # What the services keep on every clock change and forwarding, set-based for the lot.
        deadlines.rebuild()
        known = set(AuthorityCompany.objects.values_list("authority_id", "company_id"))
        pairs = set(
            Case.objects.filter(forwarded_at__isnull=False)
            .values_list("authority_id", "company_id")
            .distinct()
        )
        AuthorityCompany.objects.bulk_create(
            [AuthorityCompany(authority_id=a, company_id=c) for a, c in sorted(pairs - known)]
        )
    return world


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def _secondary_indexes(cursor: Any, tables: list[str]) -> list[tuple[str, str, str, str]]:
    """(table, kind, name, definition) of every index but the primary keys: constraints
    (unique) by their constraint definition, plain indexes by their index definition."""
    cursor.execute(
        """
        SELECT t.relname, CASE WHEN c.conname IS NULL THEN 'index' ELSE 'constraint' END,
               COALESCE(c.conname, i.relname),
               COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(i.oid))
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('u', 'x')
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary
          AND t.relnamespace = 'public'::regnamespace
        ORDER BY t.relname, 3
        """,
        [tables],
    )
    return [tuple(row) for row in cursor.fetchall()]


def _load_postgresql(
    gen: Generator,
    cases: int,
    progress: Callable[[int], None] | None,
    log: Callable[[str], None] | None,
) -> None:
    """Stream each table through its own connection, indexes rebuilt after the load.

    Foreign-key checks (triggers) are off in these sessions (``session_replication_role``):
    the generator writes parents and children with matching ids, and checking tens of millions
    of references one by one would cost more than building the rows. The append-only guards of
    the audit tables are BEFORE UPDATE/DELETE triggers; they stay installed (this load only
    inserts) and are active again for every other session throughout.
    """
    import psycopg  # the PostgreSQL driver, present where this path runs

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    names = [table.table for table in gen.t.values()]
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, names)
        for tname, kind, name, _definition in indexes:
            if kind == "constraint":
                cursor.execute(f'ALTER TABLE "{tname}" DROP CONSTRAINT "{name}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')
    try:
        sessions = {}
        for model in gen.t:
            conn = psycopg.connect(**params)
            conn.execute("SET synchronous_commit = off")
            conn.execute("SET session_replication_role = replica")
            sessions[model] = conn
        try:
            done = 0
            while done < cases:
                count = min(BATCH, cases - done)
                copies = []
                for model, table in gen.t.items():
                    cols = ", ".join(f'"{c}"' for c in table.columns)
                    cm = sessions[model].cursor().copy(f'COPY "{table.table}" ({cols}) FROM STDIN')
                    table.copy = cm.__enter__()
                    copies.append(cm)
                for n in range(done, done + count):
                    gen.case(n)
                for table in gen.t.values():
                    table.send()
                for cm in copies:
                    cm.__exit__(None, None, None)
                for table in gen.t.values():
                    table.copy = None
                for conn in sessions.values():
                    conn.commit()
                done += count
                if progress is not None:
                    progress(done)
        finally:
            for conn in sessions.values():
                conn.close()
    finally:
        # Rebuilt even when the load failed: the schema must stay what the migrations made it.
        if log is not None:
            log(f"rebuilding {len(indexes)} indexes")
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for tname, kind, name, definition in indexes:
                if kind == "constraint":
                    cursor.execute(f'ALTER TABLE "{tname}" ADD CONSTRAINT "{name}" {definition}')
                else:
                    cursor.execute(definition)
            if log is not None:
                log("analysing")
            for name in names:
                cursor.execute(f'ANALYZE "{name}"')


def seed_tag(case_id: int) -> str:
    return f"{PREFIX}-{case_id}"


__all__ = ["EMAIL_DOMAIN", "Generator", "Table", "World", "seed_volume"]
