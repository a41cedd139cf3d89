"""The worker's fields are declared once: the model names them, one form class declares them,
and both the create and the correct page inherit that declaration."""

from __future__ import annotations

from lotse.cases.forms import CaseCreateForm, CaseDetailsForm, WorkerAndJobForm
from lotse.cases.models import WORKER_FIELDS


def test_the_one_form_declaration_covers_every_worker_field_of_the_model() -> None:
    assert set(WORKER_FIELDS) <= set(WorkerAndJobForm.base_fields)


def test_create_and_correct_inherit_the_declaration_instead_of_repeating_it() -> None:
    for form in (CaseCreateForm, CaseDetailsForm):
        assert issubclass(form, WorkerAndJobForm)
        for name in WORKER_FIELDS:
            # Inherited, not redeclared: the same field object as the one declaration.
            assert form.declared_fields[name] is WorkerAndJobForm.declared_fields[name]
            assert form.base_fields[name].label == WorkerAndJobForm.base_fields[name].label
