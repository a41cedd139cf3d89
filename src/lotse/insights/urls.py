from __future__ import annotations

from django.urls import path

from lotse.insights import views

app_name = "insights"

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.csv", views.statistics_csv, name="statistics_csv"),
    path("statistics/export.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("open-statistics/", views.public, name="public"),
    path("open-statistics/figures.csv", views.public_csv, name="public_csv"),
]
