from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BlobKind(models.TextChoices):
    DOCUMENT = "document", _("Uploaded document")
    SEALED_FILE = "sealed_file", _("Sealed file")


class StoredBlob(models.Model):
    """One encrypted file in the document storage; the database knows its key and its hash.

    ``key_id`` names the key that sealed the blob, so the rotation task finds the blobs that
    still use an old key with one indexed query instead of reading every file.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=BlobKind.choices)
    name = models.CharField(_("storage name"), max_length=255, unique=True)
    key_id = models.CharField(_("key id"), max_length=64, db_index=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("stored"), default=timezone.now)
    rotated_at = models.DateTimeField(_("re-encrypted"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"
