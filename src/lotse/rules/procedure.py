"""Procedure steps and statutory deadlines that follow a Quick-Check (``data/procedure.toml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from lotse.rules._data import load

Applies = Literal["always", "recognition", "comparability", "ba_approval", "entry"]


@dataclass(frozen=True)
class Step:
    code: str
    order: int
    applies: Applies
    actor: str
    label_de: str
    label_en: str
    deadline_amount: int
    deadline_unit: str  # "working_days" | "days" | "weeks" | "months" | "none"
    deadline_de: str
    deadline_en: str
    legal_basis: str
    source: str


@cache
def steps() -> tuple[Step, ...]:
    items = [Step(**entry) for entry in load("procedure")["step"]]
    return tuple(sorted(items, key=lambda s: s.order))


def steps_for(*, recognition: bool, comparability: bool, ba_approval: bool) -> tuple[Step, ...]:
    """The steps that follow for an option needing the given pending steps, in order."""
    wanted: set[str] = {"always", "entry"}
    if recognition:
        wanted.add("recognition")
    if comparability:
        wanted.add("comparability")
    if ba_approval:
        wanted.add("ba_approval")
    return tuple(step for step in steps() if step.applies in wanted)


def procedure_version() -> str:
    version: str = load("procedure")["version"]
    return version
