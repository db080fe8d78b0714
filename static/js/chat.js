/**
 * The chat's pages, progressively enhanced. Without this file every page still works: the
 * composer is a plain form post and reload, «Показать ранее» a link to ?before=<cursor>.
 *
 * - Live: the tab's one /ws/chat/ socket is opened by static/js/notices.js for the header's
 *   «Сообщения (N)»; this file talks through it (document events live:open, live:message,
 *   live:send) and never opens its own. On (re)connect it says hello with the highest
 *   message id it knows and receives what it missed (repeating while "more"); new messages
 *   are appended once (by id) with date separators; the list's previews and unread badges
 *   follow; «печатает…» shows on typing frames; a message that arrives while the
 *   conversation is open and the tab visible is reported read (else when the tab shows).
 * - The composer is posted with XMLHttpRequest (the server answers JSON) with an upload
 *   progress bar; errors show above it and the text stays.
 * - «Показать ранее» fetches the older page and puts its messages above, keeping the scroll.
 */

const PATH = "/ws/chat/";
const TYPING_EVERY = 2000;
const TYPING_SHOWN = 4000;

const root = document.querySelector("[data-chat-page]");
const parser = new DOMParser();

function readStrings() {
  const node = document.getElementById("chat-strings");
  if (!node) return {};
  try {
    return JSON.parse(node.textContent);
  } catch {
    return {};
  }
}

const strings = readStrings();
const me = root ? Number.parseInt(root.dataset.me, 10) : 0;
const conversationId = root && root.dataset.conversation ? Number(root.dataset.conversation) : 0;
const history = document.querySelector("[data-chat-history]");
const messagesList = document.querySelector("[data-chat-messages]");
const seen = new Set();
// The newest message of my stream up to which nothing is missing: the page's position when
// it was built, then advanced only along the chain each live message carries (its "prev":
// the previous message of my stream). A message whose prev is not this one means one is
// missing (still in flight, or dropped): the watermark stays and hello asks for the rest, so
// neither my own acks nor out-of-order deliveries can make a reconnect skip a message.
let watermark = root ? Number.parseInt(root.dataset.lastId || "0", 10) || 0 : 0;
const ahead = new Map(); // prev id -> id, for live messages that arrived before their prev
let gapTimer = 0;
let pendingRead = 0;
const GAP_WAIT = 1500;

document.querySelectorAll("[data-message-id]").forEach((node) => {
  seen.add(Number(node.dataset.messageId));
});

function send(message) {
  document.dispatchEvent(new CustomEvent("live:send", { detail: { path: PATH, message } }));
}

function hello() {
  send({ type: "hello", last_id: watermark });
}

function advance(to) {
  if (to <= watermark) return;
  watermark = to;
  while (ahead.has(watermark)) {
    const next = ahead.get(watermark);
    ahead.delete(watermark);
    watermark = next;
  }
  for (const prev of Array.from(ahead.keys())) {
    if (ahead.get(prev) <= watermark) ahead.delete(prev);
  }
  if (!ahead.size && gapTimer) {
    window.clearTimeout(gapTimer);
    gapTimer = 0;
  }
}

function follow(message) {
  const prev = message.prev ? message.prev[String(me)] : undefined;
  if (!Number.isInteger(prev) || message.id <= watermark) return;
  if (prev <= watermark) {
    advance(message.id);
    return;
  }
  ahead.set(prev, message.id);
  if (!gapTimer) {
    gapTimer = window.setTimeout(() => {
      gapTimer = 0;
      if (ahead.size) hello();
    }, GAP_WAIT);
  }
}

// --- Showing messages ----------------------------------------------------------------------

function dateLabel(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const date = new Date(year, month - 1, day);
  try {
    const text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(date);
    // «10 октября 2019 г.» → «10 октября 2019», as the page's separators (Django's date).
    return text.replace(/\s*г\.$/, "");
  } catch {
    return iso;
  }
}

function fileIcon(family) {
  const icons = document.querySelector("template[data-chat-icons]");
  if (!icons) return null;
  const holder =
    icons.content.querySelector(`[data-family="${CSS.escape(family)}"]`) ||
    icons.content.querySelector('[data-family="file"]');
  return holder ? holder.firstElementChild.cloneNode(true) : null;
}

function sizeText(bytes) {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const lang = document.documentElement.lang || undefined;
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: unit ? 1 : 0 }).format(value);
  return `${number} ${units[unit]}`;
}

