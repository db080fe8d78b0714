"""The person's data export (/cabinet/data.json) carries what they did in the ideas exchange."""

import pytest
from taggit.models import Tag

from tests.ideas_exchange.factories import (
    IdeaCommentFactory,
    IdeaFactory,
    PartnershipFactory,
    TagSubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def test_export_has_the_persons_ideas_comments_partnerships_and_tags(
    ideas_page, people, django_assert_max_num_queries
):
    """Their own idea with its tags, their comment, their partnership request and followed
    tag are in the «ideas_exchange» section; someone else's idea is not."""
    from extranet.members.exports import account_export_sections

    user = people["member"]
    mine = IdeaFactory(author=user, title="Моя идея", tags=["композиты"])
    IdeaFactory(author=people["registered"], title="Чужая идея")
    IdeaCommentFactory(idea=mine, author=user, text="Мой комментарий")
    project = IdeaFactory(author=people["registered"], kind="project", title="Чужой проект")
    PartnershipFactory(idea=project, user=user, note="Хотим участвовать")
    TagSubscriptionFactory(user=user, tag=Tag.objects.create(name="нефтехимия", slug="neft"))

    section = account_export_sections(user=user)["ideas_exchange"]

    assert [idea["title"] for idea in section["ideas"]] == ["Моя идея"]
    assert section["ideas"][0]["tags"] == ["композиты"]
    assert [c["text"] for c in section["comments"]] == ["Мой комментарий"]
    assert [(p["project"], p["note"]) for p in section["partnerships"]] == [
        ("Чужой проект", "Хотим участвовать")
    ]
    assert section["followed_tags"] == ["нефтехимия"]
    from ideas_exchange.exports import ideas_export

    with django_assert_max_num_queries(5):
        ideas_export(user=user)
