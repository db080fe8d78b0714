from django.conf import settings


def site(request):
    """Values every template may need: the platform's name, its public address, and whether
    the site is in debug."""
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "SITE_URL": settings.SITE_URL,
        "DEBUG": settings.DEBUG,
    }