function renderMessage(message) {
  const item = document.createElement("li");
  item.className = "chat-message" + (message.sender === me ? " chat-message--mine" : "");
  item.id = `message-${message.id}`;
  item.dataset.messageId = String(message.id);
  const bubble = document.createElement("div");
  bubble.className = "chat-message__bubble";
  if (message.sender === me) {
    const you = document.createElement("span");
    you.className = "visually-hidden";
    you.textContent = strings.you || "";
    bubble.append(you);
  }
  if (message.html) {
    const text = document.createElement("div");
    text.className = "chat-message__text";
    // The server's rendering: escaped text with the links it made itself (core.text.text_html).
    text.innerHTML = message.html;
    bubble.append(text);
  }
  if (message.attachments && message.attachments.length) {
    const files = document.createElement("ul");
    files.className = "attachments chat-message__files";
    files.setAttribute("role", "list");
    message.attachments.forEach((attachment) => {
      const file = document.createElement("li");
      file.className = "attachment";
      const icon = fileIcon(attachment.family || "file");
      if (icon) file.append(icon);
      const body = document.createElement("span");
      body.className = "attachment__body";
      const link = document.createElement("a");
      link.className = "attachment__name";
      link.href = attachment.url;
      link.setAttribute("download", "");
      link.textContent = attachment.name;
      const size = document.createElement("span");
      size.className = "attachment__size";
      size.textContent = sizeText(attachment.size);
      body.append(link, size);
      file.append(body);
      files.append(file);
    });
    bubble.append(files);
  }
  const time = document.createElement("time");
  time.className = "chat-message__time";
  time.dateTime = message.created_at;
  time.textContent = message.time;
  bubble.append(time);
  item.append(bubble);
  return item;
}

function lastDate() {
  const dates = messagesList.querySelectorAll("[data-chat-date]");
  return dates.length ? dates[dates.length - 1].dataset.chatDate : "";
}

function nearBottom() {
  return history.scrollHeight - history.scrollTop - history.clientHeight < 120;
}

function scrollToBottom() {
  history.scrollTop = history.scrollHeight;
}

function insertUnreadDivider(before) {
  messagesList.querySelectorAll("[data-chat-unread-divider]").forEach((node) => node.remove());
  const divider = document.createElement("li");
  divider.className = "chat-unread";
  divider.id = "unread";
  divider.dataset.chatUnreadDivider = "";
  const label = document.createElement("span");
  label.textContent = strings.unread || "";
  divider.append(label);
  messagesList.insertBefore(divider, before);
}

function appendMessage(message) {
  if (!messagesList) return;
  const stick = nearBottom() || message.sender === me;
  const empty = document.querySelector("[data-chat-empty]");
  if (empty) empty.remove();
  if (lastDate() !== message.date) {
    const separator = document.createElement("li");
    separator.className = "chat-date";
    separator.dataset.chatDate = message.date;
    const label = document.createElement("span");
    label.textContent = dateLabel(message.date);
    separator.append(label);
    messagesList.append(separator);
  }
  const item = renderMessage(message);
  messagesList.append(item);
  if (message.sender !== me && document.visibilityState !== "visible" && !pendingRead) {
    insertUnreadDivider(item);
  }
  if (stick) scrollToBottom();
}

// --- The list ------------------------------------------------------------------------------

function unreadText(count) {
  return (strings.unreadCount || "%(counter)s").replace("%(counter)s", String(count));
}

function setBadge(row, count) {
  const badge = row.querySelector("[data-chat-unread]");
  if (!badge) return;
  const [number, hidden] = badge.children;
  number.textContent = String(count);
  if (hidden) hidden.textContent = unreadText(count);
  badge.hidden = count <= 0;
}

let refreshing = null;

