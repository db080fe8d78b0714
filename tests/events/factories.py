"""factory_boy factories for events (issue 12), shared by every events test module.

Names are stable (other test modules import them): ``event_index``, ``EventKindFactory``,
``EventPageFactory``, ``RegistrationFactory``, ``FeedbackFactory``.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from events.models import EventIndexPage, EventKind, EventPage, Feedback, Registration
from tests.factories import UserFactory, ensure_home_page


def event_index() -> EventIndexPage:
    """The site's /events/ page under the home page, created once (it is a singleton)."""
    existing = EventIndexPage.objects.first()
    if existing is not None:
        return existing
    page = EventIndexPage(title="Мероприятия", slug="events")
    ensure_home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


class EventKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventKind
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Обучающий семинар {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    sort_order = factory.Sequence(lambda n: n)


def _in_days(n: int) -> datetime.datetime:
    # Ten in the morning UTC, a week or more ahead: far from the edges of days and deadlines.
    base = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=7 + n)


class EventPageFactory(factory.django.DjangoModelFactory):
    """A live event under /events/ (``index=`` or ``parent=``; else the site's index).

    Defaults: upcoming (a week or more ahead), three hours long, offline, with a kind,
    open to everyone, no capacity. ``publish=False`` leaves a draft; ``speakers=[{...}]``
    adds speakers (name, position, photo).
    """

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Семинар {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = factory.SubFactory(EventKindFactory)
    format = EventPage.Format.OFFLINE
    starts_at = factory.Sequence(_in_days)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    time_zone = "Europe/Minsk"
    venue = "Конференц-зал БГСХА"
    address = "г. Горки, ул. Мичурина, 5"
    organisers = "ЦКиИР"
    intro = "Короткий анонс мероприятия."

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        index=None,
        parent=None,
        publish=True,
        speakers=(),
        **kwargs,
    ):
        kwargs.setdefault("live", publish)
        page = model_class(*args, **kwargs)
        for position, speaker in enumerate(speakers):
            page.speakers.add(page.speakers.model(sort_order=position, **speaker))
        (parent or index or event_index()).add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.save_revision()
        return page


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration of a signed-in user (``user=None`` and a name: a guest)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventPageFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(
        lambda o: (o.user.get_full_name() or o.user.email) if o.user else "Гость"
    )
    email = factory.LazyAttribute(
        lambda o: o.user.email if o.user else f"guest-{id(o)}@example.com"
    )
    organisation = "ООО «Участник»"
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A rating of the registration's event (the event is the registration's)."""

    class Meta:
        model = Feedback

    registration = factory.SubFactory(RegistrationFactory, attended=True)
    event = factory.LazyAttribute(lambda o: o.registration.event)
    rating = 5
    comment = ""
