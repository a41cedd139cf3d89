"""The Quick-Check form: plain questions that map onto the engine's input contract.

The form checks what a form can check (required, dates, numbers, ranges) in the user's language;
the engine's contract (lotse.rules.Profile) then checks the rest, and its problems are put back
onto the field they concern, translated (``profile_errors``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticValidationError

from lotse.advice.models import ContactDetails
from lotse.organisations.models import Organisation
from lotse.rules import Profile, thresholds
from lotse.rules._data import load as load_rules_data
from lotse.rules.occupations import lookup, suggest
from lotse.web.forms import KernForm, NationalityField

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

YES_NO = (("yes", _("Yes")), ("no", _("No")))
YES_NO_UNKNOWN = (("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known yet")))

GERMAN_LEVELS = (
    ("none", _("No German")),
    ("A1", _("A1 – first words and phrases")),
    ("A2", _("A2 – simple everyday conversations")),
    ("B1", _("B1 – gets by at work and in daily life")),
    ("B2", _("B2 – talks fluently about work topics")),
    ("C1", _("C1 – very good German")),
    ("C2", _("C2 – near-native German")),
)
QUALIFICATION_TYPES = (
    ("vocational", _("Vocational training (at least the length of a training occupation)")),
    ("academic", _("University degree")),
    ("none", _("No formal qualification")),
)
RECOGNITION_STATES = (
    ("none", _("No, not yet applied for")),
    ("pending", _("Applied for, no decision yet")),
    ("full", _("Yes: full equivalence")),
    ("partial", _("Yes: partial equivalence (differences to be made up)")),
    ("rejected", _("Yes: equivalence refused")),
)
REGULATED = (
    ("", _("Let Lotse decide from the reference occupation")),
    ("yes", _("Yes, regulated (e.g. nursing, medicine)")),
    ("no", _("No, not regulated")),
)
ANABIN_INSTITUTION = (
    ("", _("Not checked yet")),
    ("H+", _("H+ – recognised")),
    ("H+/-", _("H+/- – recognised for some programmes only")),
    ("H-", _("H- – not recognised")),
)
EQF_LEVELS: tuple[tuple[str, StrOrPromise], ...] = (
    ("", _("Not known")),
    *((str(level), str(level)) for level in range(1, 9)),
)
SPOUSE_GERMAN_LEVELS = (("", _("Not known")), *GERMAN_LEVELS)
JOB_KINDS = (
    ("employment", _("A job as a skilled worker")),
    ("vocational_training", _("Vocational training in Germany")),
    ("recognition_partnership", _("Job with recognition after entry (recognition partnership)")),
    ("adaptation_measure", _("Adaptation training after partial recognition")),
)

# Which answers reveal which questions (used by the template and to ignore hidden fields).
SHOWN_FOR: dict[str, tuple[str, str]] = {
    "reference_occupation": ("qualification_type", "vocational academic"),
    "training_years": ("qualification_type", "vocational academic"),
    "state_recognised": ("qualification_type", "vocational academic"),
    "recognition": ("qualification_type", "vocational academic"),
    "regulated": ("qualification_type", "vocational academic"),
    "experience_years_last_5": ("qualification_type", "vocational academic"),
    "dab": ("qualification_type", "vocational"),
    "degree_date": ("qualification_type", "academic"),
    "anabin_institution": ("qualification_type", "academic"),
    "anabin_degree_equivalent": ("qualification_type", "academic"),
    "zab_statement": ("qualification_type", "academic"),
    "eqf_level": ("qualification_type", "vocational academic"),
    "it_experience_years_last_7": ("it_specialist", "on"),
    "it_experience_years_last_5": ("it_specialist", "on"),
    "employer_suitable_for_partnership": ("job_kind", "recognition_partnership"),
    "spouse_german_level": ("family_spouse", "on"),
}

# Field of the engine's contract → form field.
PATH_TO_FIELD: dict[str, str] = {
    "decision_date": "decision_date",
    "worker.birth_date": "birth_date",
    "worker.abroad": "abroad",
    "worker.german_level": "german_level",
    "worker.pension_provision": "pension_provision",
    "qualification.type": "qualification_type",
    "qualification.training_years": "training_years",
    "qualification.state_recognised": "state_recognised",
    "qualification.recognition": "recognition",
    "qualification.reference_occupation": "reference_occupation",
    "qualification.regulated": "regulated",
    "qualification.anabin_institution": "anabin_institution",
    "qualification.anabin_degree_equivalent": "anabin_degree_equivalent",
    "qualification.zab_statement": "zab_statement",
    "qualification.dab": "dab",
    "qualification.degree_date": "degree_date",
    "qualification.experience_years_last_5": "experience_years_last_5",
    "qualification.it_experience_years_last_7": "it_experience_years_last_7",
    "job.kind": "job_kind",
    "job.annual_gross_salary": "annual_gross_salary",
    "job.duration_months": "duration_months",
    "job.collective_agreement": "collective_agreement",
    "job.shortage_occupation": "shortage_occupation",
    "job.it_specialist": "it_specialist",
    "job.municipality": "municipality",
    "job.employer_suitable_for_partnership": "employer_suitable_for_partnership",
    "application_date": "application_date",
    "worker.nationality": "nationality",
    "qualification.eqf_level": "eqf_level",
    "qualification.it_experience_years_last_5": "it_experience_years_last_5",
    "job.isco_code": "isco_code",
    "job.start_date": "start_date",
    "job.end_date": "end_date",
    "family.spouse": "family_spouse",
    "family.minor_children": "family_minor_children",
    "family.spouse_german_level": "spouse_german_level",
    "family.months_after_worker": "family_months_after_worker",
}
FIELD_TO_PATH = {field: path for path, field in PATH_TO_FIELD.items()}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _years(label: StrOrPromise, maximum: int, help_text: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(maximum),
        max_digits=4,
        decimal_places=1,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def _tristate(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _tristate_value(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "unknown"


class QuickCheckForm(KernForm):
    # ----- for whom and where
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Organisation.objects.none(),
        empty_label=_("Please choose"),
        help_text=_("The company the advice is for."),
    )
    municipality = forms.CharField(
        label=_("Where will the person work?"),
        max_length=100,
        help_text=_(
            "The municipality of the place of business. It decides which immigration office is "
            "competent (§ 71 Abs. 1 AufenthG)."
        ),
        widget=forms.TextInput(attrs={"list": "municipality-options", "autocomplete": "off"}),
    )
    decision_date = forms.DateField(
        label=_("When will the immigration office decide, roughly?"),
        help_text=_("The year of the decision sets the salary thresholds. Today is fine."),
        widget=DateInput(),
    )
    application_date = forms.DateField(
        label=_("When will the application be made?"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Career starters count their three years back from this day (§ 18g Abs. 1 Satz 2 "
            "Nr. 2 AufenthG). Leave empty to use the date of the decision."
        ),
    )
    # ----- the person
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    nationality = NationalityField(
        required=False,
        help_text=_(
            "As in the passport. Nationals of the Western Balkans have a route of their own "
            "(§ 26 Abs. 2 BeschV)."
        ),
    )
    abroad = forms.ChoiceField(
        label=_("Does the person live abroad today?"),
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
        help_text=_("The accelerated procedure is for people who still live outside Germany."),
    )
    german_level = forms.ChoiceField(
        label=_("German language skills"),
        choices=GERMAN_LEVELS,
        help_text=_("Levels of the Common European Framework; an estimate is enough here."),
    )
    pension_provision = forms.BooleanField(
        label=_("Adequate old-age provision can be proven"),
        required=False,
        help_text=_("Only matters from the age of 45, when the salary is below the age line."),
    )
    # ----- the qualification
    qualification_type = forms.ChoiceField(
        label=_("What qualification does the person have?"),
        choices=QUALIFICATION_TYPES,
        widget=forms.RadioSelect,
    )
    reference_occupation = forms.CharField(
        label=_("German reference occupation"),
        required=False,
        max_length=200,
        help_text=_(
            "The German occupation closest to the qualification, e.g. Industriemechaniker/in or "
            "Pflegefachfrau/Pflegefachmann. It decides who recognises the qualification."
        ),
        widget=forms.TextInput(attrs={"list": "occupation-options", "autocomplete": "off"}),
    )
    training_years = _years(
        _("Length of the training or studies in years"),
        20,
        _("As on the certificate, e.g. 3 or 3.5."),
    )
    state_recognised = forms.ChoiceField(
        label=_("Is the qualification recognised by the state in the country it is from?"),
        choices=YES_NO_UNKNOWN,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    recognition = forms.ChoiceField(
        label=_("Is there already a German recognition decision?"),
        choices=RECOGNITION_STATES,
        initial="none",
        help_text=_("A decision on equivalence (Gleichwertigkeitsbescheid) from a German body."),
    )
    regulated = forms.ChoiceField(
        label=_("Is the occupation regulated in Germany?"),
        choices=REGULATED,
        required=False,
        help_text=_("Regulated occupations need a licence to practise, e.g. nurses."),
    )
    experience_years_last_5 = _years(
        _("Years of work experience in the occupation during the last 5 years"),
        5,
        _("Counts for employment based on professional experience (§ 6 BeschV)."),
    )
    eqf_level = forms.ChoiceField(
        label=_("Level of the qualification in the European Qualifications Framework (EQF)"),
        choices=EQF_LEVELS,
        required=False,
        help_text=_(
            "A tertiary qualification of at least three years at EQF level 6, e.g. a "
            "Meister, can open the EU Blue Card (§ 18g Abs. 1 Satz 5 AufenthG)."
        ),
    )
    dab = forms.BooleanField(
        label=_("A positive DAB of the ZAB is already available"),
        required=False,
        help_text=_("Digital information on vocational qualifications (Digitale Auskunft)."),
    )
    degree_date = forms.DateField(
        label=_("Date of the degree"),
        required=False,
        widget=DateInput(),
        help_text=_("For career starters a lower Blue Card salary threshold may apply."),
    )
    anabin_institution = forms.ChoiceField(
        label=_("University's status in the anabin database"),
        choices=ANABIN_INSTITUTION,
        required=False,
    )
    anabin_degree_equivalent = forms.ChoiceField(
        label=_("Is the degree listed in anabin as “entspricht” or “gleichwertig”?"),
        choices=YES_NO_UNKNOWN,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    zab_statement = forms.BooleanField(
        label=_("A statement of comparability of the ZAB is already available"),
        required=False,
    )
    # ----- the job
    job_kind = forms.ChoiceField(
        label=_("What is planned?"),
        choices=JOB_KINDS,
        initial="employment",
        widget=forms.RadioSelect,
    )
    annual_gross_salary = forms.DecimalField(
        label=_("Gross annual salary in euros"),
        min_value=Decimal(0),
        max_value=Decimal(100_000_000),
        max_digits=11,
        decimal_places=2,
        help_text=_("For vocational training: the training pay per year."),
        widget=forms.NumberInput(attrs={"step": "100", "inputmode": "decimal"}),
    )
    duration_months = forms.IntegerField(
        label=_("Fixed term in months"),
        required=False,
        min_value=1,
        max_value=1200,
        help_text=_("Leave empty for a contract without end date."),
    )
    collective_agreement = forms.BooleanField(
        label=_("The company is bound by a collective agreement and pays by it"),
        required=False,
    )
    shortage_occupation = forms.BooleanField(
        label=_("The job is in a shortage occupation (e.g. engineering, IT, nursing)"),
        required=False,
    )
    it_specialist = forms.BooleanField(label=_("The job is an IT specialist job"), required=False)
    it_experience_years_last_7 = _years(
        _("Years of IT work experience during the last 7 years"),
        7,
        _("IT specialists without a degree can get the Blue Card with enough experience."),
    )
    it_experience_years_last_5 = _years(
        _("Years of IT work experience during the last 5 years"),
        5,
        _(
            "IT specialists without a formal qualification need two years within the last "
            "five (§ 6 Abs. 1 Satz 3 BeschV). Leave empty to use the work experience above."
        ),
    )
    isco_code = forms.CharField(
        label=_("ISCO-08 code of the job"),
        required=False,
        max_length=4,
        help_text=_(
            "Optional, 1 to 4 digits, e.g. 2512 for software developers. Lotse derives it from "
            "the reference occupation where it can; it decides the shortage occupations of "
            "§ 18g Abs. 1 Satz 2 Nr. 1 AufenthG."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{1,4}"}),
    )
    start_date = forms.DateField(
        label=_("Planned start of employment"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The age rule from 45 counts at the start of employment (§ 1 Abs. 2 BeschV). "
            "Leave empty to use the date of the decision."
        ),
    )
    end_date = forms.DateField(
        label=_("Agreed end of employment"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a fixed-term contract."),
    )
    employer_suitable_for_partnership = forms.ChoiceField(
        label=_("Does the company have experience with vocational training or further training?"),
        choices=YES_NO_UNKNOWN,
        initial="unknown",
        widget=forms.RadioSelect,
        help_text=_("A recognition partnership needs an employer able to train."),
    )
    # ----- the family (§ 81a Abs. 4 AufenthG)
    family_spouse = forms.BooleanField(
        label=_("The spouse comes along"),
        required=False,
        help_text=_(
            "Spouses can be included in the accelerated procedure (§ 81a Abs. 4 AufenthG)."
        ),
    )
    spouse_german_level = forms.ChoiceField(
        label=_("German language skills of the spouse"),
        choices=SPOUSE_GERMAN_LEVELS,
        required=False,
        help_text=_("Decides whether the spouse still needs a German certificate (§ 30 AufenthG)."),
    )
    family_minor_children = forms.IntegerField(
        label=_("Number of minor unmarried children who come along"),
        required=False,
        min_value=0,
        max_value=20,
        help_text=_("Children under 18 (§ 32 AufenthG). Leave empty if none."),
    )
    family_months_after_worker = forms.IntegerField(
        label=_("How many months after the worker will the family apply for their visas?"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_(
            "0 or empty: together with the worker. The family is in the accelerated procedure "
            "only if it applies at around the same time (§ 81a Abs. 4 AufenthG)."
        ),
    )
    # ----- for the record
    reference = forms.CharField(
        label=_("Reference for the record"),
        max_length=100,
        required=False,
        help_text=_("Optional, to find the record again, e.g. the job or the person's initials."),
    )
    notes = forms.CharField(
        label=_("Advisory notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed; printed on the advisory record."),
    )

    def __init__(
        self,
        *args: Any,
        companies: Iterable[Organisation] = (),
        fixed_company: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_company = fixed_company
        ids = [c.pk for c in companies]
        self.fields["company"].queryset = Organisation.objects.filter(pk__in=ids).order_by("name")  # type: ignore[attr-defined]
        if fixed_company is not None:
            self.fields["company"].widget = forms.HiddenInput()
            self.fields["company"].initial = fixed_company.pk
            if self.is_bound:
                # A company user checks for its own company, whatever the request says.
                data = QueryDict(mutable=True)
                data.update(self.data)
                data[self.add_prefix("company")] = str(fixed_company.pk)
                self.data = data
        self.fields["decision_date"].initial = timezone.localdate()

    # ------------------------------------------------------------------ which fields apply

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        initial = self.initial.get(name, self.fields[name].initial)
        if isinstance(initial, bool):
            return "on" if initial else ""
        return str(initial or "")

    def applies(self, name: str) -> bool:
        """Whether a revealed question applies to the answers given so far."""
        if name not in SHOWN_FOR:
            return True
        controller, values = SHOWN_FOR[name]
        return self._value(controller) in values.split()

    def clean_reference_occupation(self) -> str:
        value: str = (self.cleaned_data.get("reference_occupation") or "").strip()
        if value and lookup(value) is None:
            raise forms.ValidationError(unknown_occupation_message(value))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Questions hidden by an earlier answer do not count, even if something was typed there.
        for name in SHOWN_FOR:
            if not self.applies(name):
                self.errors.pop(name, None)
                cleaned[name] = None
        birth, decision = cleaned.get("birth_date"), cleaned.get("decision_date")
        if birth and decision and birth >= decision:
            # The engine says so too, but only once every field is valid; say it at once.
            self.add_error(
                "birth_date", gettext("The date of birth must be before the date of the decision.")
            )
        return cleaned

    # ------------------------------------------------------------------ the engine's input

    def profile_data(self) -> dict[str, Any]:
        """The engine's input contract, from the cleaned answers (call after is_valid())."""
        data = self.cleaned_data

        def years(name: str) -> float | None:
            value = data.get(name)
            return float(value) if value is not None else None

        qualification_type = data["qualification_type"]
        has_qualification = qualification_type in ("vocational", "academic")
        academic = qualification_type == "academic"
        qualification: dict[str, Any] = {"type": qualification_type}
        if has_qualification:
            qualification |= {
                "training_years": years("training_years"),
                "state_recognised": _tristate(data.get("state_recognised")),
                "recognition": data.get("recognition") or "none",
                "reference_occupation": (data.get("reference_occupation") or "").strip() or None,
                "regulated": _tristate(data.get("regulated")),
                "experience_years_last_5": years("experience_years_last_5") or 0.0,
                "dab": bool(data.get("dab")) and not academic,
            }
        if academic:
            degree_date: dt.date | None = data.get("degree_date")
            qualification |= {
                "anabin_institution": data.get("anabin_institution") or None,
                "anabin_degree_equivalent": _tristate(data.get("anabin_degree_equivalent")),
                "zab_statement": bool(data.get("zab_statement")),
                "degree_date": degree_date.isoformat() if degree_date else None,
            }
        if has_qualification and data.get("eqf_level"):
            qualification["eqf_level"] = int(data["eqf_level"])
        if data.get("it_specialist"):
            qualification["it_experience_years_last_7"] = years("it_experience_years_last_7") or 0.0
            if data.get("it_experience_years_last_5") is not None:
                qualification["it_experience_years_last_5"] = years("it_experience_years_last_5")
        salary: Decimal = data["annual_gross_salary"]
        job: dict[str, Any] = {
            "kind": data["job_kind"],
            "annual_gross_salary": float(salary),
            "duration_months": data.get("duration_months"),
            "collective_agreement": bool(data.get("collective_agreement")),
            "shortage_occupation": bool(data.get("shortage_occupation")),
            "it_specialist": bool(data.get("it_specialist")),
            "municipality": data["municipality"].strip(),
        }
        if data["job_kind"] == "recognition_partnership":
            job["employer_suitable_for_partnership"] = _tristate(
                data.get("employer_suitable_for_partnership")
            )
        isco = (data.get("isco_code") or "").strip()
        if isco:
            job["isco_code"] = isco
        for name in ("start_date", "end_date"):
            if data.get(name):
                job[name] = data[name].isoformat()
        worker: dict[str, Any] = {
            "birth_date": data["birth_date"].isoformat(),
            "abroad": data["abroad"] == "yes",
            "german_level": data["german_level"],
            "pension_provision": bool(data.get("pension_provision")),
        }
        if data.get("nationality"):
            worker["nationality"] = data["nationality"]
        profile: dict[str, Any] = {
            "decision_date": data["decision_date"].isoformat(),
            "worker": worker,
            "qualification": qualification,
            "job": job,
        }
        if data.get("application_date"):
            profile["application_date"] = data["application_date"].isoformat()
        spouse = bool(data.get("family_spouse"))
        children = data.get("family_minor_children") or 0
        if spouse or children:
            family: dict[str, Any] = {"spouse": spouse, "minor_children": children}
            if spouse and data.get("spouse_german_level"):
                family["spouse_german_level"] = data["spouse_german_level"]
            if data.get("family_months_after_worker") is not None:
                family["months_after_worker"] = data["family_months_after_worker"]
            profile["family"] = family
        return profile

    def profile(self) -> Profile | None:
        """Validate against the engine's contract; its problems go onto the fields, translated."""
        if not self.is_valid():
            return None
        try:
            return Profile.model_validate(self.profile_data())
        except PydanticValidationError as error:
            for item in error.errors(include_url=False):
                path = ".".join(str(part) for part in item["loc"])
                ctx = item.get("ctx") or {}
                if item["type"] == "cross_field":
                    path = str(ctx.get("path", path))
                field = PATH_TO_FIELD.get(path)
                self.add_error(field, profile_error_message(item, path))
            return None


