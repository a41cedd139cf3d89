from __future__ import annotations

from django.urls import path

from lotse.calendars import views

app_name = "calendars"
urlpatterns = [
    path("account/calendar/", views.calendar_settings, name="settings"),
    path("account/calendar/renew/", views.calendar_renew, name="renew"),
    path("account/calendar/revoke/", views.calendar_revoke, name="revoke"),
    # The feed: public by design, the secret token in the URL is the capability.
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
