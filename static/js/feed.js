/**
 * The feed and «Documents» pages, progressively enhanced. Without this file «Show more» is a
 * plain link to the next page (?after=<cursor>) and everything still works.
 *
 * - «Show more» ([data-feed-more]) fetches the same URL the link points to, takes the list
 *   ([data-feed-list]) and the next «Show more» from the returned HTML, appends the items to
 *   the list on the page and moves focus to the first new item; on any failure it simply
 *   follows the link.
 */

const parser = new DOMParser();

async function loadMore(link) {
  const list = document.querySelector("[data-feed-list]");
  const wrap = link.closest("[data-feed-more-wrap]");
  if (!list || !wrap) return false;

  link.setAttribute("aria-busy", "true");
  const response = await fetch(link.href, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const html = parser.parseFromString(await response.text(), "text/html");
  const nextList = html.querySelector("[data-feed-list]");
  if (!nextList) throw new Error("no list in the page");

  const items = Array.from(nextList.children);
  items.forEach((item) => list.appendChild(document.adoptNode(item)));

  const nextWrap = html.querySelector("[data-feed-more-wrap]");
  if (nextWrap) {
    wrap.replaceWith(document.adoptNode(nextWrap));
  } else {
    wrap.remove();
  }

  // Keyboard and screen-reader users continue where the new items start.
  const first = items[0] && (items[0].querySelector("[tabindex='-1']") || items[0]);
  if (first) {
    if (!first.hasAttribute("tabindex")) first.setAttribute("tabindex", "-1");
    first.focus();
  }
  return true;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-feed-more]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  loadMore(link)
    .then((done) => {
      if (!done) window.location.assign(link.href);
    })
    .catch(() => window.location.assign(link.href));
});
