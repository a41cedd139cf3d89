"""The schema's validation messages in the user's language.

Pydantic writes its messages in English only. An API client of a German authority gets the
same field message in German as the page would show; the error ``type`` decides the text, the
``ctx`` fills in the limit. Types Lotse does not know keep a general message rather than an
English one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _texts() -> dict[str, str]:
    # Built per call: gettext must run in the request's language.
    return {
        "missing": _("This field is missing."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter a text."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_inexact": _("Enter a date as YYYY-MM-DD."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time in ISO 8601, e.g. 2027-01-31T09:30:00+01:00."),
        "datetime_from_date_parsing": _(
            "Enter a date and time in ISO 8601, e.g. 2027-01-31T09:30:00+01:00."
        ),
        "datetime_type": _("Enter a date and time in ISO 8601, e.g. 2027-01-31T09:30:00+01:00."),
        "uuid_parsing": _("Enter a valid identifier."),
        "url_parsing": _("Enter a valid web address."),
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("Send an object here."),
        "model_type": _("Send an object here."),
        "dict_type": _("Send an object here."),
        "list_type": _("Send a list here."),
        "extra_forbidden": _("This field is not allowed here."),
        "literal_error": _("Choose one of: %(expected)s."),
        "enum": _("Choose one of: %(expected)s."),
        "greater_than": _("Enter a value greater than %(gt)s."),
        "greater_than_equal": _("Enter a value of at least %(ge)s."),
        "less_than": _("Enter a value less than %(lt)s."),
        "less_than_equal": _("Enter a value of at most %(le)s."),
        "string_too_short": _("Enter at least %(min_length)s characters."),
        "string_too_long": _("Enter at most %(max_length)s characters."),
        "too_short": _("Enter at least %(min_length)s entries."),
        "too_long": _("Enter at most %(max_length)s entries."),
        "string_pattern_mismatch": _("This value does not have the expected form."),
    }


_CUSTOM_PREFIXES = ("Value error, ", "Assertion failed, ")


def schema_error_message(error: dict[str, Any]) -> str:
    """The message for one pydantic error (``type``, ``msg``, ``ctx``) in the active language."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind in {"value_error", "assertion_error"}:
        # Raised by Lotse's own validators, whose texts are translated already.
        for prefix in _CUSTOM_PREFIXES:
            message = message.removeprefix(prefix)
        return message
    text = _texts().get(kind)
    if text is None:
        return _("This value is not valid.")
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return text % context if "%(" in text else text
    except (KeyError, ValueError):
        return _("This value is not valid.")
