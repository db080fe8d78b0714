"""File icons, the same in every app that lists files (the feed's posts and «Документы», the
chat's messages and «Общие файлы»): ``{% load file_tags %}``, then ``{% file_icon family %}``.

The icons are inline SVG built from constants only (the family is looked up, never written
into the markup as given); their CSS is ``.file-icon`` in feed.css, loaded on every page.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# family (core.uploads.file_family) -> the label written on the sheet; a family missing here
# is drawn as "file".
_LABELS = {
    "pdf": "PDF",
    "document": "DOC",
    "spreadsheet": "XLS",
    "presentation": "PPT",
    "image": "IMG",
    "archive": "ZIP",
    "file": "",
}

_ICON = (
    '<svg class="file-icon file-icon--{family}" viewBox="0 0 32 40" width="32" height="40" '
    'aria-hidden="true" focusable="false">'
    '<path class="file-icon__sheet" d="M3 1h18l8 8v28a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V3a2 2 0 0 '
    '1 2-2z"/>'
    '<path class="file-icon__fold" d="M21 1v6a2 2 0 0 0 2 2h6"/>'
    "{glyph}</svg>"
)
# Families drawn with a picture instead of a label.
_GLYPHS = {
    "image": '<path class="file-icon__glyph" d="M6 31l6-8 5 6 3-4 6 6z"/>'
    '<circle class="file-icon__glyph" cx="11" cy="17" r="2.5"/>',
    "archive": '<path class="file-icon__glyph" d="M13 3h3v3h-3zM16 6h3v3h-3zM13 9h3v3h-3zM16 '
    '12h3v3h-3zM13 15h3v3h-3z"/><rect class="file-icon__glyph" x="12" y="19" width="8" '
    'height="8" rx="1.5"/>',
    "file": '<path class="file-icon__line" d="M7 17h18M7 22h18M7 27h12"/>',
}


def file_icon_svg(family: str) -> str:
    """The SVG markup of ``family``'s icon (an unknown family gets the plain file's)."""
    if family not in _LABELS:
        family = "file"
    label = _LABELS[family]
    glyph = _GLYPHS.get(family) or (
        f'<text class="file-icon__label" x="16" y="30" text-anchor="middle">{label}</text>'
    )
    return _ICON.format(family=family, glyph=glyph)


@register.simple_tag
def file_icon(family: str) -> str:
    """``{% file_icon attachment.family %}``: an inline SVG icon for a file family."""
    return mark_safe(file_icon_svg(family))  # noqa: S308 - constants only


@register.simple_tag
def file_icons() -> str:
    """Every family's icon in a ``<span data-family="…">``, for scripts that draw files
    themselves (chat.js copies them out of ``<template data-chat-icons>``)."""
    return mark_safe(  # noqa: S308 - constants only
        "".join(
            f'<span data-family="{family}">{file_icon_svg(family)}</span>' for family in _LABELS
        )
    )
