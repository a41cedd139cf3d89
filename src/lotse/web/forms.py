"""Forms rendered with KERN UX markup: labels, hints and errors tied to their inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lotse.core.countries import nationality_choices, nationality_error


class KernFormRenderer(TemplatesSetting):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any],
               request: Any = None) -> str:  # fmt: skip
        # A field group ({{ field.as_field_group }}, {{ form }}) is written in Python: the
        # template (kept as the reference, tests/web/test_forms.py renders both) cost a list's
        # filter form a millisecond of CPU per request in Django's variable lookups.
        if template_name == self.field_template_name and set(context) == {"field"}:
            return field_group(context["field"])
        # A form without data and each widget of the common kinds: written in Python too (same
        # HTML, tests/web/test_widget_html.py renders both ways). Django's widget templates
        # include attrs.html (and a select one template per option); the case page renders a
        # form per workflow step, which cost it a third of its CPU.
        if template_name == self.form_template_name and set(context) >= {"form"}:
            form = context["form"]
            if not form.is_bound:
                return unbound_form(form)
        elif set(context) == {"widget"}:
            widget = context["widget"]
            if template_name in _INPUT_TEMPLATES:
                return input_html(widget)
            if template_name in _OPTION_TEMPLATES:
                return input_option_html(widget)
            if template_name == "django/forms/widgets/textarea.html":
                return textarea_html(widget)
            if template_name == "django/forms/widgets/select.html" and not any(
                o["template_name"] != "django/forms/widgets/select_option.html"
                for _g, options, _i in widget["optgroups"]
                for o in options
            ):
                return select_html(widget)
        return super().render(template_name, context, request)


# The widgets whose template is only {% include "django/forms/widgets/input.html" %}.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "checkbox", "search", "tel", "color",
    )
)  # fmt: skip


# A radio button's or a checkbox's option ({{ radio.tag }}): input_option.html.
_OPTION_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input_option", "radio_option", "checkbox_option")
)


def _value(value: Any) -> str:
    # {{ value|stringformat:'s' }} with autoescape: stringformat keeps a safe string safe.
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _widget_attrs(attrs: dict[str, Any]) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/input.html, rendered and stripped as the renderer does."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_value(value)}"'
    html = (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_widget_attrs(widget['attrs'])}>"
    )
    return mark_safe(html)  # noqa: S308  (every value escaped above)


def input_option_html(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/input_option.html: the input, in its label if ``wrap_label`` (the
    included input.html keeps its final newline there)."""
    html = input_html(widget)
    if widget.get("wrap_label"):
        target = widget["attrs"].get("id")
        label_for = f' for="{conditional_escape(target)}"' if target else ""
        html = mark_safe(  # noqa: S308  (every value escaped)
            f"<label{label_for}>{html}\n {conditional_escape(widget['label'])}</label>"
        )
    return html