async function refreshList() {
  // A conversation the list does not show yet: take the list from «Сообщения» again.
  const list = document.querySelector("[data-chat-list]");
  if (refreshing) return refreshing;
  const url = root.dataset.listUrl;
  if (!url) return null;
  refreshing = fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((text) => {
      const fresh = parser.parseFromString(text, "text/html").querySelector("[data-chat-list]");
      if (!fresh) return;
      if (list && list.classList.contains("chat-list--compact")) {
        fresh.classList.add("chat-list--compact");
      }
      fresh.querySelectorAll("[data-conversation]").forEach((row) => {
        if (Number(row.dataset.conversation) === conversationId) {
          row.querySelector("a").setAttribute("aria-current", "page");
        }
      });
      if (list) {
        list.replaceWith(document.adoptNode(fresh));
      } else {
        const section = document.querySelector(".chat-conversations");
        const empty = section && section.querySelector(".empty-state");
        if (empty) empty.replaceWith(document.adoptNode(fresh));
      }
    })
    .catch(() => {})
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function updateList(message, { counted }) {
  const list = document.querySelector("[data-chat-list]");
  const row = list && list.querySelector(`[data-conversation="${message.conversation}"]`);
  if (!row) {
    refreshList();
    return;
  }
  const preview = row.querySelector("[data-chat-preview]");
  if (preview) {
    preview.textContent = "";
    if (message.sender === me) {
      const you = document.createElement("span");
      you.className = "chat-list__you";
      you.textContent = strings.you || "";
      preview.append(you, " ");
    }
    let text = (message.text || "").replace(/\s+/g, " ").trim();
    if (!text && message.attachments && message.attachments.length) {
      text = (strings.file || "%(name)s").replace("%(name)s", message.attachments[0].name);
    }
    preview.append(text.length > 90 ? `${text.slice(0, 89)}…` : text);
  }
  const time = row.querySelector("[data-chat-time]");
  if (time) {
    time.dateTime = message.created_at;
    time.textContent = message.time;
  }
  if (counted) {
    const badge = row.querySelector("[data-chat-unread] [aria-hidden]");
    const current = badge ? Number.parseInt(badge.textContent, 10) || 0 : 0;
    const hiddenBadge = row.querySelector("[data-chat-unread]");
    setBadge(row, hiddenBadge && hiddenBadge.hidden ? 1 : current + 1);
  }
  if (list.firstElementChild !== row) list.prepend(row);
}

// --- Frames --------------------------------------------------------------------------------

function isOpenHere(message) {
  return conversationId && message.conversation === conversationId && messagesList;
}

function markRead(upTo) {
  if (!conversationId || !upTo) return;
  send({ type: "read", conversation: conversationId, last_id: upTo });
  pendingRead = 0;
}

function receive(message) {
  if (!message || !Number.isInteger(message.id)) return;
  follow(message);
  if (seen.has(message.id)) return;
  seen.add(message.id);
  const here = isOpenHere(message);
  if (here) {
    appendMessage(message);
    if (message.sender !== me) {
      if (document.visibilityState === "visible") markRead(message.id);
      else pendingRead = Math.max(pendingRead, message.id);
    }
  }
  const counted = message.sender !== me && !(here && document.visibilityState === "visible");
  updateList(message, { counted });
}

let typingTimer = 0;

function showTyping(frame) {
  const node = document.querySelector("[data-chat-typing]");
  if (!node || frame.conversation !== conversationId || frame.user === me) return;
  node.hidden = false;
  window.clearTimeout(typingTimer);
  typingTimer = window.setTimeout(() => {
    node.hidden = true;
  }, TYPING_SHOWN);
}

async function refreshComposer() {
  // Rights changed (a block, a membership ended): the page says again whether one may write.
  const current = document.querySelector("[data-chat-composer], [data-chat-closed]");
  if (!current) return;
  try {
    const response = await fetch(window.location.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) return;
    const page = parser.parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-chat-composer], [data-chat-closed]");
    if (!fresh) return;
    const typed = current.querySelector("textarea");
    const freshText = fresh.querySelector("textarea");
    if (typed && freshText) freshText.value = typed.value;
    current.replaceWith(document.adoptNode(fresh));
    bindComposer();
    const header = page.querySelector(".chat-header__action");
    const oldHeader = document.querySelector(".chat-header__action");
    if (header && oldHeader) oldHeader.replaceWith(document.adoptNode(header));
  } catch {
    // The next reload shows it.
  }
}

document.addEventListener("live:open", (event) => {
  if (event.detail && event.detail.path === PATH) hello();
});

document.addEventListener("live:message", (event) => {
  if (!event.detail || event.detail.path !== PATH) return;
  const frame = event.detail.message;
  if (!frame || typeof frame !== "object") return;
  switch (frame.type) {
    case "missed":
      // Everything of my stream after the watermark, in order: the batch leaves no gap.
      (frame.messages || []).forEach(receive);
      if (Number.isInteger(frame.last_id)) advance(frame.last_id);
      if (frame.more) hello();
      break;
    case "message":
    case "ack":
      receive(frame.message);
      break;
    case "read": {
      const row = document.querySelector(`[data-chat-list] [data-conversation="${frame.conversation}"]`);
      if (row && Number.isInteger(frame.unread)) setBadge(row, frame.unread);
      break;
    }
    case "typing":
      showTyping(frame);
      break;
    case "access":
      refreshComposer();
      break;
    default:
      break;
  }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && pendingRead) {
    markRead(pendingRead);
    const row = document.querySelector(`[data-chat-list] [data-conversation="${conversationId}"]`);
    if (row) setBadge(row, 0);
  }
});

// --- The composer --------------------------------------------------------------------------

function showErrors(form, errors) {
  const box = form.querySelector("[data-chat-errors]");
  const list = form.querySelector("[data-chat-error-list]");
  if (!box || !list) return;
  list.textContent = "";
  errors.forEach((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  });
  box.hidden = errors.length === 0;
  const textarea = form.querySelector("textarea");
  if (textarea) {
    if (errors.length) textarea.setAttribute("aria-invalid", "true");
    else textarea.removeAttribute("aria-invalid");
  }
}

