"""Template tags of the two-factor pages (templates/mfa/): whether the viewer must use it."""

from __future__ import annotations

from django import template

from .. import mfa

register = template.Library()


@register.simple_tag
def mfa_required_for(user) -> bool:
    """Whether ``user`` must keep a second factor (extranet.members.mfa.mfa_required)."""
    return mfa.mfa_required(user)
