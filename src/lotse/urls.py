from __future__ import annotations

from django.urls import include, path

from lotse.api.main import api

urlpatterns = [
    path("", include("lotse.web.urls")),
    path("", include("lotse.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("lotse.accounts.urls")),
    path("", include("lotse.organisations.urls")),
    path("", include("lotse.audit.urls")),
    path("", include("lotse.cases.urls")),
    path("", include("lotse.documents.urls")),
    path("", include("lotse.advice.urls")),
    path("", include("lotse.conversations.urls")),
    path("", include("lotse.calendars.urls")),
    path("", include("lotse.notifications.urls")),
    path("", include("lotse.insights.urls")),
    path("", include("lotse.privacy.urls")),
    path("api/v1/", api.urls),
]

handler403 = "lotse.web.views.error_403"
handler404 = "lotse.web.views.error_404"
handler500 = "lotse.web.views.error_500"
