"""The clock definitions shipped in ``data/clocks.toml``, validated once per process."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from lotse.clocks.calendar import REGIONS
from lotse.clocks.model import KINDS, PARTIES, SUSPENSION_EFFECTS, UNITS, Clock

_TEXT_FIELDS = ("code", "label_de", "label_en", "legal_basis", "source", "starts_on", "stops_on")
_BOOL_FIELDS = ("shifts_end", "suspendable", "binding")


def _clock(raw: Mapping[str, Any]) -> Clock:
    code = raw.get("code", "?")
    for name in _TEXT_FIELDS:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ValueError(f"clock {code!r}: {name} must be a non-empty string")
    for name in _BOOL_FIELDS:
        if not isinstance(raw.get(name), bool):
            raise ValueError(f"clock {code!r}: {name} must be true or false")
    for name, allowed in (
        ("kind", KINDS),
        ("unit", UNITS),
        ("runs_against", PARTIES),
        ("suspension_effect", SUSPENSION_EFFECTS),
    ):
        if raw.get(name) not in allowed:
            raise ValueError(f"clock {code!r}: {name} must be one of {', '.join(allowed)}")
    for name in ("amount", "warn_working_days"):
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"clock {code!r}: {name} must be a non-negative integer")
    unknown = (
        set(raw)
        - {*_TEXT_FIELDS, *_BOOL_FIELDS}
        - {
            "kind",
            "unit",
            "runs_against",
            "suspension_effect",
            "amount",
            "warn_working_days",
            "note",
            "calendar",
            "max_extensions",
            "titles",
            "bodies",
            "health_legal_basis",
        }
    )
    if unknown:
        raise ValueError(f"clock {code!r}: unknown fields {sorted(unknown)}")
    if raw.get("calendar", "BW") not in REGIONS:
        raise ValueError(f"clock {code!r}: calendar must be one of {', '.join(REGIONS)}")
    values = dict(raw)
    for name in ("titles", "bodies"):
        if name in values:
            values[name] = tuple(values[name])
    return Clock(**values)


@cache
def _load() -> tuple[str, Mapping[str, Clock]]:
    ref = resources.files("lotse.clocks").joinpath("data", "clocks.toml")
    with ref.open("rb") as handle:
        data = tomllib.load(handle)
    by_code: dict[str, Clock] = {}
    for raw in data["clock"]:
        item = _clock(raw)
        if item.code in by_code:
            raise ValueError(f"clock {item.code!r} is defined twice")
        by_code[item.code] = item
    return str(data["version"]), MappingProxyType(by_code)


CLOCKS_VERSION: Final[str] = _load()[0]


def clocks() -> tuple[Clock, ...]:
    """All clock definitions, in the order of the data file (the order of the procedure)."""
    return tuple(_load()[1].values())


def clock(code: str) -> Clock:
    """The clock with `code`; KeyError names the known codes if there is none."""
    try:
        return _load()[1][code]
    except KeyError:
        known = ", ".join(_load()[1])
        raise KeyError(f"unknown clock {code!r}; known: {known}") from None
