"""Where uploaded files live, chosen by environment variables (README.md, "Files").

``MEDIA_STORAGE=filesystem`` (the default): public media in MEDIA_ROOT, members' files in
PRIVATE_MEDIA_ROOT. On several app hosts both folders must be one shared volume (NFS, a
cluster file system) mounted at the same path on every host.

``MEDIA_STORAGE=s3``: S3-compatible object storage through django-storages (boto3, in
requirements.txt). Public media (Wagtail images, their renditions, documents) in
AWS_STORAGE_BUCKET_NAME; members' files in AWS_PRIVATE_STORAGE_BUCKET_NAME (default: the same
bucket, then AWS_LOCATION and AWS_PRIVATE_LOCATION must be two separate prefixes), always
private (signed URLs only).
Every host sees the same buckets, so nothing is mounted.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

FILESYSTEM = "filesystem"
S3 = "s3"
S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
# Members' files: the same, but a save that runs out of disk leaves no partial file.
PRIVATE_FILESYSTEM_BACKEND = "core.storage.PrivateFileSystemStorage"


def _s3_common() -> dict:
    options = {
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        # Path-style addressing (endpoint/bucket/key): what MinIO and most S3-compatible
        # servers on a private address need; "virtual" for AWS's bucket.host names.
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        # An upload never replaces another file: names are random folders already
        # (core.uploads.storage_name), and Wagtail's images get a suffix instead.
        "file_overwrite": False,
    }
    return {key: value for key, value in options.items() if value is not None}


def media_storages(private_media_root: str) -> dict:
    """The "default" (public media) and "private" (members' files) entries of STORAGES."""
    kind = env_str("MEDIA_STORAGE", FILESYSTEM).lower()
    if kind == FILESYSTEM:
        return {
            "default": {"BACKEND": FILESYSTEM_BACKEND},
            "private": {
                "BACKEND": PRIVATE_FILESYSTEM_BACKEND,
                "OPTIONS": {"location": private_media_root, "base_url": None},
            },
        }
    if kind != S3:
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', got {kind!r}.")
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    common = _s3_common()
    public = {
        **common,
        "bucket_name": bucket,
        "location": env_str("AWS_LOCATION"),
        # Public files get plain URLs (the bucket or AWS_S3_CUSTOM_DOMAIN must allow reading
        # them); never a signed URL that would expire inside a cached page.
        "querystring_auth": False,
        "default_acl": None,
    }
    custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    if custom_domain:
        public["custom_domain"] = custom_domain
    private = {
        **common,
        "bucket_name": env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME", bucket),
        "location": env_str("AWS_PRIVATE_LOCATION", "private"),
        "querystring_auth": True,
        # How long a signed download link works (PRIVATE_MEDIA_REDIRECT).
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
        "default_acl": "private",
    }
    public_prefix = public["location"].strip("/")
    private_prefix = private["location"].strip("/")
    if private["bucket_name"] == bucket and (
        not public_prefix
        or not private_prefix
        or f"{private_prefix}/".startswith(f"{public_prefix}/")
        or f"{public_prefix}/".startswith(f"{private_prefix}/")
    ):
        # A bucket whose policy lets anyone read the public media would show members'
        # files too.
        raise ImproperlyConfigured(
            "Members' files would be inside the public media: set "
            "AWS_PRIVATE_STORAGE_BUCKET_NAME to another bucket, or AWS_LOCATION and "
            "AWS_PRIVATE_LOCATION to two separate prefixes (the bucket's policy then lets "
            "the public read AWS_LOCATION only)."
        )
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "private": {"BACKEND": S3_BACKEND, "OPTIONS": private},
    }


def private_media_redirect() -> bool:
    """Whether private downloads answer with a redirect to a short-lived signed URL of the
    object storage (after the same permission check) instead of streaming through Django."""
    return env_bool("PRIVATE_MEDIA_REDIRECT", default=False)
