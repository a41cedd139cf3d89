"""Pre-aggregated figures: one row of facts per case, and monthly rollups of those facts.

Nothing here is a source of truth: every row is rebuilt from the case, its history and its
clocks (``lotse.insights.facts``), when the case moves and by the scheduler. Pages read these
rows only, never the history of all cases (docs/statistics.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case, CaseClock

# The phases whose length is kept per case (days), in procedure order; docs/statistics.md.
PHASES: tuple[str, ...] = (
    "advice_to_forwarding",
    "forwarding_to_acceptance",
    "recognition",
    "ba",
    "acceptance_to_preapproval",
    "preapproval_to_visa",
    "whole",
)
# The events counted per month, in procedure order.
EVENTS: tuple[str, ...] = (
    "started",
    "forwarded",
    "accepted",
    "preapproved",
    "visa_issued",
    "ended_early",
)


# The filters of the statistics page → the column of CaseFacts and MonthlyRollup they select.
FILTER_COLUMNS: dict[str, str] = {
    "title": "title",
    "recognition_body": "recognition_body_id",
    "occupation_group": "occupation_group",
    "company_size": "company_size",
    "qualification_country": "qualification_country",
}


# The filter columns carried in the work-in-progress indexes (index-only scans with filters).
WIP_INCLUDE = (
    "title",
    "recognition_body_id",
    "occupation_group",
    "company_size",
    "qualification_country",
)


class CaseFacts(models.Model):
    """What the figures need of one case: its dimensions, the days its events happened, the
    length of each phase once it ended, and its expected dates (recomputed when it moves)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="facts")
    # Dimensions (filters of the statistics page).
    chamber_id = models.IntegerField(db_index=True)
    authority_id = models.IntegerField()
    title = models.CharField(max_length=5)
    recognition_body_id = models.IntegerField(null=True)
    occupation_group = models.CharField(max_length=80, blank=True)
    # The company's size class (organisations.CompanySize) and the country of the qualification
    # (alpha-3), both blank when not given ("unknown" in the filters).
    company_size = models.CharField(max_length=6, blank=True)
    qualification_country = models.CharField(max_length=3, blank=True)
    # Events (the day each happened; docs/statistics.md says which step dates it).
    started_on = models.DateField()
    forwarded_on = models.DateField(null=True)
    accepted_on = models.DateField(null=True)
    recognition_started_on = models.DateField(null=True)
    recognition_ended_on = models.DateField(null=True)
    ba_started_on = models.DateField(null=True)
    ba_ended_on = models.DateField(null=True)
    preapproved_on = models.DateField(null=True)
    appointment_on = models.DateField(null=True)
    visa_issued_on = models.DateField(null=True)
    entered_on = models.DateField(null=True)
    ended_early_on = models.DateField(null=True)
    # Phase lengths in calendar days, kept when the phase ends (null: not ended, or skipped).
    advice_to_forwarding = models.IntegerField(null=True)
    forwarding_to_acceptance = models.IntegerField(null=True)
    recognition = models.IntegerField(null=True)
    ba = models.IntegerField(null=True)
    acceptance_to_preapproval = models.IntegerField(null=True)
    preapproval_to_visa = models.IntegerField(null=True)
    whole = models.IntegerField(null=True)
    # Counts per case.
    returned_count = models.PositiveIntegerField(default=0)
    requests_count = models.PositiveIntegerField(default=0)
    # Work in progress: the phase an open case is in and since when (blank once it ended).
    is_open = models.BooleanField(default=True)
    current_phase = models.CharField(max_length=30, blank=True)
    phase_since = models.DateField(null=True)
    # The expected dates (lotse.insights.estimator), as shown on the case page and the API.
    expected = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case figures")
        verbose_name_plural = _("case figures")
        indexes = (
            models.Index(fields=("title", "recognition_body_id"), name="insights_facts_peer_idx"),
            models.Index(fields=("authority_id", "is_open"), name="insights_facts_abh_idx"),
            # Work in progress (selectors.work_in_progress) counts a scope's open cases by phase
            # and waiting time from these covering indexes alone (an index-only scan, no wide
            # facts row read), also with filters (the filter columns are included). On
            # PostgreSQL; SQLite ignores INCLUDE. Any subset of filters on the monthly figures
            # is served by the GIN index of migration 0003 (PostgreSQL).
            models.Index(
                fields=("chamber_id", "current_phase", "phase_since"),
                include=WIP_INCLUDE,
                condition=models.Q(is_open=True),
                name="insights_facts_wip_chamber",
            ),
            models.Index(
                fields=("authority_id", "current_phase", "phase_since"),
                include=WIP_INCLUDE,
                condition=models.Q(is_open=True, forwarded_on__isnull=False),
                name="insights_facts_wip_abh",
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} facts"


class ScopeAndFilters(models.Model):
    """The scope of a row and the values of the statistics' filters, as on the case's facts.

    The scope: a chamber's row (every case of the chamber; authority 0, forwarded False) or an
    ABH's row (the cases forwarded to it; chamber 0, forwarded True)."""

    chamber_id = models.IntegerField()
    authority_id = models.IntegerField()
    forwarded = models.BooleanField()
    title = models.CharField(max_length=5)
    recognition_body_id = models.IntegerField(null=True)
    occupation_group = models.CharField(max_length=80, blank=True)
    company_size = models.CharField(max_length=6, blank=True)
    qualification_country = models.CharField(max_length=3, blank=True)

    class Meta:
        abstract = True


class MonthlyRollup(ScopeAndFilters):
    """The figures of one month for one scope and at most one filter value (summed on read).

    ``figures`` holds the event counts, the per-phase histograms of lengths in days
    (``{"durations": {phase: {days: count}}}``, so medians and percentiles stay exact when
    rows are summed), the returned files, the requests, and per clock ``[met, total]``.
    """

    month = models.DateField()  # the first day of the month
    # With ``dimension`` blank a row sums every case of its scope and month (the unfiltered
    # page reads these few rows); with ``dimension`` naming one filter (a key of FILTER_COLUMNS)
    # it sums the cases with the one value in that filter's column, the other filter columns
    # blank (the page with one filter reads these). A page with two or more filters sums the
    # facts of the matching cases instead (selectors.statistics).
    dimension = models.CharField(max_length=24, blank=True)
    figures = models.JSONField(default=dict)
    # When the nightly job built the row: the page shows how fresh its figures are.
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        indexes = (
            models.Index(
                fields=("chamber_id", "dimension", "month"),
                name="insights_rollup_chamber2_idx",
            ),
            models.Index(
                fields=("authority_id", "dimension", "month"),
                name="insights_rollup_abh2_idx",
            ),
        )

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.chamber_id}/{self.authority_id} {self.title}"


