from __future__ import annotations

from django.conf import settings
from django.urls import path

from lotse.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_create, name="create"),
    path("cases/deadlines/", views.deadline_board, name="deadlines"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/details/", views.case_edit_details, name="edit_details"),
    path("cases/<int:pk>/steps/<slug:action>/", views.case_step, name="step"),
    path("cases/<int:pk>/checklist/<int:item_pk>/", views.checklist_item, name="checklist_item"),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("cases/<int:pk>/advisor/", views.advisor_assign, name="advisor"),
]

if settings.LOTSE_BENCHMARK_FLOOR:
    # The floor of benchmarks/bench_http.py: what one row by primary key costs on this server.
    urlpatterns.append(path("benchmark/floor/<int:pk>", views.benchmark_floor, name="floor"))
