"""The case: one worker's accelerated procedure (§ 81a AufenthG), from advice to onboarding.

The states and transitions live in ``lotse.cases.workflow``; this module only holds the data.
Three django-fsm fields carry the procedure: ``state`` (the main line), and the two tracks
that run in parallel after the agreement (§ 81a Abs. 3 Nr. 2 and Nr. 4): ``recognition_state``
and ``ba_state``. A track a title does not need stays ``not_required`` (skipped, not faked).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from lotse.core.choices import ChoiceLabels
from lotse.core.models import AppendOnlyModel, RecordImmutableError
from lotse.organisations.models import Organisation, OrganisationKind, Site


class Title(models.TextChoices):
    """The residence titles of the rules engine (lotse.rules.documents.TITLES)."""

    T16A = "16a", _("Vocational training (§ 16a AufenthG)")
    T16D1 = "16d1", _("Adaptation measures after partial recognition (§ 16d Abs. 1 AufenthG)")
    T16D3 = "16d3", _("Recognition partnership (§ 16d Abs. 3 AufenthG)")
    T18A = "18a", _("Skilled worker with vocational training (§ 18a AufenthG)")
    T18B = "18b", _("Skilled worker with academic training (§ 18b AufenthG)")
    T18G = "18g", _("EU Blue Card (§ 18g AufenthG)")
    T19C2 = "19c2", _("Professional experience (§ 19c Abs. 2 AufenthG with § 6 BeschV)")


class CaseState(models.TextChoices):
    ADVICE = "advice", _("Advice")
    COLLECTING_DOCUMENTS = "collecting_documents", _("Collecting documents")
    COMPLETENESS_CHECK = "completeness_check", _("Completeness check by the chamber")
    POWERS_SIGNED = "powers_signed", _("Powers of attorney signed")
    FORWARDED = "forwarded", _("Forwarded to the immigration office")
    RETURNED = "returned", _("Returned to the chamber")
    INTAKE_ACCEPTED = "intake_accepted", _("Accepted by the immigration office")
    AGREEMENT_CONCLUDED = "agreement_concluded", _("Agreement concluded, fee paid")
    PREAPPROVAL_ISSUED = "preapproval_issued", _("Pre-approval issued")
    VISA_APPOINTMENT_REQUESTED = "visa_appointment_requested", _("Visa appointment requested")
    VISA_APPLIED = "visa_applied", _("Visa applied for")
    VISA_ISSUED = "visa_issued", _("Visa issued")
    ENTERED = "entered", _("Entered Germany")
    REGISTERED = "registered", _("Residence registered")
    RESIDENCE_PERMIT_APPLIED = "residence_permit_applied", _("Residence permit applied for")
    RESIDENCE_PERMIT_ISSUED = "residence_permit_issued", _("Residence permit issued")
    ONBOARDING = "onboarding", _("Onboarding")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated for lack of cooperation")
    REJECTED = "rejected", _("Ended: requirements not met")
    PREAPPROVAL_EXPIRED = "preapproval_expired", _("Pre-approval expired")
    VISA_REFUSED = "visa_refused", _("Visa refused")
    EMPLOYMENT_ENDED = "employment_ended", _("Employment ended early")


class RecognitionState(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not needed for this title")
    PENDING = "pending", _("To be initiated")
    INITIATED = "initiated", _("Initiated at the recognition body")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
    DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
    FILE_COMPLETE = "file_complete", _("File complete, decision pending")
    DECIDED_FULL = "decided_full", _("Decided: fully equivalent")
    DECIDED_PARTIAL = "decided_partial", _("Decided: partially equivalent")
    DECIDED_REJECTED = "decided_rejected", _("Decided: rejected")


class RecognitionKind(models.TextChoices):
    EQUIVALENCE = "equivalence", _("Equivalence assessment")
    COMPARABILITY = "comparability", _("Statement of comparability (ZAB)")
    DAB = "dab", _("Digital information on the qualification (ZAB, DAB)")


class BaState(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not needed for this title")
    PENDING = "pending", _("To be requested")
    REQUESTED = "requested", _("Requested")
    INFORMATION_REQUESTED = "information_requested", _("Information requested by the BA")
    APPROVED = "approved", _("Approved")
    DEEMED_APPROVED = "deemed_approved", _("Deemed approved")
    REFUSED = "refused", _("Refused")


class WorkerLanguage(models.TextChoices):
    """The languages of the worker's page and mails (lotse.documents.worker_texts)."""

    DE = "de", _("German")
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    TR = "tr", _("Turkish")
    AR = "ar", _("Arabic")