def unknown_occupation_message(value: str) -> str:
    proposals = suggest(value)
    if proposals:
        return gettext(
            "We do not know the occupation “%(value)s”. Did you mean: %(proposals)s?"
        ) % {
            "value": value,
            "proposals": ", ".join(proposals),
        }
    return gettext(
        "We do not know the occupation “%(value)s”. Choose a German reference occupation "
        "from the list, or leave the field empty."
    ) % {"value": value}


def profile_error_message(item: Any, path: str) -> str:
    """The engine's complaint about one field, in the user's language."""
    kind = item["type"]
    if kind == "unknown_occupation":
        return unknown_occupation_message(str(item.get("input", "")))
    if kind == "no_thresholds":
        first, last = thresholds.known_range()
        value = item.get("input")
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value)
        return gettext(
            "No salary thresholds are known yet for a decision on %(date)s. Lotse knows them "
            "from %(first)s to %(last)s."
        ) % {
            "date": date_format(value) if isinstance(value, dt.date) else str(value),
            "first": date_format(first),
            "last": date_format(last),
        }
    if kind == "cross_field":
        return _cross_field_message(path, str(item.get("msg", "")))
    return gettext("This answer is not accepted: %(reason)s") % {"reason": item.get("msg", "")}


def _cross_field_message(path: str, reason: str) -> str:
    """Two answers that cannot both be true (issue 10), said on the field that is wrong."""
    if path == "worker.birth_date":
        return gettext("The date of birth must be before the date of the decision.")
    if path == "qualification.degree_date":
        return gettext("The date of the degree must be after the date of birth.")
    if path == "application_date":
        return gettext("The application cannot be made after the decision.")
    if path == "job.end_date":
        return gettext("The end of employment must be after its start.")
    if "experience" in path:
        age = load_rules_data("titles")["plausibility"]["min_working_age"]
        return gettext(
            "The work experience is longer than the working life since the age of %(age)s."
        ) % {"age": age}
    return gettext("This answer is not accepted: %(reason)s") % {"reason": reason}


