"""The ideas exchange in a real browser: a member posts a project at /ideas/new/, a member
of another initiative asks to be a partner («Стать партнёром»), the author accepts, and the
project's consortium shows both organisations (the author's as lead)."""

from __future__ import annotations

import re

import pytest

from ideas_exchange.models import Idea, Partnership
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, ProfileFactory
from tests.ideas_exchange.factories import ideas_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, gorki, polotsk):
    ideas_page()

    def member(initiative, organisation):
        profile = ProfileFactory(organisation=OrganisationFactory(name=organisation))
        return MembershipFactory(initiative=initiative, user=profile.user).user

    return {
        "base": live_server.url,
        "gorki": gorki.pk,
        "author": member(gorki, "ОАО «Нафтан»"),
        "partner": member(polotsk, "ООО «Полоцк-Стекловолокно»"),
    }


def test_post_a_project_ask_to_partner_accept_and_see_the_consortium(browser, site, screenshot):
    """The author fills /ideas/new/ (kind «Проект», tags, initiative, public) and lands on
    the published project; the partner opens it, sends «Стать партнёром» with a role and a
    note; the author sees the request, accepts it; both of them then see the consortium with
    the lead's and the partner's organisations and roles."""
    base = site["base"]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    author, partner = (ctx.new_page() for ctx in contexts)
    for tab in (author, partner):
        tab.set_default_timeout(10_000)
    try:
        log_in(author, base, site["author"].email, PASSWORD)
        author.goto(base + "/en/ideas/new/")
        form = author.locator("#idea-form")
        form.locator("input[name=title]").fill("Консорциум по переработке отходов нефтехимии")
        form.locator("input[name=kind][value=project]").check()
        form.locator("[name=summary]").fill("Ищем партнёров для переработки кубовых остатков.")
        form.locator("textarea[name=text]").fill(
            "Технология переработки в модификаторы битума.\n\nНужен поставщик стекловолокна."
        )
        form.locator("input[name=tags]").fill("нефтехимия, переработка отходов")
        form.locator("select[name=initiative]").select_option(value=str(site["gorki"]))
        form.locator("input[name=visibility][value=public]").check()
        form.locator("button[type=submit]").last.click()
        author.wait_for_load_state()
        idea = Idea.objects.get()
        assert idea.kind == "project" and idea.moderation == "approved"
        assert idea.organisation_name == "ОАО «Нафтан»" and idea.initiative_id == site["gorki"]
        assert re.search(rf"/ideas/{idea.pk}/$", author.url), author.url
        assert author.get_by_role("heading", level=1).inner_text().strip() == idea.title
        screenshot(author, "posted")

        log_in(partner, base, site["partner"].email, PASSWORD)
        partner.goto(f"{base}/en/ideas/{idea.pk}/")
        ask = partner.locator("#idea-partner")
        ask.locator("select[name=role]").select_option("supplier")
        ask.locator("textarea[name=note]").fill("Поставим стекловолокно и ткани.")
        ask.locator("button[type=submit]").last.click()
        partner.wait_for_load_state()
        request = Partnership.objects.get()
        assert (request.user, request.status) == (site["partner"], "pending")
        assert request.organisation_name == "ООО «Полоцк-Стекловолокно»"
        screenshot(partner, "asked")

        author.goto(f"{base}/en/ideas/{idea.pk}/")
        waiting = author.locator(f"#partnership-{request.pk}")
        assert "ООО «Полоцк-Стекловолокно»" in waiting.inner_text()
        waiting.locator("button[name=decision][value=accept]").click()
        author.wait_for_load_state()
        request.refresh_from_db()
        assert request.status == "accepted"

        for tab in (author, partner):
            tab.goto(f"{base}/en/ideas/{idea.pk}/")
            consortium = tab.locator(".idea-consortium")
            members = consortium.locator(".idea-consortium__member")
            assert members.count() == 2
            lead, second = members.nth(0).inner_text(), members.nth(1).inner_text()
            assert "ОАО «Нафтан»" in lead and "ООО «Полоцк-Стекловолокно»" in second
        screenshot(author, "consortium")
    finally:
        for ctx in contexts:
            ctx.close()
