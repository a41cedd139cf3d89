"""Forms a person can use: the nationality select and the error summary that lists every error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from lotse.cases import services
from lotse.cases.forms import CaseFilterForm
from lotse.cases.models import Case, FamilyMember
from lotse.core.countries import alpha2_of, alpha3_of, nationality_error, nationality_name
from lotse.web.forms import KernForm, KernFormRenderer, SelectWidget, field_group
from tests.cases.conftest import CA, create_case
from tests.cases.test_views import FORM
from tests.conftest import World
from tests.rules.profiles import VOCATIONAL


def _create(client: Client, world: World, **changes: str) -> tuple[int, str]:
    data = {**FORM, "site": str(world.company.sites.get().pk), **changes}
    response = client.post(reverse("cases:create"), data)
    return response.status_code, response.content.decode()


# --- nationality -------------------------------------------------------------------------------


def test_the_country_tables_map_alpha2_and_alpha3() -> None:
    assert alpha3_of("TN") == "TUN"
    assert alpha2_of("TUN") == "TN"
    assert alpha2_of("Tun") == "TN"
    assert alpha2_of("TUNESIEN") == ""
    assert nationality_error("TUN") is None
    assert nationality_error("XXA") is None  # ICAO: stateless
    assert nationality_error("TUX") is not None
    assert nationality_error("IN") is not None


def test_the_create_page_offers_countries_by_name_in_german_and_english(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    german = client.get(reverse("cases:create")).content.decode()
    assert re.search(r'<select name="worker_nationality"[^>]*>', german)
    assert '<option value="TUN">Tunesien</option>' in german
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = client.get(reverse("cases:create")).content.decode()
    assert '<option value="TUN">Tunisia</option>' in english_page


def test_a_name_typed_instead_of_a_code_is_refused_not_cut_to_three_letters(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    status, page = _create(client, world, worker_nationality="Tunesien")
    assert status == 200
    assert not Case.objects.exists()
    assert 'id="id_worker_nationality_error"' in page
    status, _page = _create(client, world, worker_nationality="TUN")
    assert status == 302
    assert Case.objects.get().worker_nationality == "TUN"


def test_family_members_choose_their_nationality_from_the_list(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    member = {"family-0-relation": "spouse", "family-0-surname": "ROJAS",
              "family-0-birth_date": "1992-03-04"}  # fmt: skip
    status, page = _create(client, world, **member, **{"family-0-nationality": "Kolumbien"})
    assert status == 200
    assert 'id="id_family-0-nationality_error"' in page
    status, _page = _create(client, world, **member, **{"family-0-nationality": "COL"})
    assert status == 302
    assert FamilyMember.objects.get().nationality == "COL"


def test_the_correct_page_refuses_an_unknown_code(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    page = client.get(reverse("cases:edit_details", args=[case.pk])).content.decode()
    assert f'<option value="{case.worker_nationality}" selected>' in page
    data = {
        "worker_surname": case.worker_surname, "worker_given_names": case.worker_given_names,
        "worker_birth_date": case.worker_birth_date.isoformat(),
        "worker_birth_place": case.worker_birth_place, "worker_nationality": "QQQ",
        "worker_passport_number": case.worker_passport_number,
        "worker_passport_expiry": case.worker_passport_expiry.isoformat(),
        "worker_language": "en", "version": str(case.version),
    }  # fmt: skip
    response = client.post(reverse("cases:edit_details", args=[case.pk]), data)
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).worker_nationality != "QQQ"


def test_the_service_refuses_an_unknown_code_too(world: World) -> None:
    case = create_case(world)
    with pytest.raises(ValidationError) as caught:
        services.case_update_details(
            case=case, actor=world.users[CA], expected_version=case.version,
            worker_nationality="TUX",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"worker_nationality"}


def test_the_case_page_names_the_country(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    page = client_for(world.users[CA]).get(reverse("cases:detail", args=[case.pk]))
    assert nationality_name(case.worker_nationality) in page.content.decode()


# --- error summary -----------------------------------------------------------------------------


def test_every_error_is_listed_at_once_in_a_summary_that_takes_focus(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    empty = dict.fromkeys(("worker_surname", "worker_birth_date", "worker_birth_place", "worker_nationality", "worker_passport_number"), "")  # fmt: skip
    member = {"family-0-surname": "ROJAS"}  # relation, birth date and nationality missing
    status, page = _create(client, world, **empty, **member)
    assert status == 200
    summary = re.search(r"<div [^>]*data-error-summary[^>]*>(.*?)</ul>", page, re.S)
    assert summary is not None
    tag = summary.group(0)[: summary.group(0).index(">") + 1]
    assert 'tabindex="-1"' in tag
    assert 'role="alert"' in tag
    links = re.findall(r'href="#(id_[\w-]+)"', summary.group(1))
    for name in empty:
        assert f"id_{name}" in links
    for name in ("relation", "birth_date", "nationality"):
        assert f"id_family-0-{name}" in links
    # One summary for the page, not one per family member form.
    assert page.count("data-error-summary") == 1


def test_inputs_carry_aria_required_but_not_the_browser_required_that_stops_at_the_first(
    world: World, client_for: Callable[..., Client]
) -> None:
    page = client_for(world.users[CA]).get(reverse("cases:create")).content.decode()
    surname = re.search(r'<input [^>]*name="worker_surname"[^>]*>', page)
    assert surname is not None
    assert 'aria-required="true"' in surname.group(0)
    assert " required" not in surname.group(0)


def test_a_form_rendered_with_its_own_template_gets_the_summary(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    response = client.post(reverse("cases:edit_details", args=[case.pk]),
                           {"version": str(case.version)})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 422
    assert page.count("data-error-summary") == 1
    assert 'href="#id_worker_surname"' in page


def test_the_script_that_moves_focus_is_served_under_the_csp(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.users[CA]).get(reverse("cases:create"))
    page = response.content.decode()
    script = re.search(r'<script src="[^"]*lotse/lotse\.js"[^>]*>', page)
    assert script is not None
    assert "nonce=" in script.group(0)
    assert "<script>" not in page  # no inline script


# --- carried over from the Quick-Check ---------------------------------------------------------


def test_a_case_from_the_quick_check_carries_over_what_was_entered(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    response = client.post(reverse("cases:create"), {"quickcheck_input": json.dumps(VOCATIONAL)})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="worker_birth_date" value="1990-05-01"', page)
    assert re.search(r'name="job_title" value="Industriemechaniker/in"', page)
    site = world.company.sites.get()  # in Asperg, the Quick-Check's place of work
    assert f'<option value="{site.pk}" selected>' in page
    facts = re.search(r'data-testid="quickcheck-facts">(.*?)</dl>', page, re.S)
    assert facts is not None
    assert "48.000 €" in facts.group(1)


@pytest.mark.parametrize("grouped", [True, False])
@pytest.mark.parametrize("value", ["", "b&c", "2", None, 2, "zz"])
def test_the_python_select_renders_what_django_s_select_renders(value: str | int | None,
                                                                grouped: bool) -> None:  # fmt: skip
    choices: list[tuple[Any, Any]] = [
        ("", "all"),
        ("a", "<Alpha> & Co"),
        ("b&c", 'Quote " here'),
        (2, "Two"),
        ("2", "Two again (only the first is selected)"),
        (None, mark_safe("<i>none</i>")),
    ]
    if grouped:
        choices.append(("Group", [("g1", "One"), ("g2", "Two")]))
    attrs = {"class": "kern-form-input__select", "data-field": "x", "aria-invalid": "true",
             "disabled": False, "required": True}  # fmt: skip
    ours = SelectWidget(attrs=attrs, choices=choices).render("state", value, {"id": "id_state"})
    django = forms.Select(attrs=attrs, choices=choices).render("state", value, {"id": "id_state"})
    assert str(ours) == str(django)


def test_the_case_filter_form_renders_as_before() -> None:
    form = CaseFilterForm({"state": "forwarded", "company": "x"})
    form.fields["state"].choices = [("", "all"), ("forwarded", "Forwarded"), ("advice", "A&B")]  # type: ignore[attr-defined]
    form.fields["company"].choices = [("", "all"), (1, "Müller & Söhne")]  # type: ignore[attr-defined]
    form.is_valid()
    for name in ("state", "company"):
        field = form.fields[name]
        plain = forms.Select(attrs=field.widget.attrs, choices=field.choices)  # type: ignore[attr-defined]
        bound = form[name]
        assert bound.as_widget() == bound.as_widget(widget=plain)
        assert bound.widget_type == "select"


# --- field groups written in Python --------------------------------------------------------------


class _Every(KernForm):
    name = forms.CharField(label="Name & <surname>", help_text="As in the <passport>")
    note = forms.CharField(label="Note", required=False, help_text=mark_safe("<b>safe</b>"))
    agreed = forms.BooleanField(label="I agree", help_text="Required & binding")
    optional_box = forms.BooleanField(label="Optional box", required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A & B"), ("b", "<B>")], widget=SelectWidget
    )
    plain = forms.ChoiceField(label="Plain select", choices=[("x", "X")], required=False)
    when = forms.DateField(label="When")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_name(self) -> str:
        raise ValidationError(["First <problem> & more", "second one"])


def _kern_forms() -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = [
        _Every(),
        _Every({"name": "x", "kind": "z", "when": "no date"}),
        _Every(auto_id=False),
        _Every({}, auto_id="f_%s"),
        CaseFilterForm({"state": "x", "company": "y", "overdue": "on", "q": "<x>"}),
        CaseFilterForm(),
    ]
    pending: list[type] = [KernForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for data in (None, {}):
            try:
                form = cls(data)
                form.is_bound and form.is_valid()
            except Exception:  # noqa: S112  (a form that needs more to be built is left out)
                continue
            found.append(form)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_field_group_is_the_html_of_the_field_template(language: str) -> None:
    # Django's renderer with the template, as before field_group.
    renderer = KernFormRenderer()
    checked = 0
    with translation.override(language):
        for form in _kern_forms():
            for bound in form:
                expected = TemplatesSetting.render(renderer, renderer.field_template_name,
                                                   {"field": bound})  # fmt: skip
                assert field_group(bound) == expected, (form, bound.name)
                assert bound.as_field_group() == field_group(bound)
                checked += 1
    assert checked > 100
