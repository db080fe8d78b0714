"""Small but real office files made in memory with the standard library only.

The demo data attaches them to posts and the tests upload them: each one opens in the program
its extension names (Word / LibreOffice, Excel, a PDF reader) and passes
:func:`extranet.members.uploads.upload_check` for that extension.

- :func:`docx_bytes` — a Word document (Office Open XML) with a title and paragraphs;
- :func:`xlsx_bytes` — an Excel workbook with one sheet of rows (strings and numbers);
- :func:`pdf_bytes` — a one-page PDF with correct cross-reference offsets;
- :func:`odt_bytes`, :func:`ods_bytes`, :func:`odp_bytes` — OpenDocument text, spreadsheet
  and presentation;
- :func:`rtf_bytes` — a Rich Text document (Cyrillic as ``\\uN`` escapes).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

# A fixed timestamp for the archive members: the same input gives the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _zip(members: Sequence[tuple[str, str | bytes]], *, stored_first: bool = False) -> bytes:
    """A zip of ``(name, content)`` in order; ``stored_first`` leaves the first member
    uncompressed (OpenDocument requires that of its ``mimetype``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            stored = stored_first and index == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data)
    return buffer.getvalue()


def _x(text) -> str:
    """Text for an XML element or attribute: escaped, control characters dropped."""
    cleaned = "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 0x20)
    return escape(cleaned, {'"': "&quot;"})


def _core_properties(title: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_XML}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_x(title)}</dc:title><dc:creator>Кластерная платформа</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        "</cp:coreProperties>"
    )


_PACKAGE_RELS = (
    f"{_XML}<Relationships"
    ' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)


def _content_types(overrides: dict[str, str]) -> str:
    parts = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f"{_XML}<Types xmlns="
        '"http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}"
        '<Override PartName="/docProps/core.xml"'
        ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )


# --- Word --------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_paragraph(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ""
    if bold or size:
        props = "<w:rPr>" + ("<w:b/>" if bold else "")
        props += f'<w:sz w:val="{size * 2}"/>' if size else ""
        props += "</w:rPr>"
    lines = str(text).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in lines)
    spacing = '<w:pPr><w:spacing w:after="160"/></w:pPr>'
    return f"<w:p>{spacing}<w:r>{props}{runs}</w:r></w:p>"


def docx_bytes(title: str, paragraphs: Iterable[str]) -> bytes:
    """A Word document: ``title`` in large bold type, then each paragraph (``\\n`` inside a
    paragraph is a line break)."""
    body = _w_paragraph(title, bold=True, size=16)
    body += "".join(_w_paragraph(paragraph) for paragraph in paragraphs)
    document = (
        f'{_XML}<w:document xmlns:w="{_W}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"'
        ' w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
        "</w:body></w:document>"
    )
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types({"/word/document.xml": kind})),
            ("_rels/.rels", _PACKAGE_RELS.format(main="word/document.xml")),
            ("word/document.xml", document),
            ("docProps/core.xml", _core_properties(title)),
        ]
    )


# --- Excel -------------------------------------------------------------------------------------

_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(ref: str, value, *, header: bool) -> str:
    style = ' s="1"' if header else ""
    if isinstance(value, bool) or value is None:
        value = "" if value is None else ("да" if value else "нет")
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{_x(value)}</t></is></c>'


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_S}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def xlsx_bytes(rows: Iterable[Sequence], *, sheet: str = "Лист1", title: str = "") -> bytes:
    """An Excel workbook with one sheet: the first row in bold (a header), numbers as
    numbers, everything else as text."""
    xml_rows = []
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            cells.append(_cell(f"{_column(c)}{r}", value, header=r == 1))
            widths[c] = max(widths.get(c, 8), min(len(str(value)) + 2, 60))
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{w}" customWidth="1"/>'
        for c, w in sorted(widths.items())
    )
    worksheet = (
        f'{_XML}<worksheet xmlns="{_S}" xmlns:r="{_R}">'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    )
    sheet_name = _x(sheet.replace("/", " ")[:31]) or "Лист1"
    workbook = (
        f'{_XML}<workbook xmlns="{_S}" xmlns:r="{_R}"><sheets>'
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f"{_XML}<Relationships"
        ' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    {
                        "/xl/workbook.xml": f"{ml}.sheet.main+xml",
                        "/xl/worksheets/sheet1.xml": f"{ml}.worksheet+xml",
                        "/xl/styles.xml": f"{ml}.styles+xml",
                    }
                ),
            ),
            ("_rels/.rels", _PACKAGE_RELS.format(main="xl/workbook.xml")),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/worksheets/sheet1.xml", worksheet),
            ("xl/styles.xml", _STYLES),
            ("docProps/core.xml", _core_properties(title or sheet)),
        ]
    )


# --- PDF ---------------------------------------------------------------------------------------

# Russian and Belarusian letters in Latin (the PDF's built-in Helvetica has no Cyrillic).
_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ў": "u",
}  # ъ and ь have no letter of their own


def transliterate(text: str) -> str:
    """Cyrillic in Latin letters («Отчёт» → «Otchyot»); other characters unchanged."""
    out = []
    for ch in str(text):
        latin = _TRANSLIT.get(ch.lower())
        if latin is None:
            out.append(ch)
        elif ch.isupper() and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding: Cyrillic transliterated, the rest of what
    cp1252 lacks as «?», the delimiters and backslash escaped, 8-bit bytes as octal."""
    data = transliterate(text).replace("№", "No.").encode("cp1252", "replace")
    out = bytearray(b"(")
    for byte in data:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte > 0x7E:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string for metadata: UTF-16BE with its byte-order mark, as hex (the
    document's title shows in Cyrillic in the reader's title bar)."""
    return b"<FEFF" + str(text).encode("utf-16-be").hex().upper().encode() + b">"


