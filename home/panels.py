"""The «Продвижение» tab's preview of the shared link's card (home/seo.py's rules), drawn
from the values in the editor's form: on the create view (no page saved, no image yet) and on
the edit view alike, and again with what was typed when the form comes back with errors."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.admin.panels import Panel
from wagtail.images import get_image_model
from wagtail.models import Site

from . import seo

PREVIEW_RENDITION = "fill-600x315"


@dataclass(frozen=True)
class SharePreview:
    title: str
    description: str
    domain: str
    image_url: str = ""
    image_alt: str = ""
    image_width: int = 0
    image_height: int = 0


def _value(form, name: str, default=""):
    """What the form holds for ``name`` (typed data on a bound form), else ``default``."""
    if form is not None and name in getattr(form, "fields", {}):
        value = form[name].value()
        return default if value is None else value
    return default


def _image_id(form, instance, name: str):
    if form is not None and name in getattr(form, "fields", {}):
        value = form[name].value()
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None
    return getattr(instance, f"{name}_id", None)


def _preview_image(form, instance):
    """The card's image by home/seo.py's order: share image, the page's image, the
    initiative's logo (the page's own on an initiative)."""
    image_id = (
        _image_id(form, instance, "share_image")
        or _image_id(form, instance, "image")
        or _image_id(form, instance, "logo")
    )
    if image_id is None and getattr(instance, "initiative_id", None):
        image_id = instance.initiative.logo_id
    if image_id is None:
        return None
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        return image.get_rendition(PREVIEW_RENDITION)
    except Exception:  # noqa: BLE001 - a missing file shows the placeholder
        return None


def _domain(instance, request) -> str:
    site = None
    if getattr(instance, "pk", None) and getattr(instance, "url_path", ""):
        site = instance.get_site()
    if site is None and request is not None:
        site = Site.find_for_request(request)
    if site is not None:
        return site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    return urlsplit(settings.SITE_URL).netloc


def share_preview(*, instance, form=None, request=None) -> SharePreview:
    title = " ".join(str(_value(form, "seo_title") or _value(form, "title")).split()) or (
        getattr(instance, "seo_title", "") or getattr(instance, "title", "") or ""
    )
    description = (
        seo._clean(_value(form, "share_description", getattr(instance, "share_description", "")))
        or seo._clean(
            _value(form, "search_description", getattr(instance, "search_description", ""))
        )
        or seo._clean(_value(form, "intro", getattr(instance, "intro", "")))
        or seo._clean(_value(form, "summary", getattr(instance, "summary", "")))
    )
    rendition = _preview_image(form, instance)
    preview = SharePreview(
        title=title,
        description=seo._truncate(description or seo.default_description()),
        domain=_domain(instance, request),
    )
    if rendition is None:
        return preview
    return SharePreview(
        title=preview.title,
        description=preview.description,
        domain=preview.domain,
        image_url=rendition.url,
        image_alt=rendition.alt,
        image_width=rendition.width,
        image_height=rendition.height,
    )


class SharePreviewPanel(Panel):
    """How a shared link to this page will look (Telegram, VK, e-mail)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/share_preview_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["preview"] = share_preview(
                instance=self.instance, form=self.form, request=self.request
            )
            return context
