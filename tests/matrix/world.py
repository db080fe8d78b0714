"""The objects the matrix requests: for initiative X («gorki») and initiative Y («polotsk»)
one of each kind a URL can name, built once per test through the factories and the apps'
own services, plus the contacts (e-mails, phones) the leak scan looks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import translation

from tests.factories import (
    MINIMAL_PDF,
    AttachmentFactory,
    CommentFactory,
    MembershipFactory,
    PostFactory,
    ProfileFactory,
    _png_bytes,
)

# The people whose contacts the scan looks for: every signed-in role, plus a blocked member
# of X (consent withdrawn) and a second applicant of X.
SUBJECTS = [
    "registered",
    "editor",
    "pending",
    "other_member",
    "member",
    "initiative_admin",
    "portal_admin",
    "blocked",
    "applicant_x",
]


@dataclass
class Person:
    key: str
    user: object
    email: str
    phone: str  # digits only, as typed: +375 29 …


@dataclass
class World:
    x: object
    y: object
    people: dict
    persons: dict[str, Person] = field(default_factory=dict)
    o: SimpleNamespace = field(default_factory=SimpleNamespace)


def _phone(n: int) -> str:
    # Distinct numbers of one pattern the pages never show otherwise (+375 44 7xx xx xx).
    return f"+3754471{n:05d}"


def build_world(people, gorki, polotsk) -> World:
    """Everything the URL table names, for X = gorki and Y = polotsk."""
    from notifications.models import Notification

    from core.models import OutgoingEmail
    from events.models import EventPage
    from events.services import event_path
    from events.tokens import registration_token
    from extranet.chat import services as chat_services
    from extranet.chat.models import Broadcast, MessageAttachment
    from extranet.members.invitations import invitation_create
    from extranet.members.models import Membership, Profile
    from extranet.members.profiles import consent_withdraw
    from extranet.notices.tokens import unsubscribe_token
    from ideas_exchange.models import Idea, IdeaAttachment
    from tests.events.factories import EventPageFactory, RegistrationFactory
    from tests.ideas_exchange.factories import IdeaFactory, PartnershipFactory, ideas_page

    o = SimpleNamespace()
    # X hides phones in its directory (only the person and the portal admin see them there);
    # Y shows them to its members.
    type(gorki).objects.filter(pk=gorki.pk).update(directory_shows_phone=False)
    gorki.refresh_from_db()
    polotsk.refresh_from_db()

    everyone = dict(people)
    everyone["blocked"] = MembershipFactory(initiative=gorki).user
    everyone["applicant_x"] = MembershipFactory(initiative=gorki, status="pending").user
    world = World(x=gorki, y=polotsk, people=people)
    for n, key in enumerate(SUBJECTS):
        user = everyone[key]
        phone = _phone(n + 1)
        ProfileFactory(user=user)
        Profile.objects.filter(user=user).update(phone=phone)
        world.persons[key] = Person(key=key, user=user, email=user.email, phone=phone)
    # Photos, so /files/photos/<id>/ has something to refuse or serve.
    for key in ("member", "other_member", "pending"):
        profile = Profile.objects.get(user=everyone[key])
        profile.photo.save("p.jpg", ContentFile(_png_bytes()), save=True)

    member, admin = people["member"], people["initiative_admin"]
    # As the portal admin's role change does: X's admin joins X's Wagtail group.
    from initiatives.services import initiative_admin_sync

    initiative_admin_sync(user=admin, initiative=gorki, is_admin=True)
    other, portal = people["other_member"], people["portal_admin"]

    # Feed: a post, comment and attachment in each group, plus one post per group to delete.
    o.post_x = PostFactory(initiative=gorki, author=member, text="Пост X")
    o.post_y = PostFactory(initiative=polotsk, author=other, text="Пост Y")
    o.post_x_del = PostFactory(initiative=gorki, author=member, text="Удаляемый X")
    o.post_y_del = PostFactory(initiative=polotsk, author=other, text="Удаляемый Y")
    o.comment_x = CommentFactory(post=o.post_x, author=member)
    o.comment_y = CommentFactory(post=o.post_y, author=other)
    o.file_x = AttachmentFactory(post=o.post_x)
    o.file_y = AttachmentFactory(post=o.post_y)

    # Applications and invitations: sacrificial ones the admins may decide or revoke.
    o.approve_x = MembershipFactory(initiative=gorki, status="pending")
    o.approve_y = MembershipFactory(initiative=polotsk, status="pending")
    o.reject_x = MembershipFactory(initiative=gorki, status="pending")
    o.reject_y = MembershipFactory(initiative=polotsk, status="pending")
    o.invitation_x, o.token_x = invitation_create(
        initiative=gorki, email="invited-x@example.com", invited_by=admin
    )
    o.invitation_y, o.token_y = invitation_create(
        initiative=polotsk, email="invited-y@example.com", invited_by=portal
    )
    o.revoke_x, _ = invitation_create(
        initiative=gorki, email="revoke-x@example.com", invited_by=admin
    )
    o.revoke_y, _ = invitation_create(
        initiative=polotsk, email="revoke-y@example.com", invited_by=portal
    )
    o.pending_membership = Membership.objects.get(user=people["pending"], initiative=gorki)
    o.member_membership = Membership.objects.get(user=member, initiative=gorki)
    o.other_membership = Membership.objects.get(user=other, initiative=polotsk)

    # Chat: X's member and admin; Y's member and the portal admin; a file in each.
    o.conv_x = chat_services.conversations_ensure(user_id=member.pk, other_ids=[admin.pk])[admin.pk]
    o.conv_y = chat_services.conversations_ensure(user_id=other.pk, other_ids=[portal.pk])[
        portal.pk
    ]
    o.message_x = chat_services.message_send(
        sender=member, conversation=o.conv_x, body="Привет X", publish=False
    )
    o.message_y = chat_services.message_send(
        sender=other, conversation=o.conv_y, body="Привет Y", publish=False
    )
    for name, message, conv in (("x", o.message_x, o.conv_x), ("y", o.message_y, o.conv_y)):
        attachment = MessageAttachment(
            message=message,
            conversation=conv,
            name=f"chat-{name}.pdf",
            content_type="application/pdf",
            size=len(MINIMAL_PDF),
        )
        attachment.file.save(f"chat-{name}.pdf", ContentFile(MINIMAL_PDF), save=True)
        setattr(o, f"chat_file_{name}", attachment)
    o.broadcast = Broadcast.objects.create(
        sender=portal, audience="all", body="Всем привет", status="done"
    )

    # Notifications: one of the member's, one of Y's member.
    user_type = ContentType.objects.get_for_model(member)
    for name, user in (("x", member), ("y", other)):
        note = Notification.objects.create(
            recipient=user,
            actor_content_type=user_type,
            actor_object_id=str(user.pk),
            verb="feed.post_new",
            unread=True,
            data={"kind": "feed.post_new", "params": {}, "url": "/cabinet/"},
        )
        setattr(o, f"notification_{name}", note)
    o.unsubscribe = unsubscribe_token(user_id=member.pk, scope="digest")
    o.outgoing = OutgoingEmail.objects.create(
        to=[member.email],
        from_email="Платформа <noreply@example.com>",
        subject="Тема",
        body="Текст",
        kind="notice:feed.post_new",
        status="failed",
    )

    # Events: one per initiative for its members, one open to everyone; the member's seat.
    o.event_x = EventPageFactory(
        slug="event-x", initiative=gorki, audience=EventPage.Audience.MEMBERS
    )
    o.event_y = EventPageFactory(
        slug="event-y", initiative=polotsk, audience=EventPage.Audience.MEMBERS
    )
    o.event_open = EventPageFactory(slug="event-open")
    o.registration_x = RegistrationFactory(event=o.event_x, user=member, email=member.email)
    o.registration_token = registration_token(o.registration_x)
    with translation.override("ru"):
        o.event_paths = {key: event_path(getattr(o, f"event_{key}")) for key in ("x", "y", "open")}

    # Ideas: members-only ones of X and Y, a public one, a project of X with a partnership.
    o.ideas = ideas_page()
    o.idea_x = IdeaFactory(
        author=member, initiative=gorki, visibility=Idea.Visibility.MEMBERS, title="Идея X"
    )
    o.idea_y = IdeaFactory(
        author=other, initiative=polotsk, visibility=Idea.Visibility.MEMBERS, title="Идея Y"
    )
    o.idea_public = IdeaFactory(author=people["registered"], title="Идея для всех")
    o.project_x = IdeaFactory(
        author=member,
        initiative=gorki,
        visibility=Idea.Visibility.MEMBERS,
        kind=Idea.Kind.PROJECT,
        title="Проект X",
    )
    o.partnership_x = PartnershipFactory(idea=o.project_x)
    o.project_y = IdeaFactory(
        author=other,
        initiative=polotsk,
        visibility=Idea.Visibility.MEMBERS,
        kind=Idea.Kind.PROJECT,
        title="Проект Y",
    )
    o.partnership_y = PartnershipFactory(idea=o.project_y)
    for name, idea in (("x", o.idea_x), ("y", o.idea_y), ("public", o.idea_public)):
        attachment = IdeaAttachment(
            idea=idea, name=f"idea-{name}.pdf", content_type="application/pdf", size=1
        )
        attachment.file.save(f"idea-{name}.pdf", ContentFile(MINIMAL_PDF), save=True)
        setattr(o, f"idea_file_{name}", attachment)
    with translation.override("ru"):
        o.ideas_url = o.ideas.url

    # A public Wagtail document.
    from wagtail.documents import get_document_model

    document = get_document_model()(title="Устав")
    document.file.save("ustav.pdf", ContentFile(MINIMAL_PDF), save=True)
    o.document = document

    # The blocked member withdraws consent last (their rows above stay, as on the site).
    consent_withdraw(user=everyone["blocked"])
    everyone["blocked"].refresh_from_db()
    o.blocked = everyone["blocked"]
    o.applicant_x = everyone["applicant_x"]
    world.o = o
    return world
