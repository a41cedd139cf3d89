from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.organisations.models import ChamberMembership, CompanySize, Organisation
from lotse.organisations.selectors import municipality_choices
from lotse.organisations.services import PROFILE_FIELDS
from lotse.web.forms import KernForm


class SiteForm(KernForm):
    label = forms.CharField(
        label=_("Name of the site"), max_length=120, help_text=_("e.g. Werk Asperg")
    )
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A German postcode has five digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        help_text=_("The municipality decides which immigration office is competent."),
    )
    is_main = forms.BooleanField(label=_("This is the main site"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Please choose"))), *municipality_choices()]
        self.fields["municipality"].choices = choices  # type: ignore[attr-defined]


class CompanyRegistrationForm(SiteForm):
    name = forms.CharField(label=_("Name of the company"), max_length=200)
    legal_form = forms.CharField(
        label=_("Legal form"), max_length=40, help_text=_("e.g. GmbH, KG, e. K.")
    )
    betriebsnummer = forms.RegexField(
        label=_("Betriebsnummer"),
        regex=r"^\d{8}$",
        required=False,
        help_text=_("The eight-digit employer number of the Federal Employment Agency."),
        error_messages={
            "invalid": _("The Betriebsnummer has exactly eight digits, e.g. 12345678.")
        },
    )
    chamber_membership = forms.ChoiceField(
        label=_("Chamber membership"), choices=ChamberMembership.choices
    )
    collective_agreement = forms.BooleanField(
        label=_("Bound by a collective agreement"), required=False
    )
    size_class = forms.ChoiceField(
        label=_("Company size"),
        choices=[("", _("not given")), *CompanySize.choices],
        required=False,
        help_text=_(
            "Employees, as in the EU definition of small and medium-sized enterprises. "
            "Used only for the cooperation's statistics."
        ),
    )
    admin_full_name = forms.CharField(
        label=_("Name of the company's administrator"), max_length=150, required=False
    )
    admin_email = forms.EmailField(
        label=_("E-mail address of the company's administrator"),
        required=False,
        help_text=_("We send this person an invitation to Lotse."),
    )

    field_order = (
        "name",
        "legal_form",
        "betriebsnummer",
        "chamber_membership",
        "collective_agreement",
        "size_class",
        "label",
        "street",
        "postcode",
        "municipality",
        "admin_full_name",
        "admin_email",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_main"]
        self.fields["label"].initial = _("Main site")
        self.order_fields(self.field_order)


class CompanyProfileForm(KernForm):
    """The company's own data as registered, to correct (services.company_profile_update)."""

    name = CompanyRegistrationForm.base_fields["name"]
    legal_form = CompanyRegistrationForm.base_fields["legal_form"]
    betriebsnummer = CompanyRegistrationForm.base_fields["betriebsnummer"]
    collective_agreement = CompanyRegistrationForm.base_fields["collective_agreement"]
    size_class = CompanyRegistrationForm.base_fields["size_class"]
    # The version the form was loaded with (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def initial_for(company: Organisation) -> dict[str, object]:
        return {name: getattr(company, name) for name in (*PROFILE_FIELDS, "version")}

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
