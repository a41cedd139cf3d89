from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AppendOnlyModel, AppendOnlyQuerySet, RecordImmutableError

if TYPE_CHECKING:
    from lotse.organisations.models import Organisation


class AuditEventImmutableError(RecordImmutableError):
    """Audit events are evidence: once written they are never changed or removed."""


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    pass


class AuditEvent(AppendOnlyModel):
    immutable_error = AuditEventImmutableError
    immutable_label = "An audit event"
    # What retention may neutralise (lotse.core.models.redaction_window); the hash chain covers
    # them through ``personal_sha256`` (lotse.audit.chain).
    personal_fields = ("object_repr", "before", "after", "ip_address", "redacted")

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too: the person's name at the time of the act is what the record shows.
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    actor_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("actor's organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The organisations whose staff may read this event (the owner of the object and
    # every party that works on it). A join table so a chamber's view is one indexed query.
    concerns: models.ManyToManyField[Organisation, AuditEventConcern] = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("concerned organisations"),
        related_name="audit_events",
        through="AuditEventConcern",
    )

    # The hash chain (lotse.audit.chain): unique prev_hash, so the chain cannot fork.
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64)
    personal_sha256 = models.CharField(_("digest of the personal fields"), max_length=64)
    redacted = models.BooleanField(_("personal data deleted"), default=False)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-occurred_at", "-id")
        indexes = (models.Index(fields=("object_type", "object_id"), name="audit_object_idx"),)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AuditEventConcern(models.Model):
    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("event", "organisation"), name="audit_concern_unique"),
        )

    def __str__(self) -> str:
        return f"{self.event_id} → {self.organisation_id}"
