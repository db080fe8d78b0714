"""MEDIA_STORAGE and the AWS_* variables become the STORAGES entries they document
(cms/settings/storage.py), and private downloads follow PRIVATE_MEDIA_REDIRECT."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings.storage import S3_BACKEND, media_storages

ROOT = Path(__file__).resolve().parent.parent
AWS = (
    "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_LOCATION",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME",
    "AWS_PRIVATE_LOCATION",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_QUERYSTRING_EXPIRE",
)


@pytest.fixture
def env(monkeypatch):
    for name in AWS:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_default_is_the_two_folders(env):
    """Without MEDIA_STORAGE: public media on the file system (MEDIA_ROOT) and members' files
    in PRIVATE_MEDIA_ROOT without a URL, as before."""
    storages = media_storages("/srv/private")
    assert storages == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": "/srv/private", "base_url": None},
        },
    }


def test_s3_with_two_buckets(env):
    """MEDIA_STORAGE=s3: both entries are django-storages' S3 backend on the same endpoint
    and credentials; public media get unsigned URLs, members' files signed ones in their own
    private bucket, with the expiry of AWS_QUERYSTRING_EXPIRE."""
    env(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="cms-public",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="cms-private",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_QUERYSTRING_EXPIRE="120",
    )
    storages = media_storages("/unused")
    public, private = storages["default"], storages["private"]
    assert public["BACKEND"] == private["BACKEND"] == S3_BACKEND
    for options in (public["OPTIONS"], private["OPTIONS"]):
        assert options["endpoint_url"] == "http://127.0.0.1:9000"
        assert options["region_name"] == "eu-central-1"
        assert options["access_key"] == "key"
        assert options["secret_key"] == "secret"
        assert options["addressing_style"] == "path"
        assert options["file_overwrite"] is False
    assert public["OPTIONS"]["bucket_name"] == "cms-public"
    assert public["OPTIONS"]["querystring_auth"] is False
    assert private["OPTIONS"]["bucket_name"] == "cms-private"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["querystring_expire"] == 120
    assert private["OPTIONS"]["default_acl"] == "private"


def test_s3_one_bucket_needs_two_separate_prefixes(env):
    """One bucket for both is accepted only with two prefixes neither inside the other, so a
    policy making public media readable cannot expose members' files."""
    env(MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="cms")
    with pytest.raises(ImproperlyConfigured, match="inside the public media"):
        media_storages("/unused")  # public prefix empty: the whole bucket
    env(AWS_LOCATION="media", AWS_PRIVATE_LOCATION="media/private")
    with pytest.raises(ImproperlyConfigured, match="inside the public media"):
        media_storages("/unused")
    env(AWS_LOCATION="public", AWS_PRIVATE_LOCATION="private")
    storages = media_storages("/unused")
    assert storages["default"]["OPTIONS"]["location"] == "public"
    assert storages["private"]["OPTIONS"]["bucket_name"] == "cms"
    assert storages["private"]["OPTIONS"]["location"] == "private"


def test_s3_needs_a_bucket_and_unknown_kinds_are_refused(env):
    """A missing bucket or a misspelt MEDIA_STORAGE stops the settings with a clear error."""
    env(MEDIA_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        media_storages("/unused")
    env(MEDIA_STORAGE="nfs")
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storages("/unused")


def test_s3_optional_values_are_left_to_boto3(env):
    """Without endpoint, region and keys the options leave them out, so boto3's own lookup
    (instance role, ~/.aws) applies; a custom domain goes to public media only."""
    env(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="pub",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="priv",
        AWS_S3_CUSTOM_DOMAIN="cdn.example.org",
    )
    storages = media_storages("/unused")
    for entry in storages.values():
        for name in ("endpoint_url", "region_name", "access_key", "secret_key"):
            assert name not in entry["OPTIONS"]
    assert storages["default"]["OPTIONS"]["custom_domain"] == "cdn.example.org"
    assert "custom_domain" not in storages["private"]["OPTIONS"]


def _production(extra: dict) -> subprocess.CompletedProcess:
    environ = {
        **{k: v for k, v in os.environ.items() if k not in AWS},
        "CMS_READ_DOTENV": "0",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "cluster.example.org",
        "SITE_URL": "https://cluster.example.org",
        **extra,
    }
    code = (
        "from django.conf import settings\n"
        "print(settings.STORAGES['default']['BACKEND'], settings.STORAGES['private']['BACKEND'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_take_s3_and_refuse_x_accel_with_it():
    """The production settings build STORAGES from the same variables (whitenoise's static
    storage kept), and refuse nginx's X-Accel-Redirect for a bucket (no folder to read)."""
    s3 = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "a",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "b",
    }
    result = _production(s3)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [S3_BACKEND, S3_BACKEND]
    refused = _production({**s3, "PRIVATE_MEDIA_X_ACCEL_PREFIX": "/_private/"})
    assert refused.returncode != 0
    assert "PRIVATE_MEDIA_X_ACCEL_PREFIX works with MEDIA_STORAGE=filesystem" in refused.stderr


class _SignedStorage:
    """Stands for S3Storage: url() takes the response parameters S3 signs into the link."""

    def __init__(self):
        self.calls = []

    def url(self, name, parameters=None, expire=None):
        self.calls.append((name, parameters))
        return f"https://bucket.example/{name}?X-Amz-Signature=abc"


class _Field:
    def __init__(self, storage, name):
        self.storage = storage
        self.name = name


def test_private_download_redirects_to_the_signed_url(settings):
    """With PRIVATE_MEDIA_REDIRECT the permitted download answers 302 to the storage's signed
    URL, asking the storage to answer with the view's type and attachment name; the redirect
    itself is never cached."""
    from core.uploads import private_file_response

    settings.PRIVATE_MEDIA_REDIRECT = True
    storage = _SignedStorage()
    response = private_file_response(
        _Field(storage, "feed/1/ab/report.pdf"),
        content_type="application/pdf",
        download_name="Отчёт.pdf",
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://bucket.example/feed/1/ab/report.pdf?")
    assert response["Cache-Control"] == "private, no-store"
    _name, parameters = storage.calls[0]
    assert parameters["ResponseContentType"] == "application/pdf"
    assert parameters["ResponseContentDisposition"].startswith("attachment;")


def test_private_download_redirect_needs_signed_urls(settings, tmp_path):
    """PRIVATE_MEDIA_REDIRECT on a file-system storage is a configuration error, not a
    broken link."""
    from django.core.files.storage import FileSystemStorage

    from core.uploads import private_file_response

    settings.PRIVATE_MEDIA_REDIRECT = True
    field = _Field(FileSystemStorage(location=tmp_path, base_url=None), "a.pdf")
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_MEDIA_REDIRECT"):
        private_file_response(field, content_type="application/pdf", download_name="a.pdf")
