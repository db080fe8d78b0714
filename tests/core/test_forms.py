"""core.forms.CheckedFilesField: the multi-file field the feed and the chat share."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from core.forms import CheckedFilesField, MultipleFileInput
from core.uploads import CheckedUpload
from tests.factories import MINIMAL_PDF

# A message of the test's own, so what is checked is that the field says what it was given
# (a plain string: a gettext call here would put a test's words into the catalogue).
TOO_MANY = "No more than %(limit)s, please."


def _field(max_files=2, **kwargs) -> CheckedFilesField:
    field = CheckedFilesField(too_many_message=TOO_MANY, **kwargs)
    field.limit_to(max_files)
    return field


def _pdf(name="Отчёт.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF)


def test_too_many_files_say_the_given_message_with_the_limit():
    """More than ``max_files`` files: one error, code ``too_many_files``, in the words the
    app passed in with ``%(limit)s`` filled in (nothing is checked or kept)."""
    with pytest.raises(ValidationError) as info:
        _field(max_files=2).clean([_pdf("1.pdf"), _pdf("2.pdf"), _pdf("3.pdf")])
    (error,) = info.value.error_list
    assert error.code == "too_many_files"
    assert info.value.messages == ["No more than 2, please."]


def test_a_refused_file_is_named_with_upload_checks_code():
    """A file upload_check refuses (a program named .pdf) fails the field with upload_check's
    code and the file's name, and the good file beside it does not hide the error."""
    program = SimpleUploadedFile("Вирус.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        _field().clean([_pdf(), program])
    assert [e.code for e in info.value.error_list] == ["executable"]
    assert "«Вирус.pdf»" in info.value.messages[0]


def test_every_refused_file_gets_its_own_error():
    """Two bad files: two errors, one a file, so people learn about both at once."""
    empty = SimpleUploadedFile("Пусто.pdf", b"")
    fake = SimpleUploadedFile("Фото.png", b"not a png at all")
    with pytest.raises(ValidationError) as info:
        _field().clean([empty, fake])
    assert [e.code for e in info.value.error_list] == ["empty", "content"]


def test_good_files_come_back_checked():
    """Accepted files come back as CheckedUpload, in the order given; nothing chosen is an
    empty list, not an error (the field is optional unless told otherwise)."""
    field = _field()
    checked = field.clean([_pdf("a.pdf"), _pdf("b.pdf")])
    assert [type(c) for c in checked] == [CheckedUpload, CheckedUpload]
    assert [c.name for c in checked] == ["a.pdf", "b.pdf"]
    assert field.clean(None) == []


def test_a_required_field_wants_a_file():
    """``required=True`` with no file: Django's «required» error, not an empty list."""
    with pytest.raises(ValidationError) as info:
        _field(required=True).clean([])
    assert [e.code for e in info.value.error_list] == ["required"]


@override_settings(UPLOAD_ALLOWED_EXTENSIONS=["pdf", "png"], UPLOAD_MAX_SIZE=5 * 1024 * 1024)
def test_limit_to_sets_the_help_text_and_accept_attribute_from_settings():
    """``limit_to`` writes the count, size limit and accepted types into the help text and
    the input's ``accept`` attribute, from the settings in force; the input takes several
    files."""
    field = _field(max_files=3)
    with translation.override("en"):
        help_text = field.describe()
    assert help_text == "Up to 3 files, each up to 5.0\xa0MB. Accepted types: pdf, png."
    assert field.widget.attrs["accept"] == ".pdf,.png"
    assert isinstance(field.widget, MultipleFileInput)
    assert " multiple" in field.widget.render("files", None)
