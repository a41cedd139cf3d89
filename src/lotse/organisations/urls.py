from __future__ import annotations

from django.urls import path

from lotse.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisation/", views.own, name="own"),
    path("organisations/<int:pk>/", views.detail, name="detail"),
    path("organisations/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("organisations/<int:pk>/sites/new/", views.site_add, name="site_create"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_register_view, name="company_register"),
    path("directory/", views.directory_view, name="directory"),
]
