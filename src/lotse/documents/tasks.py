"""Background work of the documents area (django-tasks; `lotse db_worker` runs it).

``storage_orphans_delete`` is safe to run at any time and as often as wanted: it removes only
stored files that no row points to and that are older than the grace period, so a file whose
upload transaction is still open is never touched. Schedule it periodically (hourly is plenty;
see docs/adr/0005-document-preview-and-file-hygiene.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from lotse.documents.blobs import orphan_blobs_delete, stored_blobs_rotate

logger = logging.getLogger(__name__)

# A blob is written before its row; an upload transaction never stays open this long.
ORPHAN_GRACE_HOURS = 6
MIN_GRACE_HOURS = 1


@task()
def storage_keys_rotate() -> dict[str, object]:
    """Move every stored file to the primary key of ``LOTSE_STORAGE_KEYS`` (see blobs.py)."""
    return stored_blobs_rotate().as_dict()


@task()
def storage_orphans_delete(grace_hours: int = ORPHAN_GRACE_HOURS) -> int:
    """Delete stored files without a row that are older than ``grace_hours`` (at least 1)."""
    grace = max(int(grace_hours), MIN_GRACE_HOURS)
    deleted = orphan_blobs_delete(older_than=timedelta(hours=grace))
    if deleted:
        logger.warning("storage clean-up: %s orphaned file(s) deleted", deleted)
    return deleted
