"""Private uploads: the one place that checks a file and the one that serves it back.

Every private upload (feed attachments now, chat files later) goes through
:func:`upload_check` before it is stored and through :func:`private_file_response` when a
permission-checked view hands it out (DESIGN.md, "Files"). The type is decided from the
content: the name's extension must be allowed *and* the bytes must be that kind of file.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

# extension -> (content type sent on download, how the content is recognised)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "ppt": ("application/vnd.ms-powerpoint", "ole"),
    "docx": (f"{_OOXML}.wordprocessingml.document", "ooxml:word/"),
    "xlsx": (f"{_OOXML}.spreadsheetml.sheet", "ooxml:xl/"),
    "pptx": (f"{_OOXML}.presentationml.presentation", "ooxml:ppt/"),
    "odt": (f"{_ODF}.text", "odf"),
    "ods": (f"{_ODF}.spreadsheet", "odf"),
    "odp": (f"{_ODF}.presentation", "odf"),
    "rtf": ("application/rtf", "rtf"),
    "txt": ("text/plain; charset=utf-8", "text"),
    "csv": ("text/csv; charset=utf-8", "text"),
    "jpg": ("image/jpeg", "image:JPEG"),
    "jpeg": ("image/jpeg", "image:JPEG"),
    "png": ("image/png", "image:PNG"),
    "gif": ("image/gif", "image:GIF"),
    "webp": ("image/webp", "image:WEBP"),
    "zip": ("application/zip", "zip"),
    "7z": ("application/x-7z-compressed", "7z"),
    "rar": ("application/vnd.rar", "rar"),
}

# What the icon next to a file name shows.
FAMILIES = {
    "pdf": "pdf",
    "doc": "document",
    "docx": "document",
    "odt": "document",
    "rtf": "document",
    "txt": "document",
    "xls": "spreadsheet",
    "xlsx": "spreadsheet",
    "ods": "spreadsheet",
    "csv": "spreadsheet",
    "ppt": "presentation",
    "pptx": "presentation",
    "odp": "presentation",
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "gif": "image",
    "webp": "image",
    "zip": "archive",
    "7z": "archive",
    "rar": "archive",
}

# Programs, whatever they are called: Windows PE, ELF, Mach-O (both byte orders, fat), scripts.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_HEAD = 64 * 1024
_MAX_NAME = 200


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed :func:`upload_check`, with what to store and show about it."""

    file: object  # the UploadedFile, rewound
    name: str  # as uploaded, minus any path and control characters: shown to people
    storage_name: str  # random folder + safe ASCII name: used for the storage path
    extension: str
    content_type: str
    size: int


def allowed_extensions() -> list[str]:
    return [ext for ext in settings.UPLOAD_ALLOWED_EXTENSIONS if ext in FORMATS]


def file_family(name: str) -> str:
    """«pdf», «document», «spreadsheet», «presentation», «image», «archive» or «file»."""
    return FAMILIES.get(_extension(name), "file")


class StoredFileMixin:
    """What a model of a stored upload tells about it from its ``name`` (the name as uploaded):
    the extension and the icon's family. Plain Python with no fields, so a model that mixes it
    in (the feed's ``Attachment``, the chat's ``MessageAttachment``) needs no migration."""

    name: str

    @property
    def extension(self) -> str:
        return _extension(self.name)

    @property
    def family(self) -> str:
        return file_family(self.name)


