from django.conf import settings


def site(request):
    """Values every template may need: the public address and whether the site is in debug."""
    return {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG}
