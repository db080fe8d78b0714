"""Reads of registrations and ratings: the viewer's registration, seats, an event's numbers."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .models import EventPage, Feedback, Registration

# A guest's unconfirmed registration holds a seat this long; after that it no longer counts
# against the capacity (the guest may still confirm, and gets a seat if one is free then).
PENDING_HOLDS_SEAT = datetime.timedelta(hours=48)

Status = Registration.Status


def pending_fresh_since(now=None) -> datetime.datetime:
    return (now or timezone.now()) - PENDING_HOLDS_SEAT


def seat_holders(now=None) -> Q:
    """Registrations that take a seat: confirmed ones and guests' fresh unconfirmed ones."""
    return Q(status=Status.CONFIRMED) | Q(
        status=Status.PENDING, created_at__gt=pending_fresh_since(now)
    )


def seats_taken(*, event: EventPage, now=None, exclude_id: int | None = None) -> int:
    rows = Registration.objects.filter(seat_holders(now), event_id=event.pk)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    return rows.count()


def viewer_registration(*, user, event: EventPage) -> Registration | None:
    """The signed-in viewer's active registration for ``event`` (guests have none here:
    theirs opens from the link in their e-mails), with its rating when there is one."""
    if user is None or not user.is_authenticated:
        return None
    registration = (
        Registration.objects.filter(
            event_id=event.pk, user_id=user.pk, status__in=Registration.ACTIVE
        )
        .select_related("feedback")
        .first()
    )
    if registration is not None:
        registration.event = event
    return registration


def active_registration_for(*, event: EventPage, user=None, email: str = "") -> Registration | None:
    """An active registration of ``event`` by this user or e-mail address (any case)."""
    match = Q()
    if user is not None:
        match |= Q(user_id=user.pk)
    if email:
        match |= Q(email__iexact=email)
    if not match:
        return None
    return (
        Registration.objects.filter(match, event_id=event.pk, status__in=Registration.ACTIVE)
        .order_by("pk")
        .first()
    )


def event_stats(*, event: EventPage, now=None) -> dict:
    """What organisers see on the page: seats, the waiting list, the ratings (two queries)."""
    fresh = pending_fresh_since(now)
    counts = Registration.objects.filter(event_id=event.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        pending=Count("pk", filter=Q(status=Status.PENDING, created_at__gt=fresh)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    ratings = Feedback.objects.filter(event_id=event.pk).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    taken = counts["confirmed"] + counts["pending"]
    return {
        "confirmed": counts["confirmed"],
        "pending": counts["pending"],
        "seats_taken": taken,
        "capacity": event.capacity,
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "waitlist": counts["waitlisted"],
        "attended": counts["attended"],
        "rating_average": ratings["average"],
        "rating_count": ratings["count"],
    }


def registration_export(*, user) -> list[dict]:
    """The person's registrations and ratings, for their data export (one query)."""
    rows = (
        Registration.objects.filter(user_id=user.pk)
        .select_related("event", "feedback")
        .order_by("created_at", "pk")
    )
    export = []
    for registration in rows:
        feedback = getattr(registration, "feedback", None) if _has_feedback(registration) else None
        export.append(
            {
                "event": registration.event.title,
                "event_starts_at": registration.event.starts_at,
                "name": registration.name,
                "email": registration.email,
                "organisation": registration.organisation,
                "status": registration.status,
                "attended": registration.attended,
                "created_at": registration.created_at,
                "confirmed_at": registration.confirmed_at,
                "cancelled_at": registration.cancelled_at,
                "feedback": (
                    {
                        "rating": feedback.rating,
                        "comment": feedback.comment,
                        "created_at": feedback.created_at,
                    }
                    if feedback is not None
                    else None
                ),
            }
        )
    return export


def _has_feedback(registration: Registration) -> bool:
    return hasattr(registration, "feedback")
