"""Organisation suggestions for the cabinet's profile form (issue 9, item 5): a small JSON
endpoint that static/js/organisation-suggest.js asks as the person types."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors

# Typing with a 250 ms debounce stays far below this; walking the alphabet to list every
# organisation does not.
SUGGESTIONS_PER_MINUTE = 60


def _within_rate(user) -> bool:
    # A counter per user and minute in the (shared) cache: add() starts it atomically,
    # incr() counts atomically, so parallel requests cannot slip past the limit.
    key = f"members:organisation-suggest:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.add(key, 1, timeout=120)
        count = 1
    return count <= SUGGESTIONS_PER_MINUTE


@login_required
@require_GET
def organisation_suggest(request):
    """``{"results": [name, ...]}`` for ``?q=``: public organisations only (the privacy
    rule, selectors.organisation_suggestions); 429 with ``error`` past the rate limit."""
    if not _within_rate(request.user):
        response = JsonResponse(
            {"results": [], "error": _("Too many requests. Please wait a minute.")}, status=429
        )
        response["Retry-After"] = "60"
        return response
    names = selectors.organisation_suggestions(query=request.GET.get("q", ""))
    return JsonResponse({"results": names})
