from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.text import clean_line

from .permissions import can_view_styleguide
from .promotions import search_promotions
from .selectors import SEARCH_MAX_QUERY_LENGTH, page_search


def search(request):
    # Control characters dropped (PostgreSQL refuses a NUL), and double quotes: an
    # unbalanced one breaks SQLite's full-text query («unterminated string»), and the plain
    # search gives them no meaning.
    query = clean_line(request.GET.get("q", "").replace('"', " "))[:SEARCH_MAX_QUERY_LENGTH]
    results = page_search(query=query, page_number=request.GET.get("page")) if query else None
    # The editors' picks for the query (Wagtail's search promotions), above the first page.
    first_page = request.GET.get("page") in (None, "", "1")
    promotions = search_promotions(query=query, request=request) if query and first_page else []
    return TemplateResponse(
        request,
        "home/search.html",
        {"search_query": query, "search_results": results, "search_promotions": promotions},
    )


def styleguide(request):
    """Every component of the design system on one page, for designers and the browser test."""
    if not can_view_styleguide(request.user):
        raise Http404
    sample_form = StyleguideForm({"email": "not-an-address", "name": "", "subscribed": "on"})
    sample_form.is_valid()  # bound and validated, so the inline errors show
    return TemplateResponse(
        request,
        "styleguide.html",
        {
            "sample_tabs": [
                {"label": _("All members"), "url": "#sg-tabs", "active": True},
                {"label": _("Unconfirmed"), "url": "#sg-tabs", "active": False, "count": 4},
            ],
            "sample_page_obj": Paginator(range(90), 10).get_page(3),
            "sample_form": sample_form,
        },
    )


class StyleguideForm(forms.Form):
    """A form with each kind of field, shown with errors in the style guide."""

    name = forms.CharField(label=_("First name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), help_text=_("We never show it to guests."))
    about = forms.CharField(label=_("Message"), widget=forms.Textarea, required=False)
    subscribed = forms.BooleanField(label=_("E-mail newsletter"), required=False)
