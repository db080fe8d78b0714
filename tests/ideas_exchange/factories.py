"""factory_boy factories for the ideas exchange (issue 13), shared by every ideas test module.

Names are stable (other test modules import them): ``ideas_page``, ``IdeaFactory``,
``IdeaCommentFactory``, ``PartnershipFactory``, ``TagSubscriptionFactory``.
"""

from __future__ import annotations

import factory
from django.utils import timezone
from taggit.models import Tag

from ideas_exchange.models import (
    Idea,
    IdeaComment,
    IdeasExchangePage,
    Partnership,
    TagSubscription,
)
from tests.factories import UserFactory, ensure_home_page


def ideas_page() -> IdeasExchangePage:
    """The site's /ideas/ page under the home page, created once (it is a singleton)."""
    existing = IdeasExchangePage.objects.first()
    if existing is not None:
        return existing
    page = IdeasExchangePage(title="Биржа идей", slug="ideas")
    ensure_home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


class IdeaFactory(factory.django.DjangoModelFactory):
    """An approved, public, open request by a new user, platform-wide.

    ``tags=["биотехнологии", ...]`` sets the tags; a project gets stage «seeking» unless
    ``stage=`` says otherwise."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    kind = Idea.Kind.REQUEST
    title = factory.Sequence(lambda n: f"Идея {n}")
    summary = factory.Sequence(lambda n: f"Краткое описание идеи {n}.")
    text = factory.Sequence(lambda n: f"Полный текст идеи {n}.\n\nВторой абзац.")
    author = factory.SubFactory(UserFactory)
    organisation_name = factory.Sequence(lambda n: f"ООО «Организация {n}»")
    initiative = None
    visibility = Idea.Visibility.PUBLIC
    status = Idea.Status.OPEN
    moderation = Idea.Moderation.APPROVED
    published_at = factory.LazyFunction(timezone.now)
    stage = factory.LazyAttribute(
        lambda o: Idea.Stage.SEEKING if o.kind == Idea.Kind.PROJECT else ""
    )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))


class IdeaCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaComment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Комментарий {n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    idea = factory.SubFactory(IdeaFactory, kind=Idea.Kind.PROJECT)
    user = factory.SubFactory(UserFactory)
    organisation_name = factory.Sequence(lambda n: f"АО «Партнёр {n}»")
    role = Partnership.Role.PARTNER
    note = "Готовы участвовать."
    status = Partnership.Status.PENDING


class TagSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TagSubscription

    user = factory.SubFactory(UserFactory)
    tag = factory.LazyFunction(
        lambda: Tag.objects.get_or_create(name="биотехнологии", slug="biotech")[0]
    )
