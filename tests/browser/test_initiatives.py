"""A guest goes from the home page to an initiative and on to its news item."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.locales import originals
from tests.factories import ensure_home_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    ensure_home_page()
    call_command("seed_demo", "--force", stdout=StringIO())
    return live_server.url


def test_guest_reaches_an_initiatives_news_item(page, demo_site, screenshot):
    """Home → «Кластерные инициативы» card → the cluster page → one of its news items."""
    from initiatives.models import InitiativePage

    initiative = originals(InitiativePage.objects.live()).get(slug="gorki")
    news = initiative.news_items.live().order_by("-date").first()
    assert news is not None, "the demo data gives each initiative news"

    page.goto(demo_site + "/")
    page.get_by_role("link", name=initiative.title).first.click()
    page.wait_for_url(f"**/initiatives/{initiative.slug}/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == initiative.title
    screenshot(page, "initiative")

    page.get_by_role("link", name=news.title).first.click()
    page.wait_for_url(f"**/initiatives/{initiative.slug}/{news.slug}/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == news.title
    screenshot(page, "news")

    # The menu leads to the full registry and to all news.
    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Кластерные инициативы"
    ).click()
    page.wait_for_url("**/initiatives/")
    assert page.get_by_role("link", name=initiative.title).first.is_visible()
