"""Log lines as JSON with the request id, the user id and the organisation id, and nothing personal.

The request's user is read only if authentication already resolved it (the session middleware's
cached user or the API token's user): logging never queries the database. Messages are scrubbed
of e-mail addresses; names and passport numbers are never put into log messages by Lotse (a test
drives a case through the API and reads every line).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import traceback
from typing import Any

from django.http import HttpRequest
from django.utils.functional import LazyObject

from lotse.core.context import current_request_context

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "lotse_log_request", default=None
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Fields an access-log line may add (lotse.ops.middleware); nothing else leaves a record.
EXTRA_FIELDS = ("method", "path", "view", "status", "duration_ms")


def set_log_request(request: HttpRequest | None) -> contextvars.Token[HttpRequest | None]:
    return _request.set(request)


def reset_log_request(token: contextvars.Token[HttpRequest | None]) -> None:
    _request.reset(token)


def resolved_user(request: HttpRequest) -> Any:
    """The user if authentication has already found one; never triggers a lookup.

    The session middleware's ``request.user`` is a lazy object (touching it queries the
    database), so only its cache is read. No model is imported here: logging is configured
    before Django's apps are loaded.
    """
    for attribute in ("user", "_cached_user"):
        candidate = request.__dict__.get(attribute)
        if candidate is None or isinstance(candidate, LazyObject):
            continue
        if getattr(candidate, "is_authenticated", False) is True:
            return candidate
    return None


def scrub(text: str) -> str:
    return EMAIL.sub("[e-mail]", text)


class RequestContextLogFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``organisation_id`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request_context()
        record.request_id = context.request_id if context else "-"
        request = _request.get()
        user = resolved_user(request) if request is not None else None
        record.user_id = user.pk if user is not None else None
        record.organisation_id = getattr(user, "organisation_id", None) if user else None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", None),
            "organisation_id": getattr(record, "organisation_id", None),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = scrub("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s [%(request_id)s u=%(user_id)s o=%(organisation_id)s] "
            "%(name)s: %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        for name in ("request_id", "user_id", "organisation_id"):
            if not hasattr(record, name):
                setattr(record, name, "-")
        return scrub(super().format(record))


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dict (settings.py) and gunicorn's ``logconfig_dict`` (lotse serve)."""
    formatter = "json" if log_format == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "lotse.ops.logs.RequestContextLogFilter"}},
        "formatters": {
            "json": {"()": "lotse.ops.logs.JsonFormatter"},
            "text": {"()": "lotse.ops.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # WeasyPrint and fontTools narrate every rendering step at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # The access line of lotse.ops.middleware replaces gunicorn's.
            "gunicorn.access": {"level": "WARNING"},
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