class Requirement(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory")
    CONDITIONAL = "conditional", _("if applicable")


class FamilyRelation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Minor unmarried child")


class ReferenceCounter(models.Model):
    """The last reference number handed out per prefix and year (LB-2026-00042)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("prefix", "year"), name="case_refcounter_unique"),
        )

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


# No open clock: such cases sort after every dated one (a date, not NULL, so that one btree
# range serves the keyset pagination).
LIST_DUE_NONE = dt.date(9999, 12, 31)
_LIST = ("list_due_on", "-updated_at", "-id")


class Case(ChoiceLabels, models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)

    # The worker, names exactly as in the passport.
    worker_surname = models.CharField(_("surname (as in the passport)"), max_length=120)
    worker_given_names = models.CharField(
        _("given names (as in the passport)"), max_length=160, blank=True
    )
    worker_birth_date = models.DateField(_("date of birth"))
    worker_birth_place = models.CharField(_("place of birth"), max_length=120)
    worker_nationality = models.CharField(
        _("nationality"),
        max_length=3,
        help_text=_("Three-letter code as in the passport, e.g. IND."),
    )
    worker_passport_number = models.CharField(_("passport number"), max_length=20)
    worker_passport_expiry = models.DateField(_("passport valid until"))
    worker_email = models.EmailField(_("worker's e-mail"), blank=True)
    worker_language = models.CharField(
        _("language for messages to the worker"),
        max_length=2,
        choices=WorkerLanguage.choices,
        default=WorkerLanguage.EN,
    )

    # The job.
    job_title = models.CharField(_("job"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start of work"), null=True, blank=True)
    # Where the qualification was obtained (ISO 3166-1 alpha-3 as the nationality; blank:
    # not given). A figure of the statistics (issue 13), not a fact any rule decides on.
    qualification_country = models.CharField(
        _("country of the qualification"), max_length=3, blank=True
    )

    # The parties.
    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"kind": OrganisationKind.COMPANY},
    )
    site = models.ForeignKey(
        Site, verbose_name=_("place of business"), on_delete=models.PROTECT, related_name="cases"
    )
    chamber = models.ForeignKey(
        Organisation,
        verbose_name=_("serving chamber"),
        on_delete=models.PROTECT,
        related_name="chamber_cases",
        limit_choices_to={"kind": OrganisationKind.CHAMBER},
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chamber advisor"),
        on_delete=models.PROTECT,
        related_name="advised_cases",
        null=True,
        blank=True,
    )
    # The ABH competent for the place of business (§ 71 Abs. 1 AufenthG), from the rules engine.
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("competent immigration office"),
        on_delete=models.PROTECT,
        related_name="authority_cases",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
    )

    # The title and the advice it rests on.
    title = models.CharField(_("residence title"), max_length=5, choices=Title.choices)
    quickcheck_input = models.JSONField(_("Quick-Check input"), null=True, blank=True)
    quickcheck_result = models.JSONField(_("Quick-Check result"), null=True, blank=True)
    ruleset_version = models.CharField(_("ruleset version"), max_length=40, blank=True)
    recognition_kind = models.CharField(
        _("kind of recognition"), max_length=20, choices=RecognitionKind.choices, blank=True
    )
    recognition_body = models.ForeignKey(
        Organisation,
        verbose_name=_("recognition body"),
        on_delete=models.PROTECT,
        related_name="recognition_cases",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.EXTERNAL_BODY},
    )

    # The procedure (transitions: lotse.cases.workflow).
    state = FSMField(
        _("state"),
        max_length=40,
        choices=CaseState.choices,
        default=CaseState.ADVICE,
        protected=True,
    )
    recognition_state = FSMField(
        _("recognition"),
        max_length=30,
        choices=RecognitionState.choices,
        default=RecognitionState.NOT_REQUIRED,
        protected=True,
    )
    ba_state = FSMField(
        _("BA approval"),
        max_length=30,
        choices=BaState.choices,
        default=BaState.NOT_REQUIRED,
        protected=True,
    )
    # Optimistic locking: every change increments it; a write with a stale version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    # Dates the main line records (the external bodies' steps have their own records below).
    power_of_attorney_signed_on = models.DateField(
        _("power of attorney signed"), null=True, blank=True
    )
    sub_power_of_attorney_signed_on = models.DateField(
        _("sub-power of attorney signed"), null=True, blank=True
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    intake_accepted_on = models.DateField(
        _("accepted by the immigration office"), null=True, blank=True
    )
    agreement_concluded_on = models.DateField(_("agreement concluded"), null=True, blank=True)
    fee_paid_on = models.DateField(_("fee paid"), null=True, blank=True)
    entered_on = models.DateField(_("entered Germany"), null=True, blank=True)
    registered_on = models.DateField(_("residence registered"), null=True, blank=True)
    residence_authority_name = models.CharField(
        _("immigration office at the place of residence"), max_length=200, blank=True
    )
    residence_permit_applied_on = models.DateField(
        _("residence permit applied for"), null=True, blank=True
    )
    residence_permit_issued_on = models.DateField(
        _("residence permit issued"), null=True, blank=True
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the end"), blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    # The earliest due day of the case's open clocks, LIST_DUE_NONE when none is open: the sort
    # key of the workbench lists, kept by lotse.cases.deadlines on every clock change so that a
    # list page reads one index range instead of aggregating the clocks of every case.
    list_due_on = models.DateField(_("next due"), default=LIST_DUE_NONE, editable=False)
    # The earliest due day of the open clocks of kind "deadline" (LIST_DUE_NONE when none): a
    # case is overdue when it lies before today, so the overdue filter reads one column instead
    # of probing the clocks of every case (kept with list_due_on by lotse.cases.deadlines).
    deadline_due_on = models.DateField(_("next deadline"), default=LIST_DUE_NONE, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ("-created_at", "-id")
        # Each index matches a list's filter and its sort (lotse.cases.selectors.LIST_ORDER), so
        # that a page is one range scan of at most a page of rows at any volume.
        indexes = (
            models.Index(fields=("company", *_LIST), name="case_company_list_idx"),
            models.Index(fields=("chamber", *_LIST), name="case_chamber_list_idx"),
            models.Index(
                fields=("authority", *_LIST),
                name="case_authority_list_idx",
                condition=models.Q(forwarded_at__isnull=False),
            ),
            models.Index(fields=("company", "state", *_LIST), name="case_company_state_idx"),
            models.Index(fields=("chamber", "state", *_LIST), name="case_chamber_state_idx"),
            models.Index(fields=("authority", "state", *_LIST), name="case_authority_state_idx"),
            # Which companies an ABH sees (lotse.access): one probe per company.
            models.Index(
                fields=("authority", "company"),
                name="case_authority_company_idx",
                condition=models.Q(forwarded_at__isnull=False),
            ),
            models.Index(
                fields=("authority", "forwarded_at", "id"),
                name="case_intake_idx",
                condition=models.Q(state="forwarded"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.worker_name}"

    @property
    def worker_name(self) -> str:
        return f"{self.worker_given_names} {self.worker_surname}".strip()


# The worker's fields, declared once: the model fields above are the declaration; the services,
# the forms and the API read this list (and the fields' own label, max_length and blank).
WORKER_FIELDS: tuple[str, ...] = tuple(
    f.name for f in Case._meta.local_fields if f.name.startswith("worker_")
)
WORKER_REQUIRED: tuple[str, ...] = tuple(
    f.name
    for f in Case._meta.local_fields
    if f.name in WORKER_FIELDS and not f.blank and not f.has_default()
)


class FamilyMember(ChoiceLabels, models.Model):
    """A spouse or minor child joining in the procedure (§ 81a Abs. 4 AufenthG)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_members")
    relation = models.CharField(_("relation"), max_length=10, choices=FamilyRelation.choices)
    surname = models.CharField(_("surname (as in the passport)"), max_length=120)
    given_names = models.CharField(
        _("given names (as in the passport)"), max_length=160, blank=True
    )
    birth_date = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=3)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ("case", "relation", "birth_date", "id")

    def __str__(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


class CaseHistoryImmutableError(RecordImmutableError, ValueError):
    """A step of the procedure, once recorded, is history."""


class CaseTransition(AppendOnlyModel):
    """One step of the procedure as it happened: immutable history of a case."""

    immutable_error = CaseHistoryImmutableError
    immutable_label = "A case history entry"
    # Free text and recorded values may name the worker; retention neutralises them.
    personal_fields = ("data", "reason")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=60)
    track = models.CharField(_("track"), max_length=20)  # state | recognition_state | ba_state
    from_state = models.CharField(_("from"), max_length=40)
    to_state = models.CharField(_("to"), max_length=40)
    # The day the step happened in the world (may lie before the day it was recorded).
    occurred_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=254, blank=True)
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("recorded data"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("case version after the step"))

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")
        ordering = ("case", "recorded_at", "id")
        indexes = (models.Index(fields=("case", "recorded_at"), name="case_transition_idx"),)

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_state}→{self.to_state}"


