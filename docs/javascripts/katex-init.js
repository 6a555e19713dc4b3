// Typeset the maths that pymdownx.arithmatex leaves as \( ... \) and \[ ... \].
// KaTeX is served from this site (assets/katex), never from another host.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
