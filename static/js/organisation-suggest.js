/**
 * Organisation suggestions for the cabinet's profile form. The page ships an empty
 * <datalist data-suggest-url="…"> (no organisation names in the HTML); as the person types
 * into the input linked to it (list="…"), this asks the endpoint for public organisations
 * (?q=, at least MIN_LENGTH letters, debounced) and fills the datalist. Without this file
 * the field is a plain text input and the form works the same.
 */

const MIN_LENGTH = 3;
const DEBOUNCE_MS = 250;

function fill(datalist, names) {
  const options = names.map((name) => {
    const option = document.createElement("option");
    option.value = name;
    return option;
  });
  datalist.replaceChildren(...options);
}

function connect(datalist) {
  const input = document.querySelector(`input[list="${datalist.id}"]`);
  const url = datalist.dataset.suggestUrl;
  if (!input || !url) return;

  let timer = null;
  let pending = null;
  let lastQuery = "";

  async function suggest(query) {
    if (pending) pending.abort();
    pending = new AbortController();
    try {
      const response = await fetch(`${url}?${new URLSearchParams({ q: query })}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      });
      // Rate-limited (429), signed out (a redirect to the login) or failing: keep what the
      // list holds; typing still works.
      if (!response.ok || !response.headers.get("Content-Type")?.includes("json")) return;
      const data = await response.json();
      if (query === lastQuery && Array.isArray(data.results)) fill(datalist, data.results);
    } catch {
      // Superseded by newer typing (aborted) or offline: the field works as plain text.
    }
  }

  input.addEventListener("input", () => {
    const query = input.value.trim();
    clearTimeout(timer);
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < MIN_LENGTH) {
      if (pending) pending.abort();
      fill(datalist, []);
      return;
    }
    timer = setTimeout(() => suggest(query), DEBOUNCE_MS);
  });
}

document.querySelectorAll("datalist[data-suggest-url]").forEach(connect);
