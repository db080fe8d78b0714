"""upload_check: a file is accepted when its name's extension is allowed and its bytes are that
kind of file; everything else is refused with a message people understand and a ``code``.
The name is shown as uploaded (made safe) and stored under a random folder and ASCII slug."""

from __future__ import annotations

import re
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.uploads import (
    FORMATS,
    allowed_extensions,
    content_matches,
    display_name,
    file_family,
    storage_name,
    upload_check,
)
from extranet.feed import samples
from tests.extranet.feed import files
from tests.extranet.feed.files import NamedBytes, real_file, upload

STORAGE_NAME = re.compile(r"^[0-9a-f]{32}/[a-z0-9_-]+\.[a-z0-9]+$")


def refused(data: bytes, name: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        upload_check(upload(data, name), **kwargs)
    return info.value


def message(error: ValidationError) -> str:
    return str(error.message % error.params)


# --- Accepted -----------------------------------------------------------------------------------


def test_settings_allow_every_known_format():
    """The default settings allow every format the checker knows (documents, spreadsheets,
    presentations, PDF, images, archives)."""
    assert set(allowed_extensions()) == set(FORMATS)


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_allowed_format_is_accepted_from_real_content(extension):
    """A real file of each allowed extension passes, with the stored content type of its
    kind, its size, and the extension in lower case whatever the name's case."""
    data = real_file(extension)
    checked = upload_check(upload(data, f"Файл участника.{extension.upper()}"))
    assert checked.extension == extension
    assert checked.size == len(data)
    assert checked.content_type.split(";")[0] == FORMATS[extension][0].split(";")[0]
    assert checked.name == f"Файл участника.{extension.upper()}"
    assert STORAGE_NAME.match(checked.storage_name), checked.storage_name
    assert checked.file.tell() == 0, "the file is rewound for storing"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Document_park.docx", samples.docx_bytes("Технопарк", ["Миссия технопарка"])),
        ("План мероприятий 2026.xlsx", samples.xlsx_bytes([["Дата", "Событие"], [1, "Семинар"]])),
        ("Отчёт о семинаре.pdf", samples.pdf_bytes(["Итоги семинара"], title="Отчёт")),
        ("Протокол.odt", samples.odt_bytes("Протокол", ["Присутствовали: 12 человек"])),
        ("Бюджет.ods", samples.ods_bytes([["Статья", "Сумма"], ["Аренда", 1200.5]])),
        ("Презентация.odp", samples.odp_bytes([("Кластер", ["Цели", "Задачи"])])),
        ("Письмо.rtf", samples.rtf_bytes("Письмо", ["Уважаемые коллеги!"])),
    ],
)
def test_samples_pass_the_check(name, data):
    """Every generator in extranet.feed.samples makes a file the check accepts."""
    assert upload_check(upload(data, name)).name == name


@pytest.mark.parametrize(
    ("text", "charset"),
    [("Повестка дня: итоги года", "utf-8"), ("Повестка дня: итоги года", "windows-1251")],
    ids=["utf-8", "cp1251"],
)
def test_text_in_utf8_and_cp1251_is_accepted_with_its_charset(text, charset):
    """Plain text in UTF-8 and in Windows-1251 (what Russian Windows saves) is accepted, and
    the content type says which, so it is not announced as UTF-8 when it is not."""
    checked = upload_check(upload(text.encode(charset), "Повестка.txt"))
    assert checked.content_type == f"text/plain; charset={charset}"


def test_csv_is_accepted():
    data = "ФИО;Организация\r\nГуляев Юрий;ООО «Технопарк Горки»\r\n".encode()
    checked = upload_check(upload(data, "участники.csv"))
    assert checked.content_type == "text/csv; charset=utf-8"
    assert file_family(checked.name) == "spreadsheet"


