from __future__ import annotations

from django.urls import path

from lotse.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
]