class OverdueClock(ScopeAndFilters):
    """A deadline or fiction clock that was not met or may still be missed: stopped after its
    due day, or still running. The overdue list reads these rows only (a running clock counts
    once its due day is past, decided when the page is read), in the scope and with the filters
    of the page, by one index range ordered as the list is.

    Kept current when the case moves (rebuilt with its facts, services.insights_case_refresh)
    and rebuilt in full by the nightly job (services.overdue_rebuild), which also carries the
    company size and the country of qualification changed since (docs/statistics.md).
    """

    clock = models.OneToOneField(CaseClock, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=20)
    code = models.CharField(max_length=40)
    due_on = models.DateField()
    stopped_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("overdue clock")
        verbose_name_plural = _("overdue clocks")
        indexes = (
            models.Index(fields=("chamber_id", "due_on", "clock"), name="insights_overdue_chamber"),
            models.Index(
                fields=("authority_id", "due_on", "clock"),
                condition=models.Q(forwarded=True),
                name="insights_overdue_abh",
            ),
            models.Index(fields=("due_on", "clock"), name="insights_overdue_all"),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.code} {self.due_on}"


class PublishedFigures(models.Model):
    """The open statistics as published (suppressed), rebuilt with the rollups: the public page
    reads one row."""

    key = models.CharField(max_length=40, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("published figures")
        verbose_name_plural = _("published figures")

    def __str__(self) -> str:
        return self.key
