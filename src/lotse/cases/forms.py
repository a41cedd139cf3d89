from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.access import Action, can, companies_visible_to
from lotse.cases.models import Case, FamilyRelation, Title, WorkerLanguage
from lotse.cases.workflow import Step
from lotse.clocks import clock as clock_definition
from lotse.organisations.models import Organisation, OrganisationKind, Site
from lotse.web.forms import KernForm, NationalityField, SelectWidget

if TYPE_CHECKING:
    from lotse.accounts.models import User

RECOGNITION_BODIES = ("ihk-fosa", "hwk-region-stuttgart", "rp-stuttgart", "zab")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _sites_for(user: User) -> list[Site]:
    companies = [c for c in companies_visible_to(user=user) if can(user, Action.CREATE_CASE, c)]
    return list(
        Site.objects.filter(company__in=companies)
        .select_related("company", "authority")
        .order_by("company__name", "-is_main", "label")
    )


def _body_choices() -> list[tuple[str, str]]:
    bodies = Organisation.objects.filter(
        kind=OrganisationKind.EXTERNAL_BODY, code__in=RECOGNITION_BODIES
    ).order_by("name")
    return [("", "—"), *((b.code, b.name) for b in bodies)]


class WorkerAndJobForm(KernForm):
    """The worker's passport data and the job, declared once for starting and correcting a case
    (the model's ``Case.WORKER_FIELDS`` name the same fields)."""

    worker_surname = forms.CharField(label=_("Surname (as in the passport)"), max_length=120)
    worker_given_names = forms.CharField(
        label=_("Given names (as in the passport)"), max_length=160, required=False
    )
    worker_birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    worker_birth_place = forms.CharField(label=_("Place of birth"), max_length=120)
    worker_nationality = NationalityField(
        help_text=_("As in the passport; Lotse stores the three-letter code (e.g. TUN)."),
    )
    worker_passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    worker_passport_expiry = forms.DateField(label=_("Passport valid until"), widget=DateInput())
    worker_email = forms.EmailField(label=_("Worker's e-mail"), required=False)
    worker_language = forms.ChoiceField(
        label=_("Language for messages to the worker"),
        choices=WorkerLanguage.choices,
        initial=WorkerLanguage.EN,
    )
    job_title = forms.CharField(label=_("Job"), max_length=200, required=False)
    planned_start = forms.DateField(
        label=_("Planned start of work"), required=False, widget=DateInput()
    )
    qualification_country = NationalityField(
        label=_("Country where the qualification was obtained"),
        required=False,
        help_text=_("Used only for the cooperation's statistics."),
    )


class CaseCreateForm(WorkerAndJobForm):
    field_order = ("site", "title", "recognition_body")  # then the worker and the job
    site = forms.TypedChoiceField(
        label=_("Company and place of business"),
        coerce=int,
        help_text=_("The place where the worker will work decides the immigration office."),
    )
    title = forms.ChoiceField(
        label=_("Residence title"),
        choices=[("", _("as the Quick-Check recommends")), *Title.choices],
        required=False,
    )
    recognition_body = forms.ChoiceField(label=_("Recognition body"), required=False)
    quickcheck_input = forms.CharField(widget=forms.HiddenInput, required=False)
    # The advice area's saved advisory record the Quick-Check came from, linked to the new case.
    advisory_record = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.sites = _sites_for(user)
        self.fields["site"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{s.company.name} – {s.label}, {s.postcode} {s.municipality}")
            for s in self.sites
        ]
        self.fields["recognition_body"].choices = _body_choices()  # type: ignore[attr-defined]

    @property
    def from_quickcheck(self) -> bool:
        value = self.data.get("quickcheck_input") or self.data.get("advisory_record")
        if not value:
            value = self.initial.get("quickcheck_input") or self.initial.get("advisory_record")
        return bool(value)

    def clean_quickcheck_input(self) -> dict[str, Any] | None:
        return _json(self.cleaned_data.get("quickcheck_input"), "quickcheck_input")

    def chosen_site(self) -> Site:
        return next(s for s in self.sites if s.pk == self.cleaned_data["site"])


def initial_from_quickcheck(raw: str, sites: list[Site]) -> dict[str, Any]:
    """What the Quick-Check already knows, as initial values of the create form.

    The birth date, the reference occupation as the job, and the place of business in the
    municipality of the job: the person does not type them a second time. Anything malformed is
    simply not carried over (the form still validates everything on submit).
    """
    try:
        profile = json.loads(raw) if raw else None
    except ValueError:
        return {}
    if not isinstance(profile, dict):
        return {}
    worker, qualification, job = (_part(profile, k) for k in ("worker", "qualification", "job"))
    initial: dict[str, Any] = {}
    birth_date = worker.get("birth_date")
    if isinstance(birth_date, str):
        with contextlib.suppress(ValueError):
            initial["worker_birth_date"] = dt.date.fromisoformat(birth_date)
    occupation = qualification.get("reference_occupation")
    if isinstance(occupation, str) and occupation.strip():
        initial["job_title"] = occupation.strip()[:200]
    municipality = job.get("municipality")
    if isinstance(municipality, str):
        matching = [s for s in sites if s.municipality.casefold() == municipality.casefold()]
        if len(matching) == 1 or (matching and len({s.company_id for s in matching}) == 1):
            initial["site"] = matching[0].pk
    return initial


