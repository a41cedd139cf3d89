"""Fees shown with a Quick-Check result (``data/fees.toml``, domain.md § 1.8)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lotse.rules._data import load


@dataclass(frozen=True)
class Fee:
    code: str
    label_de: str
    label_en: str
    min: float
    max: float
    payer: str  # "employer" | "worker"
    due_de: str
    due_en: str
    legal_basis: str
    source: str
    note: str = ""
    body: str | None = None

    @property
    def is_range(self) -> bool:
        return self.min != self.max


@cache
def fees() -> tuple[Fee, ...]:
    return tuple(Fee(**entry) for entry in load("fees")["fee"])


def fee(code: str) -> Fee:
    for item in fees():
        if item.code == code:
            return item
    raise KeyError(code)


def recognition_fees(body: str) -> tuple[Fee, ...]:
    """Fees charged by recognition or comparability body ``body`` (e.g. "ihk-fosa", "zab")."""
    return tuple(item for item in fees() if item.body == body)


def fees_version() -> str:
    version: str = load("fees")["version"]
    return version
