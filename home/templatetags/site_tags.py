"""Template tags of the site shell (header, footer, pagination)."""

from django import template
from django.http import QueryDict
from django.utils.http import urlencode

from ..selectors import main_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def get_main_menu(context):
    request = context.get("request")
    return main_menu(request=request) if request is not None else []


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.simple_tag
def page_window(page_obj, on_each_side=2, on_ends=1):
    """Page numbers to show, with the paginator's ELLIPSIS for gaps: 1 2 3 4 … 9 (mock-ups)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )
