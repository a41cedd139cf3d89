from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.organisations.models import Organisation, OrganisationKind


class AdvisoryRecord(models.Model):
    """A saved Quick-Check (Beratungsprotokoll): what was asked, what the rules answered, when.

    The record is a snapshot: the input and the result are stored as they were on the day of the
    advice, with the ruleset version, and are never recalculated. It belongs to the company it was
    made for and to the chamber that made it (none when the company checked on its own).
    """

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="advisory_records",
        limit_choices_to={"kind": OrganisationKind.COMPANY},
    )
    chamber = models.ForeignKey(
        Organisation,
        verbose_name=_("chamber"),
        on_delete=models.PROTECT,
        related_name="advisory_records_made",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.CHAMBER},
        help_text=_("Empty when the company ran the Quick-Check itself."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.PROTECT,
        related_name="advisory_records",
    )
    advised_on = models.DateField(_("date of the advice"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Your own note to find the record again, e.g. a job or an initial."),
    )
    ruleset = models.CharField(_("ruleset version"), max_length=40)
    input = models.JSONField(_("input"))
    result = models.JSONField(_("result"))
    recommended_title = models.CharField(_("recommended title"), max_length=5, blank=True)
    notes = models.TextField(_("advisory notes"), blank=True)
    # Set when a case is started from the record; the ABH sees the record once that case is
    # forwarded to it.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        related_name="advisory_records",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("advisory record")
        verbose_name_plural = _("advisory records")
        ordering = ("-created_at", "-pk")
        indexes = (
            models.Index(fields=("company", "-created_at"), name="advice_rec_company_idx"),
            models.Index(fields=("chamber", "-created_at"), name="advice_rec_chamber_idx"),
        )

    def __str__(self) -> str:
        return f"{_('Advisory record')} {self.number}"

    @property
    def number(self) -> str:
        """Human reference printed on the record, e.g. BP-2026-00042."""
        year = self.advised_on.year if self.advised_on else ""
        return f"BP-{year}-{self.pk or 0:05d}"

    @property
    def municipality(self) -> str:
        job: dict[str, Any] = (self.input or {}).get("job") or {}
        return str(job.get("municipality", ""))


class ContactDetails(models.Model):
    """Phone and e-mail of an information-library contact, kept in the running system.

    The library ships with what could be read on the offices' own pages when it was written;
    where an office printed no number or address there (docs/rules.md), the platform
    administrator or the office's own leads enter it here, with the official page it was read
    on. An empty field keeps the shipped value (lotse.advice.library.with_kept_data).
    """

    code = models.SlugField(_("contact"), max_length=80, unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_label_de = models.CharField(
        _("what the number reaches (German)"),
        max_length=150,
        blank=True,
        help_text=_('Only when it is not the office\'s own line, e.g. "Zentrale".'),
    )
    phone_label_en = models.CharField(
        _("what the number reaches (English)"), max_length=150, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    contact_form = models.URLField(_("contact form"), max_length=500, blank=True)
    source = models.URLField(
        _("official page"),
        max_length=500,
        blank=True,
        help_text=_("The office's own page (or the Land's, the chamber's …) that prints the data."),
    )
    checked = models.DateField(_("read on"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Raised with every save: of two people editing at once, the second gets a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("contact data")
        verbose_name_plural = _("contact data")

    def __str__(self) -> str:
        return self.code
