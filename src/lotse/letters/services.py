"""Letters as PDF, filled from the case. Rendering writes nothing, so there is no audit event;
downloading a letter is recorded by the view's caller through :func:`letter_downloaded`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from lotse.audit.services import audit_record
from lotse.documents.services import case_concerns
from lotse.letters.context import LETTER_FILENAMES, LetterKind, case_letter_context
from lotse.letters.render import render_pdf

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case


def _name(case: Case, kind: LetterKind) -> str:
    """The letter's German name; the pre-approval is a draft ("Entwurf") until it is issued."""
    if kind == LetterKind.VORABZUSTIMMUNG and not case.preapprovals.exists():
        return f"{LETTER_FILENAMES[kind]}-Entwurf"
    return LETTER_FILENAMES[kind]


def letter_render(*, case: Case, kind: LetterKind) -> bytes:
    context = case_letter_context(case)
    context["footer_left"] = f"{case.reference} · {_name(case, kind)}"
    return render_pdf(f"letters/{kind.value}.html", context)


def letter_filename(*, case: Case, kind: LetterKind) -> str:
    return f"{case.reference}-{_name(case, kind)}.pdf"


@transaction.atomic
def letter_downloaded(*, case: Case, kind: LetterKind, actor: User) -> None:
    audit_record(
        actor=actor,
        action="letter.generated",
        obj=case,
        concerns=case_concerns(case),
        after={"letter": kind.value},
    )
