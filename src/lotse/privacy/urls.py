from __future__ import annotations

from django.urls import path

from lotse.privacy import views

app_name = "privacy"
urlpatterns = [
    path("cases/<int:case_id>/personal-data.zip", views.worker_export, name="worker_export"),
]
