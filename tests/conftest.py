"""Fixtures for every test: the page tree, one user per role, logged-in clients."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    EditorFactory,
    PortalAdminFactory,
    SuperuserFactory,
    UserFactory,
    ensure_home_page,
)


@pytest.fixture(autouse=True)
def _clean_cache():
    # The cache may be a shared Redis: every test starts from an empty one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    return ensure_home_page()


@pytest.fixture
def registered_user(db):
    return UserFactory(email="registered@example.com")


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@example.com")


@pytest.fixture
def portal_admin(db):
    return PortalAdminFactory(email="portal-admin@example.com")


@pytest.fixture
def superuser(db):
    return SuperuserFactory(email="root@example.com")


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# The roles of DESIGN.md this issue knows of; later issues add member and initiative admin.
ROLES = ["guest", "registered", "editor", "portal_admin"]


@pytest.fixture
def role_client(request, db):
    """A client logged in as the role named by ``request.param`` (``guest`` = anonymous)."""
    factories = {
        "guest": lambda: None,
        "registered": lambda: UserFactory(email="registered@example.com"),
        "editor": lambda: EditorFactory(email="editor@example.com"),
        "portal_admin": lambda: PortalAdminFactory(email="portal-admin@example.com"),
    }
    return _client_for(factories[request.param]())


@pytest.fixture
def client_for():
    return _client_for
