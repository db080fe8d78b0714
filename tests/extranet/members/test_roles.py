"""Role groups exist after migrate with the permissions DESIGN.md gives each role."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from extranet.members.permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP, is_portal_admin
from extranet.members.services import role_groups_ensure
from tests.factories import EditorFactory, PortalAdminFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editors_publish_pages_everywhere(home_page):
    """Editors may add, edit and publish any page, and open Wagtail admin."""
    editor = EditorFactory()
    perms = home_page.permissions_for_user(editor)
    assert perms.can_add_subpage() and perms.can_edit() and perms.can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not is_portal_admin(editor)


def test_portal_admins_group_and_superusers_are_portal_admins(home_page):
    """Members of «Администраторы портала» and superusers are portal admins; others are not."""
    assert is_portal_admin(PortalAdminFactory())
    assert is_portal_admin(SuperuserFactory())
    assert not is_portal_admin(UserFactory())
    inactive = PortalAdminFactory(is_active=False)
    assert not is_portal_admin(inactive)


def test_role_groups_ensure_is_idempotent():
    """Running the role set-up again adds no duplicate permissions."""
    before = {
        g.name: (g.permissions.count(), g.page_permissions.count())
        for g in Group.objects.filter(name__in=[EDITORS_GROUP, PORTAL_ADMINS_GROUP])
    }
    assert role_groups_ensure() is True
    after = {
        g.name: (g.permissions.count(), g.page_permissions.count())
        for g in Group.objects.filter(name__in=[EDITORS_GROUP, PORTAL_ADMINS_GROUP])
    }
    assert before == after and len(after) == 2
    assert Page.get_first_root_node() is not None
