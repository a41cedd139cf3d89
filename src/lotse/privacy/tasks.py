"""Background work of data protection (run daily by the scheduler, lotse.notifications.scheduler)."""

from __future__ import annotations

import logging

from django_tasks import task

from lotse.privacy.retention import retention_run

logger = logging.getLogger(__name__)


@task()
def retention_delete() -> int:
    """Delete the documents and personal data of every case whose retention period is over."""
    done = retention_run()
    if done:
        logger.info("retention: personal data of %s case(s) deleted", done)
    return done
