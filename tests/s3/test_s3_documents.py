"""Documents in S3-compatible object storage, against a real S3 endpoint on loopback (moto server).

Upload and download through the API, key rotation and deletion, all through django-storages'
S3 backend talking HTTP to the endpoint: nothing is mocked inside the process.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lotse.accounts.models import Role
from lotse.accounts.services import api_token_create
from lotse.documents.blobs import orphan_blobs_delete, stored_blob_create, stored_blob_read
from lotse.documents.models import BlobKind, StoredBlob
from lotse.documents.storage import blob_delete
from lotse.documents.tasks import storage_keys_rotate
from lotse.filecheck.crypto import MAGIC
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf
from tests.s3server import S3Endpoint, moto_server

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Endpoint]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3: S3Endpoint, settings: Any) -> str:
    name = f"lotse-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(name)
    settings.STORAGES = {**settings.STORAGES, "documents": s3.storage_options(name)}
    return name


def test_an_upload_through_the_api_lands_encrypted_in_the_bucket_and_comes_back(
    world: World, s3: S3Endpoint, bucket: str
) -> None:
    user = world.users[Role.COMPANY_HR]
    secret = api_token_create(user=user, name="erp").secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    case = make_case(world)
    pdf = good_pdf()
    response = Client().post(
        f"/api/v1/cases/{case.pk}/documents",
        {"item": "cv", "file": SimpleUploadedFile("cv.pdf", pdf, "application/pdf")}, **auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    [key] = s3.keys(bucket)
    stored = s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored.startswith(MAGIC)
    assert pdf not in stored
    download = Client().get(f"/api/v1/documents/{response.json()['id']}/content", **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == pdf


def test_key_rotation_rewrites_every_object_and_removes_the_old_ones(
    s3: S3Endpoint, bucket: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old, new = os.urandom(32), os.urandom(32)
    settings.LOTSE_STORAGE_KEYS = {"k1": old}
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k1"
    blobs = [stored_blob_create(data=f"file {i}".encode() * 50, kind=BlobKind.DOCUMENT)
             for i in range(3)]  # fmt: skip
    before = s3.keys(bucket)
    assert len(before) == 3
    settings.LOTSE_STORAGE_KEYS = {"k2": new, "k1": old}
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k2"
    with django_capture_on_commit_callbacks(execute=True):  # old objects go after commit
        report = storage_keys_rotate.enqueue().return_value
    assert report == {"rotated": 3, "already_current": 0, "failed": []}
    after = s3.keys(bucket)
    assert len(after) == 3
    assert not set(before) & set(after)  # the old objects are gone
    settings.LOTSE_STORAGE_KEYS = {"k2": new}  # the old key can go: nothing needs it
    for blob in blobs:
        blob.refresh_from_db()
        assert blob.key_id == "k2"
        assert stored_blob_read(blob).startswith(b"file ")


def test_deletion_and_orphan_clean_up_remove_objects(s3: S3Endpoint, bucket: str) -> None:
    kept = stored_blob_create(data=b"kept" * 10, kind=BlobKind.DOCUMENT)
    gone = stored_blob_create(data=b"gone" * 10, kind=BlobKind.DOCUMENT)
    blob_delete(gone.name)
    StoredBlob.objects.filter(pk=gone.pk).delete()
    assert s3.keys(bucket) == [kept.name]
    # An object without a row (a rolled-back upload) is found by listing the bucket.
    s3.client().put_object(Bucket=bucket, Key="document/2020/01/orphan.bin", Body=b"x")
    assert orphan_blobs_delete(older_than=dt.timedelta(seconds=0)) == 1
    assert s3.keys(bucket) == [kept.name]