def test_utf8_cut_at_the_end_of_the_sample_is_still_utf8():
    """Only the first 64 KiB are read: a Cyrillic letter cut at that boundary is not taken
    for a sign of another encoding."""
    data = ("я" * 40_000).encode()  # 80,000 bytes: the 64 KiB sample ends inside a letter
    assert upload_check(upload(data, "long.txt")).content_type.endswith("charset=utf-8")


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("a.pdf", "pdf"),
        ("a.DOCX", "document"),
        ("a.xlsx", "spreadsheet"),
        ("a.pptx", "presentation"),
        ("a.png", "image"),
        ("a.7z", "archive"),
        ("a.exe", "file"),
        ("README", "file"),
    ],
)
def test_file_family(name, family):
    assert file_family(name) == family


# --- Refused: size and type ---------------------------------------------------------------------


def test_empty_file_is_refused():
    error = refused(b"", "Пустой.pdf")
    assert error.code == "empty"
    assert "Пустой.pdf" in message(error)


@override_settings(UPLOAD_MAX_SIZE=1024)
def test_file_over_the_limit_is_refused():
    """Above settings.UPLOAD_MAX_SIZE: refused before the content is looked at, with both
    sizes in the message."""
    error = refused(samples.pdf_bytes(["x" * 80] * 30), "big.pdf")
    assert error.code == "too_large"
    assert "1.0\xa0KB" in message(error) or "1,0\xa0КБ" in message(error)


def test_max_size_argument_overrides_the_setting():
    assert refused(b"%PDF-1.4 hello", "a.pdf", max_size=5).code == "too_large"


@pytest.mark.parametrize(
    "name", ["setup.exe", "page.html", "page.htm", "logo.svg", "app.js", "README", "archive.", "x"]
)
def test_disallowed_extensions_are_refused(name):
    """Programs, web pages, SVG (scripts inside), JavaScript and names without an extension
    are refused by type, and the message lists what is accepted."""
    error = refused(b"<html><script>alert(1)</script></html>", name)
    assert error.code == "type"
    assert "pdf, " in message(error)


@override_settings(UPLOAD_ALLOWED_EXTENSIONS=["pdf", "docx"])
def test_setting_narrows_the_allowed_types():
    assert refused(real_file("png"), "photo.png").code == "type"
    assert upload_check(upload(real_file("pdf"), "a.pdf")).extension == "pdf"


@override_settings(UPLOAD_ALLOWED_EXTENSIONS=["pdf", "docx"])
def test_allowed_argument_narrows_the_setting_and_never_widens_it():
    """``allowed`` picks among the extensions settings allow: «png» is not let in because a
    caller asks for it, and an empty list allows nothing (it used to allow everything)."""
    assert refused(real_file("png"), "photo.png", allowed=["png", "pdf"]).code == "type"
    assert refused(real_file("pdf"), "a.pdf", allowed=["docx"]).code == "type"
    assert refused(real_file("pdf"), "a.pdf", allowed=[]).code == "type"
    assert upload_check(upload(real_file("pdf"), "a.pdf"), allowed=[".PDF"]).extension == "pdf"


# --- Refused: content that is not what the name says -------------------------------------------


@pytest.mark.parametrize("program", sorted(files.PROGRAMS))
@pytest.mark.parametrize("extension", ["pdf", "docx", "png", "zip", "doc", "rar"])
def test_programs_are_refused_whatever_their_name(program, extension):
    """Windows PE, Linux ELF and macOS Mach-O programs renamed to a document, image or
    archive are refused as programs."""
    error = refused(files.PROGRAMS[program](), f"Отчёт.{extension}")
    assert error.code == "executable"
    assert "Отчёт" in message(error)


@pytest.mark.parametrize("program", sorted(files.PROGRAMS))
def test_programs_named_txt_are_not_text(program):
    """A program named .txt is not plain text (it has NUL bytes)."""
    assert refused(files.PROGRAMS[program](), "readme.txt").code == "content"