def _board_party(related_name: str) -> models.ForeignKey[Organisation | None, Organisation | None]:
    # No constraint and no index of its own: a copy of the case's key, read through the
    # board indexes only.
    return models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        related_name=related_name,
        null=True,
        blank=True,
        editable=False,
        db_constraint=False,
        db_index=False,
    )


BOARD_PARTIES = ("company", "chamber", "authority")
# The board columns' filters beyond the party (lotse.cases.selectors._board_column).
BOARD_INDEX_CONDITIONS = {
    "due": models.Q(stopped_on__isnull=True),
    "overdue": models.Q(stopped_on__isnull=True, kind="deadline"),
    "deemed": models.Q(stopped_on__isnull=True, code="ba_deemed_approval"),
}


def _board_indexes() -> list[models.Index]:
    return [
        models.Index(
            fields=(f"board_{party}", "due_on", "id"),
            name=f"clock_{party}_{column}_idx",
            condition=condition,
        )
        for party in BOARD_PARTIES
        for column, condition in BOARD_INDEX_CONDITIONS.items()
    ]


class CaseClock(models.Model):
    """One statutory clock of a case (lotse.clocks), with its suspensions and extensions.

    ``suspensions`` is a list of ``{"start": ISO date, "end": ISO date | null, "reason": str}``,
    ``extensions`` a list of ``{"days": int, "unit": str, "reason": str}``. ``due_on`` is
    recomputed by the service on every change (None while an open suspension halts the clock)
    so that boards can filter in the database.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    code = models.CharField(_("clock"), max_length=40)
    started_on = models.DateField(_("started"))
    stopped_on = models.DateField(_("stopped"), null=True, blank=True)
    suspensions = models.JSONField(_("suspensions"), default=list, blank=True)
    extensions = models.JSONField(_("extensions"), default=list, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=10)  # deadline | validity | fiction
    created_at = models.DateTimeField(default=timezone.now)
    # The parties who see the clock on their deadline board, copied from the case while the
    # clock is open (the ABH only once the file was forwarded to it, as lotse.access decides),
    # so that a board column is one range of an index below and no join over the cases. Kept by
    # save() and lotse.cases.deadlines.refresh_list_due; meaningless once the clock stopped.
    board_company = _board_party("+")
    board_chamber = _board_party("+")
    board_authority = _board_party("+")

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ("case", "started_on", "id")
        indexes = (
            models.Index(fields=("stopped_on", "due_on"), name="case_clock_open_idx"),
            # The deadline board walks the open clocks in due order (lotse.cases.selectors).
            models.Index(
                fields=("due_on", "id"),
                name="case_clock_board_idx",
                condition=models.Q(stopped_on__isnull=True),
            ),
            # One index per party and board column (lotse.cases.selectors._board_column): the
            # rows of a column are one range of it in the column's order, read up to a page.
            *_board_indexes(),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.code} {self.started_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.stopped_on is None and self.case_id is not None:
            parties = board_parties(self.case)
            fields = kwargs.get("update_fields")
            if any(getattr(self, name) != value for name, value in parties.items()):
                for name, value in parties.items():
                    setattr(self, name, value)
                if fields is not None:
                    kwargs["update_fields"] = [*fields, *parties]
        super().save(*args, **kwargs)


def board_parties(case: Case) -> dict[str, int | None]:
    """What an open clock of ``case`` stores as its board parties (``CaseClock.board_*``)."""
    return {
        "board_company_id": case.company_id,
        "board_chamber_id": case.chamber_id,
        # An ABH sees a case once it was forwarded to it (lotse.access.cases_visible_to).
        "board_authority_id": case.authority_id if case.forwarded_at is not None else None,
    }


class ChecklistItem(ChoiceLabels, models.Model):
    """One document the file needs, from the rules engine's matrix for the case's title.

    The chamber ticks it as present and checked, or records that it saw the original on paper.
    Forwarding is guarded by ``lotse.cases.workflow.checklist_gaps``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    document_code = models.CharField(_("document"), max_length=60)
    requirement = models.CharField(_("requirement"), max_length=12, choices=Requirement.choices)
    label_de = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300)
    condition = models.CharField(_("condition"), max_length=60, blank=True)
    translation = models.CharField(_("translation"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    paper_original_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("original on paper seen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paper_original_seen_on = models.DateField(_("original on paper seen"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ("case", "position", "id")
        constraints = (
            models.UniqueConstraint(fields=("case", "document_code"), name="case_checklist_unique"),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.document_code}"

    @property
    def label(self) -> str:
        return self.label_de if translation.get_language() == "de" else self.label_en

    @property
    def is_mandatory(self) -> bool:
        return self.requirement == Requirement.MANDATORY

    @property
    def is_satisfied(self) -> bool:
        return self.checked_at is not None or self.paper_original_seen_on is not None


class AdvisoryNote(models.Model):
    """The chamber's notes on its advice; visible to the chamber only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=254)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("advisory note")
        verbose_name_plural = _("advisory notes")
        ordering = ("case", "-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"


class RecognitionOutcome(models.TextChoices):
    FULL = "full", _("fully equivalent")
    PARTIAL = "partial", _("partially equivalent")
    REJECTED = "rejected", _("not equivalent")


class RecognitionProcedure(ChoiceLabels, models.Model):
    """The recognition or statement of comparability the ABH initiated (§ 81a Abs. 3 Nr. 2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recognitions")
    kind = models.CharField(_("kind"), max_length=20, choices=RecognitionKind.choices)
    body = models.ForeignKey(
        Organisation,
        verbose_name=_("recognition body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body_reference = models.CharField(_("reference of the body"), max_length=100, blank=True)
    initiated_on = models.DateField(_("initiated"))
    receipt_confirmed_on = models.DateField(_("receipt confirmed"), null=True, blank=True)
    file_complete_on = models.DateField(_("file complete"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("decision"), max_length=10, choices=RecognitionOutcome.choices, blank=True
    )
    decision_reference = models.CharField(
        _("reference of the decision"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("recognition procedure")
        verbose_name_plural = _("recognition procedures")
        ordering = ("case", "initiated_on", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.initiated_on}"


class BaOutcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    DEEMED = "deemed", _("deemed approved")
    REFUSED = "refused", _("refused")


class BaApproval(ChoiceLabels, models.Model):
    """A request for the Federal Employment Agency's approval (§ 81a Abs. 3 Nr. 4, § 36 BeschV)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ba_approvals")
    reference = models.CharField(_("BA reference"), max_length=100, blank=True)
    requested_on = models.DateField(_("requested"))
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    outcome = models.CharField(_("answer"), max_length=10, choices=BaOutcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("BA approval")
        verbose_name_plural = _("BA approvals")
        ordering = ("case", "requested_on", "id")

    def __str__(self) -> str:
        return f"{self.case_id} BA {self.requested_on}"


class PreApproval(ChoiceLabels, models.Model):
    """The Vorabzustimmung (§ 81a Abs. 3 Nr. 6 AufenthG, § 31 Abs. 3 AufenthV)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preapprovals")
    reference = models.CharField(_("file reference"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued"))
    valid_until = models.DateField(_("valid until"))
    mission = models.CharField(_("German mission informed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pre-approval")
        verbose_name_plural = _("pre-approvals")
        ordering = ("case", "issued_on", "id")

    def __str__(self) -> str:
        return f"{self.case_id} Vorabzustimmung {self.issued_on}"


class VisaOutcome(models.TextChoices):
    ISSUED = "issued", _("issued")
    REFUSED = "refused", _("refused")


class VisaApplication(ChoiceLabels, models.Model):
    """The worker's visa at the German mission (§ 31a AufenthV)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visas")
    mission = models.CharField(_("German mission"), max_length=200, blank=True)
    appointment_requested_on = models.DateField(_("appointment requested"))
    appointment_on = models.DateField(_("appointment"), null=True, blank=True)
    applied_on = models.DateField(_("application complete"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("decision"), max_length=10, choices=VisaOutcome.choices, blank=True
    )
    valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("visa application")
        verbose_name_plural = _("visa applications")
        ordering = ("case", "appointment_requested_on", "id")

    def __str__(self) -> str:
        return f"{self.case_id} visa {self.appointment_requested_on}"


class AuthorityCompany(models.Model):
    """A company whose case was forwarded to an immigration office (at least one, ever).

    Recorded when a file is forwarded (lotse.cases.services), so that the ABH's company choices
    read this small table instead of a semi-join over the forwarded cases (lotse.access). A
    forwarded case stays forwarded (returning a file keeps it with the ABH), so rows are never
    removed; they go with the organisations.
    """

    authority = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("company of an immigration office")
        verbose_name_plural = _("companies of immigration offices")
        constraints = (
            models.UniqueConstraint(
                fields=("authority", "company"), name="cases_authority_company_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.authority_id} {self.company_id}"