def _part(profile: dict[str, Any], key: str) -> dict[str, Any]:
    value = profile.get(key)
    return value if isinstance(value, dict) else {}


def quickcheck_facts(raw: str) -> list[tuple[str, str]]:
    """The facts of the Quick-Check kept with the case, to show on the create page."""
    try:
        profile = json.loads(raw) if raw else None
    except ValueError:
        return []
    if not isinstance(profile, dict):
        return []
    job, qualification = _part(profile, "job"), _part(profile, "qualification")
    facts: list[tuple[str, str]] = []
    salary = job.get("annual_gross_salary")
    if isinstance(salary, int | float) and not isinstance(salary, bool):
        facts.append((str(_("Annual gross salary")), f"{salary:,.0f} €".replace(",", ".")))
    if isinstance(job.get("municipality"), str):
        facts.append((str(_("Place of work")), job["municipality"]))
    if isinstance(qualification.get("reference_occupation"), str):
        facts.append((str(_("Reference occupation")), qualification["reference_occupation"]))
    return facts


def _json(value: str | None, name: str) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        raise forms.ValidationError(_("The Quick-Check data are not valid JSON.")) from None
    if not isinstance(parsed, dict):
        raise forms.ValidationError(_("The Quick-Check data are not valid JSON."))
    return parsed


class FamilyMemberForm(KernForm):
    relation = forms.ChoiceField(
        label=_("Relation"), choices=[("", "—"), *FamilyRelation.choices], required=False
    )
    surname = forms.CharField(label=_("Surname (as in the passport)"), required=False)
    given_names = forms.CharField(label=_("Given names (as in the passport)"), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    nationality = NationalityField(required=False)
    passport_number = forms.CharField(label=_("Passport number"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(k) for k in ("surname", "given_names", "birth_date")):
            for name in ("relation", "surname", "birth_date", "nationality"):
                if not data.get(name):
                    self.add_error(name, _("This value is required."))
        return data


FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=2, max_num=6)


def asks_confirmation(step: Step) -> bool:
    """Steps that end, return or refuse cannot be undone: the page asks before recording them.

    Exceptions that only pause a track (the body or the BA asks for more) are resumed later.
    """
    return step.kind == "exception" and step.suspends is None


class StepForm(KernForm):
    """The form of one workflow step, built from the step's declared fields.

    An irreversible step gets a confirmation checkbox that the server requires (works without
    JavaScript; a request without it is refused with the form's error).
    """

    def __init__(self, *args: Any, step: Step, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", step.name)
        super().__init__(*args, **kwargs)
        self.step = step
        for spec in step.fields:
            field: forms.Field
            common: dict[str, Any] = {"label": spec.label, "required": spec.required}
            if spec.help_text:
                common["help_text"] = spec.help_text
            if spec.kind == "date":
                field = forms.DateField(widget=DateInput(), **common)
            elif spec.kind == "longtext":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
            elif spec.kind == "int":
                field = forms.IntegerField(min_value=1, max_value=365, **common)
            elif spec.kind == "choice":
                field = forms.ChoiceField(choices=spec.choices, **common)
            elif spec.kind == "body":
                field = forms.ChoiceField(choices=_body_choices(), **common)
                if case.recognition_body is not None:
                    field.initial = case.recognition_body.code
            elif spec.kind == "clock":
                open_clocks = [r for r in case.clocks.all() if r.stopped_on is None]
                field = forms.ChoiceField(
                    choices=[
                        (r.pk, clock_definition(r.code).label(_language())) for r in open_clocks
                    ],
                    **common,
                )
            else:
                field = forms.CharField(max_length=200, **common)
            self.fields[spec.name] = field
        self.confirmation = asks_confirmation(step)
        if self.confirmation:
            self.fields["confirm"] = forms.BooleanField(
                label=_("I have checked this: it cannot be undone."),
                error_messages={"required": _("Confirm that this step cannot be undone.")},
            )

    def step_data(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k != "confirm"
        }


def _language() -> Any:
    from django.utils import translation

    return "de" if translation.get_language() == "de" else "en"


class NoteForm(KernForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseFilterForm(KernForm):
    # On every list page: selects rendered in Python (same HTML as Django's templates).
    state = forms.ChoiceField(label=_("State"), required=False, widget=SelectWidget)
    company = forms.TypedChoiceField(
        label=_("Company"), required=False, coerce=int, empty_value=None, widget=SelectWidget
    )
    advisor = forms.TypedChoiceField(
        label=_("Advisor"), required=False, coerce=int, empty_value=None, widget=SelectWidget
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    q = forms.CharField(label=_("Reference or name"), required=False)


class CaseDetailsForm(WorkerAndJobForm):
    """Correct the worker's passport data and the job (lotse.cases.services.case_update_details)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "version"}
        return {**initial, "version": case.version}

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
