"""One typed reader for the environment.

Every setting Lotse reads from the environment goes through these helpers, so that a
missing or malformed value fails at start-up with a message that names the variable.
Secrets may come from a file: ``LOTSE_SECRET_KEY_FILE=/run/secrets/key`` is read when
``LOTSE_SECRET_KEY`` is not set (the Docker/Kubernetes secrets convention).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(
                f"{name}_FILE points to {file_path!r}, which cannot be read: {exc}"
            ) from exc
    return None


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_required(name: str, *, why: str) -> str:
    value = _raw(name)
    if not value:
        raise ConfigurationError(f"The environment variable {name} must be set: {why}")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of true/false/1/0/yes/no, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseUrl:
    engine: str
    name: str
    user: str
    password: str
    host: str
    port: str
    options: dict[str, str]

    def as_django(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "ENGINE": self.engine,
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
        }
        if self.options:
            config["OPTIONS"] = dict(self.options)
        return config


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse_database_url(url: str) -> DatabaseUrl:
    """Parse ``postgresql://user:pass@host:port/name?sslmode=require`` or ``sqlite:///path``."""
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ConfigurationError(
            f"DATABASE_URL has the scheme {parts.scheme!r}; use postgresql:// or sqlite:///"
        )
    if engine.endswith("sqlite3"):
        return DatabaseUrl(engine, unquote(parts.path) or ":memory:", "", "", "", "", {})
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigurationError(
            "DATABASE_URL must name the database, e.g. postgresql://host/lotse"
        )
    return DatabaseUrl(
        engine=engine,
        name=name,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=parts.hostname or "",
        port=str(parts.port or ""),
        options=dict(parse_qsl(parts.query)),
    )
