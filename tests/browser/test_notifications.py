"""The bell in a real browser over a real websocket (uvicorn serving cms.asgi)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from extranet.members.models import Membership
from extranet.members.services import membership_approve
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

BELL = '.site-header [data-nav-item="notifications"]'


def test_bell_goes_up_live_when_the_admin_approves(page, asgi_live_server, gorki, screenshot):
    """An applicant's bell goes up live when the admin approves them, and the approval
    e-mail is in the outbox."""
    base = asgi_live_server.url
    applicant = MembershipFactory(initiative=gorki, status="pending").user
    admin = MembershipFactory(initiative=gorki, role="admin").user
    log_in(page, base, applicant.email, PASSWORD)
    page.goto(base + "/en/cabinet/")
    bell = page.locator(BELL)
    assert bell.count() == 1
    assert bell.locator("[data-nav-count]").count() == 0
    # notices.js marks the link once its socket is open.
    page.wait_for_selector(BELL + '[data-live-state="open"]')
    mail.outbox.clear()

    def approve():
        # As the applications queue does: the notice and the mails follow the commit.
        membership = Membership.objects.get(user=applicant, initiative=gorki)
        with transaction.atomic():
            membership_approve(membership=membership, by=admin)

    asgi_live_server.call(approve)

    page.wait_for_selector(BELL + " [data-nav-count]")
    assert bell.locator("[data-nav-count] [aria-hidden]").inner_text() == "1"
    assert bell.locator("[data-nav-count] .visually-hidden").inner_text() == "1 unread"
    screenshot(page, "bell-after-approval")

    approvals = [m for m in mail.outbox if m.to == [applicant.email]]
    assert len(approvals) == 1
    assert "«" + gorki.title + "»" in approvals[0].subject
