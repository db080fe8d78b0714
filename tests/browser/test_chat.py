"""The chat in two real browsers over the real /ws/chat/ socket (uvicorn serving cms.asgi):
A writes to B from B's directory card, B's list and header counter follow live without a
reload, B opens the conversation and the counter goes down; a file A sends appears live in
B's open conversation and under «Общие файлы», and downloads as the same bytes."""

from __future__ import annotations

import pytest

from extranet.chat.models import Conversation, MessageAttachment
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

COUNTER = '.site-header [data-nav-item="messages"]'
LIVE = COUNTER + '[data-live-state="open"]'


def counter(page) -> str:
    badge = page.locator(COUNTER + " [data-nav-count] [aria-hidden]")
    return badge.inner_text() if badge.count() else "0"


def test_write_from_the_directory_live_counter_and_shared_file(
    browser, asgi_live_server, gorki, screenshot, tmp_path
):
    """A member writes to another from the directory; the other sees it live, reads it, and
    gets a file that downloads byte for byte."""
    base = asgi_live_server.url
    a = MembershipFactory(initiative=gorki).user
    b = MembershipFactory(initiative=gorki).user
    data = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" + bytes(range(256)) * 40
    data += b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    upload = tmp_path / "План работ.pdf"
    upload.write_bytes(data)
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        for _ in range(2)
    ]
    page_a, page_b = (context.new_page() for context in contexts)
    for page in (page_a, page_b):
        page.set_default_timeout(10_000)
    try:
        log_in(page_b, base, b.email, PASSWORD)
        page_b.goto(base + "/en/cabinet/messages/")
        page_b.wait_for_selector(LIVE)
        assert counter(page_b) == "0"
        assert page_b.locator("[data-chat-list] [data-conversation]").count() == 0

        # A finds B in the group's directory and presses «Написать» on B's card.
        log_in(page_a, base, a.email, PASSWORD)
        page_a.goto(base + "/en/cabinet/groups/gorki/members/")
        page_a.locator(f'.person-card a[href$="/cabinet/messages/with/{b.pk}/"]').click()
        page_a.wait_for_selector("form[data-chat-composer]")
        page_a.fill(
            "form[data-chat-composer] textarea[name=text]", "Добрый день! https://example.com"
        )
        page_a.click("form[data-chat-composer] button[type=submit]")
        # The first message started the conversation: A is taken to it.
        page_a.wait_for_url("**/cabinet/messages/*/")
        page_a.wait_for_selector(".chat-message--mine >> text=Добрый день!")
        conversation = Conversation.objects.get()

        # B, without reloading: the conversation is in the list with its unread badge, and
        # the header counter went up.
        page_b.wait_for_selector(f'[data-chat-list] [data-conversation="{conversation.pk}"]')
        row = page_b.locator(f'[data-chat-list] [data-conversation="{conversation.pk}"]')
        assert "Добрый день!" in row.locator("[data-chat-preview]").inner_text()
        assert row.locator("[data-chat-unread] [aria-hidden]").inner_text() == "1"
        page_b.wait_for_function(
            "document.querySelector('" + COUNTER + " [data-nav-count] [aria-hidden]')"
            "?.textContent === '1'"
        )
        screenshot(page_b, "b-list-live")

        # B opens it: the counter goes down.
        row.locator("a").click()
        page_b.wait_for_selector(".chat-message >> text=Добрый день!")
        assert page_b.locator(".chat-message a[href='https://example.com']").count() == 1
        assert counter(page_b) == "0"
        page_b.wait_for_selector(LIVE)

        # A sends a file; it appears in B's open conversation without a reload, and B's
        # counter stays at 0 (B is looking at it).
        page_a.set_input_files("form[data-chat-composer] input[type=file]", str(upload))
        page_a.fill("form[data-chat-composer] textarea[name=text]", "План во вложении")
        page_a.click("form[data-chat-composer] button[type=submit]")
        page_b.wait_for_selector(".chat-message >> text=План во вложении")
        assert (
            page_b.locator(".chat-message .attachment__name", has_text="План работ.pdf").count()
            == 1
        )
        attachment = MessageAttachment.objects.get()
        page_b.wait_for_timeout(500)
        assert counter(page_b) == "0"
        screenshot(page_b, "b-conversation-live")

        # «Общие файлы» lists it, and the download is the same bytes.
        page_b.locator(".tabs__link").nth(1).click()
        page_b.wait_for_selector("[data-chat-files-list]")
        link = page_b.locator(f'[data-chat-files-list] a[href$="/files/chat/{attachment.pk}/"]')
        assert link.inner_text() == "План работ.pdf"
        with page_b.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == "План работ.pdf"
        with open(download.path(), "rb") as handle:
            assert handle.read() == data
    finally:
        for context in contexts:
            context.close()
