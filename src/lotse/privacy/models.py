from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseErasure(models.Model):
    """Retention deleted the documents and personal data of this case (lotse.privacy.retention)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="erasure"
    )
    erased_at = models.DateTimeField(_("deleted"), default=timezone.now)
    ended_on = models.DateField(_("case ended"))
    documents = models.PositiveIntegerField(_("documents deleted"), default=0)
    files = models.PositiveIntegerField(_("stored files deleted"), default=0)
    events_redacted = models.PositiveIntegerField(_("audit events redacted"), default=0)

    class Meta:
        verbose_name = _("deletion of personal data")
        verbose_name_plural = _("deletions of personal data")

    def __str__(self) -> str:
        return f"{self.case_id} {self.erased_at:%Y-%m-%d}"
