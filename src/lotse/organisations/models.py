from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.choices import ChoiceLabels


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    CHAMBER = "chamber", _("Chamber")
    AUTHORITY = "authority", _("Immigration office")
    EXTERNAL_BODY = "external_body", _("External body")


class ChamberMembership(models.TextChoices):
    IHK = "ihk", _("IHK (chamber of industry and commerce)")
    HWK = "hwk", _("HWK (chamber of crafts)")
    BOTH = "both", _("IHK and HWK")


class CompanySize(models.TextChoices):
    """Size class by employees, as in the EU SME definition (Recommendation 2003/361/EC,
    Annex Art. 2); the class as the company states it, never estimated (blank: not given)."""

    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250 employees or more")


class ChamberKind(models.TextChoices):
    IHK = "ihk", _("Chamber of industry and commerce (IHK)")
    HWK = "hwk", _("Chamber of crafts (HWK)")


class AuthorityKind(models.TextChoices):
    ABH = "abh", _("Immigration office of a district or town")
    STATE_AGENCY = "state_agency", _("State agency")


# The Betriebsnummer is the employer number the Bundesagentur für Arbeit assigns: eight digits.
betriebsnummer_validator = RegexValidator(
    r"^\d{8}$", _("The Betriebsnummer has exactly eight digits, e.g. 12345678.")
)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def companies(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.COMPANY)

    def chambers(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.CHAMBER)

    def authorities(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.AUTHORITY)

    def external_bodies(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.EXTERNAL_BODY)


class Organisation(ChoiceLabels, models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    # Stable key, unique per kind: the directory code for chambers, authorities and bodies
    # (e.g. lra-ludwigsburg). The Handwerkskammer is both a chamber and a recognition body,
    # under the same code.
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("office"), max_length=200, blank=True, help_text=_("The local office that does the work.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Company
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    betriebsnummer = models.CharField(
        _("Betriebsnummer"), max_length=8, blank=True, validators=[betriebsnummer_validator]
    )
    chamber_membership = models.CharField(
        _("chamber membership"), max_length=4, choices=ChamberMembership.choices, blank=True
    )
    collective_agreement = models.BooleanField(_("bound by a collective agreement"), default=False)
    size_class = models.CharField(
        _("company size"), max_length=6, choices=CompanySize.choices, blank=True
    )
    # Raised with every change of the company's profile: of two people editing it at once, the
    # second gets a conflict instead of silently overwriting the first (services).
    version = models.PositiveIntegerField(_("version"), default=1)
    served_by = models.ManyToManyField(
        "self",
        verbose_name=_("served by chambers"),
        symmetrical=False,
        related_name="served_companies",
        blank=True,
        limit_choices_to={"kind": OrganisationKind.CHAMBER},
    )

    # Chamber
    chamber_kind = models.CharField(
        _("chamber kind"), max_length=4, choices=ChamberKind.choices, blank=True
    )

    # Authority
    authority_kind = models.CharField(
        _("authority kind"), max_length=20, choices=AuthorityKind.choices, blank=True
    )
    cooperation_since = models.DateField(
        _("in the chamber cooperation since"), null=True, blank=True
    )
    cooperation_source = models.CharField(_("source"), blank=True, max_length=500)

    # External body
    role_description = models.CharField(_("role"), max_length=300, blank=True)

    objects: ClassVar[OrganisationQuerySet] = OrganisationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        indexes = (models.Index(fields=("kind", "name"), name="org_kind_name_idx"),)
        constraints = (
            models.UniqueConstraint(fields=("kind", "code"), name="org_kind_code_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind="company") | ~models.Q(chamber_membership=""),
                name="org_company_has_membership",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_company(self) -> bool:
        return self.kind == OrganisationKind.COMPANY

    @property
    def is_chamber(self) -> bool:
        return self.kind == OrganisationKind.CHAMBER

    @property
    def is_authority(self) -> bool:
        return self.kind == OrganisationKind.AUTHORITY

    def cooperates_on(self, day: date) -> bool:
        return self.cooperation_since is not None and self.cooperation_since <= day


class Site(models.Model):
    """A Betriebsstätte: where the worker will work; it decides the competent ABH (§ 71 Abs. 1 AufenthG)."""

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="sites",
        limit_choices_to={"kind": OrganisationKind.COMPANY},
    )
    label = models.CharField(_("name of the site"), max_length=120)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))],
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("competent immigration office"),
        on_delete=models.PROTECT,
        related_name="sites_in_area",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
        help_text=_("Empty when the municipality lies outside the district of Ludwigsburg."),
    )
    is_main = models.BooleanField(_("main site"), default=False)

    class Meta:
        verbose_name = _("place of business")
        verbose_name_plural = _("places of business")
        ordering = ("-is_main", "label")

    def __str__(self) -> str:
        return f"{self.label}, {self.postcode} {self.municipality}"
