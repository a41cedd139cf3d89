"""The daily summary: one mail per user with everything chosen for the digest since the last one.

Each notification goes into exactly one digest: rows are claimed with a conditional UPDATE
(``digested_at`` still empty) in the transaction that writes the digest mail.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.notifications import delivery, rendering
from lotse.notifications.models import Delivery, MailPurpose, Notification
from lotse.notifications.tasks import wake_after_commit


@transaction.atomic
def digest_send_for(user: User, *, now: datetime | None = None) -> int:
    """Write the digest mail of one user; returns the number of notifications it holds."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            recipient=user, delivery=Delivery.DIGEST, digested_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids, digested_at__isnull=True).update(digested_at=now)
    claimed = list(
        Notification.objects.filter(pk__in=ids, digested_at=now, read_at__isnull=True)
        .select_related("case")
        .order_by("created_at", "pk")
    )
    if not claimed:
        return 0
    with translation.override(user.language or "de"):
        items = [{"summary": rendering.subject(n), "url": rendering.case_url(n)} for n in claimed]
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "name": user.display_name,
                "items": items,
                "centre_url": rendering.site_url(reverse("notifications:list")),
            },
        )
        subject = _("Lotse: your daily summary (%(count)s)") % {"count": len(items)}
    mail = delivery.mail_write(
        to=user.email,
        subject=subject,
        body=body,
        language=user.language or "de",
        purpose=MailPurpose.DIGEST,
    )
    Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(mail=mail)
    wake_after_commit(mail.pk)
    return len(claimed)


def digest_send_all(*, now: datetime | None = None) -> int:
    """One digest per user with pending digest items (read ones are left out)."""
    users = User.objects.filter(
        is_active=True,
        notifications__delivery=Delivery.DIGEST,
        notifications__digested_at__isnull=True,
    ).distinct()
    return sum(digest_send_for(user, now=now) for user in users)
