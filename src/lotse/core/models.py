from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class RecordImmutableError(Exception):
    """The record is evidence (an audit event, a step of the procedure, a forwarded file)."""


class AppendOnlyModel(models.Model):
    """Written once, never changed or deleted through the ORM.

    Subclasses name their own error so that callers and tests can tell which evidence was touched.
    """

    immutable_error: ClassVar[type[Exception]] = RecordImmutableError
    immutable_label: ClassVar[str] = "This record"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.immutable_error(f"{self.immutable_label} is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.immutable_error(f"{self.immutable_label} is never deleted.")
