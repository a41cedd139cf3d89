from __future__ import annotations

from django.urls import path

from lotse.audit import views

app_name = "audit"
urlpatterns = [path("activity/", views.event_list, name="list")]
