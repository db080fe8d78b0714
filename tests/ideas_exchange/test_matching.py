"""Matching («Подходящие предложения» / «Кому это нужно»): opposite-kind ideas ranked by
shared tags then text similarity, never the author's own, only what the viewer may see, in a
constant number of queries. Runs on SQLite (word overlap) and PostgreSQL (full text)."""

from __future__ import annotations

import pytest
from django.db import connection

from ideas_exchange import matching
from ideas_exchange.models import Idea
from tests.factories import UserFactory
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _offer(**kwargs):
    return IdeaFactory(kind=Idea.Kind.OFFER, **kwargs)


@pytest.fixture
def request_idea(ideas_page, people):
    return IdeaFactory(
        kind=Idea.Kind.REQUEST,
        title="Нужен доступ к лабораторному оборудованию для биотехнологий",
        summary="Ищем лабораторию с ферментерами для пилотных партий.",
        author=people["member"],
        tags=["биотехнологии", "лаборатории", "ферментация"],
    )


def _titles(found):
    return [idea.title for idea in found]


def test_offers_ranked_by_shared_tags_then_text(request_idea, people):
    """Two shared tags beat one, one beats none; among equals the more similar text wins;
    an offer with nothing in common is no match; requests and projects are not offers."""
    two = _offer(
        title="Аренда ферментеров",
        summary="Оборудование на час.",
        tags=["биотехнологии", "ферментация"],
    )
    one_text = _offer(
        title="Лабораторное оборудование для биотехнологий в аренду",
        summary="Лаборатория с ферментерами и пилотными партиями.",
        tags=["лаборатории"],
    )
    one_plain = _offer(title="Склад в аренду", summary="Тёплый склад.", tags=["лаборатории"])
    text_only = _offer(
        title="Лабораторное оборудование: биотехнологии и ферментеры",
        summary="Пилотные партии в нашей лаборатории.",
    )
    _offer(title="Грузоперевозки по области", summary="Фуры и рефрижераторы.")
    IdeaFactory(kind=Idea.Kind.REQUEST, title="Лабораторное оборудование", tags=["биотехнологии"])
    IdeaFactory(kind=Idea.Kind.PROJECT, title="Лабораторное оборудование", tags=["биотехнологии"])

    found = matching.matches_for(idea=request_idea, user=people["registered"], limit=10)

    assert _titles(found) == [two.title, one_text.title, one_plain.title, text_only.title]
    assert found[0].shared_tags == ["биотехнологии", "ферментация"]
    assert found[1].shared_tags == ["лаборатории"] and found[3].shared_tags == []
    assert all(idea.kind == Idea.Kind.OFFER for idea in found)
    assert found[0].match_score > found[1].match_score > found[2].match_score > 0
    assert found[3].match_score > 0


def test_an_offer_gets_requests(ideas_page, people):
    """For an offer the matches are requests («Кому это нужно»)."""
    offer = _offer(title="Испытания композитов", author=people["member"], tags=["композиты"])
    wanted = IdeaFactory(kind=Idea.Kind.REQUEST, title="Нужны испытания", tags=["композиты"])
    _offer(title="Другое предложение", tags=["композиты"])
    assert _titles(matching.matches_for(idea=offer, user=people["member"])) == [wanted.title]


def test_never_the_authors_own_ideas(request_idea, people):
    """An offer by the request's author is left out however well it matches."""
    _offer(
        title=request_idea.title,
        summary=request_idea.summary,
        author=people["member"],
        tags=["биотехнологии"],
    )
    other = _offer(title="Ферментеры", tags=["биотехнологии"])
    assert _titles(matching.matches_for(idea=request_idea, user=people["member"])) == [other.title]


def test_only_what_the_viewer_may_see_and_open(request_idea, people, gorki):
    """Members-only offers only for the initiative's members; waiting, hidden and closed
    offers for nobody; registered-only offers not for guests."""
    tags = ["биотехнологии"]
    public = _offer(title="Публичное", tags=tags)
    registered = _offer(title="Для зарегистрированных", tags=tags, visibility="registered")
    members = _offer(title="Для участников", tags=tags, visibility="members", initiative=gorki)
    _offer(title="На модерации", tags=tags, moderation="pending")
    _offer(title="Скрытое", tags=tags, moderation="hidden")
    _offer(title="Закрытое", tags=tags, status="closed")

    def seen(user):
        return set(_titles(matching.matches_for(idea=request_idea, user=user, limit=20)))

    assert seen(None) == {public.title}
    assert seen(people["registered"]) == {public.title, registered.title}
    assert seen(people["other_member"]) == {public.title, registered.title}
    assert seen(people["initiative_admin"]) == {public.title, registered.title, members.title}


