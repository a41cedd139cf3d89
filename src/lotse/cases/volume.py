"""A realistic volume of cases for benchmarks (``lotse seed_volume --cases N --seed S``).

A Land's worth of organisations (immigration offices, chambers, thousands of companies with one
place of business each, one user per organisation) and N cases spread over them and over the
states of the procedure, each with the history of the steps it took, its statutory clocks (due
days computed by the clock engine), its checklist, document rows (metadata only: no file is
stored) and the audit events of its steps. Deterministic for a seed. Rows are written with
PostgreSQL's COPY (bulk inserts elsewhere) in batches, bypassing the services on purpose: the
data is what the services would have written, not a replay of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

import lotse.access  # noqa: F401  (the access rules load before the checklist that uses them)
from lotse import clocks as engine
from lotse.accounts.models import Role, User
from lotse.audit.chain import GENESIS, event_hash, lock_chain, personal_digest
from lotse.audit.models import AuditEvent, AuditEventConcern
from lotse.cases import deadlines
from lotse.cases.checklist import rows_for
from lotse.cases.models import (
    LIST_DUE_NONE,
    AuthorityCompany,
    BaState,
    Case,
    CaseClock,
    CaseState,
    CaseTransition,
    ChecklistItem,
    RecognitionState,
    Title,
)
from lotse.cases.requirements import needs_for_title
from lotse.cases.volume_dimensions import company_size_for, qualification_country_for
from lotse.documents.models import BlobKind, Document, ReviewState, StoredBlob
from lotse.organisations.models import (
    AuthorityKind,
    ChamberKind,
    ChamberMembership,
    Organisation,
    OrganisationKind,
    Site,
)

BATCH = 5000
PREFIX = "vol"
EMAIL_DOMAIN = "volume.example"

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
_DEPTH = {state: depth for depth, (_step, state) in enumerate(MAIN_LINE, start=1)}
_DEPTH[CaseState.ADVICE] = 0

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

# The clock a case in a state has open: (clock code, main-line step whose day starts it).
OPEN_CLOCK: dict[str, tuple[str, str]] = {
    CaseState.PREAPPROVAL_ISSUED: ("preapproval_validity", "issue_preapproval"),
    CaseState.VISA_APPOINTMENT_REQUESTED: ("visa_appointment", "request_visa_appointment"),
    CaseState.VISA_APPLIED: ("visa_decision", "apply_visa"),
    CaseState.VISA_ISSUED: ("visa_validity", "issue_visa"),
    CaseState.ENTERED: ("registration_after_entry", "record_entry"),
}

SURNAMES = ("Sharma", "Okafor", "Nguyen", "Silva", "Kaya", "Hossain", "Mensah", "Reyes",
            "Petrov", "Haddad", "Castillo", "Tanaka", "Mwangi", "Kowalski", "Ali", "Gómez")  # fmt: skip
GIVEN = ("Priya", "Chinedu", "Linh", "Ana", "Emre", "Farhana", "Kwame", "José", "Irina",
         "Omar", "Lucía", "Kenji", "Wanjiru", "Piotr", "Aisha", "Carlos")  # fmt: skip
NATIONALITIES = ("IND", "NGA", "VNM", "BRA", "TUR", "BGD", "GHA", "PHL", "UKR", "JOR", "COL")
JOBS = ("Industriemechaniker", "Pflegefachkraft", "Softwareentwickler", "Elektroniker",
        "Koch", "Anlagenmechaniker SHK", "Kfz-Mechatroniker", "Berufskraftfahrer")  # fmt: skip
TOWNS = ("Ludwigsburg", "Stuttgart", "Heilbronn", "Karlsruhe", "Mannheim", "Freiburg",
         "Ulm", "Reutlingen", "Pforzheim", "Esslingen", "Tübingen", "Konstanz")  # fmt: skip


@dataclass
class World:
    authorities: list[int] = field(default_factory=list)
    chambers: list[int] = field(default_factory=list)
    # company id -> (site id, chamber id, authority id)
    companies: list[tuple[int, int, int, int]] = field(default_factory=list)
    users: dict[int, int] = field(default_factory=dict)  # organisation id -> a user id
    user_labels: dict[int, str] = field(default_factory=dict)


class Writer:
    """Writes rows of one model: COPY on PostgreSQL, bulk INSERT elsewhere."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        # Outside PostgreSQL the values go through the fields' own conversion (SQLite stores
        # datetimes as naive UTC text, compared as text).
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, **values: Any) -> None:
        row = []
        for name in self.attnames:
            value = values[name] if name in values else self.defaults[name]
            if name in self.json and value is not None:
                value = json.dumps(value)
            row.append(value)
        self.rows.append(tuple(row))

    def _prepared(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        # Outside PostgreSQL the values go through the fields' own conversion (SQLite stores
        # datetimes as naive UTC text and compares them as text).
        return tuple(
            value if f.attname in self.json else f.get_db_prep_save(value, connection)
            for f, value in zip(self.fields, row, strict=True)
        )

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as c:
                    for row in self.rows:
                        c.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    # Table and column names come from the models, never from input.
                    f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})",  # noqa: S608
                    [self._prepared(row) for row in self.rows],
                )
        self.written += len(self.rows)
        self.rows = []


