"""Sign-up to approval in two browsers: the applicant and the initiative's administrator."""

import re

import pytest
from django.core import mail

from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, gorki):
    admin = MembershipFactory(initiative=gorki, role="admin").user
    return live_server.url, admin


def test_sign_up_apply_and_get_approved(browser, site, screenshot):
    """The applicant signs up, verifies, applies; the admin approves in another browser; the
    applicant then sees the membership."""
    base, admin = site
    applicant_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    applicant, admin_page = applicant_ctx.new_page(), admin_ctx.new_page()
    try:
        applicant.goto(base + "/en/accounts/signup/")
        applicant.fill("input[name=email]", "browser.applicant@example.com")
        applicant.fill("input[name=first_name]", "Артемий")
        applicant.fill("input[name=last_name]", "Жуков")
        applicant.fill("input[name=password1]", "a-long-enough-password-42")
        applicant.fill("input[name=password2]", "a-long-enough-password-42")
        applicant.check("input[name=consent]")
        applicant.locator("main form button[type=submit]").last.click()
        applicant.wait_for_load_state()

        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
        assert link, "the verification e-mail carries a link"
        # allauth builds the link from the request: the live server's own address.
        applicant.goto(link.group(0))
        applicant.locator("main form button[type=submit]").last.click()
        applicant.wait_for_load_state()

        log_in(applicant, base, "browser.applicant@example.com", "a-long-enough-password-42")
        applicant.goto(base + "/en/cabinet/?initiative=gorki")
        applicant.fill("input[name=organisation]", "ООО «Агро Инновации»")
        applicant.fill("input[name=phone]", "+375 29 111-22-33")
        applicant.locator("main form button[type=submit]").first.click()
        applicant.wait_for_load_state()
        assert "Wait for an administrator to confirm you" in applicant.content()
        screenshot(applicant, "applicant-pending")

        log_in(admin_page, base, admin.email, PASSWORD)
        admin_page.goto(base + "/en/cabinet/groups/gorki/applications/")
        card = admin_page.locator("li.application", has_text="browser.applicant@example.com")
        assert card.is_visible()
        screenshot(admin_page, "admin-queue")
        card.get_by_role("button", name=re.compile("Confirm")).click()
        admin_page.wait_for_load_state()
        assert admin_page.locator("li.application", has_text="browser.applicant").count() == 0

        applicant.goto(base + "/en/initiatives/gorki/")
        assert "You are a member of this initiative." in applicant.content()
        screenshot(applicant, "applicant-member")
    finally:
        applicant_ctx.close()
        admin_ctx.close()
