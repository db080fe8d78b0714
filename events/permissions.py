"""Who may do what with events: the one place views, templates, exports and e-mails ask.

- Every live event page is public (guests read it); what differs is who may **register**
  (``EventPage.audience``) and who sees the **online link** (registered participants).
- **Organisers** are the people who may edit the event's page in Wagtail admin (editors,
  the initiative's administrators through their Wagtail group, the portal admin); they see
  and export the registration list, mark attendance and see the ratings.
- Feedback comes from attendees of an event that has ended: a registration with a seat that
  was not marked absent, once.

Refusals are sentences for the person (shown on the page, kept with what they typed), not
error codes.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .extensions import is_portal_admin, member_initiative_ids
from .models import EventPage, Registration


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_event(user, event: EventPage) -> bool:
    """Organisers: whoever may edit the page in Wagtail admin, and the portal admin."""
    if not _signed_in(user):
        return False
    if is_portal_admin(user):
        return True
    return event.permissions_for_user(user).can_edit()


def may_register_as_guest(event: EventPage) -> bool:
    return event.audience == EventPage.Audience.EVERYONE


def registration_refusal(*, user, event: EventPage, now=None) -> str | None:
    """Why ``user`` (possibly a guest) may not register now, or None when they may.

    A person already registered is told so by the caller (the service looks it up under
    lock); this says whether the event takes registrations from them at all.
    """
    now = now or timezone.now()
    if event.cancelled:
        return _("This event was cancelled.")
    if not event.registration_enabled:
        return _("Registration for this event is not held on the site.")
    if event.has_ended(now):
        return _("This event has ended.")
    if event.has_started(now):
        return _("This event has already started; registration is closed.")
    if now >= event.registration_closes_at:
        closed = formats.date_format(
            timezone.localtime(event.registration_closes_at, event.zone), "DATETIME_FORMAT"
        )
        return _("Registration closed on %(date)s.") % {"date": closed}
    if event.audience == EventPage.Audience.EVERYONE:
        return None
    if not _signed_in(user):
        return _("Sign in to register: this event is for registered users of the platform.")
    if event.audience == EventPage.Audience.MEMBERS:
        if event.initiative_id is None or can_manage_event(user, event):
            return None
        if event.initiative_id not in member_initiative_ids(user):
            return _(
                "This event is for members of «%(initiative)s». Apply to join the "
                "initiative to register."
            ) % {"initiative": event.initiative.title}
    return None


def can_see_online_link(user, event: EventPage, registration: Registration | None) -> bool:
    """The link to join online: people with a seat, and the organisers."""
    if not event.online_url or event.format == EventPage.Format.OFFLINE:
        return False
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        return True
    return can_manage_event(user, event)


def can_cancel(registration: Registration, now=None) -> bool:
    return registration.is_active and not registration.event.has_started(now)


def feedback_refusal(*, registration: Registration | None, now=None) -> str | None:
    """Why this registration may not rate the event, or None."""
    if registration is None:
        return _("Only participants of the event can rate it.")
    event = registration.event
    if not event.has_ended(now):
        return _("The event can be rated after it ends.")
    if event.cancelled:
        return _("This event was cancelled.")
    if registration.status != Registration.Status.CONFIRMED or registration.attended is False:
        return _("Only participants of the event can rate it.")
    if hasattr(registration, "feedback"):
        return _("You have already rated this event.")
    return None
