"""Filters for how text breaks across lines."""

import re

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# Where an address may wrap: after "@" and after a slash (not inside "//"), before "." (so
# ".com" stays whole).
_BREAK_POINTS = re.compile(r"(?<=@)|(?<=/)(?!/)|(?=\.)")
# The one piece of markup the filter adds; the address's parts are escaped.
_WBR = SafeString("<wbr>")


@register.filter
def address_breaks(value):
    """An e-mail or web address with <wbr> at its natural joints, so a narrow card wraps it
    between its parts («admin.gorki@|example|.com») instead of inside a word (what
    ``overflow-wrap: anywhere`` does). Copying the text gives the address unchanged."""
    if value in (None, ""):
        return ""
    parts = [part for part in _BREAK_POINTS.split(str(value)) if part]
    return format_html_join(_WBR, "{}", ((part,) for part in parts))
