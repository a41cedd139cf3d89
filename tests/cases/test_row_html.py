"""The rows of the workbench lists and the entries of the deadline board, written in Python
(``{% case_rows %}``, ``{% board_entries %}``), are byte for byte the HTML of the template loops
they replace (kept below as the reference), over a seeded volume, in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import engines
from django.utils import translation

from lotse.cases import deadlines, selectors, volume
from lotse.cases.models import Case
from lotse.cases.templatetags.cases import board_entries, case_rows

# The loop of cases/_case_table.html before {% case_rows %}.
ROWS_TEMPLATE = (
    '{% load i18n %}{% translate "Recognition" as recognition_word %}'
    '{% translate "BA approval" as ba_word %}{% translate "overdue" as overdue_word %}'
    '{% translate "BA approval deemed given" as deemed_word %}'
    '{% for row in rows %}\n    <tr class="kern-table__row" data-testid="case-row">\n'
    '      <td class="kern-table__cell"><a class="kern-link" href="{{ row.url }}">'
    "{{ row.case.reference }}</a><br>{{ row.case.worker_name }}<br>"
    '<span class="lotse-muted">{{ row.title_label }}</span></td>\n'
    '      {% if not company_user %}<td class="kern-table__cell">{{ row.case.company.name }}<br>'
    '<span class="lotse-muted">{{ row.case.site.municipality }}{% if row.case.advisor %} · '
    "{{ row.case.advisor.display_name }}{% endif %}</span></td>{% endif %}\n"
    '      <td class="kern-table__cell">{{ row.state_label }}{% if row.recognition_label %}<br>'
    '<span class="lotse-muted">{{ recognition_word }}: {{ row.recognition_label }}<br>'
    "{{ ba_word }}: {{ row.ba_label }}</span>{% endif %} {% if row.overdue %}"
    '<span class="kern-badge kern-badge--danger"><span class="kern-label">{{ overdue_word }}'
    "</span></span>{% endif %}{% if row.deemed %}"
    '<span class="kern-badge kern-badge--warning"><span class="kern-label">{{ deemed_word }}'
    "</span></span>{% endif %}</td>\n"
    '      <td class="kern-table__cell">{% for label in row.next_steps %}{{ label }}'
    '{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="lotse-muted">–</span>'
    "{% endfor %}</td>\n"
    '      <td class="kern-table__cell">{{ row.who|default:"–" }}</td>\n'
    '      <td class="kern-table__cell">{% if row.date_text %}<span class="lotse-nowrap">'
    '{{ row.date_text }}</span><br><span class="lotse-muted">{{ row.date_note }}</span>'
    "{% else %}–{% endif %}</td>\n    </tr>\n  {% endfor %}"
)

# The loop of cases/_board.html before {% board_entries %}.
BOARD_TEMPLATE = (
    '{% load i18n %}{% for entry in entries %}<li><a class="kern-link" '
    "href=\"{% url 'cases:detail' entry.case.pk %}\">{{ entry.case.reference }}</a> "
    "{{ entry.case.worker_name }}<br>\n        <span>{{ entry.label }}</span><br>"
    '<span class="lotse-muted">{% if entry.status.state == "deemed" %}'
    '{% blocktranslate with date=entry.status.due|date:"SHORT_DATE_FORMAT" %}'
    "the week ended on {{ date }}{% endblocktranslate %}{% elif entry.status.due %}"
    '{% translate "due" %} {{ entry.status.due|date:"SHORT_DATE_FORMAT" }}{% else %}'
    '{% translate "halted" %}{% endif %} · {{ entry.case.company.name }}</span></li>'
    "{% endfor %}"
)


def _render(source: str, context: dict[str, Any]) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def seeded_cases() -> list[Case]:
    volume.seed_volume(cases=250, seed=12)
    cases = list(
        Case.objects.select_related("company", "site", "chamber", "advisor", "authority")
        .prefetch_related(selectors.open_clocks())
        .order_by("id")
    )
    # What must be escaped, in every value a row and a board entry show.
    tricky = next(case for case in cases if case.open_clocks and case.advisor)  # type: ignore[attr-defined]
    tricky.worker_surname = "O'Brien <b>&amp;</b>"
    tricky.reference = 'REF-"1"'
    tricky.company.name = "Müller & Söhne <GmbH>"
    tricky.site.municipality = "Bietigheim-Bissingen's"
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_rows_are_the_html_of_the_template_loop(seeded_cases: list[Case],
                                                    language: str) -> None:  # fmt: skip
    today = dt.date(2026, 11, 30)
    with translation.override(language):
        rows = selectors.rows(seeded_cases, today)
        assert any(r.recognition_label for r in rows)
        assert any(r.overdue for r in rows)
        assert any(r.case.advisor for r in rows)
        assert any(not r.next_steps for r in rows)
        for company_user in (True, False):
            expected = _render(ROWS_TEMPLATE, {"rows": rows, "company_user": company_user})
            assert case_rows(rows, company_user) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_board_entries_are_the_html_of_the_template_loop(seeded_cases: list[Case],
                                                             language: str) -> None:  # fmt: skip
    with translation.override(language):
        lang = "de" if language == "de" else "en"
        states = set()
        for today in (dt.date(2026, 11, 30), dt.date(2027, 6, 1)):
            entries = [
                selectors.BoardEntry(case, clock, deadlines.status(clock, today),
                                     deadlines.definition(clock.code).label(lang))
                for case in seeded_cases
                for clock in case.open_clocks  # type: ignore[attr-defined]
            ]  # fmt: skip
            states |= {(e.status.state, e.status.due is None) for e in entries}
            assert board_entries(entries) == _render(BOARD_TEMPLATE, {"entries": entries})
        assert ("deemed", False) in states
