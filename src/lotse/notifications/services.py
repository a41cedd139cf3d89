"""Writes of notifications: emit (in the transaction of the change), preferences, mark read.

``notification_emit`` is the one public entry point for other apps:

    notification_emit(kind=Kind.MESSAGE, case=case, actor=user,
                      parties={Party.CHAMBER, Party.COMPANY}, context={"reason": "…"})

It writes one ``Notification`` per recipient and, for those who want mail at once, one
``OutboundMail`` in the outbox; the worker sends it after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from lotse.audit.services import audit_record
from lotse.cases.models import Case, CaseTransition, ChecklistItem, Requirement
from lotse.notifications import delivery, rendering
from lotse.notifications.models import (
    DEFAULT_DELIVERY,
    KIND_CATEGORY,
    Delivery,
    Kind,
    MailPurpose,
    Notification,
    OutboundMail,
    Party,
    Preference,
)
from lotse.notifications.recipients import RULES, STEP_KINDS, Recipient, resolve
from lotse.notifications.selectors import unread_changed
from lotse.notifications.tasks import wake_after_commit

if TYPE_CHECKING:
    from lotse.accounts.models import User


class NotificationOutsideTransactionError(RuntimeError):
    """Notifications are written with the change they announce, never on their own."""


def delivery_for(user: User | None, kind: str) -> str:
    """The user's choice for ``kind``, else the default of its category; the worker: mail."""
    if user is None:
        return Delivery.IMMEDIATE
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    return next(iter(chosen), DEFAULT_DELIVERY[KIND_CATEGORY[kind]])


def _name(recipient: Recipient, case: Case | None) -> str:
    if recipient.user is not None:
        return recipient.user.display_name
    return case.worker_name if case is not None else ""


def _emit_to(
    recipients: Iterable[Recipient], *, kind: str, case: Case | None, context: Mapping[str, Any]
) -> list[Notification]:
    created = []
    for recipient in recipients:
        notification = Notification(
            recipient=recipient.user,
            email="" if recipient.user is not None else recipient.email,
            language=recipient.language or "de",
            party=recipient.party,
            kind=kind,
            case=case,
            context=dict(context),
            delivery=delivery_for(recipient.user, kind),
        )
        if notification.delivery == Delivery.IMMEDIATE and recipient.address:
            mail = delivery.mail_write(
                to=recipient.address,
                subject=rendering.subject(notification),
                body=rendering.body(notification, name=_name(recipient, case)),
                language=notification.language,
                purpose=MailPurpose.NOTIFICATION,
            )
            notification.mail = mail
            wake_after_commit(mail.pk)
        notification.save()
        created.append(notification)
    _unread_changed({n.recipient_id for n in created if n.recipient_id is not None})
    return created


def _unread_changed(user_ids: Iterable[int]) -> None:
    """The bell's cached count of these users: stale now (this request sees its own change) and
    again after the commit (a count another request read before the commit is not kept)."""
    ids = sorted(set(user_ids))
    for user_id in ids:
        unread_changed(user_id)

    def after_commit() -> None:
        for user_id in ids:
            unread_changed(user_id)

    if ids:
        transaction.on_commit(after_commit)


