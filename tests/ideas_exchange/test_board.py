"""The board /ideas/: who sees which cards, names only for signed-in readers, filters that
combine and survive pagination, the search, «Мои идеи», and bad parameters that never fail."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from ideas_exchange.models import Idea
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

BOARD = "/ideas/"

# Who sees a members-only idea of «gorki» on the board: its members and admins, and the
# moderators of every idea (editors, the portal admin).
SEES_GORKI_MEMBERS_ONLY = {"editor", "member", "initiative_admin", "portal_admin"}


def _names(user) -> list[str]:
    return [part for part in (user.first_name, user.last_name) if part]


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_board_for_every_role(role, people, client_for, public_idea, members_idea, gorki):
    """Every role gets the board with the public idea; the members-only one only for gorki's
    members, admins and moderators; registered-only ideas for everyone signed in; a person's
    name only for signed-in readers, the organisation for all."""
    registered_only = IdeaFactory(
        title="Только для зарегистрированных", visibility=Idea.Visibility.REGISTERED
    )
    response = client_for(people[role]).get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert public_idea.title in html
    assert "УО «БГСХА»" in html
    assert (members_idea.title in html) == (role in SEES_GORKI_MEMBERS_ONLY)
    assert (registered_only.title in html) == (role != "guest")
    author_name = people["member"].get_full_name()
    assert (author_name in html) == (role != "guest")
    if role == "guest":
        for part in _names(people["member"]) + _names(registered_only.author):
            assert part not in html


def test_card_shows_kind_status_scope_tags_counts_and_date(client, public_idea, people):
    """A card says the kind, status, initiative (or «Вся платформа»), tags, the visible
    comments and (for projects) accepted partners."""
    IdeaCommentFactory(idea=public_idea)
    IdeaCommentFactory(idea=public_idea)
    IdeaCommentFactory(idea=public_idea, hidden=True)
    project = IdeaFactory(kind=Idea.Kind.PROJECT, title="Платформенный проект")
    PartnershipFactory(idea=project, status="accepted")
    PartnershipFactory(idea=project, status="pending")
    response = client.get(BOARD)
    html = response.content.decode()
    cards = {idea.pk: idea for idea in response.context["page_obj"]}
    assert cards[public_idea.pk].comment_count == 2
    assert cards[project.pk].partner_count == 1
    # Labels as the active language (Russian) says them, whether or not compiled yet.
    assert str(Idea.Kind.REQUEST.label) in html and str(Idea.Kind.PROJECT.label) in html
    assert str(Idea.Status.OPEN.label) in html
    assert "Горки" in html and gettext("Whole platform") in html
    assert "биотехнологии" in html
    comments = ngettext("%(counter)s comment", "%(counter)s comments", 2) % {"counter": 2}
    partners = ngettext("%(counter)s partner", "%(counter)s partners", 1) % {"counter": 1}
    assert comments in html and partners in html


def test_waiting_and_hidden_ideas_are_not_on_the_board(client_for, people, ideas_page):
    """An idea waiting for moderation or hidden is on nobody's board (not even a
    moderator's): its author finds it under «Мои идеи»."""
    IdeaFactory(title="Ждёт модерации", moderation=Idea.Moderation.PENDING, published_at=None)
    IdeaFactory(title="Скрытая идея", moderation=Idea.Moderation.HIDDEN)
    for role in ("guest", "registered", "editor"):
        html = client_for(people[role]).get(BOARD).content.decode()
        assert "Ждёт модерации" not in html and "Скрытая идея" not in html


def test_mine_lists_own_ideas_in_every_state_with_badges(client_for, people, ideas_page):
    """?mine=1 shows the author's own ideas waiting, hidden (with the reason) and published,
    and nobody else's."""
    author = people["registered"]
    IdeaFactory(
        author=author, title="Моя ждёт", moderation=Idea.Moderation.PENDING, published_at=None
    )
    IdeaFactory(
        author=author,
        title="Моя скрыта",
        moderation=Idea.Moderation.HIDDEN,
        moderation_reason="Реклама, не идея",
    )
    IdeaFactory(author=author, title="Моя опубликована")
    IdeaFactory(title="Чужая идея")
    html = client_for(author).get(BOARD, {"mine": "1"}).content.decode()
    assert "Моя ждёт" in html and "Моя скрыта" in html and "Моя опубликована" in html
    assert "Чужая идея" not in html
    assert str(Idea.Moderation.PENDING.label) in html
    assert str(Idea.Moderation.HIDDEN.label) in html
    assert "Реклама, не идея" in html
    # The plain board does not list the waiting one.
    assert "Моя ждёт" not in client_for(author).get(BOARD).content.decode()


