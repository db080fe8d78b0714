"""The sections feature apps add to a person's data export (/cabinet/data.json).

Members imports no feature app, yet the export must hold everything the platform keeps about
the person (Belarus Law 99-Z, Russia 152-FZ). So each feature app registers, in its
``wagtail_hooks.py``, a function with the Wagtail hook ``ACCOUNT_EXPORT_HOOK``:
``fn(*, user) -> dict[str, Any]``, its sections by name, JSON-serialisable (datetimes are
fine), about ``user`` alone, in a fixed number of queries however much they wrote.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

ACCOUNT_EXPORT_HOOK = "members_account_export"


def account_export_sections(*, user, taken=()) -> dict[str, Any]:
    """Every registered app's sections for ``user``. A name already ``taken`` (by the members
    app's own part) or given by two apps is a programming error, not a silent overwrite."""
    sections: dict[str, Any] = {}
    for contribute in hooks.get_hooks(ACCOUNT_EXPORT_HOOK):
        for name, data in contribute(user=user).items():
            if name in sections or name in taken:
                raise ImproperlyConfigured(f"Two account export sections are called {name!r}.")
            sections[name] = data
    return sections


def absolute_url(name: str, **kwargs) -> str:
    """``settings.SITE_URL`` + the address ``name`` in the site's default language, so the
    links of an export do not depend on the language it was downloaded in."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)
