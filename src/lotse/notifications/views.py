"""The notification centre: the user's list, mark read, and the choice of delivery per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access import Action, notifications_visible_to, require
from lotse.accounts.models import User
from lotse.notifications import rendering, selectors, services
from lotse.notifications.forms import PreferencesForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(selectors.notification_list_for(user=user, unread_only=unread_only), 50)
    page = paginator.get_page(request.GET.get("page"))
    items = [
        {"notification": n, "summary": rendering.subject(n), "url": rendering.case_path(n)}
        for n in page
    ]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": items, "unread_only": unread_only, "section": "notifications"},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notification = get_object_or_404(notifications_visible_to(user=user), pk=pk)
    require(user, Action.EDIT, notification)
    services.notification_mark_read(notification=notification, actor=user)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=_user(request))
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = selectors.notification_preferences_for(user=user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(actor=user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect(reverse("notifications:settings"))
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "rows": rows, "section": "notifications"},
    )
