"""The information library (``data/library.toml``) and the formatting of legal facts for people.

Texts are bilingual data with a source per entry. Numbers the rules engine or the clocks already
hold (deadlines, fees, title settings) are filled in from there, never typed twice.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlsplit

from lotse.clocks import clock
from lotse.rules import directory, fees
from lotse.rules._data import load as load_rules_data

Lang = Literal["de", "en"]

_UNITS: dict[str, dict[Lang, tuple[str, str]]] = {
    "calendar_days": {"de": ("Tag", "Tagen"), "en": ("day", "days")},
    "working_days": {"de": ("Arbeitstag", "Arbeitstagen"), "en": ("working day", "working days")},
    "werktage": {"de": ("Werktag", "Werktagen"), "en": ("working day", "working days")},
    "weeks": {"de": ("Woche", "Wochen"), "en": ("week", "weeks")},
    "months": {"de": ("Monat", "Monaten"), "en": ("month", "months")},
}
# The nominative plural, for "gültig für 12 Monate" rather than the dative "innerhalb von … Monaten".
_NOMINATIVE_DE = {"Tagen": "Tage", "Arbeitstagen": "Arbeitstage", "Werktagen": "Werktage",
                  "Wochen": "Wochen", "Monaten": "Monate"}  # fmt: skip


def period(amount: int, unit: str, language: Lang, *, nominative: bool = False) -> str:
    """“2 Wochen” / “2 weeks”; German dative by default (“innerhalb von 2 Wochen”)."""
    singular, plural = _UNITS[unit][language]
    word = singular if amount == 1 else plural
    if nominative and language == "de":
        word = _NOMINATIVE_DE.get(word, word)
    return f"{amount}\u00a0{word}"


def clock_period(code: str, language: Lang, *, nominative: bool = False) -> str:
    item = clock(code)
    return period(item.amount, item.unit, language, nominative=nominative)


def euro(amount: float, language: Lang) -> str:
    """German “45.934,20 €”, English “€45,934.20”; whole amounts without cents."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return f"{text}\u00a0€"
    return f"€{text}"


def fee_amount(item: fees.Fee, language: Lang) -> str:
    if not item.is_range:
        return euro(item.min, language)
    low, high = euro(item.min, language), euro(item.max, language)
    if language == "de":
        return f"{low.removesuffix(' €').removesuffix(chr(0xA0) + '€')}–{high}"
    return f"{low}–{high}"


def _title_setting(code: str, key: str) -> Any:
    return load_rules_data("titles")["title"][code][key]


_PLACEHOLDER = re.compile(r"\{(clock|fee|title):([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?\}")


def render_text(text: str, language: Lang) -> str:
    """Fill {clock:CODE}, {fee:CODE} and {title:CODE:KEY} from the rule data."""

    def replace(match: re.Match[str]) -> str:
        kind, code, key = match.groups()
        if kind == "clock":
            # Validity and appointment periods read as nominative (“gültig für 12 Monate”).
            nominative = clock(code).kind == "validity"
            return clock_period(code, language, nominative=nominative)
        if kind == "fee":
            return fee_amount(fees.fee(code), language)
        return str(_title_setting(code, key or ""))

    return _PLACEHOLDER.sub(replace, text)


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Publisher:
    name: str
    domains: tuple[str, ...]

    def publishes(self, url: str) -> bool:
        return self.covers(urlsplit(url).hostname or "")

    def covers(self, host: str) -> bool:
        """Whether ``host`` is one of the publisher's domains or a subdomain of one."""
        host = host.lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class SourceLink:
    url: str
    publisher: str  # "" when the URL is on no official publisher's domain (a test refuses it)


def source_urls(source: str) -> list[str]:
    """The URLs of a ``source`` value ("url ; url")."""
    return [part.strip() for part in source.split(" ; ") if part.strip()]


@dataclass(frozen=True)
class TitleInfo:
    code: str
    summary_de: str
    summary_en: str
    points_de: tuple[str, ...]
    points_en: tuple[str, ...]
    source: str
    checked: dt.date

    def summary(self, language: Lang) -> str:
        return render_text(self.summary_de if language == "de" else self.summary_en, language)

    def points(self, language: Lang) -> list[str]:
        items = self.points_de if language == "de" else self.points_en
        return [render_text(p, language) for p in items]


@dataclass(frozen=True)
class Outcome:
    code: str
    label_de: str
    label_en: str
    text_de: str
    text_en: str
    legal_basis: str
    source: str
    checked: dt.date

    def label(self, language: Lang) -> str:
        return self.label_de if language == "de" else self.label_en

    def text(self, language: Lang) -> str:
        return render_text(self.text_de if language == "de" else self.text_en, language)


@dataclass(frozen=True)
class AnabinStatus:
    code: str
    text_de: str
    text_en: str
    source: str
    checked: dt.date

    def text(self, language: Lang) -> str:
        return self.text_de if language == "de" else self.text_en


DISTRICT = "district"  # a local note for every immigration office of the directory


