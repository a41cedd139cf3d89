"""A case's conversation: messages with an explicit audience, attachments, requests for documents.

Who reads a message is decided by its audience (lotse.access), never by who happens to open the
case: "all parties", "chamber and company only", "chamber and ABH only", or "the worker" (read on
the worker's upload page, and by the company and the chamber who act for the worker).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.organisations.models import Organisation

BODY_MAX_LENGTH = 5000


class Audience(models.TextChoices):
    ALL = "all", _("All parties")
    COMPANY_CHAMBER = "company_chamber", _("Chamber and company only")
    CHAMBER_ABH = "chamber_abh", _("Chamber and immigration office only")
    WORKER = "worker", _("The worker (company and chamber read along)")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    REQUEST = "request", _("Request for documents")


class Message(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MessageKind.choices, default=MessageKind.MESSAGE
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_label = models.CharField(_("written by"), max_length=254)
    author_party = models.CharField(_("party"), max_length=10)  # company | chamber | abh
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("case", "created_at", "id")
        indexes = (models.Index(fields=("case", "audience"), name="message_case_audience_idx"),)

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class MessageAttachment(models.Model):
    """A file sent with a message: checked like an upload, stored encrypted like a document."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    blob = models.OneToOneField(
        "documents.StoredBlob", on_delete=models.PROTECT, related_name="message_attachment"
    )
    filename = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("message", "id")

    def __str__(self) -> str:
        return self.filename


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by upload")
    LAPSED = "lapsed", _("Due date passed")


class DocumentRequest(models.Model):
    """A Nachforderung: which checklist items, why, by when; answered by the uploads themselves."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="request")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="document_requests"
    )
    ground = models.CharField(_("ground"), max_length=40)
    requested_by_party = models.CharField(_("requested by"), max_length=10)
    items = models.ManyToManyField(
        "cases.ChecklistItem", verbose_name=_("documents"), related_name="document_requests"
    )
    reason = models.TextField(_("reason"), max_length=BODY_MAX_LENGTH)
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    # The clocks this request actually halted (an already halted clock is not halted twice).
    suspended_clocks = models.JSONField(_("suspended deadlines"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for documents")
        verbose_name_plural = _("requests for documents")
        ordering = ("case", "created_at", "id")
        indexes = (models.Index(fields=("case", "state"), name="docrequest_case_state_idx"),)

    def __str__(self) -> str:
        return f"{self.case_id} Nachforderung {self.created_at:%Y-%m-%d}"
