"""The board and an idea's page run in constant queries at 10 and 1,000 ideas (and as many
comments, replies and partners on the idea), for a guest and a signed-in member."""

from __future__ import annotations

import pytest
from taggit.models import Tag

from ideas_exchange.models import Idea, IdeaComment, Partnership, TaggedIdea
from tests.factories import UserFactory
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# The site shell (menu, user menu, settings) takes ~15 of these for a signed-in visitor.
BOARD_BUDGET = 25
IDEA_BUDGET = 25


def _ideas(n, *, gorki, author):
    """``n`` ideas of every kind and visibility, tagged, with comments and partners (made in
    bulk: the queries the pages run depend on rows, not on how they were made)."""
    tags = [Tag.objects.create(name=f"тег {i}", slug=f"tag-{i}") for i in range(5)]
    kinds = [Idea.Kind.REQUEST, Idea.Kind.OFFER, Idea.Kind.PROJECT]
    visibilities = [Idea.Visibility.PUBLIC, Idea.Visibility.REGISTERED, Idea.Visibility.MEMBERS]
    ideas = Idea.objects.bulk_create(
        Idea(
            kind=kinds[i % 3],
            title=f"Идея {i}",
            summary="Кратко.",
            text="Текст.",
            author=author,
            organisation_name=f"Организация {i}",
            initiative=gorki if i % 2 else None,
            visibility=visibilities[i % 3] if i % 2 else Idea.Visibility.PUBLIC,
            stage=Idea.Stage.SEEKING if kinds[i % 3] == Idea.Kind.PROJECT else "",
        )
        for i in range(n)
    )
    TaggedIdea.objects.bulk_create(
        TaggedIdea(content_object=idea, tag=tags[(idea.pk + k) % 5])
        for idea in ideas
        for k in range(2)
    )
    IdeaComment.objects.bulk_create(
        IdeaComment(idea=idea, author=author, text="Комментарий") for idea in ideas
    )
    partner = UserFactory()
    Partnership.objects.bulk_create(
        Partnership(idea=idea, user=partner, status=Partnership.Status.ACCEPTED)
        for idea in ideas
        if idea.kind == Idea.Kind.PROJECT
    )
    return ideas


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize("role", ["guest", "member"])
def test_board_constant(
    role, size, people, client_for, ideas_page, gorki, django_assert_max_num_queries
):
    """/ideas/, filtered, searched, second page and «Мои идеи» stay under one ceiling."""
    _ideas(size, gorki=gorki, author=people["member"])
    client = client_for(people[role])
    client.get("/ideas/")
    for params in (
        {},
        {"kind": "project", "initiative": "gorki", "tag": "tag-1", "status": "open"},
        {"q": "идея"},
        {"page": "2"},
        {"mine": "1"},
    ):
        with django_assert_max_num_queries(BOARD_BUDGET):
            assert client.get("/ideas/", params).status_code == 200


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize("role", ["guest", "member"])
def test_idea_page_constant(
    role, size, people, client_for, ideas_page, gorki, django_assert_max_num_queries
):
    """A project's page with ``size`` comments, replies and partners stays under one ceiling
    (whatever the matching and forms add runs once per page)."""
    _ideas(size, gorki=gorki, author=people["member"])
    project = IdeaFactory(kind=Idea.Kind.PROJECT, author=people["member"], tags=["нефтехимия"])
    commenters = UserFactory.create_batch(3)
    top = IdeaComment.objects.bulk_create(
        IdeaComment(idea=project, author=commenters[i % 3], text=f"Комментарий {i}")
        for i in range(size)
    )
    IdeaComment.objects.bulk_create(
        IdeaComment(idea=project, parent=comment, author=commenters[0], text="Ответ")
        for comment in top
    )
    Partnership.objects.bulk_create(
        Partnership(idea=project, user=UserFactory(), status=status, organisation_name="АО")
        for status in [Partnership.Status.ACCEPTED, Partnership.Status.PENDING] * 5
    )
    request = IdeaFactory(author=people["registered"], tags=["нефтехимия"])
    client = client_for(people[role])
    client.get(f"/ideas/{project.pk}/")
    for idea in (project, request):
        with django_assert_max_num_queries(IDEA_BUDGET):
            assert client.get(f"/ideas/{idea.pk}/").status_code == 200
