"""The worker's page beyond uploads: the forms to sign (through the link) and sending the link.

Kept apart from ``views.py``: these belong to the worker's page, the link is the capability.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lotse.access import Action, cases_visible_to, require, upload_link_for
from lotse.accounts.models import User
from lotse.core.client import client_ip
from lotse.documents.views import _rate_limited
from lotse.documents.worker import upload_link_send, worker_letter_downloaded
from lotse.letters.context import LetterKind
from lotse.letters.services import letter_filename, letter_render

# The forms the worker signs; nothing else of the case's letters is offered through the link.
WORKER_LETTERS = frozenset({LetterKind.VOLLMACHT})


@require_GET
@never_cache
def worker_letter(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    # Rendering a PDF costs: the same per-IP limit as the worker's page.
    if _rate_limited(f"ip:{client_ip(request)}",
                     settings.LOTSE_UPLOAD_LINK_VIEWS_PER_HOUR):  # fmt: skip
        return HttpResponse(status=429)
    link = upload_link_for(token=token)
    if link is None:
        raise Http404
    try:
        letter = LetterKind(kind)
    except ValueError:
        raise Http404 from None
    if letter not in WORKER_LETTERS:
        raise Http404
    case = link.case
    pdf = letter_render(case=case, kind=letter)
    worker_letter_downloaded(case=case, link=link, kind=letter.value)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{letter_filename(case=case, kind=letter)}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def link_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Create a new upload link and mail it to the worker; the case page shows it to copy."""
    user: User = request.user  # type: ignore[assignment]
    case = get_object_or_404(cases_visible_to(user=user).select_related("company"), pk=case_id)
    require(user, Action.SHARE, case)
    try:
        _link, url = upload_link_send(case=case, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session["lotse_sent_upload_link"] = url
        messages.success(
            request,
            _("A new upload link was sent to %(email)s. You can also copy it below.")
            % {"email": case.worker_email},
        )
    return redirect(reverse("cases:detail", args=[case.pk]) + "#worker-link")