def display_name(raw: str) -> str:
    """The uploaded name as people typed it, made safe to show and to send back.

    Path parts (either slash) and control/format characters go; so do leading dots and
    spaces. Long names are cut keeping the extension. Never empty.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Line breaks and tabs become spaces («отчёт\n2026.pdf» → «отчёт 2026.pdf»); other
    # control, format (bidi overrides, zero-width), unassigned and surrogate code points go.
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    if len(name) > _MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: _MAX_NAME - len(ext) - 1].rstrip()}.{ext}"
        else:
            name = name[:_MAX_NAME]
    return name or "file"


def storage_name(name: str, extension: str) -> str:
    """``<random hex>/<ascii-slug>.<ext>``: nothing of the user's name can climb out of the
    folder or collide with another upload."""
    stem = slugify(name.rsplit(".", 1)[0])[:60] or "file"
    return f"{uuid.uuid4().hex}/{stem}.{extension}"


def _extension(name: str) -> str:
    _stem, dot, ext = str(name).rpartition(".")
    return ext.lower() if dot else ""


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    return head


# Whatever a broken or hostile archive makes zipfile raise: an encrypted member
# (RuntimeError), an unsupported compression method (NotImplementedError, a RuntimeError),
# corrupt deflate data (zlib.error), a bad CRC (BadZipFile), truncation (EOFError, OSError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    KeyError,
    EOFError,
    RuntimeError,
    zlib.error,
)
# OpenDocument's «mimetype» member is a few dozen bytes; a bigger one is not read (a small
# upload could otherwise inflate to gigabytes in memory).
_ODF_MIMETYPE_MAX = 100


def _is_zip_with(file, check) -> bool:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return bool(check(archive))
    except _ZIP_ERRORS:
        return False
    finally:
        file.seek(0)


def _ooxml(prefix: str):
    def check(archive):
        names = archive.namelist()
        return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)

    return check


def _odf(expected_type: str):
    def check(archive):
        if archive.getinfo("mimetype").file_size > _ODF_MIMETYPE_MAX:
            return False
        with archive.open("mimetype") as member:
            value = member.read(_ODF_MIMETYPE_MAX + 1)
        return value.decode("ascii", "replace").strip() == expected_type

    return check


def _text_charset(head: bytes) -> str | None:
    """«utf-8» or «windows-1251» for plain text (what Russian and Belarusian text files are
    written in), None for anything else (binary: it has NUL bytes)."""
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Only the full sample may end in the middle of a multi-byte character.
        cut = len(head) == _HEAD and exc.reason == "unexpected end of data"
        if not cut:
            try:
                head.decode("cp1251")
            except UnicodeDecodeError:
                return None
            return "windows-1251"
    return "utf-8"


def _is_text(head: bytes) -> bool:
    return _text_charset(head) is not None


def _is_image(file, expected: str) -> bool:
    from PIL import Image

    file.seek(0)
    try:
        with Image.open(file) as image:
            ok = image.format == expected
            image.verify()
        return ok
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken or hostile image
        return False
    finally:
        file.seek(0)


def content_matches(file, extension: str) -> bool:
    """Whether the bytes of ``file`` are a file of ``extension``'s kind."""
    content_type, rule = FORMATS[extension]
    head = _read_head(file)
    if rule == "pdf":
        return head.lstrip(b"\xef\xbb\xbf\r\n\t ")[:5] == b"%PDF-"
    if rule == "ole":
        return head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if rule.startswith("ooxml:"):
        return head[:4] == b"PK\x03\x04" and _is_zip_with(file, _ooxml(rule[6:]))
    if rule == "odf":
        return head[:4] == b"PK\x03\x04" and _is_zip_with(file, _odf(content_type))
    if rule == "zip":
        return head[:4] in (b"PK\x03\x04", b"PK\x05\x06") and _is_zip_with(file, lambda a: True)
    if rule == "7z":
        return head[:6] == b"7z\xbc\xaf\x27\x1c"
    if rule == "rar":
        return head[:7] == b"Rar!\x1a\x07\x00" or head[:8] == b"Rar!\x1a\x07\x01\x00"
    if rule == "rtf":
        return head[:5] == b"{\\rtf"
    if rule == "text":
        return _is_text(head)
    if rule.startswith("image:"):
        return _is_image(file, rule[6:])
    return False


