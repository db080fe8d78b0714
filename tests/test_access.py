"""Every URL this issue added, requested by every role: who gets a page, a redirect or a 404.

Later issues add their URLs and the member / initiative-admin roles to this matrix's siblings.
"""

import pytest

from tests.conftest import ROLES
from tests.factories import (
    InitiativePageFactory,
    NewsPageFactory,
    StandardPageFactory,
    news_index,
)

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, "login", 403, 404

PUBLIC = dict.fromkeys(ROLES, OK)
EXPECTED = {
    "/": PUBLIC,
    "/en/": PUBLIC,
    "/about/": PUBLIC,
    "/en/about/": PUBLIC,
    "/search/?q=кластер": PUBLIC,
    "/sitemap.xml": PUBLIC,
    "/robots.txt": PUBLIC,
    "/healthz": PUBLIC,
    "/ping": PUBLIC,
    "/csrf-token": PUBLIC,
    "/accounts/login/": {
        "guest": OK,
        "registered": "redirect",
        "editor": "redirect",
        "portal_admin": "redirect",
    },
    "/cabinet/": {"guest": LOGIN, "registered": OK, "editor": OK, "portal_admin": OK},
    "/en/cabinet/": {"guest": LOGIN, "registered": OK, "editor": OK, "portal_admin": OK},
    "/styleguide/": {
        "guest": NOT_FOUND,
        "registered": NOT_FOUND,
        "editor": NOT_FOUND,
        "portal_admin": OK,
    },
    "/admin/": {"guest": LOGIN, "registered": LOGIN, "editor": OK, "portal_admin": OK},
    "/initiatives/": PUBLIC,
    "/initiatives/gorki/": PUBLIC,
    "/initiatives/gorki/seminar/": PUBLIC,
    "/news/": PUBLIC,
    "/news/?initiative=gorki&tag=x": PUBLIC,
    "/news/feed/": PUBLIC,
    "/news/feed/atom/": PUBLIC,
    "/en/initiatives/gorki/": PUBLIC,
    "/cabinet/admin/initiatives/": {
        "guest": FORBIDDEN,
        "registered": FORBIDDEN,
        "editor": FORBIDDEN,
        "portal_admin": OK,
    },
    "/django-admin/": {"guest": LOGIN, "registered": LOGIN, "editor": LOGIN, "portal_admin": LOGIN},
}


@pytest.fixture
def about_page(home_page):
    """The content every URL of the matrix needs: a content page, an initiative and its news."""
    news_index()
    initiative = InitiativePageFactory(slug="gorki", title="Кластер Горки")
    NewsPageFactory(parent=initiative, slug="seminar", title="Семинар")
    return StandardPageFactory(parent=home_page, slug="about", title="О платформе")


@pytest.mark.parametrize("role_client", ROLES, indirect=True)
@pytest.mark.parametrize("path", list(EXPECTED))
def test_url_answers_each_role_as_designed(role_client, path, about_page, request):
    """The response for (URL, role) is exactly the one in the matrix above."""
    role = request.node.callspec.params["role_client"]
    expected = EXPECTED[path][role]
    response = role_client.get(path)
    if expected == LOGIN:
        assert response.status_code == 302, (path, role)
        assert "login" in response["Location"], (path, role, response["Location"])
    elif expected == "redirect":
        assert response.status_code == 302, (path, role)
    else:
        assert response.status_code == expected, (path, role)
