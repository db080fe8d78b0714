"""Views of the site shell that belong to no app: health, robots.txt, error pages (400, 500,
CSRF failure; 403 and 404 are Django's handlers with the templates of the same names)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView
from django.views.i18n import set_language as django_set_language

from home.translation import switch_target

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 3.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")
    # A send reaches the layer's backend (Redis PUBLISH / LPUSH, or memory) without leaving a
    # subscription behind; a message nobody reads expires on its own.
    await layer.send(f"healthz.{uuid.uuid4().hex}", {"type": "healthz.ping"})


async def _timed(name, coro) -> tuple[str, dict]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(coro, timeout=CHECK_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("healthz: %s failed: %r", name, exc)
        return name, {"ok": False, "error": exc.__class__.__name__}
    return name, {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_GET
async def healthz(request):
    """Readiness: 200 when the database, cache and channel layer answer, 503 otherwise."""
    results = dict(
        await asyncio.gather(
            _timed("database", sync_to_async(_check_database, thread_sensitive=True)()),
            _timed("cache", sync_to_async(_check_cache, thread_sensitive=True)()),
            _timed("channel_layer", _check_channel_layer()),
        )
    )
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )


@require_GET
def robots_txt(request):
    content = loader.render_to_string("robots.txt", {"request": request}, request=request)
    return HttpResponse(content, content_type="text/plain; charset=utf-8")


def _standalone(template_name: str, status: int) -> str:
    """An error page rendered without the request context (no database, no session, no
    context processors): the platform's name is a plain setting, safe to pass when nothing
    else is. Never the exception: its text may hold paths, SQL or someone's e-mail."""
    try:
        return loader.get_template(template_name).render({"PLATFORM_NAME": settings.PLATFORM_NAME})
    except Exception:  # the last resort must not raise
        logger.exception("The %s page itself failed to render", status)
        return f"<!DOCTYPE html><title>{status}</title><h1>{status}</h1>"


def server_error(request, template_name="500.html"):
    """The 500 page, standalone: whatever broke (the database, a template) may break it too."""
    return HttpResponseServerError(_standalone(template_name, 500))


def bad_request(request, exception, template_name="400.html"):
    """The 400 page, standalone: a request refused for its host or its form may not be able
    to render the site's shell (the host is not one of ours; the body is not readable)."""
    return HttpResponseBadRequest(_standalone(template_name, 400))


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """A form refused by the CSRF check (usually an old tab or blocked cookies): the designed
    page with a way back, never Django's reason (``reason`` is logged by Django already)."""
    try:
        body = loader.render_to_string(template_name, request=request)
    except Exception:
        logger.exception("The CSRF failure page failed to render")
        body = "<!DOCTYPE html><title>403</title><h1>403</h1>"
    return HttpResponseForbidden(body)


@require_GET
def ping(request):
    """A trivial page through the site's whole middleware: a load balancer's liveness check,
    and the load test's baseline for what a page costs beyond the framework's own work."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def csrf_token(request):
    """A CSRF token for a form on a page cached for guests (static/js/csrf.js): the cached
    page carries none, so the form asks for one when it is sent; the cookie is set here."""
    return JsonResponse({"token": get_token(request)})


# Without a token: a guest's language switch sits on cached pages and must work without
# JavaScript. A forged switch can only set the language cookie, and ``next`` stays on this site.
@csrf_exempt
def set_language(request):
    """Django's set_language, with ``next`` taken without its language prefix first.

    With Russian unprefixed and a catch-all page route, Django would resolve "/en/about/" as a
    Russian page path and send the visitor back to the English page; stripping the prefix
    lets ``translate_url`` build the address in the chosen language.
    """
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get("next")
    chosen = data.get("language")
    if next_url:
        # A page: the same page in the chosen language (its translation's own address; the
        # page under the chosen prefix when it has none). Anything else: the same path.
        page_url = (
            switch_target(request, next_url, chosen) if chosen in dict(settings.LANGUAGES) else None
        )
        target, language = (page_url, chosen) if page_url else (next_url, None)
        language = language or translation.get_language_from_path(target)
        if language and target.startswith(f"/{language}/"):
            target = target[len(f"/{language}") :] or "/"
        if target != next_url:
            data = data.copy()
            data["next"] = target
            if request.method == "POST":
                request.POST = data
            else:
                request.GET = data
    return django_set_language(request)


class AdminLoginRedirectView(RedirectView):
    """The Django and Wagtail admins' login pages: guests go to allauth's login (its rate
    limits and e-mail verification apply), keeping ``next``. A signed-in person arrives here
    only without access to that admin; allauth would send them straight back to it, round and
    round, so they are refused instead."""

    pattern_name = "account_login"
    query_string = True

    def get_redirect_url(self, *args, **kwargs):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().get_redirect_url(*args, **kwargs)
