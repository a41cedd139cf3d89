"""A real S3 endpoint on loopback: moto in server mode, in its own process on a free port."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

ACCESS_KEY = "lotse-test-access"
SECRET_KEY = "lotse-test-secret-key"  # moto accepts any key pair
REGION = "eu-central-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class S3Endpoint:
    url: str

    def client(self) -> Any:
        return boto3.client(
            "s3", endpoint_url=self.url, region_name=REGION,
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        )  # fmt: skip

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def storage_options(self, bucket: str) -> dict[str, Any]:
        """``STORAGES["documents"]`` as settings.py builds it from LOTSE_DOCUMENTS_S3_*."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": self.url, "region_name": REGION,
                "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "default_acl": "private",
                "file_overwrite": False, "querystring_auth": True,
            },
        }  # fmt: skip

    def environment(self, bucket: str) -> dict[str, str]:
        return {
            "LOTSE_DOCUMENTS_S3_BUCKET": bucket,
            "LOTSE_DOCUMENTS_S3_ENDPOINT": self.url,
            "LOTSE_DOCUMENTS_S3_REGION": REGION,
            "LOTSE_DOCUMENTS_S3_ACCESS_KEY": ACCESS_KEY,
            "LOTSE_DOCUMENTS_S3_SECRET_KEY": SECRET_KEY,
        }


@contextlib.contextmanager
def moto_server() -> Iterator[S3Endpoint]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto_server did not answer within 30 s")
        yield S3Endpoint(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
