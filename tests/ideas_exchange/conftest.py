"""Fixtures of the ideas exchange tests: the /ideas/ page and a few ideas of «gorki»."""

from __future__ import annotations

import pytest

from ideas_exchange.models import Idea
from tests.ideas_exchange.factories import IdeaFactory
from tests.ideas_exchange.factories import ideas_page as _ideas_page


@pytest.fixture
def ideas_page(home_page):
    return _ideas_page()


@pytest.fixture
def public_idea(ideas_page, people, gorki):
    """A public request of «gorki» by its member, tagged «биотехнологии»."""
    return IdeaFactory(
        title="Совместное использование лабораторного оборудования",
        author=people["member"],
        organisation_name="УО «БГСХА»",
        initiative=gorki,
        tags=["биотехнологии", "лаборатории"],
    )


@pytest.fixture
def members_idea(ideas_page, people, gorki):
    """An offer seen only by the members of «gorki»."""
    return IdeaFactory(
        kind=Idea.Kind.OFFER,
        title="Испытания композитных материалов для участников",
        author=people["member"],
        initiative=gorki,
        visibility=Idea.Visibility.MEMBERS,
    )


@pytest.fixture
def project(ideas_page, people, gorki):
    """A public project of «gorki» seeking partners, by the member."""
    return IdeaFactory(
        kind=Idea.Kind.PROJECT,
        title="Консорциум по переработке отходов нефтехимии",
        author=people["member"],
        organisation_name="ОАО «Нафтан»",
        initiative=gorki,
        tags=["нефтехимия", "переработка"],
    )
