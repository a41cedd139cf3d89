from __future__ import annotations

from django.urls import path

from lotse.documents import views, worker_views
from lotse.letters import views as letter_views

app_name = "documents"
urlpatterns = [
    path("cases/<int:case_id>/documents/", views.case_documents, name="case"),
    path("cases/<int:case_id>/documents/<int:item_id>/upload/", views.upload, name="upload"),
    path("cases/<int:case_id>/documents/upload/", views.upload_many, name="upload_many"),
    path("cases/<int:case_id>/documents/review/", views.review_file, name="review_file"),
    path("cases/<int:case_id>/documents/review/accept/", views.review_bulk, name="review_bulk"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("documents/<int:pk>/pages/<int:page>.png", views.preview, name="preview"),
    path("documents/<int:pk>/decide/", views.decide, name="decide"),
    path("documents/<int:pk>/review/", views.review, name="review"),
    path("cases/<int:case_id>/upload-links/", views.link_create, name="link_create"),
    path("upload-links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("cases/<int:case_id>/file/<int:number>/", views.sealed_download, name="sealed_download"),
    path("cases/<int:case_id>/file/supplement/", views.seal_supplement, name="seal_supplement"),
    path("cases/<int:case_id>/letters/<slug:kind>.pdf", letter_views.download, name="letter"),
    # The worker's page: public by design, the token in the URL is the capability.
    path("u/<str:token>/", views.worker, name="worker"),
    path("u/<str:token>/forms/<slug:kind>.pdf", worker_views.worker_letter, name="worker_letter"),
    path("cases/<int:case_id>/upload-links/send/", worker_views.link_send, name="link_send"),
]
