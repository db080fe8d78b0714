"""Small but real office files made in memory, for the demo data and the tests only.

The demo data attaches them to posts and the tests upload them: each one opens in the program
its extension names (Word / LibreOffice, Excel, a PDF reader) and passes
:func:`core.uploads.upload_check` for that extension.

- :func:`docx_bytes` — a Word document with a title and paragraphs (python-docx);
- :func:`xlsx_bytes` — an Excel workbook with one sheet of rows (openpyxl);
- :func:`pdf_bytes` — an A4 PDF in Cyrillic (fpdf2, with the DejaVu Sans subset committed in
  ``sample_fonts/`` so that no machine needs a system font);
- :func:`odt_bytes`, :func:`ods_bytes`, :func:`odp_bytes` — OpenDocument text, spreadsheet
  and presentation, a few XML parts zipped by hand (no library in the requirements writes
  them, and they are this small);
- :func:`rtf_bytes` — a Rich Text document (Cyrillic as ``\\uN`` escapes).

python-docx and fpdf2 are development requirements: only the tests and ``seed_demo`` import
this module.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font

try:
    import docx
    from docx.shared import Cm, Mm, Pt
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
except ImportError as error:  # a production install: requirements.txt only
    raise ImportError(
        "The demo files (extranet.feed.samples) need the development requirements: "
        "pip install -r requirements-dev.txt -c requirements.lock"
    ) from error

# fpdf2 cuts the font down with fontTools, which logs every step at INFO: seed_demo's output
# would drown in it.
logging.getLogger("fontTools").setLevel(logging.WARNING)

AUTHOR = "Кластерная платформа"
# A fixed date in the files' metadata: fpdf2 otherwise stamps the current second (and derives
# the document ID from it), so the same sample would differ byte for byte between two calls.
SAMPLE_DATE = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
PDF_FONT = Path(__file__).with_name("sample_fonts") / "DejaVuSans-subset.ttf"

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


def _clean(text) -> str:
    """Text without the control characters XML refuses (tab and newline kept)."""
    return "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 0x20)


def _x(text) -> str:
    """Text for an XML element or attribute: escaped, control characters dropped."""
    return escape(_clean(text), {'"': "&quot;"})


# --- Word --------------------------------------------------------------------------------------


def docx_bytes(title: str, paragraphs: Iterable[str]) -> bytes:
    """A Word document on A4: ``title`` in the Title style, then each paragraph (``\\n``
    inside a paragraph is a line break)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    document.core_properties.title = _clean(title)
    document.core_properties.author = AUTHOR
    document.add_heading(_clean(title), level=0)
    for paragraph in paragraphs:
        document.add_paragraph(_clean(paragraph)).paragraph_format.space_after = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel -------------------------------------------------------------------------------------

# Characters Excel does not allow in a sheet's name (which is at most 31 characters).
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def xlsx_bytes(rows: Iterable[Sequence], *, sheet: str = "Лист1", title: str = "") -> bytes:
    """An Excel workbook with one sheet: the first row in bold (a header), numbers as
    numbers, yes/no as «да»/«нет», empty strings and None as empty cells, the rest as text."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _SHEET_FORBIDDEN.sub(" ", sheet)[:31].strip() or "Лист1"
    workbook.properties.title = title or sheet
    workbook.properties.creator = AUTHOR
    widths: dict[int, int] = {}
    for number, row in enumerate(rows, start=1):
        values = []
        for column, value in enumerate(row, start=1):
            if isinstance(value, bool):
                value = "да" if value else "нет"
            elif value == "":
                value = None
            elif value is not None and not isinstance(value, int | float):
                value = _clean(value)
            values.append(value)
            widths[column] = max(widths.get(column, 8), min(len(str(value or "")) + 2, 60))
        worksheet.append(values)
        if number == 1:
            for cell in worksheet[1]:
                cell.font = Font(bold=True)
    for column, width in widths.items():
        worksheet.column_dimensions[worksheet.cell(1, column).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def pdf_bytes(lines: Iterable[str], *, title: str = "") -> bytes:
    """An A4 PDF: ``title`` (if any) in large type, then each of ``lines`` wrapped to the page
    width (an empty line is a gap); pages are added as the text needs them."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_margins(56, 42, 56)
    pdf.set_auto_page_break(True, margin=56)
    pdf.add_font("DejaVuSans", fname=str(PDF_FONT))
    pdf.set_title(_clean(title))
    pdf.set_author(AUTHOR)
    pdf.set_creation_date(SAMPLE_DATE)
    pdf.add_page()
    if title:
        pdf.set_font("DejaVuSans", size=16)
        pdf.multi_cell(0, 22, _clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)
    pdf.set_font("DejaVuSans", size=11)
    for line in lines:
        text = _clean(line).strip()
        if text:
            pdf.multi_cell(0, 15, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.ln(15)
    return bytes(pdf.output())


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
