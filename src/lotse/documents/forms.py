from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.documents.models import Document, DocumentLanguage
from lotse.web.forms import KernForm, KernModelForm

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadForm(KernForm):
    # Empty files pass here so that lotse.filecheck refuses them with its own, specific message.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or TIFF, at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*"}
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("", _("not stated")), *DocumentLanguage.choices],
        required=False,
    )
    # The id of the current original this file translates; the view checks it against the item.
    translation_of = forms.IntegerField(
        label=_("This file is the sworn translation of"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
    )


class ReviewForm(KernForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "For a rejection: the uploader and the worker see this text; say what a new file "
            "must show. For accepting a passport whose automatic check failed: say why."
        ),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkReviewForm(KernForm):
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents to accept"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Tick at least one document to accept.")},
    )
    reason = forms.CharField(
        label=_("Reason (only for a passport whose automatic check failed)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_documents(self) -> list[int]:
        return [int(x) for x in self.cleaned_data["documents"]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is a valid choice here; the view keeps only the current documents of its case.
        field = self.fields["documents"]
        field.valid_value = lambda value: str(value).isdigit() and 0 < int(value) < 2**63  # type: ignore[attr-defined]


class MetadataForm(KernModelForm):
    class Meta:
        model = Document
        fields = (
            "language",
            "translation_required",
            "issued_on",
            "expires_on",
            "holder_surname",
            "holder_given_names",
            "holder_birth_date",
            "mrz_line1",
            "mrz_line2",
            "annual_gross_salary",
        )
        widgets = {"issued_on": _DATE, "expires_on": _DATE, "holder_birth_date": _DATE}
        help_texts = {
            "mrz_line1": _(
                "The two lines at the bottom of the passport's data page, 44 characters."
            ),
            "holder_surname": _("As written on this document; compared with the case data."),
        }

    def __init__(self, *args: Any, show: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in show:
                del self.fields[name]
        for name in ("mrz_line1", "mrz_line2"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {
                        "class": "kern-form-input__input lotse-mono",
                        "spellcheck": "false",
                        "autocomplete": "off",
                        "maxlength": "44",
                    }
                )


def metadata_fields_for(document_code: str) -> tuple[str, ...]:
    """Which metadata the advisor records for a kind of document."""
    common = ("language", "translation_required", "issued_on", "expires_on")
    person = ("holder_surname", "holder_given_names", "holder_birth_date")
    if document_code == "passport":
        return ("issued_on", "expires_on", "mrz_line1", "mrz_line2")
    if document_code in ("employment_contract", "training_contract"):
        return (*common, *person, "annual_gross_salary")
    if document_code in ("power_of_attorney", "sub_power_of_attorney"):
        return (*common, *person)
    return common


class UploadLinkForm(KernForm):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=60, initial=14, required=False
    )
