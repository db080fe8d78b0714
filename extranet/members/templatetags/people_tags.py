"""Template tags that show people's data only to viewers the privacy rule allows."""

from django import template
from django.urls import reverse

from ..models import Profile
from ..permissions import can_view_personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_photo_url(context, subject):
    """``{% profile_photo_url user as url %}``: the photo's URL, or "" when there is no photo
    or the viewer may not see it."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or subject is None or not getattr(subject, "pk", None):
        return ""
    if not can_view_personal_data(viewer, subject):
        return ""
    try:
        profile = subject.profile
    except Profile.DoesNotExist:
        return ""
    if not profile.photo:
        return ""
    return reverse("profile_photo", args=[subject.pk])
