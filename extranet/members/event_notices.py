"""Events' signals turned into notices (``extranet.notices.services.notify``).

``events`` is a public app and knows nothing of the extranet: it sends the signals of
``events.signals`` after its changes commit, and this module (imported by
``MembersConfig.ready``) decides who is told. A new event goes to the approved members of its
initiative (nobody for a platform-wide event); the reminder the day before to the people
with accounts and a seat; a seat from the waiting list to its person. Guests are e-mailed by
``events.services`` itself.
"""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events import signals
from extranet.notices.kinds import Category, NoticeKind, register_kind
from extranet.notices.services import notify

from .models import Membership

EVENT_ANNOUNCED = register_kind(
    NoticeKind(
        key="events.announced",
        category=Category.EVENTS,
        text=_("New event in «%(initiative)s»: %(title)s"),
    )
)
EVENT_REMINDER = register_kind(
    NoticeKind(
        key="events.reminder",
        category=Category.EVENTS,
        text=_("Reminder: «%(title)s» starts within a day"),
    )
)
EVENT_PROMOTED = register_kind(
    NoticeKind(
        key="events.promoted",
        category=Category.EVENTS,
        text=_("A seat became free for you: you are registered for «%(title)s»"),
    )
)


def event_path(event) -> str:
    """The event page's address without a language prefix (each reader's link gets theirs)."""
    with translation.override(settings.LANGUAGE_CODE):
        return event.get_url() or event.url


@receiver(signals.event_announced, dispatch_uid="members.notify_event_announced")
def event_announced(sender, event, **kwargs):
    if event.initiative_id is None:
        return
    members = Membership.objects.filter(
        initiative_id=event.initiative_id, status=Membership.Status.APPROVED
    ).values_list("user_id", flat=True)
    notify(
        kind=EVENT_ANNOUNCED.key,
        recipients=list(members),
        target=event,
        initiative=event.initiative,
        url=event_path(event),
        params={"title": event.title},
        excerpt=event.intro,
    )


@receiver(signals.event_reminder, dispatch_uid="members.notify_event_reminder")
def event_reminder(sender, event, registrations, **kwargs):
    recipients = [r.user_id for r in registrations if r.user_id is not None]
    if not recipients:
        return
    notify(
        kind=EVENT_REMINDER.key,
        recipients=recipients,
        target=event,
        initiative=event.initiative,
        url=event_path(event),
        params={"title": event.title},
    )


@receiver(signals.registration_promoted, dispatch_uid="members.notify_registration_promoted")
def registration_promoted(sender, registration, **kwargs):
    if registration.user_id is None:
        return
    event = registration.event
    notify(
        kind=EVENT_PROMOTED.key,
        recipients=[registration.user_id],
        target=event,
        initiative=event.initiative,
        url=event_path(event),
        params={"title": event.title},
    )