@dataclass(frozen=True)
class LocalNote:
    """Advice of one immigration office's area (or of the whole district), not for everyone."""

    authority: str  # a directory authority code, or DISTRICT
    paragraphs_de: tuple[str, ...]
    paragraphs_en: tuple[str, ...]
    source: str
    checked: dt.date

    def paragraphs(self, language: Lang) -> list[str]:
        items = self.paragraphs_de if language == "de" else self.paragraphs_en
        return [render_text(p, language) for p in items]

    def serves(self, authorities: Iterable[str] | None) -> bool:
        return serves((self.authority,), authorities)


def serves(scope: Iterable[str], authorities: Iterable[str] | None) -> bool:
    """Whether an entry for ``scope`` (authority codes or DISTRICT) is shown to a viewer.

    ``authorities`` are the immigration offices of the viewer's company's places of business;
    None means a viewer who is not a company (a chamber, an office), who sees every entry.
    """
    wanted = tuple(scope)
    if not wanted or authorities is None:
        return True
    codes = set(authorities)
    if DISTRICT in wanted and codes & {a.code for a in directory.authorities() if a.kind == "abh"}:
        return True
    return bool(codes & set(wanted))


@dataclass(frozen=True)
class Topic:
    code: str
    heading_de: str
    heading_en: str
    paragraphs_de: tuple[str, ...]
    paragraphs_en: tuple[str, ...]
    legal_basis: str
    source: str
    checked: dt.date
    local: tuple[LocalNote, ...] = ()

    def heading(self, language: Lang) -> str:
        return self.heading_de if language == "de" else self.heading_en

    def paragraphs(self, language: Lang) -> list[str]:
        items = self.paragraphs_de if language == "de" else self.paragraphs_en
        return [render_text(p, language) for p in items]


@dataclass(frozen=True)
class Contact:
    code: str
    group: str  # integration | recognition_advice | recognition_body | authority | chamber
    name: str
    role_de: str
    role_en: str
    url: str
    address: str
    email: str
    source: str
    checked: dt.date
    phone: str = ""
    # What the number reaches when it is not the office's own line, e.g. "Zentrale" (a general
    # switchboard is used only where the office publishes no line of its own).
    phone_label_de: str = ""
    phone_label_en: str = ""
    # An official contact form, for offices that publish no e-mail address.
    contact_form: str = ""
    authority_code: str = ""  # for ABHs: the directory code, to show the cooperation
    serves: tuple[str, ...] = ()  # local: authority codes or DISTRICT; empty: everyone
    # "chamber:ihk-region-stuttgart": the office in the directory, whose own leads may keep its
    # contact data in Lotse (lotse.access); "" for offices outside the directory.
    directory_ref: str = ""

    def role(self, language: Lang) -> str:
        return self.role_de if language == "de" else self.role_en

    def phone_label(self, language: Lang) -> str:
        return self.phone_label_de if language == "de" else self.phone_label_en

    def shown_to(self, authorities: Iterable[str] | None) -> bool:
        return serves(self.serves, authorities)


@dataclass(frozen=True)
class Library:
    version: str
    titles: dict[str, TitleInfo]
    outcomes: tuple[Outcome, ...]
    anabin: tuple[AnabinStatus, ...]
    topics: tuple[Topic, ...]
    contacts: tuple[Contact, ...]
    publishers: tuple[Publisher, ...] = ()

    def publisher_of(self, url: str) -> str:
        for item in self.publishers:
            if item.publishes(url):
                return item.name
        return ""

    def same_publisher(self, host: str, urls: Iterable[str]) -> bool:
        """Whether ``host`` lies on the domain of an official publisher that also publishes one of
        ``urls``: an office's e-mail domain or contact form must be the office's own."""
        pages = [u for u in urls if u]
        return any(
            publisher.covers(host) and any(publisher.publishes(u) for u in pages)
            for publisher in self.publishers
        )

    def sources(self, source: str) -> list[SourceLink]:
        return [SourceLink(url, self.publisher_of(url)) for url in source_urls(source)]

    def contact(self, code: str) -> Contact:
        for item in self.contacts:
            if item.code == code:
                return item
        raise KeyError(code)


def _contact(raw: dict[str, Any]) -> Contact:
    fields: dict[str, Any] = {
        "name": "",
        "role_de": "",
        "role_en": "",
        "url": "",
        "address": "",
        "email": "",
        "phone": "",
        "phone_label_de": "",
        "phone_label_en": "",
        "contact_form": "",
    }
    reference = raw.get("directory")
    authority_code = ""
    scope: tuple[str, ...] = tuple(raw.get("serves", ()))
    if reference:
        kind, code = reference.split(":", 1)
        if kind == "external_body":
            body = directory.external_body(code)
            fields |= {
                "name": body.name,
                "role_de": body.role_de,
                "role_en": body.role_en,
                "url": body.url,
                "address": body.address,
            }
        elif kind == "authority":
            authority = directory.authority(code)
            authority_code = code
            fields |= {"name": authority.name, "url": authority.url, "address": authority.address}
            if authority.kind == "abh" and not scope:
                # An immigration office's contact is for the companies in its area.
                scope = (code,)
        elif kind == "chamber":
            chamber = directory.chamber(code)
            fields |= {"name": f"{chamber.name} – {chamber.local_office}", "url": chamber.url}
        else:
            raise ValueError(f"contact {raw['code']!r}: unknown directory kind {kind!r}")
    for key in fields:
        if raw.get(key):
            fields[key] = raw[key]
    if not fields["name"] or not raw.get("source"):
        raise ValueError(f"contact {raw['code']!r} needs a name and a source")
    return Contact(
        code=raw["code"],
        group=raw["group"],
        source=raw["source"],
        checked=raw["checked"],
        authority_code=authority_code,
        serves=scope,
        directory_ref=reference or "",
        **fields,
    )


