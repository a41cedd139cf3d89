from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AppendOnlyModel, RecordImmutableError


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


class ReviewState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, not yet reviewed")
    ACCEPTED = "accepted", _("Accepted by the chamber")
    REJECTED = "rejected", _("Rejected")


class DocumentLanguage(models.TextChoices):
    DE = "de", _("German")
    EN = "en", _("English")
    OTHER = "other", _("Other language")


class DocumentQuerySet(models.QuerySet["Document"]):
    def current(self) -> DocumentQuerySet:
        """Documents not replaced by a newer upload for the same purpose."""
        return self.filter(retired_at__isnull=True)

    def originals(self) -> DocumentQuerySet:
        return self.filter(translation_of__isnull=True)


class Document(models.Model):
    """One uploaded file for one checklist item of a case.

    The file itself is an encrypted :class:`StoredBlob`; the row holds what the file says about
    itself (hash, size, pages) and what the chamber recorded while reviewing it. A new upload for
    the same purpose *supersedes* the previous one, which is kept (``retired_at`` and
    ``superseded_by``) until retention deletes it. A sworn translation is an upload of its own
    that points to the original (``translation_of``); original and translation are both current.

    At most one document is current per checklist item among the originals, and at most one per
    original among the translations (two partial unique indexes; the upload service also locks
    the checklist item, so parallel uploads queue instead of failing).
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents"
    )
    item = models.ForeignKey(
        "cases.ChecklistItem",
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    blob = models.OneToOneField(StoredBlob, on_delete=models.PROTECT, related_name="document")
    filename = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_via_link = models.ForeignKey(
        "documents.UploadLink",
        verbose_name=_("uploaded through the worker's link"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    # Set in the same transaction as ``superseded_by``, but before the newer row is inserted, so
    # that the unique indexes over the current documents hold at every statement.
    retired_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
    )

    # Metadata the uploader or the chamber records.
    language = models.CharField(
        _("language of the document"), max_length=5, choices=DocumentLanguage.choices, blank=True
    )
    translation_required = models.BooleanField(
        _("sworn German translation required"), default=False
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # What the document says about the person (typed by the advisor while reviewing), compared
    # with the case data across passport, powers of attorney and contract (domain rule R3).
    holder_surname = models.CharField(_("surname as written"), max_length=120, blank=True)
    holder_given_names = models.CharField(_("given names as written"), max_length=160, blank=True)
    holder_birth_date = models.DateField(_("date of birth as written"), null=True, blank=True)
    mrz_line1 = models.CharField(_("MRZ line 1"), max_length=44, blank=True)
    mrz_line2 = models.CharField(_("MRZ line 2"), max_length=44, blank=True)
    annual_gross_salary = models.DecimalField(
        _("gross annual salary in the contract (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )

    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.UPLOADED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    # Why the chamber accepted a document although an automatic check failed (e.g. the MRZ).
    acceptance_reason = models.TextField(_("reason for accepting despite a problem"), blank=True)

    objects: ClassVar[DocumentQuerySet] = DocumentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("case", "item__position", "uploaded_at", "id")
        indexes = (models.Index(fields=("case", "item"), name="document_case_item_idx"),)
        constraints = (
            models.UniqueConstraint(
                fields=("item",),
                condition=models.Q(retired_at__isnull=True, translation_of__isnull=True),
                name="document_one_current_original",
            ),
            models.UniqueConstraint(
                fields=("translation_of",),
                condition=models.Q(retired_at__isnull=True, translation_of__isnull=False),
                name="document_one_current_translation",
            ),
        )

    def __str__(self) -> str:
        return self.filename

    @property
    def is_current(self) -> bool:
        return self.retired_at is None

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    @property
    def is_accepted(self) -> bool:
        return self.review_state == ReviewState.ACCEPTED


class UploadLink(models.Model):
    """The worker's personal upload link: a capability for one case, no account needed.

    Only the SHA-256 of the token is stored; the link in the message to the worker is the only
    copy of the secret.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="upload_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload link")
        verbose_name_plural = _("upload links")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.case_id} link {self.created_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SealedFileImmutableError(RecordImmutableError):
    """A sealed file is evidence of what was forwarded: it is never changed."""


class SealedFile(AppendOnlyModel):
    """The file forwarded to the immigration office (``number`` 0) and its supplements (1, 2 …).

    A ZIP with an index PDF, ``manifest.json`` and the documents, stored encrypted; never
    changed after sealing.
    """

    immutable_error = SealedFileImmutableError
    immutable_label = "A sealed file"
    # The manifest repeats the case data; retention neutralises it (the ZIP blob is deleted).
    personal_fields = ("manifest",)

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="sealed_files"
    )
    number = models.PositiveIntegerField(_("number"))
    blob = models.OneToOneField(StoredBlob, on_delete=models.PROTECT, related_name="sealed_file")
    sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sealed_at = models.DateTimeField(_("sealed"), default=timezone.now)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sealed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    manifest = models.JSONField(_("manifest"))
    documents = models.ManyToManyField(Document, related_name="sealed_in", blank=True)

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("sealed file")
        verbose_name_plural = _("sealed files")
        ordering = ("case", "number")
        constraints = (
            models.UniqueConstraint(fields=("case", "number"), name="sealed_file_number_unique"),
        )

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"

    @property
    def is_supplement(self) -> bool:
        return self.number > 0