def upload_check(
    file, *, allowed: Iterable[str] | None = None, max_size: int | None = None
) -> CheckedUpload:
    """Check one uploaded file; raise ValidationError with a message people understand.

    ``allowed`` narrows the extensions from settings.UPLOAD_ALLOWED_EXTENSIONS; ``max_size``
    defaults to settings.UPLOAD_MAX_SIZE.
    """
    name = display_name(getattr(file, "name", ""))
    allowed_list = allowed_extensions()
    if allowed is not None:
        narrowed = {str(ext).lower().lstrip(".") for ext in allowed}
        allowed_list = [ext for ext in allowed_list if ext in narrowed]
    limit = settings.UPLOAD_MAX_SIZE if max_size is None else max_size
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("«%(name)s» is empty."), code="empty", params={"name": name})
    if size > limit:
        raise ValidationError(
            _("«%(name)s» is too large (%(size)s); files up to %(limit)s are accepted."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    extension = _extension(name)
    if extension not in allowed_list:
        raise ValidationError(
            _("«%(name)s»: files of this type are not accepted. Accepted types: %(types)s."),
            code="type",
            params={"name": name, "types": ", ".join(allowed_list)},
        )
    head = _read_head(file)
    # A text file may begin with any two characters («MZ», «#!»): a real program in a .txt
    # fails the text check instead (it has NUL bytes).
    if FORMATS[extension][1] != "text" and head.startswith(_EXECUTABLE_MAGIC):
        raise ValidationError(
            _("«%(name)s» is a program; programs cannot be uploaded."),
            code="executable",
            params={"name": name},
        )
    if not content_matches(file, extension):
        raise ValidationError(
            _("«%(name)s» is not a real .%(ext)s file (its content is of another type)."),
            code="content",
            params={"name": name, "ext": extension},
        )
    content_type = FORMATS[extension][0]
    if FORMATS[extension][1] == "text":
        # Sent as the bytes are: a Windows-1251 file is not announced as UTF-8.
        content_type = f"{content_type.split(';')[0]}; charset={_text_charset(head)}"
    file.seek(0)
    return CheckedUpload(
        file=file,
        name=name,
        storage_name=storage_name(name, extension),
        extension=extension,
        content_type=content_type,
        size=size,
    )


def private_storage():
    """Private files live outside MEDIA_ROOT and are served only by permission-checked views."""
    from django.core.files.storage import storages

    return storages["private"]


def private_file_response(
    file_field, *, content_type: str, download_name: str | None = None
) -> HttpResponse:
    """Send a private file after the caller's permission check.

    With ``download_name`` the browser saves it (Content-Disposition: attachment) under that
    name; without, it is shown inline (profile photos). Either way the browser may not guess
    another type (nosniff) and shared caches may not keep it. With
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX the reverse proxy sends the bytes.
    """
    prefix = getattr(settings, "PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
    if getattr(settings, "PRIVATE_MEDIA_REDIRECT", False):
        return _signed_url_redirect(
            file_field, content_type=content_type, download_name=download_name
        )
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{file_field.name.lstrip('/')}"
    else:
        try:
            handle = file_field.storage.open(file_field.name, "rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    if download_name is not None:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=display_name(download_name)
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _signed_url_redirect(file_field, *, content_type: str, download_name: str | None):
    """A redirect to the object storage's short-lived signed URL of the file (S3's
    querystring auth, AWS_QUERYSTRING_EXPIRE seconds), which answers with the type and
    disposition the view chose. Never cached: the link expires."""
    parameters = {"ResponseContentType": content_type}
    if download_name is not None:
        parameters["ResponseContentDisposition"] = content_disposition_header(
            as_attachment=True, filename=display_name(download_name)
        )
    try:
        url = file_field.storage.url(file_field.name, parameters=parameters)
    except TypeError as exc:  # a storage without signed URLs (the file system's)
        raise ImproperlyConfigured(
            "PRIVATE_MEDIA_REDIRECT needs MEDIA_STORAGE=s3 (signed URLs)."
        ) from exc
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


STORAGE_FULL_MESSAGE = _(
    "The file could not be saved: there is no room for it on the server. Nothing was "
    "published; try again later or with a smaller file."
)


def atomic_with_files(work, *, error: type[ValidationError] = ValidationError):
    """Run ``work(stored)`` in a transaction; ``work`` appends ``(storage, name)`` for each
    file it saves. If anything fails, the transaction rolls back and those files are deleted,
    so a failed post or message leaves no orphan file behind.

    A storage out of room (``ENOSPC``, ``EDQUOT``: core/storage.py removes its partial file)
    is the person's problem to hear about, not a server error: it is raised as ``error`` (the
    caller's form error class, code ``storage_full``)."""
    from .storage import is_no_space

    stored: list = []
    done = False
    try:
        with transaction.atomic():
            result = work(stored)
            done = True
        return result
    except BaseException as exc:
        if done:
            # The work finished and the COMMIT itself failed (the connection dropped): whether
            # it committed is unknown, and deleting the files of committed rows would leave
            # attachments without bytes (scripts/faults/postgres_outage.py found one). An
            # orphan file is the lesser harm.
            logger.warning("commit outcome unknown; kept %s stored file(s)", len(stored))
        else:
            for storage, name in stored:
                storage.delete(name)
        if is_no_space(exc):
            raise error(STORAGE_FULL_MESSAGE, code="storage_full") from exc
        raise