function progress(form, percent) {
  const wrap = form.querySelector("[data-chat-progress-wrap]");
  const bar = form.querySelector("[data-chat-progress]");
  if (!wrap || !bar) return;
  if (percent === null) {
    wrap.hidden = true;
    bar.value = 0;
    return;
  }
  wrap.hidden = false;
  bar.value = percent;
}

function submit(form) {
  if (form.dataset.busy === "1") return;
  const data = new FormData(form);
  const files = form.querySelector("[data-chat-files]");
  const hasFiles = files && files.files && files.files.length > 0;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.setRequestHeader("Accept", "application/json");
  xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
  form.dataset.busy = "1";
  form.setAttribute("aria-busy", "true");
  if (hasFiles) {
    progress(form, 0);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(form, Math.round((event.loaded / event.total) * 100));
    });
  }
  const done = () => {
    form.dataset.busy = "";
    form.removeAttribute("aria-busy");
    progress(form, null);
  };
  xhr.addEventListener("load", () => {
    done();
    let answer = null;
    try {
      answer = JSON.parse(xhr.responseText);
    } catch {
      answer = null;
    }
    if (xhr.status === 201 && answer && answer.ok) {
      showErrors(form, []);
      const textarea = form.querySelector("textarea");
      if (textarea) textarea.value = "";
      if (files) files.value = "";
      if (!conversationId && answer.url) {
        // The first message started the conversation: go to its page.
        window.location.assign(answer.url);
        return;
      }
      receive(answer.message);
      if (textarea) textarea.focus();
      return;
    }
    if (answer && answer.errors) {
      showErrors(form, Object.values(answer.errors).flat());
    } else {
      showErrors(form, [strings.sendFailed || "Error"]);
    }
  });
  xhr.addEventListener("error", () => {
    done();
    showErrors(form, [strings.sendFailed || "Error"]);
  });
  xhr.send(data);
}

let lastTyping = 0;

function bindComposer() {
  const form = document.querySelector("[data-chat-composer]");
  if (!form || form.dataset.bound) return;
  form.dataset.bound = "1";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form);
  });
  const textarea = form.querySelector("textarea");
  if (!textarea) return;
  textarea.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line (not while an input method composes).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit(form);
    }
  });
  textarea.addEventListener("input", () => {
    const now = Date.now();
    if (conversationId && now - lastTyping > TYPING_EVERY && textarea.value.trim()) {
      lastTyping = now;
      send({ type: "typing", conversation: conversationId });
    }
  });
}

// --- «Показать ранее» ----------------------------------------------------------------------

async function loadEarlier(link) {
  const wrap = link.closest("[data-chat-earlier-wrap]");
  const response = await fetch(link.href, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = parser.parseFromString(await response.text(), "text/html");
  const older = page.querySelector("[data-chat-messages]");
  if (!older) throw new Error("no messages in the page");
  older.querySelectorAll("[data-chat-unread-divider]").forEach((node) => node.remove());
  // The day the older page ends with may be the day this one starts with: one separator.
  const olderDates = older.querySelectorAll("[data-chat-date]");
  const olderLast = olderDates.length ? olderDates[olderDates.length - 1].dataset.chatDate : "";
  const first = messagesList.querySelector("[data-chat-date]");
  if (first && first === messagesList.firstElementChild && first.dataset.chatDate === olderLast) {
    first.remove();
  }
  const before = history.scrollHeight - history.scrollTop;
  const items = Array.from(older.children).filter((item) => {
    const id = item.dataset.messageId;
    if (!id) return true;
    if (seen.has(Number(id))) return false;
    seen.add(Number(id));
    return true;
  });
  const anchor = messagesList.firstElementChild;
  items.forEach((item) => messagesList.insertBefore(document.adoptNode(item), anchor));
  const nextWrap = page.querySelector("[data-chat-earlier-wrap]");
  if (nextWrap && wrap) wrap.replaceWith(document.adoptNode(nextWrap));
  else if (wrap) wrap.remove();
  history.scrollTop = history.scrollHeight - before;
  return true;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-chat-earlier]");
  if (!link || !messagesList || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  loadEarlier(link).catch(() => window.location.assign(link.href));
});

// --- Start ---------------------------------------------------------------------------------

function start() {
  if (!root) return;
  bindComposer();
  if (history && messagesList) {
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    const divider = messagesList.querySelector("[data-chat-unread-divider]");
    if (target && history.contains(target)) {
      target.scrollIntoView({ block: "center" });
    } else if (divider) {
      history.scrollTop = Math.max(divider.offsetTop - history.offsetTop - 16, 0);
    } else {
      scrollToBottom();
    }
  }
  const link = document.querySelector(`[data-live-count="${PATH}"]`);
  if (link && link.dataset.liveState === "open") hello();
  root.dataset.chatReady = "1";
}

start();