def test_text_starting_like_a_program_is_still_text():
    """A text file may begin with «MZ» or «#!»: text is judged by being text."""
    assert upload_check(upload(b"MZ - mesto zakupki\n", "notes.txt")).extension == "txt"
    assert upload_check(upload(b"#!/bin/sh\necho hi\n", "script.txt")).extension == "txt"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(files.zip_of({"word/document.xml": "<w/>"}), "Договор.docx", id="zip-docx"),
        pytest.param(files.zip_of({"a.txt": "a"}), "Таблица.xlsx", id="zip-xlsx"),
        pytest.param(samples.docx_bytes("Документ", ["текст"]), "Таблица.xlsx", id="docx-as-xlsx"),
        pytest.param(samples.xlsx_bytes([[1]]), "Документ.docx", id="xlsx-as-docx"),
        pytest.param(samples.odt_bytes("Д", ["т"]), "Таблица.ods", id="odt-as-ods"),
        pytest.param(files.zip_of({"mimetype": "text/html"}), "Документ.odt", id="zip-odt"),
        pytest.param(b"<!DOCTYPE html><script>alert(1)</script>", "Отчёт.pdf", id="html-pdf"),
        pytest.param(b"<svg onload=alert(1)/>", "Отчёт.pdf", id="svg-pdf"),
        pytest.param(b"plain text\x00\x01\x02 with NUL", "notes.txt", id="nul-txt"),
        pytest.param(b"a;b\x00;c", "table.csv", id="nul-csv"),
        pytest.param(files.image("PNG"), "photo.jpg", id="png-jpg"),
        pytest.param(files.image("JPEG"), "photo.png", id="jpeg-png"),
        pytest.param(files.image("PNG")[:60], "photo.png", id="cut-png"),
        pytest.param(b"GIF89a not really", "anim.gif", id="fake-gif"),
        pytest.param(b"PK\x03\x04 not a zip at all", "archive.zip", id="fake-zip"),
        pytest.param(b"{\\rt", "letter.rtf", id="cut-rtf"),
        pytest.param(b"\xd0\xcf\x11\xe0", "old.doc", id="cut-ole"),
        pytest.param(b"Rar!\x1a\x07\x02", "a.rar", id="bad-rar"),
        pytest.param(files.zip_of({"a": "b"}), "a.7z", id="zip-7z"),
    ],
)
def test_content_of_another_kind_is_refused(data, name):
    """The extension is allowed but the bytes are of another kind: refused by content with
    the extension in the message."""
    error = refused(data, name)
    assert error.code == "content"
    assert f".{name.rsplit('.', 1)[1]}" in message(error)


@pytest.mark.parametrize(
    "make",
    [
        files.odt_with_encrypted_mimetype,
        files.odt_with_unknown_compression,
        files.odt_with_corrupt_mimetype,
    ],
)
def test_broken_archives_are_refused_not_crashing(make):
    """An OpenDocument whose «mimetype» member is encrypted, compressed with an unknown method
    or corrupt made zipfile raise RuntimeError / NotImplementedError / zlib.error, which
    escaped the check (a 500 on upload); now it is refused by content."""
    assert refused(make(), "Документ.odt").code == "content"


def test_odf_mimetype_bomb_is_not_inflated():
    """A 200 KB .odt whose «mimetype» inflates to 200 MB is refused without inflating it (the
    check used to read the whole member into memory)."""
    data = files.odt_mimetype_bomb()
    assert len(data) < 300_000
    tracemalloc.start()
    try:
        error = refused(data, "Документ.odt")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "content"
    assert peak < 5_000_000


def test_content_matches_leaves_the_file_rewound():
    data = samples.docx_bytes("Документ", ["текст"])
    handle = upload(data, "a.docx")
    handle.seek(10)
    assert content_matches(handle, "docx")
    assert handle.tell() == 0


# --- Names ---------------------------------------------------------------------------------------

