"""The mail outbox: write a mail in the caller's transaction, claim it exactly once, send it.

Claiming is a conditional UPDATE (``status`` still due → ``sending`` with a fresh claim token
and a lease): of several workers only one gets each row, on SQLite and PostgreSQL alike. On
PostgreSQL the candidates are first read with ``SELECT … FOR UPDATE SKIP LOCKED`` so that
workers do not queue behind each other's locks. A row whose lease ran out (its worker died) is
due again. The SMTP connection has ``EMAIL_TIMEOUT``, so a server that never answers costs a
worker one timeout and the row a retry, never a request.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from lotse.notifications.models import MailPurpose, MailStatus, OutboundMail

logger = logging.getLogger(__name__)


def mail_write(
    *, to: str, subject: str, body: str, language: str, purpose: str, sensitive: bool = False
) -> OutboundMail:
    """Put one mail into the outbox (call inside the transaction of the change)."""
    return OutboundMail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:255],
        body=body,
        language=language,
        purpose=purpose,
        sensitive=sensitive or purpose in (MailPurpose.INVITATION, MailPurpose.PASSWORD_RESET),
    )


def _due(now: datetime) -> Q:
    pending = Q(status=MailStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=MailStatus.SENDING, lease_until__lt=now)
    return pending | abandoned


def _lease() -> timedelta:
    # Long enough for a connection attempt and a send, each bounded by EMAIL_TIMEOUT.
    return timedelta(seconds=max(60, 4 * int(settings.EMAIL_TIMEOUT or 15)))


def mail_claim(*, mail_id: int | None = None, now: datetime | None = None) -> OutboundMail | None:
    """Claim one due mail (the given one, or the oldest due); None when there is none or
    another worker was faster."""
    now = now or timezone.now()
    candidates = OutboundMail.objects.filter(_due(now))
    if mail_id is not None:
        candidates = candidates.filter(pk=mail_id)
    token = secrets.token_hex(16)
    with transaction.atomic():
        ordered = candidates.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            ordered = ordered.select_for_update(skip_locked=True)
        ids = list(ordered.values_list("pk", flat=True)[:5])
        for pk in ids:
            won = OutboundMail.objects.filter(_due(now), pk=pk).update(
                status=MailStatus.SENDING,
                claim_token=token,
                lease_until=now + _lease(),
                attempts=F("attempts") + 1,
            )
            if won:
                return OutboundMail.objects.get(pk=pk)
    return None


@dataclass(frozen=True)
class Outcome:
    mail_id: int
    sent: bool
    retry_at: datetime | None = None  # set when the mail waits for another attempt


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … doubled after each failed attempt, at most one hour."""
    base = int(settings.LOTSE_MAIL_RETRY_BASE_SECONDS)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def mail_send_claimed(mail: OutboundMail) -> Outcome:
    """Send a claimed mail once; mark it sent, or schedule the next attempt, or give up."""
    try:
        backend = get_connection(timeout=settings.EMAIL_TIMEOUT)
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.to],
            connection=backend,
        ).send(fail_silently=False)
    except (OSError, smtplib.SMTPException) as error:
        return _failed(mail, error)
    now = timezone.now()
    done = OutboundMail.objects.filter(
        pk=mail.pk, claim_token=mail.claim_token, status=MailStatus.SENDING
    ).update(
        status=MailStatus.SENT,
        sent_at=now,
        lease_until=None,
        last_error="",
        body=F("body") if not mail.sensitive else "",
    )
    if not done:  # the lease ran out meanwhile; another worker may have sent it too
        logger.warning("mail %s was sent after its lease ran out", mail.pk)
    return Outcome(mail.pk, sent=True)


def _failed(mail: OutboundMail, error: Exception) -> Outcome:
    text = f"{type(error).__name__}: {error}"[:500]
    now = timezone.now()
    if mail.attempts >= int(settings.LOTSE_MAIL_MAX_ATTEMPTS):
        OutboundMail.objects.filter(pk=mail.pk, claim_token=mail.claim_token).update(
            status=MailStatus.FAILED, lease_until=None, last_error=text
        )
        logger.error("mail %s given up after %s attempts: %s", mail.pk, mail.attempts, text)
        return Outcome(mail.pk, sent=False)
    retry_at = now + backoff(mail.attempts)
    OutboundMail.objects.filter(pk=mail.pk, claim_token=mail.claim_token).update(
        status=MailStatus.PENDING, next_attempt_at=retry_at, lease_until=None, last_error=text
    )
    logger.warning("mail %s attempt %s failed (%s); next at %s", mail.pk, mail.attempts, text,
                   retry_at.isoformat())  # fmt: skip
    return Outcome(mail.pk, sent=False, retry_at=retry_at)


def mail_deliver_one(mail_id: int) -> Outcome | None:
    """Claim and send the given mail if it is due (a woken task); None if not ours to send."""
    mail = mail_claim(mail_id=mail_id)
    return mail_send_claimed(mail) if mail is not None else None


def outbox_flush(*, limit: int = 500) -> list[Outcome]:
    """Send every due mail, one claim at a time (the periodic safety net and the tests)."""
    outcomes = []
    for _ in range(limit):
        mail = mail_claim()
        if mail is None:
            break
        outcomes.append(mail_send_claimed(mail))
    return outcomes