def _next_id(model: type[models.Model]) -> Iterator[int]:
    start = (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    return iter(range(start, 2**62))


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


@lru_cache(maxsize=100_000)
def _due(code: str, started: dt.date) -> dt.date | None:
    return engine.compute_due(engine.clock(code), started, suspensions=[], extensions=[])


def _world(rng: random.Random, cases: int, password: str) -> World:
    """The organisations, one place of business per company and one user per organisation."""
    world = World()
    today = timezone.localdate()
    authorities = 44  # the districts and towns of a Land the size of Baden-Württemberg
    chambers = 20
    companies = min(20_000, max(60, cases // 100))
    org_ids, site_ids, user_ids = _next_id(Organisation), _next_id(Site), _next_id(User)
    orgs, sites, users = Writer(Organisation), Writer(Site), Writer(User)
    served = Writer(Organisation.served_by.through)
    served_ids = _next_id(Organisation.served_by.through)
    hashed = make_password(password)

    def user(org: int, role: str, email: str, name: str) -> None:
        pk = next(user_ids)
        users.add(id=pk, email=email, full_name=name, organisation_id=org, role=role,
                  password=hashed, is_active=True, date_joined=timezone.now(),
                  language="de")  # fmt: skip
        world.users[org] = pk
        world.user_labels[pk] = name

    for n in range(authorities):
        pk = next(org_ids)
        orgs.add(id=pk, kind=OrganisationKind.AUTHORITY, code=f"{PREFIX}-abh-{n}",
                 name=f"Ausländerbehörde {TOWNS[n % len(TOWNS)]} {n}",
                 authority_kind=AuthorityKind.ABH,
                 cooperation_since=today - dt.timedelta(days=700))  # fmt: skip
        world.authorities.append(pk)
        user(pk, Role.ABH_CASEWORKER, f"abh{n}@{EMAIL_DOMAIN}", f"Sachbearbeitung ABH {n}")
    for n in range(chambers):
        pk = next(org_ids)
        kind = ChamberKind.IHK if n % 5 < 3 else ChamberKind.HWK
        orgs.add(id=pk, kind=OrganisationKind.CHAMBER, code=f"{PREFIX}-chamber-{n}",
                 name=f"{kind.upper()} {TOWNS[n % len(TOWNS)]} {n}", chamber_kind=kind,
                 unit="Welcome Center")  # fmt: skip
        world.chambers.append(pk)
        user(pk, Role.CHAMBER_ADVISOR, f"chamber{n}@{EMAIL_DOMAIN}", f"Beratung Kammer {n}")
    for n in range(companies):
        pk = next(org_ids)
        chamber = world.chambers[rng.randrange(chambers)]
        authority = world.authorities[rng.randrange(authorities)]
        orgs.add(id=pk, kind=OrganisationKind.COMPANY, code=f"{PREFIX}-company-{n}",
                 name=f"{rng.choice(SURNAMES)} {rng.choice(JOBS)} GmbH {n}",
                 chamber_membership=ChamberMembership.IHK, legal_form="GmbH",
                 size_class=company_size_for(n))  # fmt: skip
        site = next(site_ids)
        town = TOWNS[authority % len(TOWNS)]
        sites.add(id=site, company_id=pk, label="Hauptsitz", street=f"Hauptstraße {n % 200 + 1}",
                  postcode=f"{70000 + n % 9999:05d}", municipality=town, authority_id=authority,
                  is_main=True)  # fmt: skip
        served.add(id=next(served_ids), from_organisation_id=pk, to_organisation_id=chamber)
        world.companies.append((pk, site, chamber, authority))
        user(pk, Role.COMPANY_HR, f"company{n}@{EMAIL_DOMAIN}", f"Personal {n}")
    for writer in (orgs, sites, served, users):
        writer.flush()
    return world


@dataclass
class _Ids:
    case: Iterator[int]
    transition: Iterator[int]
    clock: Iterator[int]
    item: Iterator[int]
    blob: Iterator[int]
    document: Iterator[int]
    event: Iterator[int]
    concern: Iterator[int]
    # The audit trail is a hash chain (lotse.audit.chain): each seeded event links to the one before.
    chain_head: list[str] = field(default_factory=list)


def _pick_state(rng: random.Random) -> str:
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    return str(rng.choices(states, weights)[0])


@lru_cache(maxsize=16)
def _checklist(title: str) -> list[dict[str, str]]:
    return rows_for(title, None)


def seed_volume(*, cases: int, seed: int = 81, password: str = "volume-benchmark",  # noqa: S107  (benchmark accounts)
                progress: Callable[[int], None] | None = None) -> World:  # fmt: skip
    """Write ``cases`` cases and their world (appending: run it on an empty database)."""
    rng = random.Random(seed)  # noqa: S311  (test data, deterministic on purpose)
    with transaction.atomic():
        world = _world(rng, cases, password)
    ids = _Ids(
        _next_id(Case), _next_id(CaseTransition), _next_id(CaseClock), _next_id(ChecklistItem),
        _next_id(StoredBlob), _next_id(Document), _next_id(AuditEvent),
        _next_id(AuditEventConcern),
        [AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS],
    )  # fmt: skip
    writers: dict[type[models.Model], Writer] = {
        m: Writer(m)
        for m in (
            Case,
            CaseTransition,
            CaseClock,
            ChecklistItem,
            StoredBlob,
            Document,
            AuditEvent,
            AuditEventConcern,
        )
    }
    done = 0
    while done < cases:
        count = min(BATCH, cases - done)
        with transaction.atomic():
            lock_chain()
            for n in range(done, done + count):
                _case(rng, world, ids, writers, n)
            for model in (Case, CaseTransition, CaseClock, ChecklistItem, StoredBlob, Document,
                          AuditEvent, AuditEventConcern):  # fmt: skip
                writers[model].flush()
        done += count
        if progress is not None:
            progress(done)
    _reset_sequences([Organisation, Site, User, Organisation.served_by.through, *writers])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
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


def _case(rng: random.Random, world: World, ids: _Ids,
          w: dict[type[models.Model], Writer], n: int) -> None:  # fmt: skip
    now = timezone.now()
    today = timezone.localdate()
    company, site, chamber, authority = world.companies[rng.randrange(len(world.companies))]
    state = _pick_state(rng)
    title = rng.choice(Title.values)
    needs = needs_for_title(title)
    withdrawn = state == CaseState.WITHDRAWN
    depth = rng.randrange(0, 6) if withdrawn else _DEPTH[state]
    gaps = [rng.randint(2, 21) for _ in range(depth + (1 if withdrawn else 0))]
    started = today - dt.timedelta(days=sum(gaps) + rng.randint(0, 120))
    created = dt.datetime.combine(started, dt.time(9, rng.randrange(60)), tzinfo=dt.UTC)
    advisor = world.users[chamber]
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
    after_agreement = "conclude_agreement" in step_day
    recognition = str(RecognitionState.NOT_REQUIRED)
    ba = str(BaState.NOT_REQUIRED)
    if needs.recognition_kind:
        recognition = str(RecognitionState.PENDING)
        if after_agreement:
            recognition = rng.choice(
                [RecognitionState.INITIATED, RecognitionState.FILE_COMPLETE,
                 RecognitionState.DOCUMENTS_REQUESTED]
                if current == CaseState.AGREEMENT_CONCLUDED else [RecognitionState.DECIDED_FULL]
            )  # fmt: skip
    if needs.ba_required:
        ba = str(BaState.PENDING)
        if after_agreement:
            ba = str(
                rng.choice([BaState.REQUESTED, BaState.REQUESTED, BaState.APPROVED])
                if current == CaseState.AGREEMENT_CONCLUDED else BaState.APPROVED
            )  # fmt: skip
    case_id = next(ids.case)
    updated = dt.datetime.combine(day, dt.time(15, rng.randrange(60)), tzinfo=dt.UTC)
    updated = min(updated, now)

    # Clocks: the open one of the state, the BA week and the recognition decision while they
    # run, and the clocks of earlier phases as stopped.
    clocks: list[tuple[str, dt.date, dt.date | None]] = []
    if current in OPEN_CLOCK:
        code, step = OPEN_CLOCK[current]
        clocks.append((code, step_day[step], None))
    if after_agreement:
        agreed = step_day["conclude_agreement"]
        if ba == BaState.REQUESTED:
            clocks.append(("ba_deemed_approval", agreed + dt.timedelta(days=rng.randint(0, 10)),
                           None))  # fmt: skip
        elif ba == BaState.APPROVED:
            begun = agreed + dt.timedelta(days=1)
            clocks.append(("ba_deemed_approval", begun, begun + dt.timedelta(days=5)))
        if recognition == RecognitionState.FILE_COMPLETE:
            clocks.append(("recognition_decision", agreed + dt.timedelta(days=rng.randint(5, 30)),
                           None))  # fmt: skip
        elif recognition == RecognitionState.INITIATED:
            clocks.append(("recognition_receipt", agreed + dt.timedelta(days=rng.randint(1, 5)),
                           None))  # fmt: skip
    if "apply_visa" in step_day and current != CaseState.VISA_APPLIED:
        clocks.append(("visa_decision", step_day["apply_visa"],
                       step_day.get("issue_visa", step_day["apply_visa"])))  # fmt: skip
    list_due = LIST_DUE_NONE
    for code, begun, stopped in clocks:
        begun = min(begun, today)
        due = _due(code, begun)
        if stopped is None and due is not None:
            list_due = min(list_due, due)
        w[CaseClock].add(id=next(ids.clock), case_id=case_id, code=code, started_on=begun,
                         stopped_on=min(stopped, today) if stopped else None, suspensions=[],
                         extensions=[], due_on=due, kind=engine.clock(code).kind,
                         created_at=now)  # fmt: skip

    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    w[Case].add(
        id=case_id, reference=f"VOL-{n + 1:08d}", worker_surname=surname,
        worker_given_names=given,
        worker_birth_date=dt.date(1975 + rng.randrange(30), rng.randint(1, 12), rng.randint(1, 28)),
        worker_birth_place=rng.choice(TOWNS), worker_nationality=rng.choice(NATIONALITIES),
        worker_passport_number=f"P{rng.randrange(10**8):08d}",
        worker_passport_expiry=today + dt.timedelta(days=rng.randint(400, 3000)),
        worker_email=f"worker{n}@{EMAIL_DOMAIN}", worker_language="en",
        job_title=rng.choice(JOBS), planned_start=started + dt.timedelta(days=240),
        qualification_country=qualification_country_for(n),  # issue 13: volume_dimensions
        company_id=company, site_id=site, chamber_id=chamber, advisor_id=advisor,
        authority_id=authority, title=title, ruleset_version="volume",
        recognition_kind=needs.recognition_kind, state=current, recognition_state=recognition,
        ba_state=ba, version=len(steps) + 1,
        power_of_attorney_signed_on=step_day.get("record_powers_signed"),
        sub_power_of_attorney_signed_on=step_day.get("record_powers_signed"),
        forwarded_at=(dt.datetime.combine(forwarded_on, dt.time(11), tzinfo=dt.UTC)
                      if forwarded_on else None),
        intake_accepted_on=step_day.get("accept_intake"),
        agreement_concluded_on=step_day.get("conclude_agreement"),
        fee_paid_on=step_day.get("conclude_agreement"),
        entered_on=step_day.get("record_entry"), registered_on=step_day.get("record_registration"),
        residence_permit_applied_on=step_day.get("apply_residence_permit"),
        residence_permit_issued_on=step_day.get("issue_residence_permit"),
        closed_on=step_day.get("close") or step_day.get("withdraw"),
        end_reason="Die Fachkraft hat abgesagt." if withdrawn else "",
        created_at=created, created_by_id=world.users[company], updated_at=updated,
        list_due_on=list_due,
    )  # fmt: skip

    # History and audit: one row each for the start and every step.
    concerns = [company, chamber]
    for version, (step, source, target, when) in enumerate(
        [("create", "", str(CaseState.ADVICE), started), *steps], start=1
    ):
        acting = (authority if _DEPTH.get(target, 0) > _DEPTH[CaseState.FORWARDED]
                  and target != CaseState.WITHDRAWN else chamber)  # fmt: skip
        actor = world.users[acting]
        at = dt.datetime.combine(when, dt.time(10, version % 60), tzinfo=dt.UTC)
        at = min(at, now)
        w[CaseTransition].add(id=next(ids.transition), case_id=case_id, action=step,
                              track="state", from_state=source, to_state=target, occurred_on=when,
                              recorded_at=at, actor_id=actor,
                              actor_label=world.user_labels[actor], data={}, reason="",
                              legal_basis="§ 81a AufenthG", version=version)  # fmt: skip
        if step == "forward":
            concerns.append(authority)
        event = next(ids.event)
        content: dict[str, Any] = {
            "occurred_at": at, "actor_id": actor, "actor_label": world.user_labels[actor],
            "actor_organisation_id": acting, "action": f"case.{step}",
            "object_type": "cases.case", "object_id": str(case_id), "request_id": "",
        }  # fmt: skip
        personal: dict[str, Any] = {
            "object_repr": f"VOL-{n + 1:08d} {given} {surname}",
            "before": {"state": source} if source else None,
            "after": {"state": target, "version": version},
            "ip_address": None,
        }
        personal_sha256 = personal_digest(**personal)
        prev_hash = ids.chain_head[0]
        event_sha256 = event_hash(prev_hash=prev_hash, personal_sha256=personal_sha256,
                                  concern_ids=concerns, **content)  # fmt: skip
        ids.chain_head[0] = event_sha256
        w[AuditEvent].add(id=event, **content, **personal, personal_sha256=personal_sha256,
                          prev_hash=prev_hash, hash=event_sha256)  # fmt: skip
        for org in concerns:
            w[AuditEventConcern].add(id=next(ids.concern), event_id=event, organisation_id=org)

    # The checklist; from the completeness check on, with its documents (metadata only).
    checked = _DEPTH.get(current, 0) >= _DEPTH[CaseState.COMPLETENESS_CHECK] and not withdrawn
    complete = forwarded_on is not None
    for position, row in enumerate(_checklist(title), start=1):
        item = next(ids.item)
        tick = complete and row["requirement"] == "mandatory"
        w[ChecklistItem].add(id=item, case_id=case_id, document_code=row["code"],
                             requirement=row["requirement"], label_de=row["label_de"],
                             label_en=row["label_en"], condition=row.get("condition", ""),
                             translation=row.get("translation", ""), position=position,
                             checked_by_id=advisor if tick else None,
                             checked_at=updated if tick else None, note="")  # fmt: skip
        if checked and position <= 4:
            blob = next(ids.blob)
            digest = hashlib.sha256(f"{seed_tag(case_id)}-{item}".encode()).hexdigest()
            size = 180_000 + rng.randrange(2_000_000)
            w[StoredBlob].add(id=blob, kind=BlobKind.DOCUMENT, name=f"volume/{case_id}/{item}",
                              key_id="volume", sha256=digest, size=size, created_at=updated)  # fmt: skip
            w[Document].add(id=next(ids.document), case_id=case_id, item_id=item, blob_id=blob,
                            filename=f"{row['code']}.pdf", mime_type="application/pdf",
                            size=size, sha256=digest, page_count=rng.randint(1, 8),
                            uploaded_at=updated, uploaded_by_id=world.users[company],
                            review_state=ReviewState.ACCEPTED if complete else ReviewState.UPLOADED,
                            reviewed_by_id=advisor if complete else None,
                            reviewed_at=updated if complete else None, language="de")  # fmt: skip


def seed_tag(case_id: int) -> str:
    return f"{PREFIX}-{case_id}"