HOSTILE_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\win.ini.pdf", "win.ini.pdf"),
    ("/absolute/path/report.pdf", "report.pdf"),
    ("C:\\Users\\Юрий\\Desktop\\Отчёт.pdf", "Отчёт.pdf"),
    ("..pdf.pdf", "pdf.pdf"),
    ("...", "file"),
    ("", "file"),
    ("report\x00.exe.pdf", "report.exe.pdf"),
    ("report\n2026.pdf", "report 2026.pdf"),
    ("line\r\nbreak\tand\x0btab.pdf", "line break and tab.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("\u202eRTL\u2066 isolate\u2069.pdf", "RTL isolate.pdf"),
    ("zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"),
    ("<script>alert(1)</script>.pdf", "script>.pdf"),
    ('"quoted" name; x=1.pdf', '"quoted" name; x=1.pdf'),
    ("  spaced   out  .pdf", "spaced out .pdf"),
    ("Cafe\u0301.pdf", "Café.pdf"),
]


@pytest.mark.parametrize(("raw", "shown"), HOSTILE_NAMES)
def test_display_name_is_safe(raw, shown):
    """Directories (either slash) go, control and format characters (NUL, line breaks as
    spaces, bidi overrides, zero-width) go, leading dots go; never empty; NFC."""
    name = display_name(raw)
    assert name == shown
    assert "/" not in name and "\\" not in name
    assert not any(ord(ch) < 0x20 or 0x202A <= ord(ch) <= 0x202E for ch in name)


def test_display_name_is_idempotent():
    for raw, _shown in HOSTILE_NAMES:
        assert display_name(display_name(raw)) == display_name(raw)


def test_long_name_is_cut_keeping_the_extension():
    name = display_name("Отчёт " + "о" * 300 + ".pdf")
    assert len(name) == 200
    assert name.endswith(".pdf")
    assert display_name("x" * 300) == "x" * 200


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("../../etc/passwd.pdf", "pdf"),
        ("..\\..\\win.ini.pdf", "pdf"),
        ("Отчёт о семинаре.pdf", "pdf"),
        ("<script>alert(1)</script>.pdf", "pdf"),
        (".." + "/.." * 50 + ".docx", "docx"),
        ("a" * 300 + ".xlsx", "xlsx"),
        ("con.pdf", "pdf"),
        ("-rf --no-preserve-root.pdf", "pdf"),
    ],
)
def test_storage_name_is_a_random_folder_and_an_ascii_slug(raw, extension):
    """``<32 hex>/<ascii slug>.<ext>``: one slash, no «..», nothing of the name's path, short;
    two uploads of the same name never share a path."""
    name = storage_name(display_name(raw), extension)
    assert STORAGE_NAME.match(name), name
    assert name.count("/") == 1 and ".." not in name
    assert len(name) <= 32 + 1 + 60 + 1 + len(extension)
    assert storage_name(display_name(raw), extension) != name


@pytest.mark.parametrize(("raw", "shown"), HOSTILE_NAMES[:14])
def test_upload_check_cleans_hostile_names(raw, shown):
    """Through upload_check too (a file object whose name is kept exactly as sent): the name
    shown is safe, the storage name is a slug, and the extension decides as displayed."""
    data = samples.pdf_bytes(["x"])
    try:
        checked = upload_check(NamedBytes(data, raw))
    except ValidationError as error:
        assert error.code == "type", raw  # «.exe», no extension
        assert not shown.endswith(".pdf")
        return
    assert checked.name == shown
    assert STORAGE_NAME.match(checked.storage_name)
    assert checked.storage_name.endswith(".pdf")


def test_messages_show_the_cleaned_name():
    """Refusals name the file as cleaned, not with the control characters it was sent with."""
    with pytest.raises(ValidationError) as info:
        upload_check(NamedBytes(files.pe_bytes(), "../\u202eevil\x00.pdf"))
    text = message(info.value)
    # In either language the message names «evil.pdf», without the control characters.
    assert "«evil.pdf»" in text
    assert "\u202e" not in text and "\x00" not in text
