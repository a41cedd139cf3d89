"""Nationalities as ISO 3166-1 alpha-3 codes, named in the user's language (django-countries).

The database keeps the three letters that a passport's machine-readable zone uses (``TUN``);
django-countries keys its list by alpha-2 (``TN``), so this module maps between the two with the
library's own tables. ``nationality_error`` is the one check that pages, API and services share.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# ICAO Doc 9303 codes that passports use beyond ISO 3166 (stateless persons and refugees).
ICAO_EXTRA: dict[str, Promise] = {
    "XXA": _("Stateless person"),
    "XXB": _("Refugee (Geneva Convention)"),
    "XXC": _("Refugee (other)"),
    "XXX": _("Nationality unspecified"),
}


def alpha3_of(alpha2: str) -> str:
    """``TN`` → ``TUN``; an empty string for a code the list does not know."""
    return countries.alpha3(alpha2.upper()) or ""


def alpha2_of(alpha3: str) -> str:
    """``TUN`` → ``TN``; an empty string for a code the list does not know."""
    code = alpha3.strip().upper()
    if len(code) != 3 or not code.isalpha():
        return ""
    return countries.alpha2(code) or ""


def is_known_nationality(code: str) -> bool:
    code = code.strip().upper()
    return code in ICAO_EXTRA or bool(alpha2_of(code))


def nationality_error(code: str) -> Promise | None:
    """None when ``code`` is a known alpha-3 code, else the message to show."""
    if is_known_nationality(code):
        return None
    return _("Choose a country from the list (three-letter code as in the passport, e.g. TUN).")


def nationality_name(code: str) -> str:
    """The country's name in the active language, or the code itself when unknown."""
    code = (code or "").strip().upper()
    if code in ICAO_EXTRA:
        return str(ICAO_EXTRA[code])
    alpha2 = alpha2_of(code)
    return str(countries.name(alpha2)) if alpha2 else code


def nationality_choices() -> list[tuple[str, str]]:
    """(alpha-3, name) for every country, sorted by name in the active language."""
    listed = [(alpha3_of(c.code), str(c.name)) for c in countries]
    extra = [(code, str(label)) for code, label in ICAO_EXTRA.items()]
    return [(code, name) for code, name in listed if code] + extra
