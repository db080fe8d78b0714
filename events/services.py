"""Writes of events: registration, confirmation, cancellation and the waiting list, ratings,
attendance, the announcement of a new event and the reminders the day before.

Seats are counted under a lock on the event's row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite serialises writers), so two people taking the last seat at the same moment get one
seat and one place on the waiting list. People with accounts are told through the signals
of ``events.signals`` (the extranet turns them into notices); guests, who have no account,
are e-mailed from here, in the site's default language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.email import send_templated_email
from core.locales import originals
from core.pagecache import purge

from . import permissions, signals
from . import selectors_registration as selectors
from .models import EventPage, Feedback, Registration
from .tokens import registration_token

Status = Registration.Status


class RegistrationRefused(Exception):
    """Why a registration, a confirmation or a rating was not made: a sentence for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def already_registered_message() -> str:
    return _("You are already registered for this event.")


def _locked_event(event: EventPage) -> EventPage:
    # The event's own row (not Wagtail's page row): every seat decision takes this lock, so
    # it is where the guests' cached page of the event (whether seats are left) is purged.
    purge(f"page:{event.pk}")
    return EventPage.objects.select_for_update(of=("self",)).only("pk", "capacity").get(pk=event.pk)


def _has_free_seat(event: EventPage, *, now, exclude_id: int | None = None) -> bool:
    if event.capacity is None:
        return True
    taken = selectors.seats_taken(event=event, now=now, exclude_id=exclude_id)
    return taken < event.capacity


# --- Registration ------------------------------------------------------------------------------


def registration_create(
    *,
    event: EventPage,
    user=None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    now=None,
) -> Registration:
    """Register ``user`` (one click: name and organisation from their profile) or a guest
    (``name``, ``email``, ``organisation``; pending until they open the e-mailed link).

    A signed-in person gets a seat, or a place on the waiting list when the seats are taken;
    a guest's unconfirmed registration holds a seat for ``PENDING_HOLDS_SEAT``. Raises
    ``RegistrationRefused`` with the sentence to show: the event does not take them
    (``permissions.registration_refusal``) or they are registered already (also when the
    database's unique constraints catch a simultaneous second request).
    """
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    refusal = permissions.registration_refusal(
        user=user if signed_in else None, event=event, now=now
    )
    if refusal:
        raise RegistrationRefused(refusal)
    if signed_in:
        from .extensions import registrant_details

        details = registrant_details(user)
        name = details.get("name") or user.email
        organisation = details.get("organisation") or ""
        email = user.email
    else:
        user = None
    email = (email or "").strip()
    name = (name or "")[: Registration._meta.get_field("name").max_length]
    organisation = (organisation or "")[: Registration._meta.get_field("organisation").max_length]
    try:
        with transaction.atomic():
            locked = _locked_event(event)
            existing = selectors.active_registration_for(event=event, user=user, email=email)
            if existing is not None and _stale_pending(existing, now=now):
                # An unconfirmed registration past its hold: the person starts again.
                _cancel_row(existing, now=now)
                existing = None
            if existing is not None:
                raise RegistrationRefused(already_registered_message())
            if user is None:
                status = Status.PENDING
            elif _has_free_seat(locked, now=now):
                status = Status.CONFIRMED
            else:
                status = Status.WAITLISTED
            registration = Registration.objects.create(
                event=event,
                user=user,
                name=name,
                email=email,
                organisation=organisation,
                status=status,
                created_at=now,
                queued_at=now,
                confirmed_at=now if status == Status.CONFIRMED else None,
            )
    except IntegrityError as exc:
        # The partial unique constraints: the same person's second request at the same moment.
        raise RegistrationRefused(already_registered_message()) from exc
    registration.event = event
    if user is None:
        _mail_on_commit(registration, "guest_confirmation")
    return registration


def _stale_pending(registration: Registration, *, now) -> bool:
    return (
        registration.status == Status.PENDING
        and registration.created_at <= selectors.pending_fresh_since(now)
    )