def notification_emit(
    *,
    kind: str,
    case: Case,
    actor: User | None,
    context: Mapping[str, Any] | None = None,
    parties: Iterable[str] | None = None,
    users: Iterable[User] = (),
) -> list[Notification]:
    """Tell the parties of ``case`` (by default those of ``RULES[kind]``) and ``users``.

    Call it inside the transaction of the change it announces (it raises outside one). The
    ``actor`` is never told of their own act. ``context`` holds references and short facts
    only (see ``rendering``): ``reason``, ``document_de``/``document_en``, ``due_on`` …
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotificationOutsideTransactionError(
            f"notification_emit({kind!r}) was called outside a transaction"
        )
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    chosen = frozenset(parties) if parties is not None else RULES[kind]
    recipients = resolve(chosen, case, exclude=actor)
    seen = {r.address.lower() for r in recipients}
    for user in users:
        if user.is_active and user.email.lower() not in seen and (actor is None or user != actor):
            seen.add(user.email.lower())
            recipients.append(Recipient(party=Party.LEADS, user=user, language=user.language))
    return _emit_to(recipients, kind=kind, case=case, context=context or {})


def missing_items(case: Case, codes: Iterable[str] | None = None) -> list[dict[str, str]]:
    items = ChecklistItem.objects.filter(case=case).order_by("position", "pk")
    if codes is not None:
        items = items.filter(document_code__in=list(codes))
    else:
        items = items.filter(requirement=Requirement.MANDATORY, checked_at__isnull=True)
    return [
        {"code": item.document_code, "de": item.label_de, "en": item.label_en}
        for item in items[:30]
    ]


def step_context(case: Case, transition: CaseTransition) -> dict[str, Any]:
    data = transition.data or {}
    context: dict[str, Any] = {
        "step": transition.action,
        "state": case.state,
        "reason": transition.reason,
        "occurred_on": transition.occurred_on.isoformat(),
    }
    if transition.action == "return_gaps":
        context["missing"] = missing_items(case, data.get("gaps"))
    if transition.action == "issue_preapproval":
        context["mission"] = str(data.get("mission", ""))
        context["valid_until"] = str(data.get("valid_until", ""))
    return context


def notification_emit_for_case_change(
    *, case: Case, transition: CaseTransition | None
) -> list[Notification]:
    """The case was started (no transition) or moved by ``transition``: tell whom it concerns."""
    if transition is None:
        return notification_emit(
            kind=Kind.CASE_CREATED,
            case=case,
            actor=case.created_by,
            context={"state": case.state},
        )
    kind = STEP_KINDS.get(transition.action, Kind.STEP_RECORDED)
    return notification_emit(
        kind=kind, case=case, actor=transition.actor, context=step_context(case, transition)
    )


def notification_emit_for_upload(
    *, case: Case, actor: User | None, document_de: str, document_en: str
) -> list[Notification]:
    """A document was uploaded: the chamber hears of it; after forwarding, the ABH (supplement)."""
    kind = Kind.SUPPLEMENT_UPLOADED if case.forwarded_at is not None else Kind.DOCUMENT_UPLOADED
    return notification_emit(
        kind=kind,
        case=case,
        actor=actor,
        context={"document_de": document_de, "document_en": document_en},
    )


def notification_emit_for_rejection(
    *,
    case: Case,
    actor: User,
    document_de: str,
    document_en: str,
    reason: str,
    document_code: str = "",
) -> list[Notification]:
    """An upload was rejected: the company and the worker hear of it, with the reason."""
    return notification_emit(
        kind=Kind.DOCUMENT_REJECTED,
        case=case,
        actor=actor,
        context={
            "document_de": document_de,
            "document_en": document_en,
            "document_code": document_code,
            "reason": reason,
        },
    )


# --------------------------------------------------------------------------- the user's side


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _unread_changed([actor.pk])
        audit_record(
            actor=actor,
            action="notification.read",
            obj=notification,
            concerns=[actor.organisation] if actor.organisation else [],
        )
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        _unread_changed([actor.pk])
        audit_record(
            actor=actor,
            action="notification.all_read",
            obj=actor,
            concerns=[actor.organisation] if actor.organisation else [],
            after={"count": count},
        )
    return count


@transaction.atomic
def notification_preferences_set(*, actor: User, choices: Mapping[str, str]) -> dict[str, str]:
    """Store the user's delivery per kind; a choice equal to the default is stored too."""
    errors = [k for k, v in choices.items() if k not in Kind.values or v not in Delivery.values]
    if errors:
        raise ValueError(f"unknown kind or delivery: {', '.join(sorted(errors))}")
    before = dict(Preference.objects.filter(user=actor).values_list("kind", "delivery"))
    for kind, chosen in choices.items():
        Preference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": chosen})
    after = dict(Preference.objects.filter(user=actor).values_list("kind", "delivery"))
    if before != after:
        audit_record(
            actor=actor,
            action="notification.preferences_changed",
            obj=actor,
            concerns=[actor.organisation] if actor.organisation else [],
            before=before,
            after=after,
        )
    return after


# --------------------------------------------------------------------------- plain mails


@transaction.atomic
def mail_queue(*, to: str, subject: str, body: str, language: str, purpose: str) -> OutboundMail:
    """Put a mail that is not a case notification (invitation, password reset) into the outbox.

    The caller answers the user at once; the worker sends the mail, retrying while the mail
    server is away.
    """
    mail = delivery.mail_write(
        to=to, subject=subject, body=body, language=language, purpose=purpose
    )
    wake_after_commit(mail.pk)
    return mail