def test_a_project_has_no_matches(project, people):
    """Projects seek partners, not offers: an empty list."""
    IdeaFactory(kind=Idea.Kind.OFFER, tags=["нефтехимия"])
    assert matching.matches_for(idea=project, user=people["registered"]) == []


def test_limit_is_respected(request_idea, people):
    """At most ``limit`` matches."""
    for n in range(7):
        _offer(title=f"Оборудование {n}", tags=["биотехнологии"])
    assert len(matching.matches_for(idea=request_idea, user=people["registered"], limit=5)) == 5


def test_words_are_only_letters_and_digits(ideas_page, people):
    """Quotes, operators and markup in a title reach no query syntax: the search still runs."""
    idea = IdeaFactory(
        title="<script>alert(1)</script> & | ! ' \" :* ферментеры",
        summary="(a & b) | !c",
        author=people["member"],
    )
    found = _offer(title="Ферментеры в аренду", summary="Ферментеры на час.")
    assert found.pk in [m.pk for m in matching.matches_for(idea=idea, user=people["member"])]


@pytest.mark.parametrize("size", [10, 300])
def test_constant_queries(request_idea, people, django_assert_max_num_queries, size):
    """The same number of queries for 10 and 300 candidate offers."""
    author = UserFactory()
    for n in range(size):
        _offer(title=f"Лабораторное оборудование {n}", author=author, tags=["биотехнологии"])
    idea = Idea.objects.prefetch_related("tags").get(pk=request_idea.pk)
    user = people["other_member"]
    matching.matches_for(idea=idea, user=user)  # the viewer's roles and the search config
    with django_assert_max_num_queries(3):
        found = matching.matches_for(idea=idea, user=user)
    assert len(found) == 5


def test_postgres_uses_full_text(request_idea, people):
    """On PostgreSQL the «russian» (or «simple») configuration ranks a text-only match, the
    words of the request matched in other forms in the offer's long text."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert matching.search_config() in ("russian", "simple")
    text_match = _offer(
        title="Центр коллективного пользования",
        summary="Приборы для исследований.",
        text="Лабораторное оборудование, ферментеры, пилотная партия — всё для биотехнологий.",
    )
    found = matching.matches_for(idea=request_idea, user=people["registered"])
    assert [m.pk for m in found] == [text_match.pk]


def test_the_idea_page_shows_matches_under_their_heading(client_for, request_idea, people):
    """A request's page lists «Подходящие предложения» with a link to each matching offer
    and its shared tags; the author's own offer is not among them; an offer's page is
    headed «Кому это нужно»."""
    from django.utils import translation

    other = _offer(title="Аренда ферментеров на час", tags=["ферментация"])
    own = _offer(title="Своё предложение автора", author=people["member"], tags=["ферментация"])
    with translation.override("en"):
        html = client_for(people["registered"]).get(f"/en/ideas/{request_idea.pk}/").content
        html = html.decode()
        assert "Matching offers" in html
        assert f'href="/en/ideas/{other.pk}/"' in html and "ферментация" in html
        assert own.title not in html
        offer_html = client_for(people["registered"]).get(f"/en/ideas/{other.pk}/").content
        assert "Who needs this" in offer_html.decode()


def test_short_common_words_alone_make_no_match(ideas_page, people):
    """An offer that shares only words like «для» or «или» with a request (no tag, no word of
    substance) is not offered as a match."""
    idea = IdeaFactory(
        kind=Idea.Kind.REQUEST,
        title="Нужен анализатор для лаборатории или его аренда",
        summary="Для проверки семян.",
        author=people["member"],
    )
    unrelated = _offer(title="Мальки карпа для прудов", summary="Или осетра, для рыбхозов.")
    related = _offer(title="Аренда анализатора семян", summary="Проверка всхожести.")
    found = [m.pk for m in matching.matches_for(idea=idea, user=people["member"])]
    assert related.pk in found
    assert unrelated.pk not in found
