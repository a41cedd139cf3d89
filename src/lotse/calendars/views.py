"""The calendar page of one's own account, and the feed itself (public: the token is the key)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lotse.access import calendar_feed_for
from lotse.accounts.models import User
from lotse.calendars.feed import calendar_for
from lotse.calendars.selectors import active_feed_of
from lotse.calendars.services import calendar_feed_create, calendar_feed_read, calendar_feed_revoke

_SESSION_KEY = "lotse_new_calendar_url"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendars:feed", args=[token]))


@login_required
@require_GET
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calendars/settings.html",
        {
            "section": "calendar",
            "feed": active_feed_of(user=_user(request)),
            "new_url": request.session.pop(_SESSION_KEY, None),
        },
    )


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    _feed, token = calendar_feed_create(actor=_user(request))
    request.session[_SESSION_KEY] = feed_url(request, token)
    messages.success(
        request, _("Your new calendar address is ready; the previous one no longer works.")
    )
    return redirect("calendars:settings")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    feed = active_feed_of(user=_user(request))
    if feed is not None:
        calendar_feed_revoke(feed=feed, actor=_user(request))
        messages.success(request, _("The calendar address was revoked."))
    return redirect("calendars:settings")


@require_GET
@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = calendar_feed_for(token=token)
    if found is None:
        raise Http404
    calendar_feed_read(feed=found)
    response = HttpResponse(calendar_for(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lotse.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
