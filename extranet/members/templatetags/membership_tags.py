"""Template tags through which the extranet plugs into public pages (DESIGN.md, "Layout")."""

from django import template

from ..selectors import membership_active

register = template.Library()


@register.simple_tag(takes_context=True)
def viewer_membership(context, initiative):
    """The signed-in viewer's pending or approved membership in ``initiative``, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return membership_active(user=user, initiative=initiative)
