from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from lotse.access import Action, cases_visible_to, require
from lotse.accounts.models import User
from lotse.letters.context import LetterKind
from lotse.letters.services import letter_downloaded, letter_filename, letter_render


@login_required
@require_GET
def download(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = get_object_or_404(
        cases_visible_to(user=user).select_related("company", "site", "chamber", "authority"),
        pk=case_id,
    )
    require(user, Action.VIEW, case)
    try:
        letter = LetterKind(kind)
    except ValueError:
        raise Http404 from None
    pdf = letter_render(case=case, kind=letter)
    letter_downloaded(case=case, kind=letter, actor=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{letter_filename(case=case, kind=letter)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
