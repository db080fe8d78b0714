"""The site shell's links: the footer reaches «О платформе» and «Контакты» (issue 9, item 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import SiteSettings
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def footer_pages(home_page):
    """About, Contacts and the privacy policy, chosen in the site settings as an editor would."""
    pages = {
        "about": StandardPageFactory(parent=home_page, slug="o-nas", title="О платформе"),
        "contacts": StandardPageFactory(parent=home_page, slug="svyaz", title="Контакты"),
        "privacy": StandardPageFactory(parent=home_page, slug="privacy", title="Политика"),
    }
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.about_page = pages["about"]
    site_settings.contacts_page = pages["contacts"]
    site_settings.privacy_policy_page = pages["privacy"]
    site_settings.save()
    return pages


def _footer(html):
    return html[html.index('<footer class="site-footer"') : html.index("</footer>")]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_footer_links_to_about_and_contacts_on_every_page(client, footer_pages, signed_in):
    """Whatever page one is on (home, a content page, search, sign-in, the cabinet), the footer
    links to the About and Contacts pages the site settings name, by their titles; the slugs
    are not what finds them."""
    if signed_in:
        client.force_login(UserFactory())
    urls = ["/", footer_pages["privacy"].url, "/search/?q=x"]
    urls += ["/cabinet/"] if signed_in else ["/accounts/login/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        footer = _footer(response.content.decode())
        assert '<a href="/o-nas/">О платформе</a>' in footer, url
        assert '<a href="/svyaz/">Контакты</a>' in footer, url
        assert '<a href="/privacy/">Политика</a>' in footer, url


def test_unset_or_unpublished_footer_pages_are_left_out(client, footer_pages):
    """A page the settings do not name, or one taken offline, is not linked (no dead link)."""
    StandardPageFactory(parent=footer_pages["about"].get_parent(), slug="about", title="Другая")
    footer_pages["contacts"].unpublish()
    site_settings = SiteSettings.objects.get()
    site_settings.about_page = None
    site_settings.save()
    footer = _footer(client.get("/").content.decode())
    assert "/o-nas/" not in footer and 'href="/about/"' not in footer
    assert "/svyaz/" not in footer
    assert 'href="/privacy/"' in footer


def test_the_footer_pages_cost_one_query_together(client, footer_pages):
    """Three chosen pages cost the footer no more queries than the privacy policy alone did."""
    client.get("/")  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as all_three:
        client.get("/")
    site_settings = SiteSettings.objects.get()
    site_settings.about_page = site_settings.contacts_page = None
    site_settings.save()
    client.get("/")
    with CaptureQueriesContext(connection) as privacy_only:
        client.get("/")
    assert len(all_three) == len(privacy_only)


def test_the_demo_names_its_about_and_contacts_pages_in_the_settings(home_page):
    """home/demo.py chooses «О платформе» and «Контакты» for the footer, also on a site whose
    settings were filled before these fields existed."""
    from core.demo import DemoContext
    from home import demo

    demo.seed(DemoContext())
    site_settings = SiteSettings.objects.get()
    site_settings.about_page = site_settings.contacts_page = None
    site_settings.save()
    demo.seed(DemoContext())
    site_settings = SiteSettings.objects.get()
    assert site_settings.about_page.slug == "about"
    assert site_settings.about_page.title == "О платформе"
    assert site_settings.contacts_page.slug == "contacts"
    assert site_settings.privacy_policy_page.slug == "privacy"
