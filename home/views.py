from django.template.response import TemplateResponse

from .selectors import SEARCH_MAX_QUERY_LENGTH, page_search


def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY_LENGTH]
    results = page_search(query=query, page_number=request.GET.get("page")) if query else None
    return TemplateResponse(
        request, "home/search.html", {"search_query": query, "search_results": results}
    )


def styleguide(request):
    """Every component of the design system on one page, for designers and the browser test.

    Open in development; on a live site only to staff, so it never shows up for guests.
    """
    from django.conf import settings
    from django.http import Http404

    if not (settings.DEBUG or (request.user.is_authenticated and request.user.is_staff)):
        raise Http404
    return TemplateResponse(request, "styleguide.html", {})
