"""Append-only evidence and the one controlled way to remove personal data from it.

Case history, sealed files and audit events are evidence: the ORM refuses every change and
every deletion (model methods, querysets, the base manager Django uses for saves and cascades),
and database triggers (migrations of each app) refuse them below the ORM on PostgreSQL and SQLite.

The single exception is **redaction** for retention (Art. 5 Abs. 1 lit. e, Art. 17 DSGVO): inside
:func:`redaction_window` the retention service may overwrite the columns a model names in
``personal_fields`` (and nothing else) with neutral values. The window is a row of
:class:`RedactionWindow` that exists only inside the redacting transaction, so no other
transaction ever sees it; the triggers allow an UPDATE only while such a row is visible and only
if every other column stays as it was. DELETE stays refused without exception.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone

_T = TypeVar("_T", bound=models.Model)

_redacting: contextvars.ContextVar[bool] = contextvars.ContextVar("lotse_redacting", default=False)


class RecordImmutableError(Exception):
    """The record is evidence (an audit event, a step of the procedure, a forwarded file)."""


class RedactionWindow(models.Model):
    """Present only inside the transaction of a retention run (see the module docstring)."""

    opened_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"redaction {self.opened_at:%Y-%m-%d %H:%M}: {self.reason}"


@contextmanager
def redaction_window(*, reason: str) -> Iterator[None]:
    """Allow :meth:`AppendOnlyQuerySet.redact` inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("redaction_window() must run inside transaction.atomic()")
    window = RedactionWindow.objects.create(reason=reason[:200])
    token = _redacting.set(True)
    try:
        yield
    finally:
        _redacting.reset(token)
        # The row must not outlive the transaction: a committed window would open every table.
        RedactionWindow.objects.filter(pk=window.pk).delete()


class AppendOnlyQuerySet(models.QuerySet[_T]):
    """Refuses bulk changes; also the base manager, so saves and cascades meet it too."""

    def _immutable(self, verb: str) -> Exception:
        model: Any = self.model
        error: type[Exception] = getattr(model, "immutable_error", RecordImmutableError)
        label: str = getattr(model, "immutable_label", "This record")
        return error(f"{label} is never {verb}.")

    def update(self, **kwargs: Any) -> int:
        raise self._immutable("changed")

    def _update(self, values: Any) -> Any:
        # Model.save() of an existing row and bulk_update() end here, not in update().
        raise self._immutable("changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self._immutable("deleted")

    def _raw_delete(self, using: Any) -> int:
        raise self._immutable("deleted")

    def redact(self, **values: Any) -> int:
        """Overwrite personal fields with neutral values; only inside :func:`redaction_window`."""
        if not _redacting.get():
            raise self._immutable("changed outside a retention run")
        allowed = set(getattr(self.model, "personal_fields", ()))
        unknown = set(values) - allowed
        if unknown:
            raise self._immutable(f"changed in {', '.join(sorted(unknown))}")
        return super().update(**values)


class AppendOnlyModel(models.Model):
    """Written once, never changed or deleted through the ORM.

    Subclasses name their own error so that callers and tests can tell which evidence was touched,
    set ``base_manager_name = "objects"`` in their Meta, and list in ``personal_fields`` the
    columns retention may neutralise.
    """

    immutable_error: ClassVar[type[Exception]] = RecordImmutableError
    immutable_label: ClassVar[str] = "This record"
    personal_fields: ClassVar[tuple[str, ...]] = ()

    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Per model, so that other models keep Django's fast path for deletes.
        pre_delete.connect(_refuse_cascade, sender=cls, weak=False)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.immutable_error(f"{self.immutable_label} is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.immutable_error(f"{self.immutable_label} is never deleted.")


def _refuse_cascade(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # A cascade from a parent (deleting a case) collects rows without calling their delete().
    if isinstance(instance, AppendOnlyModel):
        raise instance.immutable_error(f"{instance.immutable_label} is never deleted.")
