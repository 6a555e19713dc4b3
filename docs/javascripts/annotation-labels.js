// Material turns "# (1)!" comments in code into annotation markers: links whose
// number is drawn by CSS, so screen readers find them without a name. Give each
// one a name ("Annotation 1" / "注释 1") as soon as Material inserts it.
(() => {
  const word = document.documentElement.lang === "zh" ? "注释" : "Annotation";
  const label = (root) => {
    root.querySelectorAll("a.md-annotation__index:not([aria-label])").forEach((link) => {
      const id = link.querySelector("[data-md-annotation-id]");
      link.setAttribute("aria-label", `${word} ${id ? id.dataset.mdAnnotationId : ""}`.trim());
    });
  };
  new MutationObserver(() => label(document)).observe(document.documentElement, { childList: true, subtree: true });
  label(document);
})();
