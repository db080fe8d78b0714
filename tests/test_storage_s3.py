"""MEDIA_STORAGE=s3 end to end against a real S3 API: moto's server on 127.0.0.1 (a free port),
with the STORAGES that cms/settings/storage.py builds from the AWS_* variables. A member's file
checked by core.uploads goes into the private bucket, and the permitted download's redirect
(PRIVATE_MEDIA_REDIRECT) is a signed URL that the S3 server answers with the file, its type
and its attachment name (and refuses without the signature); public media get plain URLs.
Skipped when boto3 or moto is missing (both are in requirements-dev.txt)."""

from __future__ import annotations

import json
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")
requests = pytest.importorskip("requests")

PUBLIC_BUCKET = "cms-media"
PRIVATE_BUCKET = "cms-private"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3-compatible server with the two buckets, for this module's tests."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    # As README.md asks of the public media's bucket: anyone may read it (and only it).
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps(policy))
    yield endpoint
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint, settings, monkeypatch):
    """STORAGES and PRIVATE_MEDIA_REDIRECT as production reads them with MEDIA_STORAGE=s3."""
    from cms.settings.storage import media_storages

    for name, value in {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": PUBLIC_BUCKET,
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_QUERYSTRING_EXPIRE": "120",
    }.items():
        monkeypatch.setenv(name, value)
    # Assigning STORAGES makes Django's test signal drop the storages already built.
    settings.STORAGES = {**settings.STORAGES, **media_storages("/nonexistent")}
    settings.PRIVATE_MEDIA_REDIRECT = True
    return s3_endpoint


class _Field:
    """What private_file_response reads of a model's FileField."""

    def __init__(self, storage, name):
        self.storage = storage
        self.name = name


def test_private_upload_and_signed_download_through_s3(s3_settings):
    """A checked upload saved to the private storage lands in the private bucket under its
    random name; the download response redirects to a signed, expiring URL of that object, and
    the S3 server answers it with the bytes, the checked type and the attachment name."""
    from core.uploads import private_file_response, private_storage, upload_check

    checked = upload_check(SimpleUploadedFile("Отчёт за год.pdf", PDF))
    storage = private_storage()
    stored_name = storage.save(f"feed/1/{checked.storage_name}", checked.file)

    keys = [
        item["Key"]
        for item in storage.connection.meta.client.list_objects_v2(Bucket=PRIVATE_BUCKET)[
            "Contents"
        ]
    ]
    assert f"private/{stored_name}" in keys

    response = private_file_response(
        _Field(storage, stored_name),
        content_type=checked.content_type,
        download_name=checked.name,
    )
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{s3_settings}/{PRIVATE_BUCKET}/private/feed/1/")
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=120" in signed
    assert response["Cache-Control"] == "private, no-store"

    download = requests.get(signed, timeout=10)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    # Without the signature the object is refused: members' files are never public.
    assert requests.get(signed.split("?")[0], timeout=10).status_code == 403


def test_public_media_get_plain_urls_from_their_bucket(s3_settings):
    """Public media (the default storage) are saved in the public bucket and get a URL without
    a signature, one a cached page may hold; the object is served at that URL."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("images/note.txt", ContentFile(b"public bytes"))
    url = default_storage.url(name)
    assert url.startswith(f"{s3_settings}/{PUBLIC_BUCKET}/images/")
    assert "X-Amz-Signature" not in url
    assert requests.get(url, timeout=10).content == b"public bytes"
