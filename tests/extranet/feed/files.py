"""Bytes of every kind of file the upload tests need, beyond extranet.feed.samples.

Real containers where the check looks deeper than the first bytes (zip, images), and real
minimal files for the formats recognised by their signature (OLE2, 7-Zip, RAR), plus the
hostile ones: programs of three systems, disguised archives, hostile zips.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from extranet.feed import samples


class NamedBytes(io.BytesIO):
    """A file object whose name is kept exactly as given (Django's UploadedFile strips
    directories from its name; what a hostile client sends is not always an UploadedFile)."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Real files ------------------------------------------------------------------------------


def image(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pptx_package() -> bytes:
    """An Office Open XML package of the presentation kind (what the check looks at:
    [Content_Types].xml and a ppt/ part)."""
    return zip_of(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": "<Relationships/>",
            "ppt/presentation.xml": "<p:presentation/>",
        }
    )


def ole_bytes() -> bytes:
    """An empty OLE2 compound file (the container of .doc, .xls and .ppt): header, one FAT
    sector, one directory sector holding the root entry."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    root = name.ljust(64, b"\0") + struct.pack("<HBB", len(name), 5, 1)
    root += struct.pack("<III", no_stream, no_stream, no_stream) + b"\0" * 16 + b"\0" * 4
    root += b"\0" * 16 + struct.pack("<IQ", end, 0)
    empty = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0)
    empty += struct.pack("<III", no_stream, no_stream, no_stream) + b"\0" * 36
    empty += struct.pack("<IQ", 0, 0)
    directory = root + empty * 3
    assert len(header) == 512 and len(fat) == 512 and len(directory) == 512
    return header + fat + directory


def sevenzip_bytes() -> bytes:
    """An empty 7-Zip archive: the signature header with no next header."""
    rest = struct.pack("<QQI", 0, 0, 0)
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(rest)) + rest


def rar_bytes() -> bytes:
    """An empty RAR 5 archive: signature, main archive header, end of archive header."""

    def block(body: bytes) -> bytes:
        data = bytes([len(body)]) + body
        return struct.pack("<I", zlib.crc32(data)) + data

    return b"Rar!\x1a\x07\x01\x00" + block(b"\x01\x00\x00") + block(b"\x05\x00\x00")


def real_file(extension: str) -> bytes:
    """A real file of every extension the platform accepts by default."""
    paragraphs = ["Первая строка документа.", "Вторая строка: «кавычки» и тире —."]
    rows = [["Показатель", "Значение"], ["Участников", 25]]
    return {
        "pdf": lambda: samples.pdf_bytes(paragraphs, title="Отчёт"),
        "doc": ole_bytes,
        "xls": ole_bytes,
        "ppt": ole_bytes,
        "docx": lambda: samples.docx_bytes("Документ", paragraphs),
        "xlsx": lambda: samples.xlsx_bytes(rows),
        "pptx": pptx_package,
        "odt": lambda: samples.odt_bytes("Документ", paragraphs),
        "ods": lambda: samples.ods_bytes(rows),
        "odp": lambda: samples.odp_bytes([("Слайд", paragraphs)]),
        "rtf": lambda: samples.rtf_bytes("Документ", paragraphs),
        "txt": lambda: "\n".join(paragraphs).encode("utf-8"),
        "csv": lambda: "Показатель;Значение\r\nУчастников;25\r\n".encode(),
        "jpg": lambda: image("JPEG"),
        "jpeg": lambda: image("JPEG"),
        "png": lambda: image("PNG"),
        "gif": lambda: image("GIF"),
        "webp": lambda: image("WEBP"),
        "zip": lambda: zip_of({"readme.txt": "Архив", "data/table.csv": "a;b\n1;2\n"}),
        "7z": sevenzip_bytes,
        "rar": rar_bytes,
    }[extension]()


# --- Reading the samples' PDFs back ------------------------------------------------------------

_PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _pdf_literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string (backslash escapes undone)."""

    def unescape(match: re.Match) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return _PDF_ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The text shown on the pages of a PDF of extranet.feed.samples (fpdf2 with an embedded
    TrueType font): each shown string's two-byte glyph numbers looked up in the font's
    ToUnicode map; one line per string. Enough for these files, not a PDF reader."""
    cmap = re.search(rb"begincmap(.*?)endcmap", data, re.S).group(1)
    glyphs = {
        int(glyph, 16): chr(int(char, 16))
        for glyph, char in re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", cmap)
    }
    lines = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            stream = zlib.decompress(match.group(1))
        except zlib.error:
            continue  # not a deflated stream: the font program or the map
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", stream, re.S):
            shown = _pdf_literal(raw)
            codes = [int.from_bytes(shown[i : i + 2], "big") for i in range(0, len(shown), 2)]
            lines.append("".join(glyphs.get(code, "\ufffd") for code in codes))
    return "\n".join(lines)


def pdf_page_count(data: bytes) -> int:
    """How many pages the PDF's page tree says it has (and that many page objects)."""
    tree = re.search(rb"<<[^<>]*/Type /Pages\s[^<>]*>>", data).group(0)
    count = int(re.search(rb"/Count (\d+)", tree).group(1))
    assert len(re.findall(rb"/Type /Page\s", data)) == count
    return count


# --- Programs --------------------------------------------------------------------------------


def pe_bytes() -> bytes:
    """The start of a Windows program: DOS header «MZ», stub, «PE\\0\\0»."""
    dos = b"MZ" + b"\x90\x00" + b"\0" * 56 + struct.pack("<I", 64)
    return dos + b"PE\0\0" + b"\x4c\x01" + b"\0" * 200


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 200


def macho_bytes() -> bytes:
    return b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00" + b"\0" * 200


PROGRAMS = {"pe": pe_bytes, "elf": elf_bytes, "macho": macho_bytes}


# --- Hostile archives ------------------------------------------------------------------------


def _patch_member(data: bytes, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Change the first member's general-purpose flags or compression method in both the
    local header and the central directory (what zipfile checks before reading)."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.index(signature)
        if flags is not None:
            out[at + flag_at : at + flag_at + 2] = struct.pack("<H", flags)
        if method is not None:
            out[at + flag_at + 2 : at + flag_at + 4] = struct.pack("<H", method)
    return bytes(out)


def odt_with_encrypted_mimetype() -> bytes:
    return _patch_member(samples.odt_bytes("Документ", ["текст"]), flags=0x1)


def odt_with_unknown_compression() -> bytes:
    return _patch_member(samples.odt_bytes("Документ", ["текст"]), method=99)


def odt_with_corrupt_mimetype() -> bytes:
    """The mimetype member deflated, then its compressed bytes broken (zlib.error on read)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            b"application/vnd.oasis.opendocument.text" * 4,
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
    out = bytearray(buffer.getvalue())
    start = 30 + len("mimetype")
    out[start : start + 6] = b"\xff\xff\xff\xff\xff\xff"
    return bytes(out)


def odt_mimetype_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    """A small .odt whose «mimetype» member inflates to ``size`` bytes."""
    # Built by hand: zipfile would need the whole inflated member in memory to write it.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1024 * 1024)
    compressed = b"".join(compressor.compress(chunk) for _ in range(size // len(chunk)))
    compressed += compressor.flush()
    name = b"mimetype"
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(compressed), size, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(compressed),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + name + compressed
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), len(body), 0
    )
    return body + central + name + end
