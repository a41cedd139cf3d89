"""A Quick-Check result in words people use, in the current language.

Works on the result dictionary (``QuickCheckResult.to_dict(include_followups=True)``), so a fresh
result and one stored in an advisory record years ago are shown the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lotse.advice.library import Lang, clock_period, euro, fee_amount, library
from lotse.rules import directory, documents, fees
from lotse.rules.citations import clean_citation

TITLE_ORDER = ("18g", "18b", "18a", "19c2", "16d3", "16d1", "16a")


def current_language() -> Lang:
    return "en" if (get_language() or "de").startswith("en") else "de"


def _pick(item: Mapping[str, Any], name: str, language: Lang) -> str:
    return str(item.get(f"{name}_{language}") or item.get(f"{name}_de") or "")


def recommended_label(result: Mapping[str, Any], language: Lang | None = None) -> str:
    """The recommended title of a stored result in the current language ("" when none)."""
    recommended = (result or {}).get("recommended")
    return _pick(recommended, "label", language or current_language()) if recommended else ""


def body_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return directory.external_body(code).name
    except KeyError:
        return code


def _evidence(kind: str | None) -> str:
    return {
        "equivalence": _("equivalence assessment (recognition)"),
        "comparability": _("statement of comparability of the degree"),
        "dab": _("digital information on vocational qualifications (DAB) of the ZAB"),
    }.get(kind or "", "")


def _pending_steps(option: Mapping[str, Any], language: Lang) -> list[str]:
    steps: list[str] = []
    recognition = option.get("recognition") or {}
    kind, body, required = (
        recognition.get("kind"),
        recognition.get("body"),
        recognition.get("required"),
    )
    if required and kind == "equivalence":
        if body:
            steps.append(
                _(
                    "%(body)s checks whether the qualification is equivalent to the German "
                    "reference occupation. The immigration office applies for it."
                )
                % {"body": body_name(body)}
            )
        else:
            steps.append(
                _(
                    "The qualification must be recognised; who does it depends on the German "
                    "reference occupation."
                )
            )
    elif required and kind == "comparability":
        steps.append(
            _(
                "The ZAB assesses whether the degree is comparable. The immigration office asks for it."
            )
        )
    elif required and kind == "dab":
        steps.append(
            _(
                "The ZAB confirms the vocational qualification (digital information on vocational "
                "qualifications, DAB)."
            )
        )
    elif kind and not required:
        steps.append(_("Already available: %(evidence)s.") % {"evidence": _evidence(kind)})
    if option.get("ba_approval") == "required":
        steps.append(
            _(
                "The Federal Employment Agency must approve the employment; in the accelerated "
                "procedure its approval counts as given after %(period)s."
            )
            % {"period": clock_period("ba_deemed_approval", language)}
        )
    return steps


@dataclass(frozen=True)
class Line:
    text: str
    legal_basis: str = ""


@dataclass(frozen=True)
class OptionView:
    code: str
    label: str
    eligible: bool
    accelerated: bool
    ba_required: bool
    threshold: str
    language_requirement: str
    pending: list[str]
    blockers: list[Line]
    warnings: list[Line]
    legal_basis: list[str]
    summary: str
    points: list[str]


@dataclass(frozen=True)
class StepView:
    label: str
    actor: str
    deadline: str
    legal_basis: str


@dataclass(frozen=True)
class FeeView:
    label: str
    amount: str
    payer: str
    legal_basis: str


@dataclass(frozen=True)
class DocumentView:
    code: str
    label: str
    description: str
    mandatory: bool
    translation: str
    original_signature: bool


@dataclass(frozen=True)
class FamilyView:
    covered: bool
    items: list[Line]


@dataclass(frozen=True)
class ResultView:
    ruleset: str
    authority_name: str
    authority_code: str
    cooperation: bool
    recommended: OptionView | None
    reasons: list[str]
    options: list[OptionView]
    steps: list[StepView]
    fees: list[FeeView]
    documents: list[DocumentView]
    recognition_body: str = ""
    recognition_body_code: str = ""
    closest: list[OptionView] = field(default_factory=list)
    family: FamilyView | None = None


def actor_label(code: str) -> str:
    labels = {
        "abh": _("Immigration office"),
        "recognition_body": _("Recognition body"),
        "zab": _("ZAB"),
        "ba": _("Federal Employment Agency"),
        "mission": _("German mission abroad"),
        "worker": _("Skilled worker"),
        "employer": _("Company"),
    }
    return labels.get(code, code)


def payer_label(code: str) -> str:
    return {"employer": _("Company"), "worker": _("Skilled worker")}.get(code, code)


def translation_label(code: str) -> str:
    return {
        "none": "",
        "german": _("in German"),
        "sworn_german": _("with a sworn German translation"),
        "sworn_german_or_english": _("with a sworn German or English translation"),
    }.get(code, code)


def option_view(option: Mapping[str, Any], language: Lang) -> OptionView:
    threshold = option.get("salary_threshold")
    info = library().titles.get(str(option["title"]))
    return OptionView(
        code=str(option["title"]),
        label=_pick(option, "label", language),
        eligible=bool(option.get("eligible")),
        accelerated=bool(option.get("accelerated_procedure")),
        ba_required=option.get("ba_approval") == "required",
        threshold=euro(float(threshold), language) if threshold is not None else "",
        language_requirement=str(option.get("language_requirement") or ""),
        pending=_pending_steps(option, language),
        blockers=[
            Line(_pick(b, "message", language), clean_citation(str(b.get("legal_basis", ""))))
            for b in option.get("blockers") or ()
        ],
        warnings=[
            Line(_pick(w, "message", language), clean_citation(str(w.get("legal_basis", ""))))
            for w in option.get("warnings") or ()
        ],
        legal_basis=[clean_citation(str(x)) for x in option.get("legal_basis") or ()],
        summary=info.summary(language) if info else "",
        points=info.points(language) if info else [],
    )


def _documents(option: Mapping[str, Any], language: Lang) -> list[DocumentView]:
    catalogue = documents.catalogue()
    items: list[DocumentView] = []
    for row in option.get("documents") or ():
        entry = catalogue.get(str(row["code"]))
        if entry is None:
            continue
        items.append(
            DocumentView(
                code=entry.code,
                label=entry.label_de if language == "de" else entry.label_en,
                description=entry.description_de if language == "de" else entry.description_en,
                mandatory=row.get("requirement") == "mandatory",
                translation=translation_label(str(row.get("translation", "none"))),
                original_signature=entry.original_signature,
            )
        )
    return items


def _fees(result: Mapping[str, Any], language: Lang) -> list[FeeView]:
    known = {item.code: item for item in fees.fees()}
    views: list[FeeView] = []
    for raw in result.get("fees") or ():
        item = known.get(str(raw["code"]))
        amount = (
            fee_amount(item, language)
            if item is not None and item.min == raw["min"] and item.max == raw["max"]
            else _range(float(raw["min"]), float(raw["max"]), language)
        )
        views.append(
            FeeView(
                label=_pick(raw, "label", language),
                amount=amount,
                payer=payer_label(str(raw.get("payer", ""))),
                legal_basis=clean_citation(str(raw.get("legal_basis", ""))),
            )
        )
    return views


def _range(low: float, high: float, language: Lang) -> str:
    return euro(low, language) if low == high else f"{euro(low, language)} – {euro(high, language)}"


def result_view(result: Mapping[str, Any], language: Lang | None = None) -> ResultView:
    language = language or current_language()
    options = [option_view(o, language) for o in result.get("options") or ()]
    by_code = {o.code: o for o in options}
    raw_by_code = {str(o["title"]): o for o in result.get("options") or ()}
    recommended_raw = result.get("recommended")
    recommended = by_code.get(str(recommended_raw["title"])) if recommended_raw else None
    authority = result.get("authority") or {}
    recognition_body = ""
    recognition_body_code = ""
    docs: list[DocumentView] = []
    if recommended is not None:
        chosen = raw_by_code[recommended.code]
        docs = _documents(chosen, language)
        rec = chosen.get("recognition") or {}
        recognition_body_code = str(rec.get("body") or "")
        recognition_body = body_name(recognition_body_code or None)
    # With no eligible title, show the ones that are closest: fewest blockers first.
    closest = (
        sorted(
            (o for o in options if o.blockers),
            key=lambda o: (len(o.blockers), TITLE_ORDER.index(o.code)),
        )[:3]
        if recommended is None
        else []
    )
    return ResultView(
        ruleset=str(result.get("ruleset", "")),
        authority_name=str(authority.get("name") or ""),
        authority_code=str(authority.get("code") or ""),
        cooperation=bool(authority.get("cooperation")),
        recommended=recommended,
        reasons=[_pick(r, "message", language) for r in (recommended_raw or {}).get("reasons", ())],
        options=options,
        steps=[
            StepView(
                label=_pick(s, "label", language),
                actor=actor_label(str(s.get("actor", ""))),
                deadline=_pick(s, "deadline", language),
                legal_basis=clean_citation(str(s.get("legal_basis", ""))),
            )
            for s in result.get("next_steps") or ()
        ],
        fees=_fees(result, language),
        documents=docs,
        recognition_body=recognition_body,
        recognition_body_code=recognition_body_code,
        closest=closest,
        family=_family(result.get("family"), language),
    )


def _family(raw: Mapping[str, Any] | None, language: Lang) -> FamilyView | None:
    if not raw:
        return None
    return FamilyView(
        covered=bool(raw.get("covered")),
        items=[
            Line(_pick(item, "message", language), clean_citation(str(item["legal_basis"])))
            for item in raw.get("items") or ()
        ],
    )


# --------------------------------------------------------------------------- the input, for people


def _yes_no(value: object) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return _("not known")


def _date(value: object) -> str:
    if isinstance(value, str) and value:
        try:
            return date_format(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return "–"


def _number(value: object, language: Lang) -> str:
    if value is None:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:g}"
    return text.replace(".", ",") if language == "de" else text


def input_rows(data: Mapping[str, Any], language: Lang | None = None) -> list[tuple[str, str]]:
    """The answers of a profile as (question, answer) rows, for the record and its PDF."""
    from lotse.advice.forms import (
        ANABIN_INSTITUTION,
        GERMAN_LEVELS,
        JOB_KINDS,
        QUALIFICATION_TYPES,
        RECOGNITION_STATES,
    )

    language = language or current_language()
    worker = data.get("worker") or {}
    qualification = data.get("qualification") or {}
    job = data.get("job") or {}

    def choice(choices: Any, value: object) -> str:
        return str(dict(choices).get(value, value if value not in (None, "") else "–"))

    salary = job.get("annual_gross_salary")
    duration = job.get("duration_months")
    rows: list[tuple[str, str]] = [
        (_("Date of the decision"), _date(data.get("decision_date"))),
        (_("Place of business (municipality)"), str(job.get("municipality") or "–")),
        (_("Date of birth"), _date(worker.get("birth_date"))),
        (_("Lives abroad"), _yes_no(worker.get("abroad"))),
        (_("German language skills"), choice(GERMAN_LEVELS, worker.get("german_level"))),
        (_("Old-age provision proven"), _yes_no(worker.get("pension_provision"))),
        (_("Qualification"), choice(QUALIFICATION_TYPES, qualification.get("type"))),
    ]
    if qualification.get("type") in ("vocational", "academic"):
        rows += [
            (
                _("German reference occupation"),
                str(qualification.get("reference_occupation") or "–"),
            ),
            (
                _("Length of training or studies (years)"),
                _number(qualification.get("training_years"), language),
            ),
            (
                _("Recognised by the state of origin"),
                _yes_no(qualification.get("state_recognised")),
            ),
            (
                _("German recognition decision"),
                choice(RECOGNITION_STATES, qualification.get("recognition")),
            ),
            (
                _("Regulated occupation"),
                _yes_no(qualification.get("regulated"))
                if qualification.get("regulated") is not None
                else _("from the reference occupation"),
            ),
            (
                _("Work experience in the last 5 years (years)"),
                _number(qualification.get("experience_years_last_5"), language),
            ),
        ]
    if qualification.get("type") == "vocational":
        rows.append((_("DAB available"), _yes_no(qualification.get("dab"))))
    if qualification.get("type") == "academic":
        rows += [
            (_("Date of the degree"), _date(qualification.get("degree_date"))),
            (
                _("University in anabin"),
                choice(ANABIN_INSTITUTION, qualification.get("anabin_institution") or ""),
            ),
            (
                _("Degree listed as equivalent in anabin"),
                _yes_no(qualification.get("anabin_degree_equivalent")),
            ),
            (_("ZAB statement available"), _yes_no(qualification.get("zab_statement"))),
        ]
    rows += [
        (_("Planned"), choice(JOB_KINDS, job.get("kind"))),
        (
            _("Gross annual salary"),
            euro(float(salary), language) if salary is not None else "–",
        ),
        (
            _("Fixed term"),
            _("%(months)s months") % {"months": duration} if duration else _("no end date"),
        ),
        (_("Bound by a collective agreement"), _yes_no(job.get("collective_agreement"))),
        (_("Shortage occupation"), _yes_no(job.get("shortage_occupation"))),
        (_("IT specialist"), _yes_no(job.get("it_specialist"))),
    ]
    if job.get("it_specialist"):
        rows.append(
            (
                _("IT experience in the last 7 years (years)"),
                _number(qualification.get("it_experience_years_last_7"), language),
            )
        )
    if job.get("kind") == "recognition_partnership":
        rows.append(
            (
                _("Company experienced in training"),
                _yes_no(job.get("employer_suitable_for_partnership")),
            )
        )
    # Optional answers (issue 10) appear only when given, so older records read as before.
    optional: list[tuple[str, object]] = [
        (_("Date of the application"), _date(data.get("application_date"))),
        (_("Nationality"), worker.get("nationality")),
        (_("EQF level of the qualification"), qualification.get("eqf_level")),
        (
            _("IT experience in the last 5 years (years)"),
            _number(qualification["it_experience_years_last_5"], language)
            if qualification.get("it_experience_years_last_5") is not None
            else None,
        ),
        (_("ISCO-08 code of the job"), job.get("isco_code")),
        (_("Planned start of employment"), _date(job.get("start_date"))),
        (_("Agreed end of employment"), _date(job.get("end_date"))),
    ]
    rows += [(label, str(value)) for label, value in optional if value not in (None, "", "–")]
    family = data.get("family")
    if family:
        rows += [
            (_("Spouse comes along"), _yes_no(family.get("spouse"))),
            (_("Minor children who come along"), str(family.get("minor_children") or 0)),
        ]
        if family.get("spouse_german_level"):
            rows.append(
                (
                    _("German language skills of the spouse"),
                    choice(GERMAN_LEVELS, family["spouse_german_level"]),
                )
            )
        if family.get("months_after_worker") is not None:
            rows.append(
                (
                    _("Family applies months after the worker"),
                    str(family["months_after_worker"]),
                )
            )
    return rows
