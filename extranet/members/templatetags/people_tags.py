"""Template tags that show people's data only to viewers the privacy rule allows."""

from django import template

from .. import people
from ..permissions import people_with_visible_data

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def profile_photo_url(context, subject, visible=None):
    """``{% profile_photo_url user visible as url %}``: the photo's URL, or "" when there is
    no photo or the viewer may not see it. ``visible`` is the page's answer of
    people_with_visible_data (a list of people asks once for all); without it the rule is
    asked for this one person."""
    if subject is None or not getattr(subject, "pk", None):
        return ""
    if visible is None:
        viewer = _viewer(context)
        if viewer is None:
            return ""
        visible = people_with_visible_data(viewer, [subject.pk])
    return people.photo_url(subject, visible=visible)


@register.simple_tag(takes_context=True)
def person_actions(context, subject):
    """``{% person_actions user as actions %}``: the buttons features register for a person
    (extranet.members.people.PERSON_ACTION_HOOK), each with .label and .url."""
    viewer = _viewer(context)
    if viewer is None:
        return ()
    return people.person_actions(viewer, subject)
