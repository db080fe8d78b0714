/**
 * The indicators page (dashboard/indicators.html), progressively enhanced. Without this file
 * every field of the period picker shows and the form still works: the server ignores the
 * fields the chosen kind does not use. The charts are SVG drawn on the server and their data
 * tables are <details>: neither needs JavaScript.
 *
 * - the period picker ([data-period-form]): each field wrapper says for which kinds it is
 *   ([data-period-for="year quarter month"]); the ones the chosen kind (select[name=period])
 *   does not use are hidden and disabled (so they are not submitted either), again on every
 *   change of the kind. Focus stays on the kind's select; the fields shown follow it in the
 *   tab order.
 */

function initPeriodForm(form) {
  const kind = form.querySelector("select[name=period]");
  if (!kind) return;
  const wrappers = Array.from(form.querySelectorAll("[data-period-for]"));

  const sync = () => {
    wrappers.forEach((wrapper) => {
      const kinds = (wrapper.dataset.periodFor || "").split(/\s+/);
      const used = kinds.includes(kind.value);
      wrapper.hidden = !used;
      wrapper.querySelectorAll("input, select, textarea").forEach((control) => {
        control.disabled = !used;
      });
    });
  };

  kind.addEventListener("change", sync);
  // The browser may restore an earlier choice on «Back»: follow what the select shows.
  window.addEventListener("pageshow", sync);
  sync();
}

document.querySelectorAll("[data-period-form]").forEach(initPeriodForm);
