"""What events does when something happens elsewhere (connected by ``EventsConfig.ready``).

- An event page published for the first time is announced to its initiative's members
  (``services.event_announce``, once: ``announced_at``); every publication also moves the
  waiting list up, in case the organisers added seats.
- A deleted account's registrations stay, anonymised (seats, attendance and ratings still
  count): the name becomes «Удалённый пользователь», the e-mail a unique undeliverable
  address, the organisation empty, the user none, the secret new (old links stop working).
  Registrations for events that have not started are cancelled first, which frees their
  seats for the waiting list.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from . import exports  # noqa: F401 - registers the account export section
from .models import EventPage, Registration

DELETED_NAME = "Удалённый пользователь"
# RFC 2606: nothing under .invalid is ever delivered.
DELETED_EMAIL_DOMAIN = "deleted.invalid"


def _first_publication(page: EventPage) -> bool:
    # Wagtail sets both to the same instant on the first publication only. announced_at
    # alone cannot say it: a later revision, saved before the announcement, carries None.
    first, last = page.first_published_at, page.last_published_at
    return first is not None and (last is None or first == last)


@receiver(page_published, sender=EventPage, dispatch_uid="events.event_published")
def event_published(sender, instance: EventPage, **kwargs):
    from . import services

    if _first_publication(instance) and instance.announced_at is None:
        services.event_announce(event=instance)
    services.waitlist_promote(event=instance)


def account_registrations_anonymise(*, user_id: int) -> int:
    """Cancel the person's registrations for events still ahead, then anonymise all of them."""
    from . import services

    now = timezone.now()
    ahead = Registration.objects.filter(
        user_id=user_id, status__in=Registration.ACTIVE, event__starts_at__gt=now
    ).select_related("event")
    for registration in ahead:
        services.registration_cancel(registration=registration, now=now)
    return Registration.objects.filter(user_id=user_id).update(
        user=None,
        name=DELETED_NAME,
        email=Concat(Value("deleted-"), Cast("pk", CharField()), Value(f"@{DELETED_EMAIL_DOMAIN}")),
        organisation="",
        secret=Concat(Value("deleted-"), Cast("pk", CharField())),
    )


def _connect_account_deletion():
    pre_delete.connect(
        _account_deleted, sender=get_user_model(), dispatch_uid="events.account_deleted"
    )


def _account_deleted(sender, instance, **kwargs):
    account_registrations_anonymise(user_id=instance.pk)


_connect_account_deletion()
