"""Notifications (one row per recipient and event), the mail outbox, preferences and reminders.

A service that changes a case writes its notification rows in the same transaction as the change
(``lotse.notifications.services.notification_emit``). Mail is never sent inside a request: it
becomes an ``OutboundMail`` row that a background worker claims, sends and marks sent, with
retries and exponential backoff (``lotse.notifications.delivery``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. ``recipients.RULES`` says who hears of each kind."""

    CASE_CREATED = "case_created", _("New case")
    DOCUMENTS_SUBMITTED = "documents_submitted", _("Documents handed in for the check")
    DOCUMENT_UPLOADED = "document_uploaded", _("New upload")
    DOCUMENT_REJECTED = "document_rejected", _("Upload rejected")
    DOCUMENTS_MISSING = "documents_missing", _("Documents still missing")
    FILE_FORWARDED = "file_forwarded", _("File forwarded to the immigration office")
    SUPPLEMENT_UPLOADED = "supplement_uploaded", _("Supplement to a forwarded file")
    FILE_RETURNED = "file_returned", _("File returned to the chamber")
    AUTHORITY_QUESTION = "authority_question", _("Question from the immigration office")
    PREAPPROVAL_ISSUED = "preapproval_issued", _("Pre-approval issued")
    STEP_RECORDED = "step_recorded", _("Step recorded in the case")
    CASE_ENDED = "case_ended", _("Case ended")
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline approaching")
    STEP_OVERDUE = "step_overdue", _("Deadline passed")
    MESSAGE = "message", _("New message in a case")


class Category(models.TextChoices):
    ACTION = "action", _("Action needed")
    INFORMATION = "information", _("Information")


# Which kinds ask the recipient to act (default: mail at once) and which only inform (digest).
KIND_CATEGORY: dict[str, str] = {
    Kind.CASE_CREATED: Category.ACTION,
    Kind.DOCUMENTS_SUBMITTED: Category.ACTION,
    Kind.DOCUMENT_UPLOADED: Category.INFORMATION,
    Kind.DOCUMENT_REJECTED: Category.ACTION,
    Kind.DOCUMENTS_MISSING: Category.ACTION,
    Kind.FILE_FORWARDED: Category.ACTION,
    Kind.SUPPLEMENT_UPLOADED: Category.ACTION,
    Kind.FILE_RETURNED: Category.ACTION,
    Kind.AUTHORITY_QUESTION: Category.ACTION,
    Kind.PREAPPROVAL_ISSUED: Category.ACTION,
    Kind.STEP_RECORDED: Category.INFORMATION,
    Kind.CASE_ENDED: Category.INFORMATION,
    Kind.DEADLINE_REMINDER: Category.ACTION,
    Kind.STEP_OVERDUE: Category.ACTION,
    Kind.MESSAGE: Category.ACTION,
}


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily summary by e-mail")
    IN_APP = "in_app", _("Only in Lotse")


DEFAULT_DELIVERY: dict[str, str] = {
    Category.ACTION: Delivery.IMMEDIATE,
    Category.INFORMATION: Delivery.DIGEST,
}


class Party(models.TextChoices):
    COMPANY = "company", _("Company")
    CHAMBER = "chamber", _("Chamber")
    AUTHORITY = "authority", _("Immigration office")
    WORKER = "worker", _("Worker")
    LEADS = "leads", _("Leads of the acting party")


class MailStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("given up")


class MailPurpose(models.TextChoices):
    NOTIFICATION = "notification", _("Notification")
    DIGEST = "digest", _("Daily summary")
    INVITATION = "invitation", _("Invitation")
    PASSWORD_RESET = "password_reset", _("Password reset")


class OutboundMail(models.Model):
    """One e-mail to one address, written in a transaction and sent later by the worker.

    ``status`` moves pending → sending (claimed with a lease) → sent, or back to pending with
    ``next_attempt_at`` pushed out exponentially, or to failed after the last attempt. Bodies of
    sensitive mails (invitation and reset links) are blanked once sent.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="de")
    purpose = models.CharField(_("purpose"), max_length=20, choices=MailPurpose.choices)
    sensitive = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ("created_at", "id")
        indexes = (models.Index(fields=("status", "next_attempt_at"), name="outbox_due_idx"),)

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk} ({self.status})"


class Notification(models.Model):
    """One event for one recipient: a user (in-app and mail) or the worker (mail only)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mail address"), blank=True)  # the worker, who has no account
    language = models.CharField(_("language"), max_length=8, default="de")
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    # References and short facts only (step, document label, reason, dates): no file contents.
    context = models.JSONField(default=dict, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    mail = models.ForeignKey(
        OutboundMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    digested_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=("recipient", "read_at"), name="notification_unread_idx"),
            models.Index(fields=("delivery", "digested_at"), name="notification_digest_idx"),
        )

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.email}"


class Preference(models.Model):
    """A user's choice of delivery for one kind; absent means the category's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = (
            models.UniqueConstraint(fields=("user", "kind"), name="notification_preference_once"),
        )

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class Reminder(models.Model):
    """A reminder that went out: at most one per clock and level, or per case and level.

    The unique constraints make the reminder scan idempotent even when two schedulers run it at
    the same moment: the second insert fails and that run sends nothing.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    clock = models.ForeignKey(
        "cases.CaseClock", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("level"), max_length=30)
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = (
            models.UniqueConstraint(
                fields=("clock", "level"),
                condition=models.Q(clock__isnull=False),
                name="reminder_once_per_clock_level",
            ),
            models.UniqueConstraint(
                fields=("case", "level"),
                condition=models.Q(clock__isnull=True),
                name="reminder_once_per_case_level",
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.clock_id} {self.level}"


class ScheduledRun(models.Model):
    """One slot of a periodic job that some scheduler enqueued; unique, so only one does."""

    job = models.CharField(max_length=60)
    slot = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("job", "slot"), name="scheduled_run_once"),)

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
