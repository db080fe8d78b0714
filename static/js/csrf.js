// Pages cached for guests carry no CSRF token (core/pagecache.py): a form posted from one
// asks /csrf-token for a token (which also sets the CSRF cookie), adds it and is sent again.
// Forms that already carry a token (every signed-in page) are left alone, and so are forms
// marked data-csrf="exempt" (the language switch, whose view needs no token).
const FIELD = "csrfmiddlewaretoken";

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  if (form.dataset.csrf === "exempt" || form.querySelector(`input[name="${FIELD}"]`)) return;
  if (new URL(form.action, window.location.href).origin !== window.location.origin) return;
  event.preventDefault();
  const submitter = event.submitter;
  try {
    const response = await fetch("/csrf-token", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const { token } = await response.json();
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = FIELD;
    input.value = token;
    form.append(input);
  } catch {
    // Sent without a token, the server answers with its «form expired» page.
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = FIELD;
    form.append(input);
  }
  form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
});
