"""The cabinet's organisation field fills its suggestions as the person types
(static/js/organisation-suggest.js), with public organisations only."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_three_letters_fills_the_datalist(page, live_server, gorki):
    """Two letters suggest nothing; the third brings the public organisation into the
    datalist, never the one its member hides."""
    for name, hide in (("ОАО «Полоцк-Стекловолокно»", False), ("ИП Стеклов", True)):
        profile = ProfileFactory(
            organisation=OrganisationFactory(name=name), hide_organisation=hide
        )
        MembershipFactory(user=profile.user, initiative=gorki)
    me = ProfileFactory(organisation=None).user
    log_in(page, live_server.url, me.email, PASSWORD)
    page.goto(live_server.url + "/en/cabinet/")
    options = page.locator("datalist#organisation-suggestions option")
    field = page.locator("input[name=organisation]")
    field.press_sequentially("ст")
    page.wait_for_timeout(600)
    assert options.count() == 0
    field.press_sequentially("е")
    # A locator wait, not wait_for_function with an expression: the page's CSP forbids eval.
    options.first.wait_for(state="attached")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == [
        "ОАО «Полоцк-Стекловолокно»"
    ]
