from __future__ import annotations

from django.urls import path

from lotse.advice import views

app_name = "advice"

urlpatterns = [
    path("quick-check/", views.quickcheck, name="quickcheck"),
    path("quick-check/occupations/", views.occupation_suggestions, name="occupations"),
    path("advisory-records/", views.record_list, name="record_list"),
    path("advisory-records/<int:pk>/", views.record_detail, name="record_detail"),
    path("advisory-records/<int:pk>/pdf/", views.record_pdf, name="record_pdf"),
    path("information/", views.library_index, name="library"),
    path("information/<slug:topic>/", views.library_topic, name="library_topic"),
    path("information/contacts/<slug:code>/edit/", views.contact_edit, name="contact_edit"),
]
