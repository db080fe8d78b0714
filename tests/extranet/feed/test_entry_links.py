"""Where members find their group: the cabinet and the initiative's public page link to the
feed while it is switched on, and not when it is off (the link would lead to a 404)."""

import pytest

pytestmark = pytest.mark.django_db

FEED_LINK = 'href="/en/cabinet/groups/gorki/"'


def test_cabinet_and_initiative_page_link_to_the_feed_only_when_on(client, gorki, people):
    """An approved member sees «Common group» to the feed on both pages; after the feed is
    switched off, neither page offers it."""
    client.force_login(people["member"])
    for url in ("/en/cabinet/", "/en/initiatives/gorki/"):
        assert FEED_LINK in client.get(url).content.decode(), url
    gorki.feed_enabled = False
    gorki.save_revision().publish()
    for url in ("/en/cabinet/", "/en/initiatives/gorki/"):
        assert FEED_LINK not in client.get(url).content.decode(), url


def test_applicants_get_no_feed_link(client, gorki, people):
    """A pending applicant is not offered the group they cannot open yet."""
    client.force_login(people["pending"])
    for url in ("/en/cabinet/", "/en/initiatives/gorki/"):
        assert FEED_LINK not in client.get(url).content.decode(), url
