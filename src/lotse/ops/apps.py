from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Lotse: the production server, health, metrics, logs and worker heartbeats."""

    name = "lotse.ops"
    label = "ops"
    verbose_name = "Operations"
