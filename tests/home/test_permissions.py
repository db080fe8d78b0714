"""home.permissions: who may see the style guide, asked of the apps through a hook instead of
home importing the extranet."""

import pytest
from wagtail import hooks

from home.permissions import STYLEGUIDE_VIEWER_HOOK, can_view_styleguide

pytestmark = pytest.mark.django_db


def test_a_registered_viewer_function_lets_someone_in(registered_user, settings):
    """With DEBUG off, an ordinary user sees the style guide only when a function registered
    for the hook says so; a guest never does."""
    from django.contrib.auth.models import AnonymousUser

    settings.DEBUG = False
    assert not can_view_styleguide(registered_user)
    with hooks.register_temporarily(STYLEGUIDE_VIEWER_HOOK, lambda user: True):
        assert can_view_styleguide(registered_user)
        assert not can_view_styleguide(AnonymousUser())


def test_the_extranet_lets_portal_admins_and_staff_in(portal_admin, editor, settings):
    """The members app registers the portal admins; staff are let in by home itself; an editor
    who is neither is not."""
    settings.DEBUG = False
    assert can_view_styleguide(portal_admin)
    assert not can_view_styleguide(editor)
    editor.is_staff = True
    assert can_view_styleguide(editor)
