"""Wagtail's site of a request from the cache (core/sites.py): the site query runs once, a
saved or deleted site is seen by the next request, and an unknown host still gets the
default site, as Wagtail's own lookup gives it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Site

from core.sites import site_for_request
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def _site_queries(queries) -> int:
    return sum('"wagtailcore_site"' in q["sql"] for q in queries.captured_queries)


def test_the_site_query_runs_once_then_comes_from_the_cache(client, home_page):
    """The first page looks the site up; the next ones read it from the cache and render the
    same page (the root page is read fresh, not cached with the site)."""
    first = client.get("/")
    assert first.status_code == 200
    client.cookies["sessionid"] = "not-a-guest"  # past the guests' page cache
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.status_code == 200
    assert _site_queries(queries) == 0
    assert home_page.title in again.content.decode()


@override_settings(ALLOWED_HOSTS=["testserver", "other.test"])
def test_a_new_site_is_found_at_once_and_a_deleted_one_is_forgotten(rf, home_page):
    """A site added in the admin answers its host on the next request; deleting it sends the
    host back to the default site."""
    default = Site.objects.get(is_default_site=True)
    assert site_for_request(rf.get("/", HTTP_HOST="other.test")).pk == default.pk
    other_root = StandardPageFactory(parent=home_page, title="Другой сайт", slug="other")
    other = Site.objects.create(hostname="other.test", port=80, root_page=other_root)
    assert site_for_request(rf.get("/", HTTP_HOST="other.test")).pk == other.pk
    assert site_for_request(rf.get("/", HTTP_HOST="testserver")).pk == default.pk
    other.delete()
    assert site_for_request(rf.get("/", HTTP_HOST="other.test")).pk == default.pk


@override_settings(ALLOWED_HOSTS=["testserver", "two.test", "three.test"])
def test_a_renamed_site_is_seen_by_the_next_request(rf, home_page):
    """Saving a site (here: a new hostname) purges the cached answers for every host."""
    root = StandardPageFactory(parent=home_page, title="Второй сайт", slug="two")
    two = Site.objects.create(hostname="two.test", port=80, root_page=root)
    assert site_for_request(rf.get("/", HTTP_HOST="two.test")).pk == two.pk
    two.hostname = "three.test"
    two.save()
    assert site_for_request(rf.get("/", HTTP_HOST="three.test")).pk == two.pk
    assert site_for_request(rf.get("/", HTTP_HOST="two.test")).is_default_site
