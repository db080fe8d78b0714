"""Events in Wagtail admin and on other apps' pages; each module registers its own hooks."""

from . import (  # noqa: F401 (imported for the hooks they register)
    admin_registrations,
    feed_link,
    page_permissions,
    sections,
)
