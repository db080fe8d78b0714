"""extranet.feed.samples: each generator's file opens with its library and reads back what was
put in (python-docx, openpyxl; the PDF's text through its font's Unicode map, in Cyrillic)."""

from __future__ import annotations

import importlib
import io
import sys

import docx
import openpyxl
import pytest

from extranet.feed import samples
from tests.extranet.feed.files import pdf_page_count, pdf_text


def test_docx_reads_back_with_python_docx():
    """The title in the Title style, then each paragraph (a «\\n» is a line break inside it),
    on A4, with the title in the document's properties."""
    data = samples.docx_bytes("Протокол встречи", ["Присутствовали: 12", "Решили:\n1) одно"])
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs == [
        ("Title", "Протокол встречи"),
        ("Normal", "Присутствовали: 12"),
        ("Normal", "Решили:\n1) одно"),
    ]
    assert document.core_properties.title == "Протокол встречи"
    assert round(document.sections[0].page_width.mm) == 210


def test_xlsx_reads_back_with_openpyxl():
    """One sheet (its name made legal for Excel), the header row in bold, numbers as numbers,
    yes/no in words, empty strings as empty cells."""
    data = samples.xlsx_bytes(
        [["Статья", "Сумма", "Оплачено"], ["Аренда", 1200.5, True], ["Связь", 40, ""]],
        sheet="План/факт",
        title="Бюджет",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["План факт"]
    sheet = workbook.active
    assert list(sheet.values) == [
        ("Статья", "Сумма", "Оплачено"),
        ("Аренда", 1200.5, "да"),
        ("Связь", 40, None),
    ]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert workbook.properties.title == "Бюджет"


def test_pdf_shows_cyrillic_text_on_as_many_pages_as_it_needs():
    """A short PDF is one page with the title and lines in Cyrillic (not transliterated);
    a long one goes on to further pages instead of losing what does not fit."""
    data = samples.pdf_bytes(["Итоги семинара «Биотехнологии» — №1", "", "Решения"], title="Отчёт")
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert pdf_text(data).split("\n") == ["Отчёт", "Итоги семинара «Биотехнологии» — №1", "Решения"]
    assert pdf_page_count(data) == 1
    long = samples.pdf_bytes([f"Строка {n}" for n in range(120)])
    assert pdf_page_count(long) >= 2
    assert pdf_text(long).split("\n")[-1] == "Строка 119"


def test_without_the_development_requirements_the_error_says_what_to_install(monkeypatch):
    """A production install (requirements.txt only) that imports the samples, e.g. seed_demo
    run there by mistake, is told to install requirements-dev.txt."""
    monkeypatch.setitem(sys.modules, "fpdf", None)
    monkeypatch.delitem(sys.modules, "extranet.feed.samples")
    with pytest.raises(ImportError, match=r"requirements-dev\.txt"):
        importlib.import_module("extranet.feed.samples")