def initial_from_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Form answers from a stored profile (to check again from an advisory record)."""
    worker = data.get("worker") or {}
    qualification = data.get("qualification") or {}
    job = data.get("job") or {}
    regulated = qualification.get("regulated")
    initial: dict[str, Any] = {
        "decision_date": data.get("decision_date"),
        "birth_date": worker.get("birth_date"),
        "abroad": "yes" if worker.get("abroad") else "no",
        "german_level": worker.get("german_level"),
        "pension_provision": bool(worker.get("pension_provision")),
        "qualification_type": qualification.get("type"),
        "reference_occupation": qualification.get("reference_occupation") or "",
        "training_years": qualification.get("training_years"),
        "state_recognised": _tristate_value(qualification.get("state_recognised")),
        "recognition": qualification.get("recognition") or "none",
        "regulated": "" if regulated is None else _tristate_value(regulated),
        "experience_years_last_5": qualification.get("experience_years_last_5"),
        "dab": bool(qualification.get("dab")),
        "degree_date": qualification.get("degree_date"),
        "anabin_institution": qualification.get("anabin_institution") or "",
        "anabin_degree_equivalent": _tristate_value(qualification.get("anabin_degree_equivalent")),
        "zab_statement": bool(qualification.get("zab_statement")),
        "it_experience_years_last_7": qualification.get("it_experience_years_last_7"),
        "job_kind": job.get("kind"),
        "annual_gross_salary": job.get("annual_gross_salary"),
        "duration_months": job.get("duration_months"),
        "collective_agreement": bool(job.get("collective_agreement")),
        "shortage_occupation": bool(job.get("shortage_occupation")),
        "it_specialist": bool(job.get("it_specialist")),
        "municipality": job.get("municipality") or "",
        "employer_suitable_for_partnership": _tristate_value(
            job.get("employer_suitable_for_partnership")
        ),
    }
    family = data.get("family") or {}
    initial |= {
        "application_date": data.get("application_date"),
        "nationality": worker.get("nationality"),
        "eqf_level": str(qualification["eqf_level"]) if qualification.get("eqf_level") else None,
        "it_experience_years_last_5": qualification.get("it_experience_years_last_5"),
        "isco_code": job.get("isco_code"),
        "start_date": job.get("start_date"),
        "end_date": job.get("end_date"),
        "family_spouse": bool(family.get("spouse")),
        "spouse_german_level": family.get("spouse_german_level"),
        "family_minor_children": family.get("minor_children") or None,
        "family_months_after_worker": family.get("months_after_worker"),
    }
    return {key: value for key, value in initial.items() if value is not None}


class ContactDetailsForm(KernForm):
    """Phone and e-mail of a library contact, read on an official page (contact_details_save).

    Only the form of each entry is checked here; whether the source is official and the address
    the office's own is decided by the service."""

    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("As the office prints it, with the area code set apart: 07141 144-0."),
    )
    phone_label_de = forms.CharField(
        label=_("What the number reaches (German)"),
        required=False,
        max_length=150,
        help_text=_('Only when it is not the office\'s own line, e.g. "Zentrale".'),
    )
    phone_label_en = forms.CharField(
        label=_("What the number reaches (English)"),
        required=False,
        max_length=150,
        help_text=_("Empty: the German text is shown."),
    )
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    contact_form = forms.CharField(
        label=_("Contact form"),
        required=False,
        max_length=500,
        help_text=_("The address of the office's own contact form, when it prints no e-mail."),
    )
    source = forms.CharField(
        label=_("Official page"),
        required=False,
        max_length=500,
        help_text=_(
            "The address of the page on which you read the data; needed with every number, "
            "address or form."
        ),
    )
    checked = forms.DateField(
        label=_("Read on"),
        required=False,
        widget=DateInput(),
        help_text=_("The day you read the data there; needed with every entry."),
    )
    # The version the form was loaded with (0: nothing kept yet; optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    FIELDS = ("phone", "phone_label_de", "phone_label_en", "email", "contact_form", "source",
              "checked")  # fmt: skip

    @classmethod
    def initial_for(cls, details: ContactDetails | None) -> dict[str, object]:
        if details is None:
            return {"version": 0, "checked": timezone.localdate()}
        return {name: getattr(details, name) for name in (*cls.FIELDS, "version")}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
