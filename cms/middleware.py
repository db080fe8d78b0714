"""Keep a visitor in the language they chose with the switch.

Russian lives at unprefixed addresses, English under /en/. Django serves an unprefixed
address in Russian whatever the language cookie says, so a visitor who chose English and
follows an old link or types the address would drop back to Russian. This middleware sends
such a GET to the same page under the chosen language's prefix.

The redirect is built from a path that cannot name a host: URL parsers (translate_url's
urlsplit, browsers) read //evil.example/ or /\\evil.example as another site, so leading
slashes and backslashes are collapsed into one, and the result is checked before it is sent.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path


def _local_path(request) -> str:
    # get_full_path() percent-encodes the path (tabs, backslashes) but keeps a leading //.
    return "/" + request.get_full_path().lstrip("/\\")


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
            local = _local_path(request)
            target = translate_url(local, chosen)
            # translate_url returns the path unchanged for addresses outside i18n_patterns
            # (admin, healthz, static files), which stay as they are. allowed_hosts=None
            # accepts only a relative address on this site.
            if target != local and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
                return HttpResponseRedirect(target)
        return self.get_response(request)