def registration_confirm(*, registration: Registration, now=None) -> Registration:
    """A guest opened their link and pressed «Confirm»: a seat when one is free, else the
    waiting list. Confirming twice changes nothing. ``RegistrationRefused`` when the event no
    longer takes registrations (cancelled, started, past its deadline)."""
    now = now or timezone.now()
    if registration.status != Status.PENDING:
        return registration
    event = registration.event
    refusal = permissions.registration_refusal(user=None, event=event, now=now)
    if refusal:
        raise RegistrationRefused(refusal)
    with transaction.atomic():
        locked = _locked_event(event)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Status.PENDING:
            registration.refresh_from_db()
            return registration
        if _has_free_seat(locked, now=now, exclude_id=registration.pk):
            changes = {"status": Status.CONFIRMED, "confirmed_at": now}
        else:
            changes = {"status": Status.WAITLISTED, "queued_at": now}
        Registration.objects.filter(pk=registration.pk).update(**changes)
        for field, value in changes.items():
            setattr(registration, field, value)
    _mail_on_commit(registration, "registration_confirmed")
    return registration


def registration_cancel(*, registration: Registration, now=None) -> list[Registration]:
    """Cancel a registration and move the waiting list up into the seat it freed.

    Returns the registrations promoted. The secret changes, so the old links stop working.
    Cancelling a cancelled registration changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_event(registration.event)
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None or current.status == Status.CANCELLED:
            return []
        _cancel_row(registration, now=now)
        return waitlist_promote(event=registration.event, now=now)


def _cancel_row(registration: Registration, *, now) -> None:
    from .models import _registration_secret

    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.secret = _registration_secret()
    Registration.objects.filter(pk=registration.pk).update(
        status=Status.CANCELLED, cancelled_at=now, secret=registration.secret
    )


def waitlist_promote(*, event: EventPage, now=None) -> list[Registration]:
    """Give the free seats to the waiting list in the order people joined it.

    People with accounts are told through ``registration_promoted`` (a notice), guests by
    e-mail, after the commit. Returns the registrations promoted."""
    now = now or timezone.now()
    if event.has_started(now) or event.cancelled:
        return []
    with transaction.atomic():
        locked = _locked_event(event)
        queue = Registration.objects.filter(event_id=event.pk, status=Status.WAITLISTED).order_by(
            "queued_at", "pk"
        )
        if locked.capacity is not None:
            free = locked.capacity - selectors.seats_taken(event=event, now=now)
            if free <= 0:
                return []
            queue = queue[:free]
        promoted = list(queue)
        if not promoted:
            return []
        Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
            status=Status.CONFIRMED, confirmed_at=now, promoted_at=now
        )
        for registration in promoted:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = registration.promoted_at = now
            registration.event = event
            if registration.user_id is not None:
                transaction.on_commit(
                    lambda r=registration: signals.registration_promoted.send(
                        sender=Registration, registration=r
                    )
                )
            else:
                _mail_on_commit(registration, "promotion")
    return promoted


def attendance_mark(*, registration: Registration, attended: bool | None) -> Registration:
    """The organisers' mark: came (True), did not come (False) or not marked (None)."""
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


# --- Feedback ----------------------------------------------------------------------------------


