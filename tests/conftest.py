"""Fixtures for every test: the page tree, one user per role, logged-in clients."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from wagtail import hooks

from initiatives import extensions
from tests.factories import (
    EditorFactory,
    IndustryFactory,
    InitiativePageFactory,
    PortalAdminFactory,
    RegionFactory,
    SuperuserFactory,
    UserFactory,
    ensure_home_page,
    news_index,
)


@pytest.fixture(autouse=True)
def _clean_cache():
    # The cache may be a shared Redis: every test starts from an empty one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A test that served an /en/ page (or activated English) leaves English active in its
    # thread; the next test on the same worker would then resolve and reverse in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# --- Initiatives -------------------------------------------------------------------------


@pytest.fixture
def gorki(home_page):
    """A published initiative with region, industries and a public contact card (and /news/)."""
    news_index()
    return InitiativePageFactory(
        title="Кластер аграрных биотехнологий Горецкого района",
        slug="gorki",
        short_name="Горки",
        region=RegionFactory(name="Могилёвская область", slug="mogilev"),
        industries=[IndustryFactory(name="Биотехнологии", slug="biotech")],
        stage="active",
    )


@pytest.fixture
def polotsk(home_page):
    return InitiativePageFactory(
        title="Композитный кластер в г. Полоцк",
        slug="polotsk",
        short_name="Полоцк",
        region=RegionFactory(name="Витебская область", slug="vitebsk"),
        industries=[IndustryFactory(name="Композиты", slug="composites")],
        stage="forming",
    )


class _ProvidedOrganisations(dict):
    """The provider's data; a change purges the «organisations» tag, as the members app's
    receivers do when a membership or a profile changes (the pages cache the lists)."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        from core.pagecache import purge_now

        purge_now(["organisations"])


@pytest.fixture
def organisations_provider():
    """Registers a participating-organisations provider, as the membership app does."""
    data: dict[int, list] = _ProvidedOrganisations()

    def provider(initiative_ids):
        return {pk: data.get(pk, []) for pk in initiative_ids}

    with hooks.register_temporarily(extensions.HOOK_ORGANISATIONS, provider):
        yield data


@pytest.fixture
def members_guard():
    """Registers a delete guard that reports members for the initiatives in ``guarded``."""
    guarded: set[int] = set()

    def guard(initiative):
        return "в инициативе есть участники" if initiative.pk in guarded else None

    with hooks.register_temporarily(extensions.HOOK_DELETE_GUARD, guard):
        yield guarded


# --- Extranet roles (DESIGN.md) ----------------------------------------------------------------

# Every role a permission test checks a members' URL against, relative to the «gorki»
# initiative: guest, registered, a Wagtail editor with no membership, pending applicant,
# member of another initiative, member, initiative admin, portal admin.
EXTRANET_ROLES = [
    "guest",
    "registered",
    "editor",
    "pending",
    "other_member",
    "member",
    "initiative_admin",
    "portal_admin",
]


@pytest.fixture
def people(gorki, polotsk):
    """One user per extranet role (``guest`` is None), each with a full profile."""
    from tests.factories import (
        EditorFactory,
        MembershipFactory,
        PortalAdminFactory,
        ProfileFactory,
    )

    def member(initiative, **kwargs):
        return MembershipFactory(initiative=initiative, **kwargs).user

    return {
        "guest": None,
        "registered": ProfileFactory(user__email="registered@example.com").user,
        "editor": ProfileFactory(user=EditorFactory(email="editor@example.com")).user,
        "pending": member(gorki, status="pending"),
        "other_member": member(polotsk),
        "member": member(gorki),
        "initiative_admin": member(gorki, role="admin"),
        "portal_admin": ProfileFactory(user=PortalAdminFactory()).user,
    }


@pytest.fixture
def extranet_client(request, people):
    """A client logged in as the extranet role named by ``request.param``."""
    return _client_for(people[request.param])
