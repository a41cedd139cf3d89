"""Background work of the documents area (django-tasks; `lotse db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from lotse.documents.blobs import orphan_blobs_delete, stored_blobs_rotate


@task()
def storage_keys_rotate() -> dict[str, object]:
    """Move every stored file to the primary key of ``LOTSE_STORAGE_KEYS`` (see blobs.py)."""
    return stored_blobs_rotate().as_dict()


@task()
def storage_orphans_delete() -> int:
    return orphan_blobs_delete()
