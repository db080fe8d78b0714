from django.http import Http404
from django.template.response import TemplateResponse

from .permissions import can_view_styleguide
from .selectors import SEARCH_MAX_QUERY_LENGTH, page_search


def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY_LENGTH]
    results = page_search(query=query, page_number=request.GET.get("page")) if query else None
    return TemplateResponse(
        request, "home/search.html", {"search_query": query, "search_results": results}
    )


def styleguide(request):
    """Every component of the design system on one page, for designers and the browser test."""
    if not can_view_styleguide(request.user):
        raise Http404
    return TemplateResponse(request, "styleguide.html", {})
