"""The first browser test: the home page renders, navigation and the language switch work."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import ensure_home_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    ensure_home_page()
    call_command("seed_demo", "--force", stdout=StringIO())
    return live_server.url


def test_home_navigation_and_language_switch(page, demo_site, screenshot):
    """A guest opens the home page, follows the menu, searches, and switches to English and back."""
    page.goto(demo_site + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_text("Основная задача").first.is_visible()
    assert page.get_by_role("heading", name="Основные возможности").is_visible()
    assert screenshot(page, "home-ru").stat().st_size > 10_000

    # Main menu → the news page.
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Новости").click()
    page.wait_for_url("**/news/")
    assert page.get_by_role("heading", level=1).inner_text() == "Новости"
    assert page.locator("[aria-current='page']").first.inner_text().strip() == "Новости"

    # Footer → the privacy policy.
    page.get_by_role("contentinfo").get_by_role("link", name="Политика обработки").click()
    page.wait_for_url("**/privacy/")
    assert "Кто видит ваши данные" in page.content()

    # Language switch → English, and the choice holds on the next page.
    page.get_by_role("button", name="EN").click()
    page.wait_for_url("**/en/privacy/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Sign up").first.is_visible()
    page.get_by_role("link", name="Log in").first.click()
    page.wait_for_url("**/en/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "login-en")

    page.get_by_role("button", name="RU").click()
    page.wait_for_url("**/accounts/login/")
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "ru"


def test_small_screen_menu_and_keyboard(page, demo_site, screenshot):
    """At 360 px nothing scrolls sideways, the menu opens, and Tab reaches the skip link first."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(demo_site + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scroll: content is {width}px wide"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    toggle = page.locator("[aria-controls][aria-expanded]").first
    if toggle.is_visible():
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    screenshot(page, "home-360")
