from __future__ import annotations

from django.urls import path

from lotse.conversations import views

app_name = "conversations"
urlpatterns = [
    path("cases/<int:case_id>/messages/", views.case_conversation, name="case"),
    path("cases/<int:case_id>/messages/new/", views.message_post, name="post"),
    path("cases/<int:case_id>/document-requests/new/", views.request_create, name="request"),
    path("messages/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
