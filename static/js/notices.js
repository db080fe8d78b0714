/**
 * Live counters in the account menu. Every link with a websocket path in [data-live-count]
 * (the notifications' bell: /ws/notifications/) opens that socket and shows the number it
 * pushes ({"type": "unread", "count": n}) without a reload. Without WebSocket support, or
 * while the socket is down, the count the page was rendered with stays.
 *
 * - the badge ([data-nav-count]) is created at a count above 0 and removed at 0; its
 *   visually-hidden text comes from [data-count-forms] (one «{n} unread» per plural
 *   category of Intl.PluralRules, in the page's language);
 * - the menu button's dot ([data-menu-dot]) shows while any counter is above 0;
 * - a closed socket reconnects after 1, 2, 4 … 60 seconds (with jitter), unless the server
 *   refused the account (close code 4403) or the page is being left.
 */

const MAX_DELAY = 60_000;
const REFUSED = 4403;
const counts = new Map();

function updateDot() {
  const dot = document.querySelector("[data-menu-dot]");
  if (!dot) return;
  const any = Array.from(counts.values()).some((count) => count > 0);
  dot.hidden = !any;
}

function countText(link, count) {
  let forms = {};
  try {
    forms = JSON.parse(link.dataset.countForms || "{}");
  } catch {
    forms = {};
  }
  let category = "other";
  try {
    category = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
  } catch {
    category = "other";
  }
  const form = forms[category] || forms.other || "{n}";
  return form.replace("{n}", String(count));
}

function showCount(link, count) {
  let badge = link.querySelector("[data-nav-count]");
  if (count > 0) {
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge badge--count badge--danger";
      badge.dataset.navCount = "";
      const number = document.createElement("span");
      number.setAttribute("aria-hidden", "true");
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      badge.append(number, hidden);
      link.append(badge);
    }
    const [number, hidden] = badge.children;
    number.textContent = String(count);
    hidden.textContent = countText(link, count);
  } else if (badge) {
    badge.remove();
  }
  counts.set(link, count);
  updateDot();
}

function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

function watch(link) {
  const path = link.dataset.liveCount;
  if (!path || !path.startsWith("/")) return;
  let attempt = 0;
  let leaving = false;
  window.addEventListener("pagehide", () => {
    leaving = true;
  });

  const open = () => {
    let socket;
    try {
      socket = new WebSocket(socketUrl(path));
    } catch {
      return;
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      link.dataset.liveState = "open";
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && message.type === "unread" && Number.isInteger(message.count)) {
        showCount(link, Math.max(message.count, 0));
      }
    });
    socket.addEventListener("close", (event) => {
      link.dataset.liveState = "closed";
      if (leaving || event.code === REFUSED) return;
      const delay = Math.min(MAX_DELAY, 1000 * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt += 1;
      window.setTimeout(open, delay);
    });
  };
  open();
}

function init() {
  if (!("WebSocket" in window)) return;
  document.querySelectorAll("[data-live-count]").forEach((link) => {
    const badge = link.querySelector("[data-nav-count] [aria-hidden]");
    counts.set(link, badge ? Number.parseInt(badge.textContent, 10) || 0 : 0);
    watch(link);
  });
}

init();