@cache
def library() -> Library:
    ref = resources.files("lotse.advice").joinpath("data", "library.toml")
    with ref.open("rb") as handle:
        raw = tomllib.load(handle)
    titles = {
        t["code"]: TitleInfo(
            code=t["code"],
            summary_de=t["summary_de"],
            summary_en=t["summary_en"],
            points_de=tuple(t["points_de"]),
            points_en=tuple(t["points_en"]),
            source=t["source"],
            checked=t["checked"],
        )
        for t in raw["title"]
    }
    return Library(
        version=raw["version"],
        titles=titles,
        outcomes=tuple(Outcome(**o) for o in raw["outcome"]),
        anabin=tuple(AnabinStatus(**a) for a in raw["anabin"]),
        topics=tuple(
            Topic(
                code=t["code"],
                heading_de=t["heading_de"],
                heading_en=t["heading_en"],
                paragraphs_de=tuple(t["paragraphs_de"]),
                paragraphs_en=tuple(t["paragraphs_en"]),
                legal_basis=t["legal_basis"],
                source=t["source"],
                checked=t["checked"],
                local=tuple(
                    LocalNote(
                        authority=n["authority"],
                        paragraphs_de=tuple(n["paragraphs_de"]),
                        paragraphs_en=tuple(n["paragraphs_en"]),
                        source=n["source"],
                        checked=n["checked"],
                    )
                    for n in t.get("local", ())
                ),
            )
            for t in raw["topic"]
        ),
        contacts=tuple(_contact(c) for c in raw["contact"]),
        publishers=tuple(
            Publisher(name=p["name"], domains=tuple(p["domains"])) for p in raw["publisher"]
        ),
    )


# --------------------------------------------------------------------------- contact data kept in Lotse
#
# Issue 10: "Contacts carry phone and e-mail". Where an office prints them only on pages this
# repository's data could not be checked against, they are entered in the running system (by the
# platform administrator or the office's own leads) with the official page they were read on.

E123_GERMAN = re.compile(r"^\+49 [1-9][0-9]{1,4} [0-9][0-9 -]{2,}[0-9]$")


class PhoneFormatError(ValueError):
    """The text is not a German telephone number with its area code set apart."""


def german_phone(text: str) -> str:
    """A German number in the international form E.123 uses: "0711 2005-0" → "+49 711 2005-0".

    The area code must be set apart by a space, a slash or brackets, because it cannot be told
    from the digits alone (German area codes have two to five digits).
    """
    value = re.sub(r"\s+", " ", text.strip())
    value = re.sub(r"^\((0[1-9][0-9]*)\)\s*", r"\1 ", value)  # "(0711) 2005-0"
    value = re.sub(r"^(\+49|0049)\s*\(0\)\s*", "+49 ", value)  # "+49 (0)711 …"
    value = re.sub(r"\s*/\s*", " ", value)  # "0711/2005-0"
    if value.startswith("0049"):
        value = "+49" + value[4:]
    elif value.startswith("0") and not value.startswith("00"):
        value = "+49 " + value[1:]
    if value.startswith("+49") and not value.startswith("+49 "):
        value = "+49 " + value[3:].lstrip()
    if not E123_GERMAN.match(value):
        raise PhoneFormatError(value)
    return value


@dataclass(frozen=True)
class KeptContactData:
    """What the running system holds for a contact: each empty field keeps the shipped value."""

    phone: str
    phone_label_de: str
    phone_label_en: str
    email: str
    contact_form: str
    source: str  # the official page the values were read on
    checked: dt.date


def with_kept_data(contact: Contact, kept: KeptContactData | None) -> Contact:
    """The contact as shown: the values kept in Lotse over the shipped ones, both sources cited."""
    if kept is None:
        return contact
    changes: dict[str, Any] = {}
    if kept.phone:
        changes |= {
            "phone": kept.phone,
            "phone_label_de": kept.phone_label_de,
            "phone_label_en": kept.phone_label_en or kept.phone_label_de,
        }
    if kept.email:
        changes["email"] = kept.email
    if kept.contact_form:
        changes["contact_form"] = kept.contact_form
    if not changes:
        return contact
    sources = [kept.source, *(u for u in source_urls(contact.source) if u != kept.source)]
    return replace(
        contact,
        **changes,
        source=" ; ".join(sources),
        checked=max(kept.checked, contact.checked),
    )
