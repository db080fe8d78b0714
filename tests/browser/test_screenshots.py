"""The extranet's main screens at a laptop's and a phone's width (issue 9, item 16).

Each screen is saved as a PNG under test-artifacts/screenshots/ (CI keeps the folder as an
artefact) and its layout is checked in the browser: no sideways scroll on the phone, the brand
on one line, the group's side panel above the feed on the phone, each administrator's data in
their own box of the registry, and e-mail addresses that wrap between their parts only.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import log_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PortalAdminFactory,
    PostFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"desktop": 1366, "phone": 390}
# Long enough to wrap in the side panel's and the registry's contact cards.
LONG_EMAIL = "admin.gorki.technopark@example.com"

# For every mailto link: the text pieces between its <wbr>s that sit on more than one line
# (a piece broken inside itself). A Range over one text node gives one rect per line it uses.
BROKEN_EMAILS_JS = """() => [...document.querySelectorAll('a[href^="mailto:"]')]
  .filter(a => a.getClientRects().length)
  .flatMap(a => {
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    const broken = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(a.textContent + ' at «' + node.textContent + '»');
    }
    return broken;
  })"""

# How many lines a text node's range occupies.
LINES_JS = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""

# The registry's admin boxes: whether each holds its name and links, and whether two overlap.
REGISTRY_BOXES_JS = """() => {
  const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5
    && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  const cards = [...document.querySelectorAll('.registry-admin')];
  const boxes = cards.map(c => c.getBoundingClientRect());
  const outside = cards.flatMap((card, i) => [...card.querySelectorAll('*')]
    .filter(el => el.getClientRects().length && !inside(el.getBoundingClientRect(), boxes[i]))
    .map(el => card.textContent.trim().slice(0, 40) + ': ' + el.textContent.trim()));
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      overlaps.push(i);
  }));
  return {count: cards.length, outside, overlaps};
}"""


@pytest.fixture
def site(live_server, gorki, polotsk):
    """«Горки» with two administrators (one with a long e-mail), members and posts."""
    first_admin = MembershipFactory(
        initiative=gorki,
        role="admin",
        user=ProfileFactory(
            user=UserFactory(email=LONG_EMAIL, first_name="Алексей", last_name="Иванов")
        ).user,
    ).user
    second_admin = MembershipFactory(initiative=gorki, role="admin").user
    MembershipFactory(initiative=polotsk, role="admin")
    for _ in range(4):
        MembershipFactory(initiative=gorki)
    MembershipFactory(initiative=gorki, status="pending")
    for n in range(3):
        PostFactory(initiative=gorki, author=second_admin, text=f"Новость группы номер {n}")
    return {
        "base": live_server.url,
        "admins": [first_admin, second_admin],
        # The demo's portal admin: the name whose menu squeezed the brand onto two lines.
        "portal_admin": ProfileFactory(
            user=PortalAdminFactory(first_name="Татьяна", last_name="Алексеева")
        ).user,
    }


def _shoot(page, name: str, width_name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{WIDTHS[width_name]}.png"), full_page=True)


def _visit(page, url: str, width_name: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state()


def _check_common_facts(page, url: str, width_name: str) -> None:
    if width_name == "phone":
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll[0] <= scroll[1], f"{url} scrolls sideways at 390 px: {scroll}"
    assert page.evaluate(BROKEN_EMAILS_JS) == [], url


def _check_brand_on_one_line(page, url: str) -> None:
    name = page.locator(".site-header .brand__name")
    assert page.evaluate(LINES_JS, name.element_handle()) == 1, f"the brand wraps on {url}"
    height = name.bounding_box()["height"]
    line = page.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)", name.element_handle())
    assert height <= line * 1.2, (url, height, line)


def test_member_screens(browser, site):
    """An initiative's administrator: the cabinet, the group's feed, its directory and the
    list of groups at 1,366 and 390 px. No sideways scroll on the phone; no e-mail broken
    inside a word; the brand on one line at 1,366 px; on the phone the contacts and members
    panel comes before the first post."""
    base = site["base"]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base, site["admins"][1].email, PASSWORD)
        screens = {
            "cabinet": "/cabinet/",
            "feed": "/cabinet/groups/gorki/",
            "directory": "/cabinet/groups/gorki/members/",
            "groups": "/cabinet/groups/",
        }
        for width_name in WIDTHS:
            for name, path in screens.items():
                _visit(page, base + path, width_name)
                _shoot(page, name, width_name)
                _check_common_facts(page, path, width_name)
                if width_name == "desktop":
                    _check_brand_on_one_line(page, path)
                if name == "feed":
                    aside = page.locator(".feed-aside").bounding_box()
                    post = page.locator("article.post").first.bounding_box()
                    if width_name == "phone":
                        assert aside["y"] < post["y"], "the side panel comes after the feed"
                    else:
                        assert aside["x"] > post["x"] + post["width"] - 1, "side by side"
                    contacts = page.locator(".feed-contact")
                    assert contacts.count() == 2
                    assert contacts.filter(has_text=LONG_EMAIL).count() == 1
    finally:
        context.close()


def test_portal_admin_screens(browser, site):
    """The portal admin: the registry and all groups at 1,366 and 390 px. In the registry each
    of «Горки»'s two administrators has one box holding their name, phone and e-mail, and no
    two boxes overlap; the header's brand stays on one line at 1,366 px beside the portal
    admin's longer menu."""
    base = site["base"]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base, site["portal_admin"].email, PASSWORD)
        for width_name in WIDTHS:
            _visit(page, base + "/cabinet/groups/", width_name)
            _shoot(page, "groups-portal-admin", width_name)
            _check_common_facts(page, "/cabinet/groups/", width_name)
            if width_name == "desktop":
                _check_brand_on_one_line(page, "/cabinet/groups/")
                menu = page.locator(".site-header .user-menu")
                assert menu.get_by_role("link", name="Все пользователи").is_visible()
                assert menu.get_by_role("link", name="Кластерные инициативы").is_visible()

            _visit(page, base + "/cabinet/admin/initiatives/", width_name)
            _shoot(page, "registry", width_name)
            _check_common_facts(page, "/cabinet/admin/initiatives/", width_name)
            boxes = page.evaluate(REGISTRY_BOXES_JS)
            assert boxes["count"] == 3, boxes  # two for «Горки», one for «Полоцк»
            assert boxes["outside"] == [] and boxes["overlaps"] == [], boxes
            gorki_card = page.locator(".registry-card", has_text="Горецкого района")
            for admin in site["admins"]:
                box = gorki_card.locator(".registry-admin", has_text=admin.email)
                assert box.count() == 1
                assert admin.get_full_name() in box.inner_text()
                assert admin.profile.phone.as_international in box.inner_text()
    finally:
        context.close()
