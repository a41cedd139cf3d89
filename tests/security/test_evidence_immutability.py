"""Case history, sealed files and audit events refuse UPDATE and DELETE in the ORM and below it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, models, transaction

from lotse.audit.models import AuditEvent, AuditEventConcern, AuditEventImmutableError
from lotse.cases.models import Case, CaseHistoryImmutableError, CaseTransition
from lotse.core import evidence
from lotse.core.models import AppendOnlyModel, RecordImmutableError, redaction_window
from lotse.documents.models import SealedFile, SealedFileImmutableError
from tests.conftest import World
from tests.documents.flow import step
from tests.documents.world import forwarded_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence_rows(world: World) -> dict[type[AppendOnlyModel], AppendOnlyModel]:
    case = forwarded_case(world)
    transition = CaseTransition.objects.filter(case=case).first()
    if transition is None:
        Case.objects.filter(pk=case.pk).update(state="collecting_documents")
        fresh = Case.objects.get(pk=case.pk)
        step(fresh, "submit_for_check", world)
        transition = CaseTransition.objects.filter(case=case).first()
    assert transition is not None
    return {
        CaseTransition: transition,
        SealedFile: SealedFile.objects.get(case=case),
        AuditEvent: AuditEvent.objects.order_by("id").first(),  # type: ignore[dict-item]
    }


ERRORS: dict[type[AppendOnlyModel], type[Exception]] = {
    CaseTransition: CaseHistoryImmutableError,
    SealedFile: SealedFileImmutableError,
    AuditEvent: AuditEventImmutableError,
}

MODELS = list(ERRORS)


def _text_field(model: type[models.Model]) -> str:
    return {CaseTransition: "action", SealedFile: "sha256", AuditEvent: "action"}[model]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_orm_refuses_every_way_to_change_or_delete(
    model: type[AppendOnlyModel], evidence_rows: dict[type[AppendOnlyModel], AppendOnlyModel]
) -> None:
    row = evidence_rows[model]
    error = ERRORS[model]
    field = _text_field(model)
    setattr(row, field, "tampered")
    attempts: list[Callable[[], Any]] = [
        row.save,
        lambda: row.save(update_fields=[field]),
        row.delete,
        lambda: model.objects.filter(pk=row.pk).update(**{field: "tampered"}),
        lambda: model.objects.filter(pk=row.pk).delete(),
        lambda: model._base_manager.filter(pk=row.pk).update(**{field: "tampered"}),
        lambda: model._base_manager.filter(pk=row.pk).delete(),
        lambda: model.objects.bulk_update([row], [field]),
    ]
    for attempt in attempts:
        with pytest.raises(error), transaction.atomic():
            attempt()
    assert getattr(model.objects.get(pk=row.pk), field) != "tampered"


def test_deleting_the_case_does_not_cascade_into_the_evidence(
    evidence_rows: dict[type[AppendOnlyModel], AppendOnlyModel],
) -> None:
    case = evidence_rows[SealedFile].case  # type: ignore[attr-defined]
    with (
        pytest.raises((RecordImmutableError, DatabaseError, models.ProtectedError)),
        transaction.atomic(),
    ):
        case.delete()
    assert CaseTransition.objects.filter(case=case).exists()


def test_redaction_is_refused_outside_a_retention_run(
    evidence_rows: dict[type[AppendOnlyModel], AppendOnlyModel],
) -> None:
    transition = evidence_rows[CaseTransition]
    with pytest.raises(CaseHistoryImmutableError), transaction.atomic():
        CaseTransition.objects.filter(pk=transition.pk).redact(reason="")  # type: ignore[attr-defined]
    with (
        pytest.raises(CaseHistoryImmutableError),
        transaction.atomic(),
        redaction_window(reason="test"),
    ):
        # Only the personal columns, never the step itself.
        CaseTransition.objects.filter(pk=transition.pk).redact(action="x")  # type: ignore[attr-defined]


TABLES = {
    CaseTransition: "cases_casetransition",
    SealedFile: "documents_sealedfile",
    AuditEvent: "audit_auditevent",
}


def test_every_evidence_table_carries_its_triggers() -> None:
    for table in evidence.EVIDENCE_TABLES:
        assert evidence.installed(connection, table), table


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_raw_update_and_delete(
    model: type[AppendOnlyModel], evidence_rows: dict[type[AppendOnlyModel], AppendOnlyModel]
) -> None:
    row = evidence_rows[model]
    table = TABLES[model]
    column = _text_field(model)
    for sql in (
        f"UPDATE {table} SET {column} = 'tampered' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert model.objects.filter(pk=row.pk).exists()


def test_the_database_refuses_raw_changes_to_concerns(world: World) -> None:
    concern = AuditEventConcern.objects.first()
    assert concern is not None
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditeventconcern WHERE id = %s", [concern.pk])


def test_inside_a_redaction_window_the_database_allows_only_personal_columns(
    evidence_rows: dict[type[AppendOnlyModel], AppendOnlyModel],
) -> None:
    transition = evidence_rows[CaseTransition]
    with transaction.atomic(), redaction_window(reason="test"), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_casetransition SET reason = '' WHERE id = %s", [transition.pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(
                "UPDATE cases_casetransition SET action = 'x' WHERE id = %s", [transition.pk]
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("DELETE FROM cases_casetransition WHERE id = %s", [transition.pk])
