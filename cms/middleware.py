"""Keep a visitor in the language they chose with the switch.

Russian lives at unprefixed addresses, English under /en/. Django serves an unprefixed
address in Russian whatever the language cookie says, so a visitor who chose English and
follows an old link or types the address would drop back to Russian. This middleware sends
such a GET to the same page under the chosen language's prefix.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils.translation import get_language_from_path


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            request.method in ("GET", "HEAD")
            and chosen
            and chosen != settings.LANGUAGE_CODE
            and chosen in dict(settings.LANGUAGES)
            and get_language_from_path(request.path_info) is None
        ):
            target = translate_url(request.get_full_path(), chosen)
            # translate_url returns the path unchanged for addresses outside i18n_patterns
            # (admin, healthz, static files), which stay as they are.
            if target != request.get_full_path():
                return HttpResponseRedirect(target)
        return self.get_response(request)
