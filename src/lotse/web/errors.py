from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict


def form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_for_resend(form: forms.Form, data: QueryDict, version: int) -> None:
    """After a version conflict, keep what was typed and take the newer version, so that sending
    again (after checking the data) overwrites the other person's change knowingly."""
    resend = data.copy()
    resend["version"] = str(version)
    form.data = resend
