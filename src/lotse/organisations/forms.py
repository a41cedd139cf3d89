from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.organisations.selectors import municipality_choices
from lotse.web.forms import KernForm


class SiteForm(KernForm):
    label = forms.CharField(
        label=_("Name of the site"), max_length=120, help_text=_("e.g. Werk Asperg")
    )
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A German postcode has five digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        help_text=_("The municipality decides which immigration office is competent."),
    )
    is_main = forms.BooleanField(label=_("This is the main site"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Please choose"))), *municipality_choices()]
        self.fields["municipality"].choices = choices  # type: ignore[attr-defined]
