// Material wraps each table in a scrolling box (div.md-typeset__scrollwrap). When a
// table is wider than the page, keyboard users must be able to reach that box to
// scroll it: make it focusable and name it, as soon as Material inserts it, and
// again when the window's width changes. Boxes that do not scroll stay out of the
// tab order.
(() => {
  const word = document.documentElement.lang === "zh" ? "可横向滚动的表格" : "Table, scrolls sideways";
  const update = () => {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach((box) => {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", word);
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  };
  let pending = false;
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; update(); });
    }
  };
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
  schedule();
})();
