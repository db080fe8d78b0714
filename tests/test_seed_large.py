"""``seed_demo --scale large`` with tiny volumes: the bulk steps make rows that agree with each
other (members before what they do, the chat's read state and inboxes, ratings of who came),
spread over the preset's months, and a second run makes nothing."""

from __future__ import annotations

import dataclasses
import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import GroupPagePermission, Page

from core import demo as core_demo
from core.demo import LARGE_EMAIL_DOMAIN, Volumes
from core.locales import originals
from events.models import EventPage, Feedback, Registration
from extranet.chat.models import Conversation, Inbox, Message, Participant
from extranet.dashboard.models import AudienceVisit
from extranet.feed.models import Comment, Post
from extranet.members.models import Membership, Profile, User
from ideas_exchange.models import Idea, IdeaComment, IdeaStageChange, Partnership
from initiatives.models import InitiativePage

pytestmark = pytest.mark.django_db

TINY = Volumes(
    initiatives=7,  # the demo's four and three generated
    users=150,
    organisations=12,
    posts=240,
    conversations=30,
    messages=700,
    events=9,  # the golden-ratio spread reaches the two months ahead from the ninth
    registrations_per_event=25,
    ideas=8,
    audience_visitors_per_day=12,
    months=24,
)
GENERATED = f"@{LARGE_EMAIL_DOMAIN}"


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setitem(core_demo.PRESETS, "large", TINY)
    return TINY


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    models = [
        User,
        Profile,
        EmailAddress,
        Membership,
        Post,
        Comment,
        Conversation,
        Participant,
        Inbox,
        Message,
        EventPage,
        Registration,
        Feedback,
        Idea,
        IdeaComment,
        Partnership,
        IdeaStageChange,
        AudienceVisit,
        InitiativePage,
        Page,
        GroupPagePermission,
        Group,
        User.groups.through,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_large_preset_makes_consistent_rows_over_two_years(home_page, tiny):
    """People with profiles, verified addresses and one shared password hash; memberships
    applied after registering and decided after applying; posts, comments, chat
    conversations, registrations and ideas only by who was a member by then; every count the
    chat keeps matches its messages; all of it within the preset's 24 months."""
    out = seed("--scale", "large")
    assert "seed_large_people" in out  # the bulk steps are timed
    now = timezone.now()
    oldest = now - datetime.timedelta(days=tiny.days + 1)

    people = User.objects.filter(email__endswith=GENERATED)
    assert people.count() == tiny.users
    assert Profile.objects.filter(user__in=people, organisation__isnull=False).count() == tiny.users
    assert EmailAddress.objects.filter(user__in=people, verified=True).count() == tiny.users
    assert len(set(people.values_list("password", flat=True))) == 1
    assert people.first().check_password("demo-password-2026")
    joined = list(people.values_list("date_joined", flat=True))
    assert min(joined) >= oldest and max(joined) <= now
    assert (max(joined) - min(joined)).days > 300

    memberships = Membership.objects.filter(user__in=people).select_related("user")
    assert {m.status for m in memberships} >= {"approved", "rejected"}
    since = {}
    for m in memberships:
        assert m.user.date_joined <= m.applied_at <= now
        if m.status == "pending":
            assert m.decided_at is None and m.approved_at is None
        else:
            assert m.applied_at <= m.decided_at <= now
        if m.status in ("approved", "removed"):
            assert m.applied_at <= m.approved_at <= m.decided_at
        if m.source == "invitation":
            assert m.applied_at == m.approved_at
        if m.status == "approved":
            since[(m.user_id, m.initiative_id)] = m.approved_at
    assert memberships.filter(source="invitation").exists()

    posts = Post.objects.filter(author__in=people)
    assert posts.count() == tiny.posts
    for post in posts:
        assert since[(post.author_id, post.initiative_id)] <= post.created_at <= now
    for comment in Comment.objects.filter(post__in=posts).select_related("post"):
        assert since[(comment.author_id, comment.post.initiative_id)] <= comment.created_at
        assert comment.created_at >= comment.post.created_at

    conversations = Conversation.objects.filter(user_a__in=people)
    assert conversations.count() == tiny.conversations
    messages = Message.objects.filter(conversation__in=conversations)
    assert messages.count() == tiny.messages
    # Ids follow the dates, as the chat's sends make them.
    dates = list(messages.order_by("id").values_list("created_at", flat=True))
    assert dates == sorted(dates)
    assert dates[0] >= oldest
    for conversation in conversations:
        a, b = conversation.user_a_id, conversation.user_b_id
        assert a < b
        initiatives_of = {u: {i for (who, i) in since if who == u} for u in (a, b)}
        assert initiatives_of[a] & initiatives_of[b], "both are members of one initiative"
        newest = conversation.messages.order_by("-id").first()
        assert conversation.last_message_id == newest.pk
        assert conversation.last_message_at == newest.created_at
        assert conversation.created_at == conversation.messages.order_by("id").first().created_at
        sides = {p.user_id: p for p in conversation.participants.all()}
        assert set(sides) == {a, b}
        for user_id, side in sides.items():
            unread = conversation.messages.filter(id__gt=side.last_read_id).exclude(
                sender_id=user_id
            )
            assert side.unread == unread.count()
            assert side.notified_through_id == newest.pk
    assert Participant.objects.filter(conversation__in=conversations, unread__gt=0).exists()
    for inbox in Inbox.objects.filter(user__in=people):
        mine = Participant.objects.filter(user_id=inbox.user_id)
        assert inbox.unread_total == mine.aggregate(n=Sum("unread"))["n"]
        last = Message.objects.filter(conversation__participants__user_id=inbox.user_id)
        assert inbox.last_message_id == last.aggregate(n=Max("id"))["n"]

    events = EventPage.objects.filter(slug__startswith="load-")
    assert events.count() == tiny.events
    assert events.filter(starts_at__lt=oldest + datetime.timedelta(days=60)).exists()
    assert events.filter(starts_at__gt=now).exists()
    registrations = Registration.objects.filter(event__in=events).select_related("event")
    assert registrations.exists()
    for registration in registrations:
        event = registration.event
        joined_at = [
            at
            for (user_id, initiative_id), at in since.items()
            if user_id == registration.user_id
            and (event.initiative_id is None or initiative_id == event.initiative_id)
        ]
        assert joined_at and min(joined_at) <= registration.created_at
        if not event.has_ended(now) or event.cancelled:
            assert registration.attended is None
    ratings = Feedback.objects.filter(event__in=events).select_related("registration")
    assert ratings.exists()
    assert all(r.registration.attended and r.created_at >= r.event.ends_at for r in ratings)

    ideas = Idea.objects.filter(author__in=people)
    assert ideas.count() == tiny.ideas
    assert {idea.kind for idea in ideas} == {"request", "offer", "project"}
    for comment in IdeaComment.objects.filter(idea__in=ideas).select_related("idea"):
        assert comment.created_at >= comment.idea.created_at
    for partnership in Partnership.objects.filter(idea__in=ideas).select_related("idea"):
        assert partnership.user_id != partnership.idea.author_id
        assert partnership.created_at >= partnership.idea.created_at
    for idea in ideas.filter(kind="project"):
        stages = list(idea.stage_changes.values_list("stage", flat=True))
        assert stages[-1] == idea.stage

    days = AudienceVisit.objects.values_list("day", flat=True)
    assert (max(days) - min(days)).days >= tiny.days - 2


def test_the_generated_people_can_use_the_chat(client, home_page, tiny):
    """A generated member with an unread conversation signs in with the demo password and
    opens the conversation list and the conversation."""
    seed("--scale", "large")
    side = Participant.objects.filter(unread__gt=0, user__email__endswith=GENERATED).select_related(
        "user", "conversation"
    )[0]
    assert client.login(email=side.user.email, password="demo-password-2026")
    with translation.override("ru"):
        index = reverse("chat:index")
        detail = reverse("chat:conversation", args=[side.conversation_id])
    assert client.get(index).status_code == 200
    assert client.get(detail).status_code == 200


def test_a_second_run_creates_nothing(home_page, tiny):
    """Running the large preset again, and then the plain demo, adds no row anywhere."""
    seed("--scale", "large")
    before = counts()
    assert before["User"] > tiny.users and before["Message"] >= tiny.messages
    again = seed("--scale", "large")
    assert "created nothing" in again
    seed()
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_what_the_demo_announces_reaches_no_generated_person(tiny):
    """With real commits: the hand-written demo's announcements (a new event to its
    initiative's members) are sent when it commits, before the bulk steps make anyone, so
    no generated person gets a notice or an e-mail; the demo's members do."""
    from notifications.models import Notification

    from core.models import OutgoingEmail
    from tests.factories import ensure_home_page

    ensure_home_page()
    seed("--scale", "large")
    people = User.objects.filter(email__endswith=GENERATED)
    assert people.count() == tiny.users
    assert Notification.objects.exclude(recipient__in=people).exists()
    assert not Notification.objects.filter(recipient__in=people).exists()
    addressed = [
        address for to in OutgoingEmail.objects.values_list("to", flat=True) for address in to
    ]
    assert addressed and not [a for a in addressed if a.endswith(GENERATED)]


def test_scale_takes_a_number_or_a_preset_name(home_page):
    """An unknown name is refused with the choices; numbers below 1 still are."""
    with pytest.raises(CommandError, match="large"):
        seed("--scale", "huge")
    with pytest.raises(CommandError, match="1 or more"):
        seed("--scale", "0")


def test_generated_initiatives_events_and_ideas_hang_together(client, home_page, tiny):
    """The preset tops the demo's four initiatives up to ``initiatives`` with live pages under
    /initiatives/ (region, industries, contact card), each with its Wagtail group holding its
    generated admins, who decide its applications; the generated people and their posts,
    events and ideas are spread over the generated initiatives too; the events inserted in
    bulk sit in a valid tree, carry their initiative's admin permissions, and every page
    answers 200."""
    seed("--scale", "large")
    index = originals(Page.objects.filter(slug="initiatives")).get()
    initiatives = InitiativePage.objects.child_of(index)
    assert initiatives.count() == tiny.initiatives
    generated = list(initiatives.filter(slug__startswith="load-").order_by("path"))
    assert len(generated) == tiny.initiatives - 4
    people = User.objects.filter(email__endswith=GENERATED)
    for page in generated:
        assert page.live and page.region and page.industries.exists()
        assert page.contact_name and page.summary and page.short_name
        assert page.url_path == f"{index.url_path}{page.slug}/"
        admins = Membership.objects.filter(initiative=page, role="admin", status="approved")
        assert admins.exists() and all(m.user.email.endswith(GENERATED) for m in admins)
        assert page.admin_group is not None
        assert set(page.admin_group.user_set.values_list("pk", flat=True)) == {
            m.user_id for m in admins
        }
        decided = Membership.objects.filter(initiative=page, decided_by__isnull=False).exclude(
            role="admin"
        )
        assert set(decided.values_list("decided_by_id", flat=True)) <= {m.user_id for m in admins}
        assert Membership.objects.filter(
            initiative=page, status="approved", role="member", user__in=people
        ).exists()
    ids = {page.pk for page in generated}
    assert Post.objects.filter(initiative_id__in=ids).exists()
    assert Idea.objects.filter(author__in=people).exclude(initiative__isnull=True).exists()
    all_ids = set(initiatives.values_list("pk", flat=True))
    assert (
        set(Idea.objects.filter(initiative__isnull=False).values_list("initiative_id", flat=True))
        <= all_ids
    )

    events_index = originals(Page.objects.filter(slug="events")).get()
    events = list(EventPage.objects.child_of(events_index).filter(slug__startswith="load-"))
    assert len(events) == tiny.events
    assert {event.initiative_id for event in events} & ids, "generated initiatives have events"
    assert Page.find_problems() == ([], [], [], [], [])
    events_index.refresh_from_db()
    assert events_index.numchild == events_index.get_children().count()
    for event in events:
        assert event.url_path == f"{events_index.url_path}{event.slug}/"
        assert event.live and event.first_published_at
        if event.initiative_id:
            group = event.initiative.admin_group_id
            granted = GroupPagePermission.objects.filter(page=event, group_id=group)
            assert granted.count() == 4

    event = next(e for e in events if e.initiative_id in ids)
    with translation.override("ru"):
        urls = ["/", index.url, generated[0].url, events_index.url, event.url]
    for url in urls:
        assert client.get(url).status_code == 200, url
    html = client.get(generated[0].url).content.decode()
    assert generated[0].short_name in html or generated[0].title in html

    member = Membership.objects.filter(
        initiative=generated[0], status="approved", role="member"
    ).first()
    assert client.login(email=member.user.email, password="demo-password-2026")
    with translation.override("ru"):
        feed = reverse("groups:feed", kwargs={"slug": generated[0].slug})
    assert client.get(feed).status_code == 200


def test_the_preset_tops_up_to_the_initiatives_it_names(home_page, monkeypatch):
    """With no more initiatives than the demo's own the preset generates none."""
    monkeypatch.setitem(
        core_demo.PRESETS, "large", dataclasses.replace(TINY, initiatives=4, users=40, posts=20)
    )
    seed("--scale", "large")
    assert not InitiativePage.objects.filter(slug__startswith="load-").exists()
    assert originals(InitiativePage.objects.all()).count() == 4
