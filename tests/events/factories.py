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


def bulk_event_pages(index, pages: list[EventPage]) -> list[EventPage]:
    """Add unsaved live ``EventPage`` objects under ``index`` at once: the Page rows in one
    bulk insert with their tree paths worked out here, the event rows in another.

    For the query-budget tests at 1,000 events: the tree API's per-page work (validation,
    the search index, the parent's counter) takes 20-30 s for 1,000 pages, and the pages'
    queries depend on the rows, not on how they were made. No revisions: like ``add_child``
    without ``save_revision``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from wagtail.models import Page

    parent = Page.objects.get(pk=index.pk)
    last = parent.get_last_child()
    step = last._get_lastpos_in_path() if last else 0
    content_type = ContentType.objects.get_for_model(EventPage)
    now = timezone.now()
    bases = []
    for n, page in enumerate(pages, start=step + 1):
        page.path = Page._get_path(parent.path, parent.depth + 1, n)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.last_published_at or now
        bases.append(
            Page(
                **{
                    f.attname: getattr(page, f.attname)
                    for f in Page._meta.concrete_fields
                    if not f.primary_key
                }
            )
        )
    Page.objects.bulk_create(bases)
    if not all(base.pk for base in bases):  # a backend that does not return ids
        by_path = dict(
            Page.objects.filter(path__in=[b.path for b in bases]).values_list("path", "pk")
        )
        for base in bases:
            base.pk = by_path[base.path]
    for page, base in zip(pages, bases, strict=True):
        page.page_ptr_id = page.id = base.pk
    # The event table's own columns only (Page's are in), as bulk_create does for a model
    # without parents.
    EventPage.objects._insert(pages, fields=EventPage._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    # What the post_save receiver (page_permissions.event_permissions_sync) grants a saved
    # event: its initiative's admin group edits and publishes it.
    from wagtail.models import GroupPagePermission

    from events.page_permissions import EVENT_PERMISSIONS, _permissions
    from initiatives.models import InitiativePage

    groups = dict(
        InitiativePage.objects.filter(
            pk__in={page.initiative_id for page in pages if page.initiative_id}
        ).values_list("pk", "admin_group_id")
    )
    permissions = _permissions(EVENT_PERMISSIONS)
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group_id=groups[page.initiative_id], page_id=page.pk, permission=p)
        for page in pages
        if groups.get(page.initiative_id)
        for p in permissions
    )
    return pages
