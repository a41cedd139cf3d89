"""Loading of the versioned TOML data files shipped in ``lotse/rules/data``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``data/<name>.toml`` once per process."""
    ref = resources.files("lotse.rules").joinpath("data", f"{name}.toml")
    with ref.open("rb") as handle:
        return tomllib.load(handle)
