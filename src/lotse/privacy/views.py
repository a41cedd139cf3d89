from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from lotse.access import Action, cases_visible_to, require
from lotse.accounts.models import User
from lotse.privacy.export import export_filename, worker_data_export


@login_required
@require_GET
def worker_export(request: HttpRequest, case_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = get_object_or_404(
        cases_visible_to(user=user).select_related("company", "chamber", "authority"), pk=case_id
    )
    require(user, Action.EXPORT_PERSONAL_DATA, case)
    response = HttpResponse(
        worker_data_export(case=case, actor=user), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(True, export_filename(case)) or ""
    return response
