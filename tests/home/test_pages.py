"""Public CMS pages: the home page, content pages, sitemap, robots.txt and error pages."""

import pytest
from django.test import override_settings
from wagtail import hooks

from home import sections
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_purpose_and_sign_up(client, home_page):
    """Guests see the platform's purpose from the page fields and the sign-up call to action."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert home_page.purpose_label in html
    assert home_page.purpose_text in html
    assert 'href="/accounts/signup/"' in html


def test_home_sections_render_in_editor_order_with_empty_states(client, home_page):
    """Sections appear in the order editors chose; without a provider each shows its empty state."""
    home_page.sections = [
        {"type": "news", "value": {"heading": "Свежие новости", "count": 3}},
        {"type": "initiatives", "value": {"heading": "Наши кластеры", "count": 4}},
    ]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    assert html.index("Свежие новости") < html.index("Наши кластеры")
    assert "Новостей пока нет." in html
    assert "Здесь скоро появятся кластерные инициативы." in html


def test_home_section_is_filled_by_a_registered_source(client, home_page):
    """An app that registers a section source fills the section with its cards and «all» link
    (a temporary source registered ahead of the ideas exchange's own, which
    tests/ideas_exchange/test_sections.py checks)."""
    home_page.sections = [{"type": "ideas", "value": {"heading": "Биржа идей", "count": 2}}]
    home_page.save_revision().publish()
    cards = [
        sections.CardItem(title=f"Семинар {n}", url=f"/ideas/{n}/", meta="10 октября")
        for n in range(5)
    ]

    def source():
        return sections.SectionSource(
            kind=sections.IDEAS,
            items=lambda request, limit: cards[:limit],
            index_url=lambda request: "/ideas/",
        )

    with hooks.register_temporarily(sections.HOOK_NAME, source, order=-1):
        html = client.get("/").content.decode()
    assert "Семинар 0" in html and "Семинар 1" in html
    assert "Семинар 2" not in html  # the editor asked for two
    assert 'href="/ideas/"' in html
    assert "На бирже идей пока ничего не опубликовано." not in html


def test_standard_page_renders_body_blocks(client, home_page):
    """A content page renders its lead and every shared body block type."""
    page = StandardPageFactory(
        parent=home_page,
        title="О платформе",
        slug="about",
        intro="Вводный абзац",
        body=[
            {"type": "heading", "value": {"text": "Кто пользуется", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Центр кластерного развития</p>"},
            {"type": "quote", "value": {"text": "Платформа взаимодействия", "attribution": "ПГУ"}},
            {
                "type": "key_figures",
                "value": {"heading": "", "figures": [{"value": "40+", "label": "участников"}]},
            },
            {
                "type": "features",
                "value": {"heading": "Возможности", "features": [{"title": "Чат", "text": ""}]},
            },
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Вводный абзац", "Кто пользуется", "Центр кластерного развития", "— ПГУ", "40+"):
        assert text in html


def test_unpublished_page_is_404(client, home_page):
    """A draft is not served to the public."""
    StandardPageFactory(parent=home_page, slug="draft", publish=False, live=False)
    assert client.get("/draft/").status_code == 404


def test_404_page_uses_the_site_design(client, home_page):
    """Unknown addresses get the designed 404 page with the header and a search form."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header' in html
    assert 'action="/search/"' in html


@override_settings(DEBUG=False)
def test_500_page_renders_without_context(rf):
    """The 500 page renders standalone (no request context), so it works when the site is broken."""
    from cms.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "500" in html
    assert "/static/css/" in html


@override_settings(DEBUG=False, PLATFORM_NAME="Платформа «Тест»")
def test_500_page_carries_the_platform_name(rf):
    """The standalone 500 page names the platform by the one setting, like every other page."""
    from cms.views import server_error

    html = server_error(rf.get("/")).content.decode()
    assert html.count("Платформа «Тест»") >= 2  # the title and the brand


def test_sitemap_lists_live_pages(client, home_page):
    """sitemap.xml lists live pages and leaves drafts out."""
    StandardPageFactory(parent=home_page, slug="about")
    StandardPageFactory(parent=home_page, slug="hidden", publish=False, live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/about/" in response.content.decode()
    assert "/hidden/" not in response.content.decode()


def test_robots_txt_points_to_sitemap_and_hides_private_areas(client, home_page):
    """robots.txt names the sitemap and keeps crawlers out of the cabinet and admin."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    for path in ("/admin/", "/cabinet/", "/accounts/", "/files/"):
        assert f"Disallow: {path}" in body
