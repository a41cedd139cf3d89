from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case, ChecklistItem
from lotse.conversations.grounds import grounds_for
from lotse.conversations.models import BODY_MAX_LENGTH, Audience
from lotse.web.forms import KernForm


class MessageForm(KernForm):
    audience = forms.ChoiceField(label=_("Who reads it"), widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Files can be attached below: PDF, JPEG, PNG or TIFF, checked like uploads."),
    )

    def __init__(self, *args: Any, audiences: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Audience.choices)
        field = cast(forms.ChoiceField, self.fields["audience"])
        field.choices = [(a, labels[a]) for a in audiences]
        if audiences and not self.is_bound:
            self.initial.setdefault("audience", audiences[0])


class _ItemChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ChecklistItem) -> str:
        return obj.label


class DocumentRequestForm(KernForm):
    ground = forms.ChoiceField(label=_("On whose behalf"))
    items = _ItemChoice(
        label=_("Documents requested"),
        queryset=ChecklistItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is missing or must be corrected; the company reads this."),
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, case: Case, party: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        ground = cast(forms.ChoiceField, self.fields["ground"])
        ground.choices = [(g.code, g.label(language)) for g in grounds_for(party)]
        items = cast(_ItemChoice, self.fields["items"])
        items.queryset = case.checklist.all()
        # The options from the case's checklist as loaded (prefetched on the case page), not
        # from a query of the field's own: the queryset only validates what was sent.
        items.choices = lambda: [(item.pk, item.label) for item in case.checklist.all()]
        items.widget.attrs["class"] = "kern-form-check__checkbox"
