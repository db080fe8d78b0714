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
 *
 * The socket is the tab's only one for its path, and pages share it (the chat's /ws/chat/,
 * opened here for the header's «Сообщения (N)», also carries static/js/chat.js's frames):
 * - every parsed frame is dispatched on `document` as
 *   CustomEvent("live:message", {detail: {path, message}});
 * - each (re)connect dispatches CustomEvent("live:open", {detail: {path}}) (a page sends its
 *   hello then), and the link's data-live-state says "open" while it is;
 * - a page sends a frame with CustomEvent("live:send", {detail: {path, message}}) on
 *   `document`; while that socket is not open the frame is dropped (pages resynchronise on
 *   live:open).
 */

const MAX_DELAY = 60_000;
const REFUSED = 4403;
const counts = new Map();
// path → the open WebSocket (one per path for the whole tab).
const sockets = new Map();

function emit(name, detail) {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}

document.addEventListener("live:send", (event) => {
  const { path, message } = event.detail || {};
  const socket = sockets.get(path);
  if (!socket || socket.readyState !== WebSocket.OPEN || message === undefined) return;
  try {
    socket.send(typeof message === "string" ? message : JSON.stringify(message));
  } catch {
    // Closing meanwhile: the page resynchronises on the next live:open.
  }
});

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
      sockets.set(path, socket);
      link.dataset.liveState = "open";
      emit("live:open", { path });
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
      emit("live:message", { path, message });
    });
    socket.addEventListener("close", (event) => {
      if (sockets.get(path) === socket) sockets.delete(path);
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
  const watched = new Set();
  document.querySelectorAll("[data-live-count]").forEach((link) => {
    // One socket per path, whatever number of links show its count.
    if (watched.has(link.dataset.liveCount)) return;
    watched.add(link.dataset.liveCount);
    const badge = link.querySelector("[data-nav-count] [aria-hidden]");
    counts.set(link, badge ? Number.parseInt(badge.textContent, 10) || 0 : 0);
    watch(link);
  });
}

init();