def test_mine_for_a_guest_is_the_plain_board(client, ideas_page):
    """A guest's ?mine=1 is ignored: the public board, no one's hidden ideas."""
    IdeaFactory(title="Публичная")
    IdeaFactory(title="Скрытая чужая", moderation=Idea.Moderation.HIDDEN)
    response = client.get(BOARD, {"mine": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Публичная" in html and "Скрытая чужая" not in html
    assert response.context["filters"].mine is False


def test_filters_combine_and_survive_pagination(client, ideas_page, gorki, polotsk):
    """kind + initiative + tag + status select the right ideas; page 2 keeps the filters."""
    for i in range(14):
        IdeaFactory(
            title=f"match-{i}",
            kind=Idea.Kind.OFFER,
            initiative=gorki,
            tags=["композиты"],
            status=Idea.Status.DISCUSSION,
        )
    IdeaFactory(
        title="other-kind",
        kind=Idea.Kind.REQUEST,
        initiative=gorki,
        tags=["композиты"],
        status=Idea.Status.DISCUSSION,
    )
    IdeaFactory(
        title="other-initiative",
        kind=Idea.Kind.OFFER,
        initiative=polotsk,
        tags=["композиты"],
        status=Idea.Status.DISCUSSION,
    )
    IdeaFactory(
        title="other-tag",
        kind=Idea.Kind.OFFER,
        initiative=gorki,
        tags=["металл"],
        status=Idea.Status.DISCUSSION,
    )
    IdeaFactory(title="other-status", kind=Idea.Kind.OFFER, initiative=gorki, tags=["композиты"])
    from taggit.models import Tag

    slug = Tag.objects.get(name="композиты").slug
    params = {"kind": "offer", "initiative": "gorki", "tag": slug, "status": "discussion"}
    response = client.get(BOARD, params)
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 14
    for other in ("other-kind", "other-initiative", "other-tag", "other-status"):
        assert other not in html
    assert "kind=offer" in html and "page=2" in html and "status=discussion" in html
    page2 = client.get(BOARD, {**params, "page": 2})
    assert len(page2.context["page_obj"]) == 14 - ideas_page.PAGE_SIZE


def test_search_finds_words_within_what_the_viewer_may_see(
    client, client_for, people, public_idea, members_idea
):
    """?q= is a Wagtail search over the visible ideas: a guest never finds a members-only idea
    by its words; a member does."""
    IdeaFactory(title="Гидропоника для теплиц", summary="Ищем партнёров по гидропонике.")
    found = client.get(BOARD, {"q": "гидропоника"}).context["page_obj"]
    assert [idea.title for idea in found] == ["Гидропоника для теплиц"]
    assert client.get(BOARD, {"q": "композитных"}).context["page_obj"].paginator.count == 0
    member_found = client_for(people["member"]).get(BOARD, {"q": "композитных"})
    assert [idea.pk for idea in member_found.context["page_obj"]] == [members_idea.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nope"},
        {"status": "<script>alert(1)</script>"},
        {"initiative": "nope"},
        {"tag": "no-such-tag"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"q": "x" * 5000},
        {"q": "<script>alert(1)</script>"},
        {"q": "   "},
        {"q": "\"'%_\\"},
        {"mine": "yes"},
        {"kind": "offer" * 1000, "initiative": "g" * 1000, "tag": "t" * 1000},
    ],
)
def test_bad_params_never_fail(client, public_idea, params):
    """A value that is not understood is ignored (the filter shows «all»), never a 500, and
    nothing typed is echoed unescaped."""
    response = client.get(BOARD, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    filters = response.context["filters"]
    if "q" not in params:
        assert public_idea.title in html
    for name in ("kind", "status", "initiative", "tag"):
        if name in params:
            assert getattr(filters, name) == ""
    assert len(filters.q) <= 200


def test_post_and_rss_links(client, client_for, people, ideas_page):
    """The board links its RSS feed in the head; guests get a sign-in link that returns to
    the posting form, signed-in users the form itself and their tag subscriptions."""
    with translation.override("ru"):
        new_url = ideas_page.url + ideas_page.reverse_subpage("new")
        rss_url = ideas_page.url + ideas_page.reverse_subpage("rss")
        subscriptions_url = ideas_page.url + ideas_page.reverse_subpage("subscriptions")
    guest = client.get(BOARD).content.decode()
    assert f'type="application/rss+xml" title="Биржа идей (RSS)" href="{rss_url}"' in guest
    assert "/accounts/login/?next=/ideas/new/" in guest
    assert f'href="{subscriptions_url}"' not in guest
    signed_in = client_for(people["registered"]).get(BOARD).content.decode()
    assert f'href="{new_url}"' in signed_in and f'href="{subscriptions_url}"' in signed_in
    assert gettext("Propose an idea") in signed_in


def test_tag_options_are_per_audience_and_follow_new_tags(people, gorki, ideas_page):
    """The filter's tags are cached per audience: a members-only idea's tag is offered to
    Gorki's members and not to a registered user, and a new idea's tag shows at once."""
    from ideas_exchange.selectors import tag_options

    IdeaFactory(tags=["агротех"])
    IdeaFactory(initiative=gorki, visibility=Idea.Visibility.MEMBERS, tags=["закрытая-тема"])

    def names(user):
        return {name for _, name in tag_options(user=user)}

    assert names(people["member"]) == {"агротех", "закрытая-тема"}
    assert names(people["registered"]) == {"агротех"}
    IdeaFactory(tags=["биотех"])
    assert names(people["registered"]) == {"агротех", "биотех"}
    assert names(people["member"]) == {"агротех", "закрытая-тема", "биотех"}
