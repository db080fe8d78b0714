"""The group's composer and the chat with the keyboard alone (``page.keyboard``: Tab,
Shift+Tab, Enter and typing; no clicks, no ``fill``): a member tabs to the composer, writes
and publishes a post, which appears in the feed; tabs to «Сообщения» in the header, opens a
conversation, writes a two-line message (Shift+Enter) and sends it with Enter, and it
appears. Every element Tab lands on shows a focus ring, and Tab always moves on: through the
whole conversation page and back to its start, no element keeps the focus.
"""

from __future__ import annotations

import pytest

from extranet.chat import services as chat_services
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

# More stops than any of these pages has before the element sought: a page that needs more
# has lost its way (or traps the focus).
MAX_TABS = 80

# The focused element: a description to tell one stop from the next, whether the browser
# matches :focus-visible, and whether a ring is drawn: an outline or a box-shadow that can be
# seen (not transparent, not of zero size; some links carry a transparent inset shadow for
# their hover underline) on the element, or an outline on a close ancestor (a card outlines
# itself when its link has the focus: `.card:has(.card__link:focus-visible)`).
FOCUS_JS = r"""async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // Styles of the new focus are applied at the next frame, and fields ease their ring in:
  // measure once the transitions under way have finished (none runs forever).
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition)
    .map((a) => a.finished.catch(() => null)));
  const opaque = (colour) => {
    const parts = colour.match(/rgba?\(([^)]*)\)/);
    if (!parts) return colour !== 'transparent';
    const values = parts[1].split(/[ ,\/]+/).filter(Boolean);
    return values.length < 4 || parseFloat(values[3]) > 0;
  };
  const outlined = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && opaque(style.outlineColor);
  };
  const shadowed = (node) => {
    const shadow = getComputedStyle(node).boxShadow;
    if (shadow === 'none') return false;
    return shadow.split(/,(?![^(]*\))/).some((one) => {
      const colour = one.match(/rgba?\([^)]*\)/);
      const sizes = one.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g) || [];
      return (!colour || opaque(colour[0])) && sizes.some((size) => parseFloat(size) !== 0);
    });
  };
  let ring = outlined(el) || shadowed(el);
  for (let node = el.parentElement, up = 0; !ring && node && up < 3; node = node.parentElement,
       up += 1) ring = outlined(node);
  const text = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40);
  return {
    where: [el.tagName.toLowerCase(), el.id && '#' + el.id, el.name && '[name=' + el.name + ']',
            el.getAttribute('href') || '', text].filter(Boolean).join(' '),
    visible: el.matches(':focus-visible'),
    ring,
  };
}"""


def _focused(page) -> dict | None:
    return page.evaluate(FOCUS_JS)


def _focus_matches(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement?.matches(s)", selector)


def _check_stop(stop: dict | None, previous: dict | None, key: str) -> None:
    assert stop is not None, f"{key} took the focus off the page after {previous}"
    assert stop != previous, f"{key} left the focus on {stop['where']}: a keyboard trap"
    assert stop["visible"] and stop["ring"], f"no visible focus on {stop['where']}"


def _tab_to(page, selector: str) -> list[str]:
    """Press Tab until the focus is on ``selector``, checking every stop on the way; returns
    the stops. Past the page's last element the focus goes to the browser's own controls
    (the document's active element is the body), and the next Tab starts the page again."""
    stops: list[str] = []
    previous = _focused(page)
    wrapped = False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is None and previous is not None and not wrapped:
            wrapped = True
            previous = None
            continue
        _check_stop(stop, previous, "Tab")
        stops.append(stop["where"])
        if _focus_matches(page, selector):
            return stops
        previous = stop
    raise AssertionError(f"{selector} not reached in {MAX_TABS} Tabs: {stops}")


def _enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.fixture
def people(asgi_live_server, gorki):
    """A member and a colleague in «gorki» who have written to each other once. Made in the
    server's thread: the chat's service pushes to sockets after its commit, which the test
    thread (running Playwright's loop) cannot."""

    def make():
        member = MembershipFactory(initiative=gorki).user
        colleague = MembershipFactory(initiative=gorki).user
        conversation = chat_services.conversations_ensure(
            user_id=member.pk, other_ids=[colleague.pk]
        )[colleague.pk]
        chat_services.message_send(sender=colleague, conversation=conversation, body="Привет!")
        return {"member": member, "colleague": colleague, "conversation": conversation}

    return asgi_live_server.call(make)


def test_composer_and_chat_by_keyboard_alone(page, asgi_live_server, people):
    """Tab to the feed's composer, type, Tab to «Опубликовать», Enter: the post is in the
    feed. Tab to «Сообщения», Enter; Tab to the conversation, Enter; Tab to the message box,
    type two lines (Shift+Enter between them), Enter: the message is shown as mine, the box
    is empty and keeps the focus for the next one. Every stop has a visible focus; Tab goes
    on through the rest of the page and comes round to its start, and Shift+Tab goes back."""
    base = asgi_live_server.url
    conversation = people["conversation"]
    # Fields ease their focus ring in; with reduced motion (base.css) it takes no time.
    page.emulate_media(reduced_motion="reduce")
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", people["member"].email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    # The feed's composer: write and publish.
    page.goto(base + "/cabinet/groups/gorki/")
    _tab_to(page, "form.composer textarea[name=text]")
    page.keyboard.type("Пост с клавиатуры: итоги семинара")
    # Shift+Tab goes back to the stop before the box, and Tab returns to it.
    box = _focused(page)
    page.keyboard.press("Shift+Tab")
    _check_stop(_focused(page), box, "Shift+Tab")
    page.keyboard.press("Tab")
    assert _focus_matches(page, "form.composer textarea[name=text]")
    _tab_to(page, "form.composer button[type=submit]")
    _enter_and_wait(page)
    assert page.locator("article.post", has_text="Пост с клавиатуры: итоги семинара").count() == 1

    # The chat: from the header to the conversation.
    _tab_to(page, '.site-header [data-nav-item="messages"]')
    _enter_and_wait(page)
    _tab_to(page, f'[data-chat-list] [data-conversation="{conversation.pk}"] a')
    _enter_and_wait(page)
    assert page.url.endswith(f"/cabinet/messages/{conversation.pk}/"), page.url
    composer = "form[data-chat-composer] textarea[name=text]"
    _tab_to(page, composer)
    page.keyboard.type("Первая строка")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("вторая строка")
    page.keyboard.press("Enter")
    mine = page.locator(".chat-message--mine", has_text="вторая строка")
    mine.wait_for()
    assert "Первая строка" in mine.inner_text()
    assert page.input_value(composer) == ""
    assert _focus_matches(page, composer)

    # No trap: Tab goes on from the box through the rest of the page and round to the start.
    previous = _focused(page)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is None or _focus_matches(page, ".skip-link"):
            break  # past the last element: the browser's own controls, then the page again
        _check_stop(stop, previous, "Tab")
        previous = stop
    else:
        raise AssertionError(f"Tab never left the conversation page; stuck near {previous}")
