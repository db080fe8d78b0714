"""``{% language_pageurl page %}``: ``{% pageurl %}`` for a plain ``Page`` (breadcrumbs, the
footer's pages), which has no LanguageUrlMixin: on an ``/en/`` address, a Russian page's link
keeps the prefix (core/locales.py)."""

from django import template

from core.locales import in_link_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_pageurl(context, page) -> str:
    url = page.get_url(request=context.get("request"))
    return in_link_language(page, url) or ""
