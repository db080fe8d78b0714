"""The ideas exchange's notices (extranet/members/idea_notices.py), from its signals: a
comment on my idea and a reply to my comment, a partnership request on my project, the
decision on my request, a new idea with a tag I follow (only to followers who may see it,
never its author, once per idea), the moderation outcome; all under «Биржа идей»."""

from __future__ import annotations

import pytest
from notifications.models import Notification

from extranet.notices.kinds import Category, get_kind
from ideas_exchange import signals
from ideas_exchange.models import Idea, Partnership
from tests.ideas_exchange.factories import (
    IdeaCommentFactory,
    IdeaFactory,
    PartnershipFactory,
    TagSubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def _recipients(kind: str) -> set[int]:
    return set(Notification.objects.filter(verb=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a signal as the exchange does after its change commits, delivering the notices."""

    def fire(signal, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            signal.send(sender=Idea, **kwargs)

    return fire


def test_every_kind_is_in_the_ideas_category():
    """Each kind is registered under «Биржа идей» (the preferences' row)."""
    for key in (
        "ideas.commented",
        "ideas.replied",
        "ideas.partnership_requested",
        "ideas.partnership_accepted",
        "ideas.partnership_declined",
        "ideas.matching",
        "ideas.approved",
        "ideas.hidden",
        "ideas.closed",
    ):
        assert get_kind(key).category == Category.IDEAS, key


def test_a_comment_tells_the_author_with_an_unprefixed_link(public_idea, people, send):
    """Someone comments: the idea's author is told, with the idea's address (no /en/) and
    the comment's anchor; the commenter is not told of their own comment."""
    comment = IdeaCommentFactory(idea=public_idea, author=people["registered"], text="Интересно")
    send(signals.idea_commented, comment=comment)
    assert _recipients("ideas.commented") == {public_idea.author_id}
    notice = Notification.objects.get(verb="ideas.commented")
    assert notice.data["url"] == f"/ideas/{public_idea.pk}/#comment-{comment.pk}"
    assert notice.data["params"]["title"] == public_idea.title


def test_the_authors_own_comment_tells_nobody(public_idea, send):
    """The author comments on their own idea: no notice."""
    comment = IdeaCommentFactory(idea=public_idea, author=public_idea.author)
    send(signals.idea_commented, comment=comment)
    assert not Notification.objects.exists()


def test_a_reply_tells_the_commenter_and_the_author_once_each(public_idea, people, send):
    """A reply: the replied-to commenter gets «replied», the author «commented», each once."""
    first = IdeaCommentFactory(idea=public_idea, author=people["registered"])
    reply = IdeaCommentFactory(idea=public_idea, author=people["other_member"], parent=first)
    send(signals.idea_commented, comment=reply)
    assert _recipients("ideas.replied") == {people["registered"].pk}
    assert _recipients("ideas.commented") == {public_idea.author_id}
    assert Notification.objects.count() == 2


def test_a_reply_to_the_authors_comment_tells_the_author_once(public_idea, people, send):
    """The author is the replied-to commenter as well: one notice, not two."""
    first = IdeaCommentFactory(idea=public_idea, author=public_idea.author)
    reply = IdeaCommentFactory(idea=public_idea, author=people["registered"], parent=first)
    send(signals.idea_commented, comment=reply)
    assert Notification.objects.filter(recipient=public_idea.author).count() == 1


def test_a_commenter_who_may_no_longer_see_the_idea_is_not_told(ideas_page, people, gorki, send):
    """A members-only idea: a replied-to commenter who is not a member (any more) gets no
    reply notice."""
    idea = IdeaFactory(author=people["member"], initiative=gorki, visibility="members")
    first = IdeaCommentFactory(idea=idea, author=people["other_member"])
    reply = IdeaCommentFactory(idea=idea, author=people["initiative_admin"], parent=first)
    send(signals.idea_commented, comment=reply)
    assert not _recipients("ideas.replied")
    assert _recipients("ideas.commented") == {people["member"].pk}


def test_a_partnership_request_tells_the_project_author(project, people, send):
    """«Стать партнёром»: the project's author is told who asks and from which organisation."""
    partnership = PartnershipFactory(
        idea=project, user=people["other_member"], organisation_name="ОАО «Полимер»"
    )
    send(signals.partnership_requested, partnership=partnership)
    assert _recipients("ideas.partnership_requested") == {project.author_id}
    notice = Notification.objects.get()
    assert notice.data["params"]["organisation"] == "ОАО «Полимер»"
    assert notice.data["url"] == f"/ideas/{project.pk}/#partners"


@pytest.mark.parametrize(
    ("status", "kind"),
    [("accepted", "ideas.partnership_accepted"), ("declined", "ideas.partnership_declined")],
)
def test_the_decision_tells_the_person_who_asked(project, people, send, status, kind):
    """Accepted or declined: the person who asked is told; the author is not."""
    partnership = PartnershipFactory(idea=project, user=people["other_member"], status=status)
    send(signals.partnership_decided, partnership=partnership)
    assert _recipients(kind) == {people["other_member"].pk}
    assert Notification.objects.count() == 1


def test_a_withdrawn_request_tells_nobody(project, people, send):
    """A withdrawal is no decision: nothing is sent."""
    partnership = PartnershipFactory(
        idea=project, user=people["other_member"], status=Partnership.Status.WITHDRAWN
    )
    send(signals.partnership_decided, partnership=partnership)
    assert not Notification.objects.exists()


def test_a_new_idea_tells_followers_of_its_tags_who_may_see_it(ideas_page, people, gorki, send):
    """A members-only idea of «gorki» tagged «биотехнологии»: its followers among gorki's
    members are told (once, even following two of its tags); the other initiative's member,
    a registered user, the author and a follower of an unrelated tag are not."""
    idea = IdeaFactory(
        author=people["member"],
        initiative=gorki,
        visibility="members",
        tags=["биотехнологии", "лаборатории"],
    )
    tags = {tag.name: tag for tag in idea.tags.all()}
    for who in ("initiative_admin", "other_member", "member"):
        TagSubscriptionFactory(user=people[who], tag=tags["биотехнологии"])
    TagSubscriptionFactory(user=people["initiative_admin"], tag=tags["лаборатории"])
    TagSubscriptionFactory(user=people["registered"], tag=tags["биотехнологии"])
    from taggit.models import Tag

    TagSubscriptionFactory(user=people["pending"], tag=Tag.objects.create(name="логистика"))
    send(signals.idea_published, idea=idea)
    assert _recipients("ideas.matching") == {people["initiative_admin"].pk}
    notice = Notification.objects.get(verb="ideas.matching")
    assert notice.data["params"]["tags"] == "биотехнологии, лаборатории"
    assert notice.data["url"] == f"/ideas/{idea.pk}/"


def test_a_public_idea_tells_every_follower_but_the_author_once_per_idea(public_idea, people, send):
    """A public idea: every follower but the author; published twice, told once."""
    tag = public_idea.tags.get(name="биотехнологии")
    for who in ("registered", "other_member", "member"):
        TagSubscriptionFactory(user=people[who], tag=tag)
    send(signals.idea_published, idea=public_idea)
    send(signals.idea_published, idea=public_idea)
    assert _recipients("ideas.matching") == {people["registered"].pk, people["other_member"].pk}
    assert Notification.objects.filter(verb="ideas.matching").count() == 2


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"moderation": "approved"}, "ideas.approved"),
        ({"moderation": "hidden", "moderation_reason": "Реклама"}, "ideas.hidden"),
        ({"status": "closed"}, "ideas.closed"),
    ],
)
def test_the_author_learns_the_moderation_outcome(public_idea, people, send, changes, kind):
    """Approved, hidden (with the reason) or closed: the author is told, the moderator not."""
    for field, value in changes.items():
        setattr(public_idea, field, value)
    public_idea.save()
    send(signals.idea_moderated, idea=public_idea, actor=people["editor"])
    assert _recipients(kind) == {public_idea.author_id}
    notice = Notification.objects.get()
    if kind == "ideas.hidden":
        assert notice.data["params"]["reason"] == "Реклама"


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("followers", [3, 30])
def test_telling_followers_is_constant_in_queries(
    ideas_page, people, gorki, send, visibility, followers, django_assert_max_num_queries
):
    """Who among a tag's followers may see a new idea is answered for all of them at once:
    the same queries for 3 and 30 followers (members of «gorki» for a members-only idea),
    and every one of them is told."""
    from tests.factories import MembershipFactory

    idea = IdeaFactory(
        author=people["member"], initiative=gorki, visibility=visibility, tags=["биотехнологии"]
    )
    tag = idea.tags.get()
    users = [MembershipFactory(initiative=gorki).user for _ in range(followers)]
    for user in users:
        TagSubscriptionFactory(user=user, tag=tag)
    # 18: with pages in two languages, Wagtail's site root paths (cached afterwards) also
    # read the root page's translations.
    with django_assert_max_num_queries(18):
        send(signals.idea_published, idea=idea)
    assert _recipients("ideas.matching") == {user.pk for user in users}
