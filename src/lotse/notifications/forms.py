from __future__ import annotations

from typing import Any

from django import forms

from lotse.notifications.models import Delivery
from lotse.notifications.selectors import PreferenceRow
from lotse.web.forms import KernForm


class PreferencesForm(KernForm):
    """One choice of delivery per kind of notification."""

    def __init__(self, *args: Any, rows: list[PreferenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.kind] = forms.ChoiceField(
                label=row.label,
                help_text=row.category_label,
                choices=Delivery.choices,
                initial=row.delivery,
            )
