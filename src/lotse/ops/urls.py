from __future__ import annotations

from django.urls import path

from lotse.ops import views

# No app namespace: load balancers and scrapers know these paths by heart.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
