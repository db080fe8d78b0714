"""``{% seo_meta %}``: the link preview, canonical, hreflang and JSON-LD of the page being
rendered (home/seo.py, home/structured_data.py); ``{% seo_description %}``: the same
description for ``<meta name="description">``."""

from django import template

from .. import seo, structured_data

register = template.Library()


@register.inclusion_tag("seo/meta.html", takes_context=True)
def seo_meta(context):
    request = context.get("request")
    card = seo.context_card(context)
    json_ld = [
        structured_data.dumps(item)
        for item in structured_data.structured_data(card, request, context=context)
    ]
    return {"card": card, "json_ld": json_ld, "csp_nonce": context.get("csp_nonce", "")}


@register.simple_tag(takes_context=True)
def seo_description(context) -> str:
    card = seo.context_card(context)
    if card is None or not card.description:
        return seo.default_description()
    return card.description
