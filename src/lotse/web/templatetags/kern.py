"""Template tags of the KERN form renderer."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lotse.core.countries import nationality_name
from lotse.web.forms import SummaryEntry, summary_entries

register = template.Library()


@register.simple_tag
def error_summary(*items: Any) -> SafeString:
    """One error summary for several forms and formsets shown on one page.

    Each form it covers is marked, so that its own ``{{ form }}`` does not repeat the summary.
    """
    entries: list[SummaryEntry] = []
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            entries.extend(SummaryEntry("", "", str(e)) for e in item.non_form_errors())
            subforms = list(item.forms)
        else:
            subforms = [item]
        for form in subforms:
            if not isinstance(form, forms.BaseForm):
                continue
            form.error_summary_shown = True  # type: ignore[attr-defined]
            entries.extend(summary_entries(form))
    if not entries:
        return SafeString("")
    return render_to_string("web/forms/error_summary.html", {"entries": entries})


@register.filter
def nationality(code: str) -> str:
    """``TUN`` → ``Tunesien (TUN)`` in the active language."""
    name = nationality_name(code)
    return f"{name} ({code})" if code and name != code else code
