from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lotse.accounts.models import User
from lotse.audit.presenters import event_views
from lotse.audit.selectors import audit_event_list_visible_to


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    paginator = Paginator(audit_event_list_visible_to(user=user), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "events": event_views(page.object_list), "section": "audit"},
    )
