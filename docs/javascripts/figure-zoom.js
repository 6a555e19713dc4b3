// Click (or Enter/Space) on a figure to see it at the full width of the window;
// click again or press Escape to return. Figures are inline SVG, so they stay sharp.
document$.subscribe(() => {
  const label = document.documentElement.lang === "zh" ? "点击放大或还原图像" : "Click to enlarge or restore the figure";
  document.querySelectorAll("figure.nnbook-figure").forEach((figure) => {
    if (figure.dataset.zoomReady) return;
    figure.dataset.zoomReady = "1";
    figure.tabIndex = 0;
    figure.title = label;
    const toggle = () => figure.classList.toggle("nnbook-figure--zoomed");
    figure.addEventListener("click", toggle);
    figure.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
      if (event.key === "Escape") figure.classList.remove("nnbook-figure--zoomed");
    });
  });
});
