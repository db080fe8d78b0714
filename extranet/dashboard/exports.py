"""PLACEHOLDER (being written by a helper): CSV and XLSX of the indicators' tables."""

from __future__ import annotations

from django.http import HttpResponse


def export_filename(report, key: str, fmt: str) -> str:
    return f"indicators-{key}.{fmt}"


def csv_response(table, *, filename: str) -> HttpResponse:
    raise NotImplementedError


def table_xlsx(table, *, report) -> bytes:
    raise NotImplementedError


def report_xlsx(report) -> bytes:
    raise NotImplementedError


def xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
    raise NotImplementedError
