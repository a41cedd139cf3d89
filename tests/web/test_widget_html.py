"""Forms and widgets written in Python (``KernFormRenderer``) give the same HTML as Django's
templates: every workflow step's form, empty and with errors, and widgets with awkward values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from lotse.cases.forms import DateInput, NoteForm, StepForm
from lotse.cases.workflow import STEPS
from lotse.conversations.forms import MessageForm
from lotse.web.forms import KernForm, KernFormRenderer
from tests.cases.conftest import create_case
from tests.conftest import World


class TemplatesOnly(TemplatesSetting):
    """The reference: KERN's form and field templates and Django's widget templates."""

    form_template_name = KernFormRenderer.form_template_name
    field_template_name = KernFormRenderer.field_template_name


class Awkward(KernForm):
    text = forms.CharField(label="Text <b>", help_text="a & b", required=False)
    number = forms.IntegerField(label="Count", min_value=1, max_value=365)
    day = forms.DateField(widget=DateInput())
    long = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": mark_safe("&amp;")}))
    flag = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput(), required=False)
    pick = forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>"), (1, "One")], required=False)
    grouped = forms.ChoiceField(
        choices=[("x", "X"), ("Group <g>", [("y", "Y"), ("z", 'Z "z"')])], required=False
    )
    who = forms.ChoiceField(
        choices=[("a", "A <a>"), ("b", "B & b")], widget=forms.RadioSelect, required=False
    )
    which = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, '"Two"')], widget=forms.CheckboxSelectMultiple, required=False
    )
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autofocus": True}))


def _both(make: Any) -> tuple[str, str, list[tuple[str, str]]]:
    """The form and each of its widgets, rendered by the Python path and by the templates."""
    ours, reference = make(KernFormRenderer()), make(TemplatesOnly())
    if ours.is_bound:
        ours.is_valid()
        reference.is_valid()
    widgets = [(str(ours[name]), str(reference[name])) for name in ours.fields]
    # Each radio button and checkbox of a choice ({{ radio.tag }}), bare and in its label.
    for name in ours.fields:
        for mine, theirs in zip(ours[name].subwidgets, reference[name].subwidgets, strict=True):
            widgets.append((mine.tag(), theirs.tag()))
            widgets.append((mine.tag(wrap_label=True), theirs.tag(wrap_label=True)))
    return str(ours), str(reference), widgets


def _assert_same(make: Any) -> None:
    ours, reference, widgets = _both(make)
    assert ours == reference
    for mine, theirs in widgets:
        assert mine == theirs


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": '<script>"x"</script> & é',
            "number": "12",
            "day": "2026-03-01",
            "long": "line 1\n<line 2>",
            "flag": "on",
            "hidden": "h&",
            "pick": "a",
            "grouped": "z",
            "email": "a@b.de",
            "who": "b",
            "which": ["2"],
        },
        {"number": "x", "day": "soon", "long": "", "pick": "nope"},
    ],
)
def test_widgets_render_as_with_the_templates(data: dict[str, str] | None) -> None:
    _assert_same(lambda renderer: Awkward(data, renderer=renderer, initial={"number": 3}))
    _assert_same(
        lambda renderer: Awkward(
            renderer=renderer,
            initial={"day": dt.date(2026, 1, 2), "flag": True, "pick": 1, "text": 0},
        )
    )


@pytest.mark.django_db
def test_every_step_form_renders_as_with_the_templates(world: World) -> None:
    case = create_case(world)
    for step in STEPS:
        _assert_same(lambda renderer, step=step: StepForm(step=step, case=case, renderer=renderer))
        data = {f"{step.name}-{spec.name}": "<x>" for spec in step.fields}
        _assert_same(
            lambda renderer, step=step, data=data: StepForm(
                data, step=step, case=case, renderer=renderer
            )
        )
    _assert_same(lambda renderer: NoteForm(renderer=renderer))
    _assert_same(lambda renderer: NoteForm({"text": ""}, renderer=renderer))
    audiences = ("all", "company_chamber")
    _assert_same(lambda renderer: MessageForm(audiences=audiences, renderer=renderer))
