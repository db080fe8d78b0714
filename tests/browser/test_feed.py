"""The common group in real browsers: a member posts a file, another member downloads it, a
member of another initiative is refused both the feed and the file."""

import re

import pytest

from extranet.feed.models import Attachment
from tests.browser.helpers import log_in
from tests.factories import MINIMAL_PDF, PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, gorki, polotsk):
    return {
        "base": live_server.url,
        "author": MembershipFactory(initiative=gorki).user,
        "reader": MembershipFactory(initiative=gorki).user,
        "outsider": MembershipFactory(initiative=polotsk).user,
    }


def test_post_with_attachment_download_and_refusal(browser, site, screenshot, tmp_path):
    """The author posts text with a PDF; a fellow member sees it and downloads the same bytes
    under the uploaded name; a member of another initiative gets 403 for the feed and 404 for
    the file."""
    base = site["base"]
    upload = tmp_path / "Отчёт о семинаре.pdf"
    upload.write_bytes(MINIMAL_PDF)
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(3)]
    author, reader, outsider = (ctx.new_page() for ctx in contexts)
    try:
        log_in(author, base, site["author"].email, PASSWORD)
        author.goto(base + "/en/cabinet/groups/gorki/")
        composer = author.locator("form.composer")
        composer.locator("textarea[name=text]").fill(
            "Итоги семинара: см. отчёт https://example.com"
        )
        composer.locator("select[name=kind]").select_option("event_report")
        composer.locator("input[type=file]").set_input_files(str(upload))
        composer.locator("button[type=submit]").click()
        author.wait_for_load_state()
        post = author.locator("article.post", has_text="Итоги семинара")
        assert post.is_visible()
        assert post.get_by_role("link", name=re.compile("Отчёт о семинаре.pdf")).is_visible()
        # The URL in the text became a link; the text itself was not taken as HTML.
        assert post.locator("a[href='https://example.com']").count() == 1
        screenshot(author, "posted")

        attachment = Attachment.objects.get()
        log_in(reader, base, site["reader"].email, PASSWORD)
        reader.goto(base + "/en/cabinet/groups/gorki/")
        link = reader.locator("article.post").get_by_role(
            "link", name=re.compile("Отчёт о семинаре.pdf")
        )
        with reader.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == "Отчёт о семинаре.pdf"
        with open(download.path(), "rb") as handle:
            assert handle.read() == MINIMAL_PDF

        log_in(outsider, base, site["outsider"].email, PASSWORD)
        response = outsider.goto(base + "/en/cabinet/groups/gorki/")
        assert response.status == 403
        response = outsider.goto(base + f"/en/files/{attachment.pk}/")
        assert response.status == 404
        assert "Итоги семинара" not in outsider.content()
    finally:
        for ctx in contexts:
            ctx.close()
