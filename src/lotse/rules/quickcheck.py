"""The Quick-Check: which residence title fits, inside the accelerated procedure (§ 81a AufenthG).

``evaluate(profile)`` is a pure function of the profile and the versioned rule data. A title is
*eligible* when it can be reached inside the accelerated procedure; the steps the procedure itself
performs (recognition, statement of comparability / DAB, BA approval, licence to practise) are
pending steps, not blockers (issue 3).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from json.encoder import encode_basestring_ascii
from typing import Any, Final, Literal, TypeVar

from lotse.rules import directory, fees, procedure
from lotse.rules._data import load
from lotse.rules.documents import TITLES, matrix
from lotse.rules.occupations import Occupation, lookup
from lotse.rules.profile import Profile, parse_profile
from lotse.rules.thresholds import (
    Threshold,
    ThresholdPeriod,
    is_provisional,
    period_for,
    published_range,
)

__all__ = [
    "TITLES",
    "AuthorityResult",
    "DocumentItem",
    "Finding",
    "Option",
    "OtherRoute",
    "QuickCheckResult",
    "Reason",
    "Recognition",
    "Recommendation",
    "TitleNeeds",
    "evaluate",
    "evaluate_data",
    "ruleset_version",
    "title_label",
    "title_needs",
]

LEVELS: Final[dict[str, int]] = {"none": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
_MONTHS_EN: Final[tuple[str, ...]] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

BaApproval = Literal["required", "not_required"]
RecognitionKind = Literal["equivalence", "comparability", "dab"]


# ------------------------------------------------------------------------------- JSON text
#
# ``QuickCheckResult.to_json()`` writes exactly what ``json.dumps(result.to_dict())`` writes (the
# standard separators ", " and ": ", non-ASCII as \\u escapes), but from the JSON text of the
# memoised parts (findings, checklists, routes) instead of encoding some 1,200 objects per result
# anew: the standard encoder alone took longer than the whole evaluation (docs/performance.md).

_T = TypeVar("_T")
_D = TypeVar("_D")


def _js(text: str) -> str:
    """A JSON string as ``json.dumps`` writes it (the C function it uses itself)."""
    written: str = encode_basestring_ascii(text)
    return written


def _jv(value: object) -> str:
    """A JSON scalar as ``json.dumps`` writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return _js(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)  # what the encoder writes for a finite float
    return json.dumps(value)


class _Fragments:
    """JSON text of memoised, immutable objects, looked up by identity.

    Each entry holds its object, so the object's id cannot be reused by another while the entry
    lives; the table is emptied when it reaches ``limit`` (the memo caches it mirrors are bounded).
    """

    __slots__ = ("_dicts", "_entries", "_limit")

    def __init__(self, limit: int) -> None:
        self._entries: dict[int, tuple[object, str]] = {}
        self._dicts: dict[int, tuple[object, Any]] = {}
        self._limit = limit

    def dicts(self, item: _T, write: Callable[[_T], _D]) -> _D:
        """``write(item)`` memoised by identity; the caller copies what it hands out."""
        entry = self._dicts.get(id(item))
        if entry is not None and entry[0] is item:
            found: _D = entry[1]
            return found
        written = write(item)
        if len(self._dicts) >= self._limit:
            self._dicts.clear()
        self._dicts[id(item)] = (item, written)
        return written

    def text(self, item: _T, write: Callable[[_T], str]) -> str:
        entry = self._entries.get(id(item))
        if entry is not None and entry[0] is item:
            return entry[1]
        written = write(item)
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[id(item)] = (item, written)
        return written


# Bounded like the findings memo (16,384): a few MB at most in a long-running process.
_FRAGMENTS: Final = _Fragments(16384)


def _json_list(parts: Iterable[str]) -> str:
    return "[" + ", ".join(parts) + "]"


@lru_cache(maxsize=1024)
def _strings_json(items: tuple[str, ...]) -> str:
    return _json_list(_js(item) for item in items)


# ------------------------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class Finding:
    """A blocker or warning, with its legal basis."""

    code: str
    message_de: str
    message_en: str
    legal_basis: str

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message_de": self.message_de,
            "message_en": self.message_en,
            "legal_basis": self.legal_basis,
        }

    def _write_json(self) -> str:
        return (
            f'{{"code": {_js(self.code)}, "message_de": {_js(self.message_de)}, '
            f'"message_en": {_js(self.message_en)}, "legal_basis": {_js(self.legal_basis)}}}'
        )

    def to_json(self) -> str:
        return _FRAGMENTS.text(self, Finding._write_json)


@dataclass(frozen=True, slots=True)
class Recognition:
    """Evidence of the qualification the title relies on.

    ``body``/``kind`` name the evidence (None: the title needs none); ``required`` says whether it
    still has to be obtained inside the procedure (False when already held or not needed).
    """

    required: bool
    body: str | None
    kind: RecognitionKind | None

    def to_dict(self) -> dict[str, Any]:
        return {"required": self.required, "body": self.body, "kind": self.kind}

    def to_json(self) -> str:
        return _recognition_json(self.required, self.body, self.kind)


@dataclass(frozen=True, slots=True)
class DocumentItem:
    code: str
    requirement: Literal["mandatory", "conditional"]
    translation: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "requirement": self.requirement, "translation": self.translation}

    def to_json(self) -> str:
        return (
            f'{{"code": {_js(self.code)}, "requirement": {_js(self.requirement)}, '
            f'"translation": {_js(self.translation)}}}'
        )


@lru_cache(maxsize=64)
def _recognition_json(required: bool, body: str | None, kind: str | None) -> str:
    return f'{{"required": {_jv(required)}, "body": {_jv(body)}, "kind": {_jv(kind)}}}'


def _documents_dicts(documents: tuple[DocumentItem, ...]) -> tuple[dict[str, str], ...]:
    return tuple(d.to_dict() for d in documents)