def textarea_html(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    html = (
        f'<textarea name="{conditional_escape(widget["name"])}"{_widget_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )
    return mark_safe(html)  # noqa: S308  (every value escaped above)


def select_html(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parts = [
        f'<select name="{conditional_escape(widget["name"])}"{_widget_attrs(widget["attrs"])}>'
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{_value(option["value"])}"{_widget_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts).strip())  # noqa: S308  (every value escaped above)


def unbound_form(form: forms.BaseForm) -> SafeString:
    """web/forms/form.html for a form without data: no error summary (the tag would only mark
    the form as summarised), the hidden fields, then each visible field's group."""
    form.error_summary_shown = True  # type: ignore[attr-defined]
    # {{ field }}: the widget's HTML (BoundField.__str__, marked safe by Django).
    hidden = "".join(str(field) for field in form.hidden_fields())
    visible = "".join(conditional_escape(field.as_field_group()) for field in form.visible_fields())
    return mark_safe(f"\n{hidden}\n{visible}".strip())  # noqa: S308  (escaped or safe HTML)


def field_group(field: forms.BoundField) -> SafeString:
    """What Django's renderer answers for web/forms/field.html and ``field`` (the template's
    output, stripped)."""
    auto_id = conditional_escape(field.auto_id)
    errors = field.errors
    hint = (
        f'<div class="kern-hint" id="{auto_id}_helptext">{conditional_escape(field.help_text)}'
        "</div>"
        if field.help_text
        else ""
    )
    error = (
        f'<p class="kern-error" id="{auto_id}_error"><span class="kern-icon kern-icon--danger" '
        f'aria-hidden="true"></span>{"".join(f"{conditional_escape(str(e))} " for e in errors)}</p>'
        if errors
        else ""
    )
    # {{ field }}: the widget's HTML, which Django marks safe.
    widget: str = conditional_escape(field)  # type: ignore[arg-type]
    label = conditional_escape(field.label)
    if field.widget_type == "checkbox":
        html = (
            f'<div class="kern-form-check{" kern-form-check--error" if errors else ""}">\n'
            f"  {widget}\n"
            f'  <label class="kern-label" for="{auto_id}">{label}</label>\n'
            f"  {hint}\n  {error}\n</div>"
        )
    else:
        optional = (
            f' <span class="kern-label__optional">– {conditional_escape(_("optional"))}</span>'
            if not field.field.required
            else ""
        )
        if field.widget_type == "select":
            widget = f'<div class="kern-form-input__select-wrapper">{widget}</div>'
        html = (
            f'<div class="kern-form-input{" kern-form-input--error" if errors else ""}">\n'
            f'  <label class="kern-label" for="{auto_id}">{label}{optional}</label>\n'
            f"  {hint}\n  {error}\n  {widget}\n</div>"
        )
    return mark_safe(html)  # noqa: S308  (every value escaped above)


class SelectWidget(forms.Select):
    """Django's ``Select`` with the same HTML, written in Python: its templates include two
    templates per option, which made a list's filter form a fifth of the page's time.

    The name ends in "Widget" so that ``BoundField.widget_type`` is "select", as for Django's
    (web/forms/field.html wraps selects in KERN's select wrapper by it)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:  # fmt: skip
        choices = list(self.choices)
        if not self.allow_multiple_selected and not any(
            isinstance(label, list | tuple) for _value, label in choices
        ):
            return self._render_flat(name, value, attrs, choices)
        return select_html(self.get_context(name, value, attrs)["widget"])

    def _render_flat(self, name: str, value: Any, attrs: dict[str, Any] | None,
                     choices: list[tuple[Any, Any]]) -> SafeString:  # fmt: skip
        # Options without groups, straight from the choices: Django's optgroups() builds a dict
        # per option (a chamber's company filter at 1 M cases has hundreds), the same markup.
        values = self.format_value(value)
        built = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{conditional_escape(name)}"{_widget_attrs(built)}>']
        selected_one = False
        for option_value, label in choices:
            option = "" if option_value is None else option_value
            # As ChoiceWidget.optgroups: the first matching option only.
            selected = not selected_one and str(option) in values
            selected_one = selected_one or selected
            parts.append(
                f'\n  <option value="{_value(option)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # noqa: S308  (every value escaped above)


@dataclass(frozen=True)
class SummaryEntry:
    """One line of the error summary: the field's label, the id to jump to, the message."""

    label: str
    anchor: str
    message: str


class KernFormMixin:
    """Adds KERN classes and the ARIA links between an input, its hint and its error.

    Browsers stop at the first empty ``required`` field; the server checks every field at once
    and lists all problems in the error summary, so inputs carry ``aria-required`` only.
    """

    fields: dict[str, forms.Field]
    use_required_attribute = False
    # Set by the {% error_summary %} tag when a page lists the errors of several forms together.
    error_summary_shown = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "kern-form-check__checkbox"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "kern-form-check__radio"
            elif isinstance(widget, forms.Select):
                css = "kern-form-input__select"
            else:
                css = "kern-form-input__input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if field.required and not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("aria-required", "true")
            widget.attrs.setdefault("data-field", name)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors: dict[str, Any] = getattr(self, "_errors", None) or {}
        for name in errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                ids = widget.attrs.get("aria-describedby", "")
                error_id = f"id_{name}_error"
                if error_id not in ids:
                    widget.attrs["aria-describedby"] = (ids + " " + error_id).strip()
                css = widget.attrs.get("class", "")
                if "--error" not in css:
                    widget.attrs["class"] = css + " " + css.split()[0] + "--error" if css else css

    def error_summary(self) -> list[SummaryEntry]:
        return summary_entries(self)  # type: ignore[arg-type]


def summary_entries(form: forms.BaseForm) -> list[SummaryEntry]:
    """Every error of a bound form, each linked to its input (non-field errors unlinked)."""
    if not form.is_bound:
        return []
    errors = form.errors
    entries = [SummaryEntry("", "", str(e)) for e in errors.get(NON_FIELD_ERRORS, [])]
    for name, messages in errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        if name not in form.fields:
            entries.extend(SummaryEntry("", "", str(m)) for m in messages)
            continue
        bound = form[name]
        anchor = "" if bound.is_hidden else (bound.id_for_label or bound.auto_id or "")
        label = "" if bound.is_hidden else str(bound.label)
        entries.extend(SummaryEntry(label, anchor, str(m)) for m in messages)
    return entries


class NationalityField(forms.ChoiceField):
    """A country select that submits the ISO 3166-1 alpha-3 code (stored as it is in passports)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Nationality"))
        super().__init__(choices=self._choices_now, **kwargs)

    @staticmethod
    def _choices_now() -> list[tuple[str, str]]:
        # Evaluated when rendered, so the names follow the language of the request.
        return [("", "—"), *nationality_choices()]

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            super().validate(value)
            return
        problem = nationality_error(str(value))
        if problem is not None:
            raise forms.ValidationError(str(problem), code="invalid_choice")


class KernForm(KernFormMixin, forms.Form):
    pass


class KernModelForm(KernFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
