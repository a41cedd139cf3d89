from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Title
from lotse.core.countries import nationality_choices
from lotse.insights.labels import GROUP_LABELS
from lotse.insights.selectors import UNKNOWN, Filters, default_filters
from lotse.organisations.models import CompanySize, Organisation, OrganisationKind
from lotse.web.forms import KernForm

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_MONTHS = 60


def parse_month(value: str) -> dt.date:
    match = MONTH.match(value.strip())
    if match is None:
        raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-01."), code="month")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def body_choices() -> list[tuple[str, str]]:
    bodies = Organisation.objects.filter(kind=OrganisationKind.EXTERNAL_BODY).order_by("name")
    return [("", str(_("all"))), *((str(b.pk), b.name) for b in bodies)]


def country_choices() -> list[tuple[str, str]]:
    # A callable: evaluated when rendered, so the names follow the language of the request.
    return [("", str(_("all"))), *nationality_choices(), (UNKNOWN, str(_("not given")))]


class Select(forms.Select):
    """A select rendered in one pass instead of one template per option: the country list
    alone has some 250 options, which cost more than all the figures of the page
    (docs/performance.md, "Statistics"). The class keeps Django's name so that the KERN field
    template (``widget_type == "select"``) wraps it as any other select."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = mark_safe("".join(  # noqa: S308  (every part escaped by format_html)
            format_html('<option value="{}"{}>{}</option>', key,
                        SafeString(" selected") if str(key) in chosen else "", label)
            for key, label in self.choices
        ))  # fmt: skip
        return format_html("<select{}>{}</select>", flatatt(final), options)


class StatisticsFilterForm(KernForm):
    """The period and the filters of the statistics page; the API takes the same names."""

    start = forms.CharField(label=_("From month"), required=False, help_text=_("YYYY-MM"))
    end = forms.CharField(label=_("To month"), required=False, help_text=_("YYYY-MM"))
    title = forms.ChoiceField(widget=Select, label=_("Residence title"), required=False)
    recognition_body = forms.ChoiceField(widget=Select, label=_("Recognition body"), required=False)
    occupation_group = forms.ChoiceField(widget=Select, label=_("Occupation group"), required=False)
    company_size = forms.ChoiceField(widget=Select, label=_("Company size"), required=False)
    qualification_country = forms.ChoiceField(
        widget=Select, label=_("Country of the qualification"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [("", _("all")), *Title.choices]  # type: ignore[attr-defined]
        self.fields["recognition_body"].choices = body_choices()  # type: ignore[attr-defined]
        self.fields["occupation_group"].choices = [("", _("all")), *GROUP_LABELS.items()]  # type: ignore[attr-defined]
        self.fields["company_size"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *CompanySize.choices,
            (UNKNOWN, _("not given")),
        ]
        self.fields["qualification_country"].choices = country_choices  # type: ignore[attr-defined]

    def clean_start(self) -> dt.date | None:
        value = self.cleaned_data["start"]
        return parse_month(value) if value else None

    def clean_end(self) -> dt.date | None:
        value = self.cleaned_data["end"]
        return parse_month(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month cannot lie before the first."))
        elif start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("end", _("Choose a period of at most 60 months."))
        return data

    def filters(self) -> Filters:
        """The filters asked for (the defaults where a field is empty or the form is invalid)."""
        default = default_filters()
        if not self.is_valid():
            return default
        data = self.cleaned_data
        body = data.get("recognition_body")
        return Filters(
            start=data.get("start") or default.start,
            end=data.get("end") or default.end,
            title=data.get("title") or "",
            recognition_body_id=int(body) if body else None,
            occupation_group=data.get("occupation_group") or "",
            company_size=data.get("company_size") or "",
            qualification_country=data.get("qualification_country") or "",
        )
