/**
 * Progressive enhancements of the site shell. Every page works without this file:
 * without it the navigation is simply always visible and messages stay on the page.
 *
 * - marks <html> with .js so the stylesheets can collapse the menu on small screens;
 * - the menu button ([data-menu-toggle], aria-controls → the panel) opens and closes the
 *   header panel and keeps aria-expanded in sync; Escape closes it;
 * - dismiss buttons ([data-dismiss]) remove the closest [data-dismissible] element
 *   (delegated, so messages added later by other scripts work too).
 */

const root = document.documentElement;
root.classList.remove("no-js");
root.classList.add("js");

const WIDE_SCREEN = window.matchMedia("(min-width: 64em)");

function initMenu() {
  const toggle = document.querySelector("[data-menu-toggle]");
  if (!toggle) return;
  const panel = document.getElementById(toggle.getAttribute("aria-controls"));
  if (!panel) return;

  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    panel.classList.toggle("is-open", open);
  };

  setOpen(false);

  // A disclosure: focus stays on the button, the panel follows it in the tab order.
  toggle.addEventListener("click", () => setOpen(!isOpen()));

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen() && !WIDE_SCREEN.matches) {
      setOpen(false);
      toggle.focus();
    }
  });

  // Going back to a wide screen shows the full header: forget the small-screen state.
  WIDE_SCREEN.addEventListener("change", (event) => {
    if (event.matches) setOpen(false);
  });
}

function initDismiss() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-dismiss]");
    if (!button) return;
    const item = button.closest("[data-dismissible]");
    if (!item) return;

    // Keep keyboard focus on the page: the next message's button, or the main region.
    const container = item.parentElement;
    item.remove();
    const next = container && container.querySelector("[data-dismiss]");
    if (next) {
      next.focus();
    } else {
      if (container && container.matches("[data-messages]") && !container.children.length) {
        container.remove();
      }
      const main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    }
  });
}

initMenu();
initDismiss();
