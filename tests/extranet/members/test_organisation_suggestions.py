"""Organisation suggestions in the cabinet (issue 9, item 5): only organisations the public
initiative pages list, after three typed letters, from a small signed-in-only, rate-limited
JSON endpoint; the cabinet page itself carries no organisation names."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from extranet.members import views_organisations
from initiatives.selectors import participating_organisations
from tests.conftest import EXTRANET_ROLES
from tests.factories import (
    InitiativePageFactory,
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
)

pytestmark = pytest.mark.django_db


def _url() -> str:
    with translation.override("ru"):
        return reverse("organisation_suggest")


@pytest.fixture
def me(client, people):
    client.force_login(people["registered"])
    return people["registered"]


@pytest.fixture
def organisations(gorki):
    """A public organisation (a Gorki member's), one its only member hides, one nobody
    belongs to any more, one of a pending applicant and one of a member of an unpublished
    initiative; all named «…Стекло…»."""

    def member(name, **kwargs):
        organisation = OrganisationFactory(name=name)
        profile = ProfileFactory(organisation=organisation, **kwargs.pop("profile", {}))
        MembershipFactory(user=profile.user, **{"initiative": gorki, **kwargs})
        return organisation

    draft = InitiativePageFactory(slug="draft", live=False)
    return {
        "public": member("ОАО «Полоцк-Стекловолокно»"),
        "hidden": member("ИП Стеклов Иван Петрович", profile={"hide_organisation": True}),
        "orphan": OrganisationFactory(name="ООО «Стекольный двор»"),
        "pending": member("ЧУП «Стеклоцентр»", status="pending"),
        "draft": member("ЗАО «Стекломаш»", initiative=draft),
    }


def _names(client, q) -> list[str]:
    response = client.get(_url(), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()["results"]


def test_guest_is_sent_to_login(client, organisations):
    """A guest gets no names: the endpoint sends them to the login."""
    response = client.get(_url(), {"q": "стекло"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_every_role_gets_the_public_names_only(client, people, organisations, role):
    """Every role gets the same answer: the names the public pages already show, nothing a
    role could otherwise see (the hiding member's organisation is refused to the Gorki admin
    and the portal admin too, the endpoint is not the place for it); a guest gets none."""
    if people[role] is None:
        assert client.get(_url(), {"q": "стекло"}).status_code == 302
        return
    client.force_login(people[role])
    assert _names(client, "стекло") == ["ОАО «Полоцк-Стекловолокно»"]


def test_only_public_organisations_are_suggested(client, me, gorki, organisations):
    """Of five organisations matching «стекло», only the one the public initiative page
    lists is suggested: never one hidden by its member («не показывать»), one nobody belongs
    to, a pending applicant's or one of an unpublished initiative's member."""
    assert _names(client, "стекло") == ["ОАО «Полоцк-Стекловолокно»"]
    # The same rule as the initiative's public page.
    listed = {item.name for item in participating_organisations(initiative=gorki)}
    assert {o.name for o in organisations.values()} & listed == {"ОАО «Полоцк-Стекловолокно»"}


@pytest.mark.parametrize("q", ["СТЕКЛО", "Стекло", "стЕкло", "полоцк", "ПОЛОЦК стекло"])
def test_match_is_case_insensitive_for_cyrillic(client, me, organisations, q):
    """Any spelling of a Cyrillic word finds the organisation (SQLite folds ASCII only)."""
    assert _names(client, q) == ["ОАО «Полоцк-Стекловолокно»"]


@pytest.mark.parametrize("q", ["", "ст", "  ст  ", "оа"])
def test_fewer_than_three_letters_suggest_nothing(client, me, organisations, q):
    """Fewer than three typed letters give an empty list (nothing to enumerate by)."""
    assert _names(client, q) == []


def test_at_most_ten_names(client, me, gorki):
    """However many public organisations match, ten names at most come back, by name."""
    for n in range(12):
        organisation = OrganisationFactory(name=f"Завод {n:02d}")
        MembershipFactory(user=ProfileFactory(organisation=organisation).user, initiative=gorki)
    assert _names(client, "завод") == [f"Завод {n:02d}" for n in range(10)]


@pytest.mark.parametrize(
    "q",
    [
        "a" * 10_000,
        "стекло\x00",
        "\x00\x00\x00",
        "%%%",
        "___",
        "\u202e\u200bстек",
        "😀😀😀",
        "' OR 1=1 --",
    ],
)
def test_odd_input_is_a_clear_empty_answer(client, me, organisations, q):
    """Very long, control, bidi, emoji, LIKE-wildcard or SQL-looking input answers 200 with a
    list (empty, or the honest match once the junk is stripped), never a 500."""
    names = _names(client, q)
    assert names in ([], ["ОАО «Полоцк-Стекловолокно»"])
    if "стек" not in q:
        assert names == []


@pytest.mark.parametrize(
    "raw", ["q=%ED%A0%80%D1%81%D1%82%D0%B5%D0%BA", "q=%FF%FE%FD", "q=a&q=b", "x=1"]
)
def test_undecodable_query_strings_are_a_clear_empty_answer(client, me, organisations, raw):
    """Bytes that are not UTF-8, repeated or missing ``q``: 200 and an empty list."""
    response = client.get(f"{_url()}?{raw}")
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_only_get(client, me):
    """The endpoint reads only: POST is 405."""
    assert client.post(_url(), {"q": "стекло"}).status_code == 405


def test_rate_limited_per_user(client, me, people, organisations, monkeypatch):
    """Past SUGGESTIONS_PER_MINUTE requests a user gets 429 with a JSON error; another user
    is not affected."""
    monkeypatch.setattr(views_organisations, "SUGGESTIONS_PER_MINUTE", 3)
    for _ in range(3):
        assert client.get(_url(), {"q": "стекло"}).status_code == 200
    limited = client.get(_url(), {"q": "стекло"})
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("application/json")
    assert limited.json()["results"] == []
    assert limited.json()["error"]
    other = Client()
    other.force_login(people["member"])
    assert other.get(_url(), {"q": "стекло"}).status_code == 200


def test_cabinet_no_longer_carries_every_organisation(client, me, organisations):
    """The cabinet page has the (empty) datalist and the script that fills it, but none of
    the organisation names, public or not; the field still works as plain text."""
    body = client.get("/en/cabinet/").content.decode()
    assert 'list="organisation-suggestions"' in body
    assert '<datalist id="organisation-suggestions"' in body
    assert 'data-suggest-url="/en/cabinet/organisations/suggest/"' in body
    assert "js/organisation-suggest" in body
    for organisation in organisations.values():
        assert organisation.name not in body