def feedback_create(
    *, registration: Registration, rating: int, comment: str = "", now=None
) -> Feedback:
    """An attendee's rating (1–5), once: ``RegistrationRefused`` with the reason otherwise
    (also when a simultaneous second one hits the one-to-one constraint)."""
    refusal = permissions.feedback_refusal(registration=registration, now=now)
    if refusal:
        raise RegistrationRefused(refusal)
    if not 1 <= int(rating) <= 5:
        raise RegistrationRefused(_("Choose a rating from 1 to 5."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                registration=registration,
                event_id=registration.event_id,
                rating=int(rating),
                comment=comment[: Feedback._meta.get_field("comment").max_length],
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:
        raise RegistrationRefused(_("You have already rated this event.")) from exc
    return feedback


# --- Announcements and reminders ---------------------------------------------------------------


def event_announce(*, event: EventPage, now=None) -> bool:
    """Tell the initiative's members about a new event, once: the first call sets
    ``announced_at`` in one UPDATE and sends ``event_announced`` after the commit; later
    calls (republishing) do nothing. Returns whether this call announced it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = EventPage.objects.filter(pk=event.pk, announced_at__isnull=True).update(
            announced_at=now
        )
        if not claimed:
            return False
        event.announced_at = now
        transaction.on_commit(lambda: signals.event_announced.send(sender=EventPage, event=event))
    return True


REMINDER_AHEAD = timezone.timedelta(hours=24)


def reminders_send(*, now=None) -> int:
    """Remind the people with a seat at events starting within the next 24 hours, once.

    Each event's due registrations are claimed with one UPDATE setting ``reminded_at`` (to
    this run's own instant, which then finds them), so a second or simultaneous run reminds
    nobody twice. People with accounts are told through ``event_reminder``; guests get an
    e-mail with the calendar file's link and their cancel link. Returns how many were reminded.
    """
    now = now or timezone.now()
    events = list(
        originals(EventPage.objects.live())
        .filter(
            cancelled=False,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_AHEAD,
            registrations__status=Status.CONFIRMED,
            registrations__reminded_at__isnull=True,
        )
        .distinct()
        .select_related("initiative")
    )
    reminded = 0
    for event in events:
        with transaction.atomic():
            claim = timezone.now()
            Registration.objects.filter(
                event_id=event.pk, status=Status.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=claim)
            claimed = list(Registration.objects.filter(event_id=event.pk, reminded_at=claim))
            for registration in claimed:
                registration.event = event
                if registration.user_id is None:
                    _mail_on_commit(registration, "reminder")
            users = [r for r in claimed if r.user_id is not None]
            if users:
                transaction.on_commit(
                    lambda e=event, rs=users: signals.event_reminder.send(
                        sender=EventPage, event=e, registrations=rs
                    )
                )
            reminded += len(claimed)
    return reminded


# --- Guests' e-mail ----------------------------------------------------------------------------


def event_path(event: EventPage, subpage: str | None = None, **kwargs) -> str:
    """The event's address (or one of its routes) without a language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        base = event.get_url() or event.url_path
        if subpage is None:
            return base
        return base.rstrip("/") + "/" + event.reverse_subpage(subpage, kwargs=kwargs or None)


def registration_link(registration: Registration) -> str:
    return settings.SITE_URL + event_path(
        registration.event, "registration", token=registration_token(registration)
    )


SUBJECTS = {
    "guest_confirmation": lambda: _("Confirm your registration: %(title)s"),
    "registration_confirmed": lambda: _("You are registered: %(title)s"),
    "promotion": lambda: _("A seat became free for you: %(title)s"),
    "reminder": lambda: _("Reminder: %(title)s"),
}


def guest_email_send(*, registration: Registration, template: str) -> None:
    """One of a guest's e-mails (confirmation, confirmed, promotion, reminder), in the
    site's default language, keyed so the same message is never queued twice."""
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "event_url": settings.SITE_URL + event_path(event),
            "ics_url": settings.SITE_URL + event_path(event, "event_ics"),
            "manage_url": registration_link(registration),
            "starts": timezone.localtime(event.starts_at, event.zone),
            "ends": timezone.localtime(event.ends_at, event.zone),
            "time_zone": event.time_zone,
            "confirmed": registration.status == Status.CONFIRMED,
            "online_url": (
                event.online_url
                if permissions.can_see_online_link(None, event, registration)
                else ""
            ),
        }
        send_templated_email(
            to=[registration.email],
            subject=SUBJECTS[template]() % {"title": event.title},
            template=f"events/email/{template}",
            context=context,
            key=f"events.{template}:{registration.pk}:{registration.status}",
            kind=f"events.{template}",
        )


def _mail_on_commit(registration: Registration, template: str) -> None:
    transaction.on_commit(lambda: guest_email_send(registration=registration, template=template))