def _findings_dicts(findings: tuple[Finding, ...]) -> list[dict[str, str]]:
    return [_FRAGMENTS.dicts(f, Finding.to_dict).copy() for f in findings]


def _findings_json(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return "[]"
    return "[" + ", ".join([_FRAGMENTS.text(f, Finding._write_json) for f in findings]) + "]"


def _documents_json(documents: tuple[DocumentItem, ...]) -> str:
    return _json_list(d.to_json() for d in documents)


@dataclass(frozen=True, slots=True)
class Option:
    title: str
    label_de: str
    label_en: str
    eligible: bool
    accelerated_procedure: bool
    ba_approval: BaApproval
    salary_threshold: float | None
    recognition: Recognition
    language_requirement: str | None
    blockers: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    legal_basis: tuple[str, ...]
    documents: tuple[DocumentItem, ...]

    @property
    def pending_steps(self) -> tuple[str, ...]:
        """Steps the procedure still performs for this title, in procedure order."""
        steps: list[str] = []
        if self.recognition.required and self.recognition.kind is not None:
            steps.append(
                "recognition" if self.recognition.kind == "equivalence" else self.recognition.kind
            )
        if self.ba_approval == "required":
            steps.append("ba_approval")
        return tuple(steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "label_de": self.label_de,
            "label_en": self.label_en,
            "eligible": self.eligible,
            "accelerated_procedure": self.accelerated_procedure,
            "ba_approval": self.ba_approval,
            "salary_threshold": self.salary_threshold,
            "recognition": self.recognition.to_dict(),
            "language_requirement": self.language_requirement,
            "blockers": _findings_dicts(self.blockers),
            "warnings": _findings_dicts(self.warnings),
            "legal_basis": list(self.legal_basis),
            # A fresh copy of the memoised checklist's dictionaries: callers may change theirs.
            "documents": list(map(dict.copy, _FRAGMENTS.dicts(self.documents, _documents_dicts))),
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict())``, from memoised parts."""
        threshold = self.salary_threshold
        language = self.language_requirement
        return "".join(
            (
                _option_head(self.title, self.label_de, self.label_en),
                "true" if self.eligible else "false",
                ', "accelerated_procedure": ',
                "true" if self.accelerated_procedure else "false",
                ', "ba_approval": ',
                _js(self.ba_approval),
                ', "salary_threshold": ',
                _jv(threshold),
                ', "recognition": ',
                self.recognition.to_json(),
                ', "language_requirement": ',
                "null" if language is None else _js(language),
                ', "blockers": ',
                _findings_json(self.blockers),
                ', "warnings": ',
                _findings_json(self.warnings),
                ', "legal_basis": ',
                _strings_json(self.legal_basis),
                ', "documents": ',
                _FRAGMENTS.text(self.documents, _documents_json),
                "}",
            )
        )


@lru_cache(maxsize=64)
def _option_head(title: str, label_de: str, label_en: str) -> str:
    return (
        f'{{"title": {_js(title)}, "label_de": {_js(label_de)}, "label_en": {_js(label_en)}, '
        '"eligible": '
    )


@dataclass(frozen=True, slots=True)
class AuthorityResult:
    code: str | None
    name: str | None
    cooperation: bool

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "cooperation": self.cooperation}

    def to_json(self) -> str:
        return _authority_json(self.code, self.name, self.cooperation)


@lru_cache(maxsize=256)
def _authority_json(code: str | None, name: str | None, cooperation: bool) -> str:
    return f'{{"code": {_jv(code)}, "name": {_jv(name)}, "cooperation": {_jv(cooperation)}}}'


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message_de: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_de": self.message_de, "message_en": self.message_en}

    def to_json(self) -> str:
        return (
            f'{{"code": {_js(self.code)}, "message_de": {_js(self.message_de)}, '
            f'"message_en": {_js(self.message_en)}}}'
        )


@dataclass(frozen=True, slots=True)
class Recommendation:
    title: str
    label_de: str
    label_en: str
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "label_de": self.label_de,
            "label_en": self.label_en,
            "reasons": [r.to_dict() for r in self.reasons],
        }

    def to_json(self) -> str:
        return (
            f'{{"title": {_js(self.title)}, "label_de": {_js(self.label_de)}, '
            f'"label_en": {_js(self.label_en)}, '
            f'"reasons": {_json_list(r.to_json() for r in self.reasons)}}}'
        )


@dataclass(frozen=True, slots=True)
class OtherRoute:
    """A route outside the seven titles of the contract that fits the profile (issue 10)."""

    code: str
    label_de: str
    label_en: str
    legal_basis: tuple[str, ...]
    accelerated_procedure: bool
    conditions_de: str
    conditions_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label_de": self.label_de,
            "label_en": self.label_en,
            "legal_basis": list(self.legal_basis),
            "accelerated_procedure": self.accelerated_procedure,
            "conditions_de": self.conditions_de,
            "conditions_en": self.conditions_en,
        }

    def _write_json(self) -> str:
        return json.dumps(self.to_dict())

    def to_json(self) -> str:
        return _FRAGMENTS.text(self, OtherRoute._write_json)


@dataclass(frozen=True, slots=True)
class FamilyResult:
    """What applies to the family who join (§ 81a Abs. 4 AufenthG); information, not blockers."""

    covered: bool  # inside the accelerated procedure (joint or timely visa applications)
    within_months: int
    spouse: bool
    minor_children: int
    spouse_language: str | None  # level the spouse needs; None when the law waives it or no spouse
    items: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "covered": self.covered,
            "within_months": self.within_months,
            "spouse": self.spouse,
            "minor_children": self.minor_children,
            "spouse_language": self.spouse_language,
            "items": [f.to_dict() for f in self.items],
        }

    def to_json(self) -> str:
        return (
            f'{{"covered": {_jv(self.covered)}, "within_months": {_jv(self.within_months)}, '
            f'"spouse": {_jv(self.spouse)}, "minor_children": {_jv(self.minor_children)}, '
            f'"spouse_language": {_jv(self.spouse_language)}, '
            f'"items": {_json_list(f.to_json() for f in self.items)}}}'
        )


@dataclass(frozen=True, slots=True)
class QuickCheckResult:
    ruleset: str
    decision_date: date
    authority: AuthorityResult
    options: tuple[Option, ...]
    recommended: Recommendation | None
    other_routes: tuple[OtherRoute, ...] = ()
    family: FamilyResult | None = None

    def option(self, title: str) -> Option:
        for item in self.options:
            if item.title == title:
                return item
        raise KeyError(title)

    def next_steps(self) -> tuple[procedure.Step, ...]:
        """Steps and statutory deadlines that follow for the recommended title (empty if none)."""
        if self.recommended is None:
            return ()
        chosen = self.option(self.recommended.title)
        pending = chosen.pending_steps
        return procedure.steps_for(
            recognition="recognition" in pending,
            comparability="comparability" in pending or "dab" in pending,
            ba_approval="ba_approval" in pending,
        )

    def expected_fees(self) -> tuple[fees.Fee, ...]:
        """Fees to expect for the recommended title: procedure, visa, permit, recognition ranges."""
        if self.recommended is None:
            return ()
        chosen = self.option(self.recommended.title)
        items = [fees.fee("procedure_81a"), fees.fee("national_visa"), fees.fee("residence_permit")]
        rec = chosen.recognition
        if rec.required and rec.body is not None:
            wanted = {"equivalence": None, "comparability": "zab_statement", "dab": "zab_dab"}
            code = wanted.get(rec.kind or "")
            items.extend(
                f for f in fees.recognition_fees(rec.body) if code is None or f.code == code
            )
        return tuple(items)

    def to_dict(self, *, include_followups: bool = False) -> dict[str, Any]:
        """The output contract of issue 3 (plus title labels); optionally steps and fees."""
        result: dict[str, Any] = {
            "ruleset": self.ruleset,
            "authority": self.authority.to_dict(),
            "options": [o.to_dict() for o in self.options],
            "recommended": None if self.recommended is None else self.recommended.to_dict(),
            "other_routes": [r.to_dict() for r in self.other_routes],
        }
        if self.family is not None:  # only when asked: profiles without family keep their shape
            result["family"] = self.family.to_dict()
        if include_followups:
            result["next_steps"] = [_step_dict(s) for s in self.next_steps()]
            result["fees"] = [_fee_dict(f) for f in self.expected_fees()]
        return result

    def to_json(self, *, include_followups: bool = False) -> str:
        """``json.dumps(self.to_dict(include_followups=...))``, character for character.

        Written from the JSON text of memoised parts, several times faster than encoding the
        dictionary with the standard encoder (tests/rules/test_json.py holds them equal).
        """
        recommended = self.recommended
        parts = [
            '{"ruleset": ',
            _js(self.ruleset),
            ', "authority": ',
            self.authority.to_json(),
            ', "options": ',
            _json_list(o.to_json() for o in self.options),
            ', "recommended": ',
            "null" if recommended is None else recommended.to_json(),
            ', "other_routes": ',
            _json_list(r.to_json() for r in self.other_routes),
        ]
        if self.family is not None:
            parts += (', "family": ', self.family.to_json())
        if include_followups:
            parts += (
                ', "next_steps": ',
                json.dumps([_step_dict(s) for s in self.next_steps()]),
                ', "fees": ',
                json.dumps([_fee_dict(f) for f in self.expected_fees()]),
            )
        parts.append("}")
        return "".join(parts)


def _step_dict(step: procedure.Step) -> dict[str, Any]:
    return {
        "code": step.code,
        "actor": step.actor,
        "label_de": step.label_de,
        "label_en": step.label_en,
        "deadline_de": step.deadline_de,
        "deadline_en": step.deadline_en,
        "legal_basis": step.legal_basis,
    }


def _fee_dict(item: fees.Fee) -> dict[str, Any]:
    return {
        "code": item.code,
        "label_de": item.label_de,
        "label_en": item.label_en,
        "min": item.min,
        "max": item.max,
        "payer": item.payer,
        "legal_basis": item.legal_basis,
    }


# ------------------------------------------------------------------------------- rule data


@dataclass(frozen=True, slots=True)
class _Message:
    de: str
    en: str
    legal_basis: str


@dataclass(frozen=True, slots=True)
class _Title:
    code: str
    label_de: str
    label_en: str
    legal_basis: tuple[str, ...]
    in_force_from: date
    language: str | None
    ba_approval: BaApproval
    age45: str
    rank: int
    settings: dict[str, Any]
    unique_legal_basis: tuple[str, ...]


@cache
def _messages() -> dict[str, _Message]:
    raw = load("messages")["message"]
    return {
        code: _Message(entry["message_de"], entry["message_en"], entry["legal_basis"])
        for code, entry in raw.items()
    }


@cache
def _titles() -> dict[str, _Title]:
    raw = load("titles")["title"]
    result: dict[str, _Title] = {}
    for code in TITLES:
        entry = raw[code]
        result[code] = _Title(
            code=code,
            label_de=entry["label_de"],
            label_en=entry["label_en"],
            legal_basis=tuple(entry["legal_basis"]),
            in_force_from=entry["in_force_from"],
            language=entry["language"] or None,
            ba_approval="required" if entry["ba_approval"] == "required" else "not_required",
            age45=entry["age45"],
            rank=int(entry["recommend_rank"]),
            settings=entry,
            unique_legal_basis=tuple(dict.fromkeys(entry["legal_basis"])),
        )
    return result


@cache
def _title_data() -> dict[str, Any]:
    return load("titles")


@dataclass(frozen=True, slots=True)
class TitleNeeds:
    """What a title needs when no profile was evaluated (``titles.toml``, ``without_quickcheck``)."""

    title: str
    recognition: str  # "" | equivalence | comparability | dab
    ba_approval: BaApproval
    legal_basis: str


def title_needs(title: str) -> TitleNeeds:
    """Every step ``title`` may need, for a case started without a Quick-Check."""
    entry = _titles()[title].settings["without_quickcheck"]
    return TitleNeeds(
        title=title,
        recognition=str(entry["recognition"]),
        ba_approval="required" if entry["ba_approval"] == "required" else "not_required",
        legal_basis=str(entry["legal_basis"]),
    )


def title_label(title: str, language: Literal["de", "en"] = "de") -> str:
    """Human label of a title code, e.g. "Blaue Karte EU (§ 18g AufenthG)"."""
    item = _titles()[title]
    return item.label_de if language == "de" else item.label_en


@cache
def ruleset_version() -> str:
    """Version of the rule data; refuses to answer when a data file changed without a bump."""
    raw = load("ruleset")
    for name, expected in raw["files"].items():
        actual = load(name)["version"]
        if actual != expected:
            raise RuntimeError(
                f"data/{name}.toml is version {actual} but ruleset.toml lists {expected}; "
                "bump the ruleset version"
            )
    version: str = raw["version"]
    return version


# ------------------------------------------------------------------------------- formatting


class _Money:
    __slots__ = ("cents",)

    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Money) and other.cents == self.cents

    def __hash__(self) -> int:
        return hash(("money", self.cents))

    def __format__(self, spec: str) -> str:
        text = f"{self.cents / 100:,.2f}"
        if spec == "de":
            return text.replace(",", " ").replace(".", ",").replace(" ", ".") + " €"
        return "€" + text


class _Day:
    __slots__ = ("day",)

    def __init__(self, day: date) -> None:
        self.day = day

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Day) and other.day == self.day

    def __hash__(self) -> int:
        return hash(("day", self.day))

    def __format__(self, spec: str) -> str:
        d = self.day
        if spec == "de":
            return f"{d.day:02d}.{d.month:02d}.{d.year}"
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def _finding(code: str, basis: str | None = None, **params: Any) -> Finding:
    # Findings are immutable and most repeat across profiles, so formatting is memoised.
    # ``basis`` replaces the message's legal basis where the norm depends on the case
    # (e.g. the profession law that sets the licence language). Each call site passes its
    # parameters in one order, so the keyword order can key the memo without sorting.
    return _formatted_finding(code, tuple(params.items()), basis)


@lru_cache(maxsize=16384)
def _formatted_finding(
    code: str, params: tuple[tuple[str, Any], ...], basis: str | None = None
) -> Finding:
    message = _messages()[code]
    values = dict(params)
    return Finding(
        code=code,
        message_de=message.de.format(**values),
        message_en=message.en.format(**values),
        legal_basis=message.legal_basis if basis is None else basis,
    )


def _reason(code: str, **params: Any) -> Reason:
    return _formatted_reason(code, tuple(params.items()))


@lru_cache(maxsize=4096)
def _formatted_reason(code: str, params: tuple[tuple[str, Any], ...]) -> Reason:
    message = _messages()[code]
    values = dict(params)
    return Reason(code, message.de.format(**values), message.en.format(**values))


# ------------------------------------------------------------------------------- evaluation


@lru_cache(maxsize=4096)
def _occupation(name: str) -> Occupation | None:
    return lookup(name)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(slots=True)
class _Ctx:
    profile: Profile
    on: date
    period: ThresholdPeriod
    age: int
    age_at_start: int
    level: int
    salary_cents: int
    occupation: Occupation | None
    regulated: bool | None
    anabin_ok: bool
    blockers: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    conditions: dict[str, bool | None]


_NO_RECOGNITION: Final = Recognition(False, None, None)


class _Builder:
    # A plain class: seven are made per profile, and a dataclass' default factories cost more.
    __slots__ = (
        "ba_approval",
        "blockers",
        "ctx",
        "facts",
        "language",
        "legal_basis",
        "recognition",
        "threshold",
        "title",
        "warnings",
    )

    def __init__(self, title: _Title, ctx: _Ctx, ba_approval: BaApproval = "required") -> None:
        self.title = title
        self.ctx = ctx
        self.blockers: list[Finding] = []
        self.warnings: list[Finding] = []
        self.legal_basis: list[str] = []
        self.facts: dict[str, bool | None] = {}
        self.ba_approval: BaApproval = ba_approval
        self.threshold: Threshold | None = None
        self.recognition: Recognition = _NO_RECOGNITION
        self.language: str | None = None

    def block(self, code: str, basis: str | None = None, **params: Any) -> None:
        self.blockers.append(_finding(code, basis, **params))

    def warn(self, code: str, basis: str | None = None, **params: Any) -> None:
        self.warnings.append(_finding(code, basis, **params))

    def require_job(self, kind: str) -> None:
        if self.ctx.profile.job.kind != kind:
            self.blockers.append(_job_kind_mismatch(kind))

    def require_language(
        self, level: str, *, as_a_rule: bool = False, basis: str | None = None
    ) -> None:
        self.language = level
        if self.ctx.level < LEVELS[level]:
            stated = self.ctx.profile.worker.german_level
            code = "language_as_a_rule" if as_a_rule else "language_below_requirement"
            self.warn(code, basis, required=level, level=stated) if as_a_rule else self.block(
                code, basis, required=level, level=stated
            )

    def require_licence_language(self) -> None:
        """§ 18 Abs. 2 Nr. 3 AufenthG: the licence needs the German its profession law demands."""
        occupation = self.ctx.occupation
        if occupation is None or occupation.language is None:
            return
        law = occupation.language_basis or occupation.legal_basis
        self.require_language(occupation.language, basis=f"§ 18 Abs. 2 Nr. 3 AufenthG; {law}")

    def build(self) -> Option:
        ctx = self.ctx
        title = self.title
        in_force = ctx.on >= title.in_force_from
        if in_force:
            blockers = (*ctx.blockers, *self.blockers)
        else:
            not_in_force = _finding("title_not_in_force", date=_Day(title.in_force_from))
            blockers = (*ctx.blockers, not_in_force, *self.blockers)
        conditions = ctx.conditions | self.facts
        conditions["ba_approval"] = self.ba_approval == "required"
        names = _condition_names(title.code)
        documents = _documents(title.code, tuple(map(conditions.get, names)))
        legal_basis = (
            tuple(dict.fromkeys((*title.legal_basis, *self.legal_basis)))
            if self.legal_basis
            else title.unique_legal_basis
        )
        return Option(
            title=title.code,
            label_de=title.label_de,
            label_en=title.label_en,
            eligible=not blockers,
            accelerated_procedure=in_force and ctx.profile.worker.abroad,
            ba_approval=self.ba_approval,
            salary_threshold=None if self.threshold is None else self.threshold.amount,
            recognition=self.recognition,
            language_requirement=self.language,
            blockers=blockers,
            warnings=(*ctx.warnings, *self.warnings),
            legal_basis=legal_basis,
            documents=documents,
        )


@cache
def _job_kind_mismatch(kind: str) -> Finding:
    labels = _title_data()["job_kind"][kind]
    return _finding(
        "job_kind_mismatch", required_de=labels["label_de"], required_en=labels["label_en"]
    )


@cache
def _condition_names(title: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(row.when for row in matrix(title) if row.when is not None))


@lru_cache(maxsize=4096)
def _documents(title: str, states: tuple[bool | None, ...]) -> tuple[DocumentItem, ...]:
    """The checklist of ``title`` for resolved condition states (True, False, None = unknown)."""
    resolved = dict(zip(_condition_names(title), states, strict=True))
    documents: list[DocumentItem] = []
    for row in matrix(title):
        requirement = row.requirement
        if row.when is not None:
            state = resolved[row.when]
            if state is False:
                continue
            requirement = "mandatory" if state else "conditional"
        documents.append(DocumentItem(row.code, requirement, row.translation))
    return tuple(documents)


def _equivalence(b: _Builder) -> None:
    """Recognition (Gleichwertigkeit / licence) at the body of the reference occupation."""
    ctx = b.ctx
    status = ctx.profile.qualification.recognition
    body = ctx.occupation.body if ctx.occupation is not None else None
    if ctx.occupation is None:
        b.warn("reference_occupation_missing")
    if status == "partial":
        b.block("recognition_partial")
    elif status == "rejected":
        b.block("recognition_rejected")
    elif status == "pending":
        b.warn("recognition_pending_elsewhere")
    b.recognition = Recognition(status in ("none", "pending"), body, "equivalence")
    if ctx.regulated:
        b.warn("practice_licence_pending")
        b.legal_basis.append("§ 18 Abs. 2 Nr. 3 AufenthG")
        b.require_licence_language()


def _comparability(b: _Builder) -> None:
    """Comparability of a degree: anabin printouts or a ZAB statement (§ 81a Abs. 3 Nr. 2)."""
    q = b.ctx.profile.qualification
    if b.ctx.anabin_ok:
        b.recognition = Recognition(False, None, "comparability")
    elif q.zab_statement:
        b.recognition = Recognition(False, "zab", "comparability")
    else:
        if q.anabin_institution == "H-" or q.anabin_degree_equivalent is False:
            b.warn("degree_comparability_doubtful")
        b.recognition = Recognition(True, "zab", "comparability")


def _state_recognised_qualification(b: _Builder, min_years: int) -> None:
    """§ 6 BeschV / § 16d Abs. 3: state-recognised training of ≥ 2 years, or a degree."""
    q = b.ctx.profile.qualification
    if q.type == "none":
        b.block("qualification_missing")
        return
    if q.type == "academic":
        _comparability(b)
        return
    if q.state_recognised is False:
        b.block("not_state_recognised")
    if q.training_years is not None and q.training_years < min_years:
        b.block("training_too_short", years=min_years)
    b.recognition = Recognition(not q.dab, "zab", "dab")


def _age45(b: _Builder) -> None:
    ctx = b.ctx
    mode = b.title.age45
    threshold = ctx.period.get("age45")
    if mode == "none" or threshold is None or ctx.age_at_start < 45:
        b.facts["age45_below_threshold"] = False
        return
    below = ctx.salary_cents < threshold.cents
    pension = ctx.profile.worker.pension_provision
    b.facts["age45_below_threshold"] = below and pension
    if mode == "review":
        if below and not pension:
            b.warn("age45_review", threshold=_Money(threshold.cents))
        return
    b.legal_basis.append(threshold.legal_basis)
    if below and pension:
        return
    b.threshold = threshold
    if not below:
        return
    tolerance = _title_data()["age45_tolerance"]
    percent = int(tolerance["salary_shortfall_percent"])
    minor_shortfall = ctx.salary_cents * 100 >= threshold.cents * (100 - percent)
    minor_age = ctx.age_at_start - 45 <= int(tolerance["age_years_over"])
    if minor_shortfall or minor_age:
        b.warn("age45_discretion", threshold=_Money(threshold.cents))
    else:
        b.block("age45_salary", threshold=_Money(threshold.cents))


def _title_16a(b: _Builder) -> None:
    ctx = b.ctx
    b.require_job("vocational_training")
    b.language = "B1"
    if ctx.level < LEVELS["B1"]:
        b.warn("language_training_exception", level=ctx.profile.worker.german_level)
    livelihood = ctx.period.get("training_livelihood_monthly")
    if livelihood is not None and ctx.salary_cents < livelihood.cents * 12:
        b.warn("livelihood_gap", amount=_Money(livelihood.cents))


def _title_16d1(b: _Builder) -> None:
    ctx = b.ctx
    q = ctx.profile.qualification
    b.require_job("adaptation_measure")
    if q.type == "none":
        b.block("qualification_missing")
    if q.recognition != "partial":
        b.block("no_partial_recognition")
    body = ctx.occupation.body if ctx.occupation is not None else None
    if ctx.occupation is None:
        b.warn("reference_occupation_missing")
    b.recognition = Recognition(False, body, "equivalence")
    b.require_language("A2", as_a_rule=True)
    max_months = int(b.title.settings["max_months"])
    duration = ctx.profile.job.duration_months
    if duration is None or duration > max_months:
        b.warn("measure_longer_than_title", months=max_months)


def _title_16d3(b: _Builder) -> None:
    ctx = b.ctx
    q = ctx.profile.qualification
    b.require_job("recognition_partnership")
    _state_recognised_qualification(b, 2)
    suitable = ctx.profile.job.employer_suitable_for_partnership
    if suitable is False:
        b.block("employer_not_suitable")
    elif suitable is None:
        b.warn("employer_suitability_unchecked")
    b.require_language("A2")
    if q.recognition == "full":
        b.warn("recognition_full_use_18a")
    if ctx.occupation is not None:
        name = directory.external_body(ctx.occupation.body).name
        b.warn("recognition_after_entry", body_de=name, body_en=name)
    else:
        b.warn(
            "recognition_after_entry",
            body_de="der zuständigen Anerkennungsstelle",
            body_en="the competent recognition body",
        )


def _title_18a(b: _Builder) -> None:
    ctx = b.ctx
    q = ctx.profile.qualification
    b.require_job("employment")
    if q.type == "none":
        b.block("qualification_missing")
    elif q.type == "academic":
        b.block("vocational_qualification_required")
    else:
        if ctx.occupation is not None and ctx.occupation.helper:
            b.block("helper_not_qualified_training")
        if q.state_recognised is False:
            b.block("not_state_recognised")
        if q.training_years is not None and q.training_years < 2:
            b.warn("short_training", years=2)
    _equivalence(b)
    _age45(b)


def _degree(b: _Builder) -> None:
    """The degree route shared by § 18b and the Blue Card."""
    ctx = b.ctx
    q = ctx.profile.qualification
    if q.degree_date is not None and q.degree_date > ctx.on:
        b.block("degree_not_yet_obtained", date=_Day(q.degree_date))
    if ctx.regulated:
        _equivalence(b)
    else:
        _comparability(b)


def _title_18b(b: _Builder) -> None:
    b.require_job("employment")
    if b.ctx.profile.qualification.type != "academic":
        b.block("degree_required")
    else:
        _degree(b)
    _age45(b)


def _title_18g(b: _Builder) -> None:
    ctx = b.ctx
    q = ctx.profile.qualification
    job = ctx.profile.job
    settings = b.title.settings
    b.require_job("employment")
    it_route = False
    career_starter = False
    tertiary = (
        q.type == "vocational"
        and q.eqf_level is not None
        and q.eqf_level >= int(settings["tertiary_min_eqf"])
        and q.training_years is not None
        and q.training_years >= int(settings["tertiary_min_years"])
    )
    if q.type == "academic" or tertiary:
        if tertiary:
            # § 18g Abs. 1 Satz 5: tertiary qualification ≥ 3 years at EQF 6 (e.g. a Meister).
            _equivalence(b)
            b.legal_basis.append(settings["tertiary_basis"])
        else:
            _degree(b)
        if q.degree_date is not None:
            # § 18g Abs. 1 Satz 2 Nr. 2: the three years count back from the application.
            years = int(settings["career_starter_years"])
            applied = ctx.profile.application_date or ctx.on
            earliest = _years_before(applied, years)
            career_starter = earliest <= q.degree_date <= ctx.on
        b.legal_basis.append("§ 18g Abs. 1 AufenthG")
    elif job.it_specialist:
        it_route = True
        minimum = int(settings["it_min_experience_years"])
        if q.it_experience_years_last_7 < minimum:
            b.block("no_degree_or_it_experience", years=minimum)
        b.legal_basis.append("§ 18g Abs. 2 AufenthG")
    else:
        b.block("no_degree_or_it_experience", years=int(settings["it_min_experience_years"]))
    b.facts["it_without_degree"] = it_route
    b.facts["degree_route"] = q.type == "academic"

    min_months = int(settings["min_contract_months"])
    if job.duration_months is not None and job.duration_months < min_months:
        b.block("contract_too_short", months=min_months)

    general = ctx.period.get("blue_card_general")
    reduced = ctx.period.get("blue_card_reduced")
    if general is None or reduced is None:
        raise LookupError(f"Blue Card thresholds missing for {ctx.on.isoformat()}")
    shortage = job.shortage_occupation or _shortage_isco(ctx)
    reduced_allowed = shortage or career_starter or it_route
    if it_route and bool(settings["it_route_always_needs_ba"]):
        b.threshold, b.ba_approval = reduced, "required"
    elif ctx.salary_cents >= general.cents:
        b.threshold, b.ba_approval = general, "not_required"
    elif reduced_allowed:
        b.threshold, b.ba_approval = reduced, "required"
    else:
        b.threshold, b.ba_approval = general, "not_required"
    b.legal_basis.append(b.threshold.legal_basis)
    if ctx.salary_cents < b.threshold.cents:
        b.block(
            "salary_below_threshold",
            salary=_Money(ctx.salary_cents),
            threshold=_Money(b.threshold.cents),
        )


def _it_without_qualification_19c2(b: _Builder) -> None:
    """§ 6 Abs. 1 Satz 3 BeschV: IT specialists need experience, not a formal qualification."""
    ctx = b.ctx
    q = ctx.profile.qualification
    it = b.title.settings["it_specialist"]
    b.recognition = Recognition(False, None, None)
    if ctx.on < it["in_force_from"]:
        former = it["former"]
        b.warn(
            "it_former_rule",
            years=int(former["min_experience_years"]),
            within=int(former["within_years"]),
            percent=int(former["bbg_percent"]),
            level=former["language"],
        )
        return
    b.legal_basis.append(it["legal_basis"])
    years = q.it_experience_years_last_5
    if years is None:
        years = q.experience_years_last_5
    minimum = int(it["min_experience_years"])
    if years < minimum:
        b.block("it_experience_insufficient", years=minimum, within=int(it["within_years"]))


@cache
def _shortage_groups() -> tuple[str, ...]:
    groups: list[str] = _titles()["18g"].settings["shortage_isco"]
    return tuple(groups)


def _shortage_isco(ctx: _Ctx) -> bool:
    """§ 18g Abs. 1 Satz 2 Nr. 1: the job's ISCO-08 code falls in a shortage group."""
    codes = [ctx.profile.job.isco_code]
    if ctx.occupation is not None:
        codes.append(ctx.occupation.isco)
    if ctx.profile.job.it_specialist:
        codes.append(_titles()["18g"].settings["it_isco"])
    groups = _shortage_groups()
    return any(code is not None and code.startswith(groups) for code in codes)


def _title_19c2(b: _Builder) -> None:
    ctx = b.ctx
    q = ctx.profile.qualification
    settings = b.title.settings
    b.require_job("employment")
    if q.type == "none" and ctx.profile.job.it_specialist:
        _it_without_qualification_19c2(b)
    else:
        _state_recognised_qualification(b, int(settings["min_training_years"]))
        min_experience = int(settings["min_experience_years"])
        if q.experience_years_last_5 < min_experience:
            b.block("experience_insufficient", years=min_experience)
    if ctx.regulated:
        # § 6 BeschV does not exclude regulated professions; § 18 Abs. 2 Nr. 3 AufenthG demands
        # the licence to practise, which this route does not obtain inside the procedure.
        b.legal_basis.append("§ 18 Abs. 2 Nr. 3 AufenthG")
        if q.recognition != "full":
            b.block("regulated_profession_excluded")
        b.require_licence_language()
    elif ctx.regulated is None:
        b.warn("regulated_unknown")
    threshold = ctx.period.get("experience_19c2")
    if threshold is not None:
        if ctx.salary_cents >= threshold.cents:
            b.threshold = threshold
        elif ctx.profile.job.collective_agreement:
            b.warn("collective_agreement_route", threshold=_Money(threshold.cents))
        else:
            b.threshold = threshold
            b.block(
                "salary_below_threshold",
                salary=_Money(ctx.salary_cents),
                threshold=_Money(threshold.cents),
            )
    _age45(b)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_EVALUATORS: Final = {
    "16a": _title_16a,
    "16d1": _title_16d1,
    "16d3": _title_16d3,
    "18a": _title_18a,
    "18b": _title_18b,
    "18g": _title_18g,
    "19c2": _title_19c2,
}


def _context(profile: Profile) -> tuple[_Ctx, AuthorityResult]:
    on = profile.decision_date
    period = period_for(on)
    worker = profile.worker
    q = profile.qualification
    job = profile.job
    occupation = _occupation(q.reference_occupation) if q.reference_occupation else None
    regulated = (
        q.regulated
        if q.regulated is not None
        else (occupation.regulated if occupation is not None else None)
    )
    age = _age(worker.birth_date, on)
    age_at_start = age if job.start_date is None else _age(worker.birth_date, job.start_date)

    blockers: list[Finding] = []
    warnings: list[Finding] = []
    found = directory.authority_for_municipality(job.municipality, on)
    if found is None:
        authority = AuthorityResult(None, None, False)
        # Outside the cooperation's district every title remains, through the employer's own
        # ABH or the LZF (§ 71 Abs. 1 AufenthG i.V.m. § 31 Abs. 4 AufenthV): a warning, no blocker.
        warnings.append(_finding("municipality_outside_directory", municipality=job.municipality))
    else:
        cooperation = directory.cooperates(found, on)
        authority = AuthorityResult(found.code, found.name, cooperation)
        if not cooperation:
            warnings.append(_finding("authority_not_in_cooperation", authority=found.name))
    if not worker.abroad:
        blockers.append(_finding("worker_not_abroad"))
    if is_provisional(on):
        warnings.append(
            _finding("thresholds_provisional", year=on.year, published=published_range()[1].year)
        )

    academic = q.type == "academic"
    # anabin: the degree listed as equivalent at an H+ institution, or at an H+/- institution
    # for which anabin lists the degree as equivalent (issue 10): no ZAB statement needed.
    anabin_ok = (
        academic and q.anabin_institution in ("H+", "H+/-") and q.anabin_degree_equivalent is True
    )
    conditions: dict[str, bool | None] = {
        "lives_in_other_eu_state": None,
        "recognition_to_apply": q.recognition == "none",
        "recognition_held": q.recognition in ("full", "partial"),
        "recognition_partial": q.recognition == "partial",
        "regulated": regulated,
        "regulated_recognition_to_apply": None
        if regulated is None
        else regulated and q.recognition == "none",
        "language_by_professional_law": bool(
            regulated and occupation is not None and occupation.language is not None
        ),
        "anabin_route": anabin_ok,
        "zab_route": academic and not anabin_ok,
        "degree_route": academic,
        "degree_anabin_route": anabin_ok,
        "degree_zab_route": academic and not anabin_ok,
        "vocational_route": q.type == "vocational",
        "it_without_degree": False,
        "measure_employment_based": None,
        "minor": age < 18,
        "age45_below_threshold": False,
    }
    ctx = _Ctx(
        profile=profile,
        on=on,
        period=period,
        age=age,
        age_at_start=age_at_start,
        level=LEVELS[worker.german_level],
        salary_cents=round(job.annual_gross_salary * 100),
        occupation=occupation,
        regulated=regulated,
        anabin_ok=anabin_ok,
        blockers=tuple(blockers),
        warnings=tuple(warnings),
        conditions=conditions,
    )
    return ctx, authority


def _recommend(options: tuple[Option, ...]) -> Recommendation | None:
    titles = _titles()
    eligible = [o for o in options if o.eligible]
    if not eligible:
        return None
    eligible.sort(key=lambda o: (len(o.pending_steps), titles[o.title].rank))
    best = eligible[0]
    reasons = [_reason("reason_eligible")]
    pending = best.pending_steps
    if best.ba_approval == "not_required":
        reasons.append(_reason("reason_no_ba_approval"))
    if not best.recognition.required and best.recognition.kind is not None:
        reasons.append(_reason("reason_no_pending_recognition"))
    if pending:
        labels = _title_data()["pending_step"]
        reasons.append(
            _reason(
                "reason_pending_steps",
                steps_de=", ".join(labels[s]["label_de"] for s in pending),
                steps_en=", ".join(labels[s]["label_en"] for s in pending),
            )
        )
    if len(eligible) > 1:
        others = eligible[1:]
        reasons.append(_reason("reason_fewest_steps"))
        reasons.append(
            _reason(
                "reason_alternatives",
                titles_de="; ".join(o.label_de for o in others),
                titles_en="; ".join(o.label_en for o in others),
            )
        )
    return Recommendation(best.title, best.label_de, best.label_en, tuple(reasons))


@cache
def _route(code: str) -> OtherRoute:
    entry = _title_data()["route"][code]
    return OtherRoute(
        code=code,
        label_de=entry["label_de"],
        label_en=entry["label_en"],
        legal_basis=tuple(entry["legal_basis"]),
        accelerated_procedure=bool(entry["accelerated_procedure"]),
        conditions_de=entry["conditions_de"],
        conditions_en=entry["conditions_en"],
    )


def _other_routes(ctx: _Ctx) -> tuple[OtherRoute, ...]:
    routes: list[OtherRoute] = []
    if ctx.occupation is not None and ctx.occupation.helper:
        routes.append(_route("19c1_22a"))
    nationality = ctx.profile.worker.nationality
    westbalkan = _title_data()["route"]["19c1_26_2"]["nationalities"]
    if nationality is not None and nationality in westbalkan:
        routes.append(_route("19c1_26_2"))
    return tuple(routes)


def _family(profile: Profile, recommended: Recommendation | None) -> FamilyResult | None:
    family = profile.family
    if family is None or (not family.spouse and family.minor_children == 0):
        return None
    data = _title_data()["family"]
    within = int(data["within_months"])
    months = family.months_after_worker or 0
    covered = months <= within
    items = [
        _finding("family_covered", months=within)
        if covered
        else _finding("family_not_covered", months=within, given=months),
        _finding("family_documents"),
    ]
    spouse_language: str | None = None
    if family.spouse:
        level = str(data["spouse_language"])
        exempt = (
            recommended is not None and recommended.title in data["spouse_language_exempt_titles"]
        )
        if exempt and recommended is not None:
            items.append(
                _finding(
                    "family_spouse_language_exempt",
                    title_de=recommended.label_de,
                    title_en=recommended.label_en,
                )
            )
        else:
            spouse_language = level
            given = family.spouse_german_level
            if given is not None and LEVELS[given] >= LEVELS[level]:
                items.append(_finding("family_spouse_language_met", level=level, given=given))
            else:
                items.append(_finding("family_spouse_language_required", level=level))
    if family.minor_children:
        items.append(_finding("family_children", children=family.minor_children))
    # § 29 Abs. 5 AufenthG waives the living space for the family of a holder of the titles it
    # names; without a recommended title the general reminder stays ("where the law requires it").
    space_exempt = (
        recommended is not None and recommended.title in data["living_space_exempt_titles"]
    )
    if space_exempt and recommended is not None:
        items.append(
            _finding(
                "family_livelihood_no_space",
                title_de=recommended.label_de,
                title_en=recommended.label_en,
            )
        )
    else:
        items.append(_finding("family_livelihood_space"))
    return FamilyResult(
        covered=covered,
        within_months=within,
        spouse=family.spouse,
        minor_children=family.minor_children,
        spouse_language=spouse_language,
        items=tuple(items),
    )


def evaluate(profile: Profile) -> QuickCheckResult:
    """Evaluate every title for ``profile``; raises NoThresholdsError for an uncovered date."""
    ctx, authority = _context(profile)
    titles = _titles()
    options = []
    for code in TITLES:
        builder = _Builder(titles[code], ctx, ba_approval=titles[code].ba_approval)
        _EVALUATORS[code](builder)
        options.append(builder.build())
    result_options = tuple(options)
    recommended = _recommend(result_options)
    return QuickCheckResult(
        ruleset=ruleset_version(),
        decision_date=ctx.on,
        authority=authority,
        options=result_options,
        recommended=recommended,
        other_routes=_other_routes(ctx),
        family=_family(profile, recommended),
    )


def evaluate_data(data: object) -> QuickCheckResult:
    """Parse ``data`` against the contract and evaluate it; raises ProfileError on bad input."""
    return evaluate(parse_profile(data))