def _wrap(line: str, width: int) -> list[str]:
    words, out, current = str(line).split(), [], ""
    for word in words:
        while len(word) > width:
            if current:
                out.append(current)
                current = ""
            out.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    out.append(current)
    return out


def pdf_bytes(lines: Iterable[str], *, title: str = "") -> bytes:
    """A one-page A4 PDF: ``title`` (if any) in large type, then ``lines`` wrapped to the
    page width; what does not fit on the page is left out."""
    top, bottom, left, leading = 800, 56, 56, 15
    content = [b"BT", b"/F1 11 Tf", b"%d TL" % leading, b"%d %d Td" % (left, top)]
    y = top
    if title:
        content += [b"/F1 16 Tf", _pdf_string(title) + b" Tj", b"/F1 11 Tf", b"0 -28 Td"]
        y -= 28
    first = True
    for line in lines:
        for piece in _wrap(line, 85) if str(line).strip() else [""]:
            if y < bottom:
                break
            content.append(_pdf_string(piece) + (b" Tj" if first else b" '"))
            if first:
                first = False
            else:
                y -= leading
    content.append(b"ET")
    stream = b"\n".join(content)

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _pdf_text_string(title) + b" /Producer (cluster platform) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- OpenDocument ------------------------------------------------------------------------------

_ODF_NS = (
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
    ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
    ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def _odf(kind: str, body: str, title: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    manifest = (
        f"{_XML}<manifest:manifest"
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        f'{_XML}<office:document-content{_ODF_NS} office:version="1.2">'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    meta = (
        f'{_XML}<office:document-meta{_ODF_NS} office:version="1.2">'
        f"<office:meta><dc:title>{_x(title)}</dc:title></office:meta></office:document-meta>"
    )
    return _zip(
        [
            ("mimetype", mimetype),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content),
            ("meta.xml", meta),
        ],
        stored_first=True,
    )


def odt_bytes(title: str, paragraphs: Iterable[str]) -> bytes:
    """An OpenDocument text: a heading and paragraphs."""
    body = f'<text:h text:outline-level="1">{_x(title)}</text:h>'
    for paragraph in paragraphs:
        lines = "<text:line-break/>".join(_x(line) for line in str(paragraph).split("\n"))
        body += f"<text:p>{lines}</text:p>"
    return _odf("text", f"<office:text>{body}</office:text>", title)


def odp_bytes(slides: Iterable[tuple[str, Iterable[str]]]) -> bytes:
    """An OpenDocument presentation: one page per ``(heading, lines)``."""
    slides = list(slides)
    pages = []
    for number, (heading, lines) in enumerate(slides, start=1):
        text = "".join(f"<text:p>{_x(line)}</text:p>" for line in lines)
        pages.append(
            f'<draw:page draw:name="page{number}">'
            '<draw:frame svg:x="2cm" svg:y="1.5cm" svg:width="24cm" svg:height="3cm">'
            f"<draw:text-box><text:p>{_x(heading)}</text:p></draw:text-box></draw:frame>"
            '<draw:frame svg:x="2cm" svg:y="5cm" svg:width="24cm" svg:height="12cm">'
            f"<draw:text-box>{text}</draw:text-box></draw:frame></draw:page>"
        )
    body = f"<office:presentation>{''.join(pages)}</office:presentation>"
    return _odf("presentation", body, slides[0][0] if slides else "")


def ods_bytes(rows: Iterable[Sequence], *, sheet: str = "Лист1") -> bytes:
    """An OpenDocument spreadsheet with one sheet of rows."""
    xml_rows = []
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    '<table:table-cell office:value-type="string">'
                    f"<text:p>{_x('' if value is None else value)}</text:p></table:table-cell>"
                )
        xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    body = (
        f'<office:spreadsheet><table:table table:name="{_x(sheet)}">'
        f"{''.join(xml_rows)}</table:table></office:spreadsheet>"
    )
    return _odf("spreadsheet", body, sheet)


# --- RTF ---------------------------------------------------------------------------------------


def _rtf_text(text: str) -> str:
    out = []
    for ch in str(text):
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\line ")
        elif code < 0x20:
            continue
        elif code < 0x80:
            out.append(ch)
        elif code <= 0xFFFF:
            # \uN takes a signed 16-bit number; «?» is what readers without Unicode show.
            out.append(f"\\u{code - 0x10000 if code > 0x7FFF else code}?")
        else:
            for unit in ch.encode("utf-16-be").hex(" ", 2).split():
                value = int(unit, 16)
                out.append(f"\\u{value - 0x10000}?")
    return "".join(out)


def rtf_bytes(title: str, paragraphs: Iterable[str]) -> bytes:
    """A Rich Text document: a bold title and paragraphs."""
    body = "".join(f"\\pard\\sa160 {_rtf_text(p)}\\par\n" for p in paragraphs)
    document = (
        "{\\rtf1\\ansi\\ansicpg1251\\deff0\\uc1"
        "{\\fonttbl{\\f0\\fswiss\\fcharset204 Arial;}}\n"
        f"\\pard\\sa240\\b\\fs32 {_rtf_text(title)}\\b0\\fs22\\par\n{body}}}"
    )
    return document.encode("ascii")
