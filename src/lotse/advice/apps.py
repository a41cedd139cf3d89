from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "lotse.advice"
    label = "advice"
    verbose_name = _("Advice")
    default_auto_field = "django.db.models.BigAutoField"
