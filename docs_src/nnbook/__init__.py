"""Helpers for the book's executed code blocks (not part of the `nnmem` package).

The pages run their code with markdown-exec. Code that only prepares a figure
or a table calls these helpers so that the same block works on the English
and the Chinese page:

* :func:`t` picks the string for the language of the page being built;
* :func:`svg` turns a matplotlib figure into accessible, reproducible inline SVG;
* :func:`markdown_table` prints a Markdown table;
* :func:`nnbook.cache.run_experiment` runs a heavier experiment once and
  hands each page its own copy of the result (see :mod:`nnbook.cache`).

The languages (and the rule that gives a page its language) live in
:mod:`nnbook.languages`.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import warnings
from collections.abc import Sequence
from html import escape
from typing import Any

from nnbook.cache import run_experiment
from nnbook.languages import LANGUAGES

__all__ = [
    "LANGUAGES",
    "current_language",
    "markdown_table",
    "run_experiment",
    "set_language",
    "setup_matplotlib",
    "svg",
    "t",
]

_language = LANGUAGES[0]


def set_language(language: str) -> None:
    """Select the language of the page being built (called by the build hook)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of {LANGUAGES}; got {language!r}.")
    _language = language


def current_language() -> str:
    """The language of the page being built: ``"en"`` or ``"zh"``."""
    return _language


def t(en: str, zh: str) -> str:
    """Return `en` on an English page and `zh` on a Chinese page."""
    return zh if _language == "zh" else en


# Okabe & Ito's colour-blind-safe palette.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def setup_matplotlib() -> Any:
    """Configure matplotlib for reproducible SVG output and return ``pyplot``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # keep text as text: searchable, selectable, smaller
            "svg.hashsalt": "nnmem-book",  # stable element ids from build to build
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif"],
            "axes.prop_cycle": cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 10,
        }
    )
    warnings.filterwarnings("ignore", message=r"Glyph .* missing from font", category=UserWarning)
    warnings.filterwarnings("ignore", message=r"findfont: Font family", category=UserWarning)
    return plt


_SVG_START = re.compile(r"^.*?(<svg\b)", re.DOTALL)
_SVG_ID = re.compile(r'\sid="([^"]+)"')
_SVG_REF = re.compile(r'(href="#|url\(#)([^")]+)')


def _unique_ids(text: str) -> str:
    """Matplotlib's SVG with ids that are unique on a page of many figures.

    Matplotlib names its groups ``figure_1``, ``axes_1``, … in every figure and
    derives marker and clip-path ids from their content, so two figures on a
    page repeat ids. Ids nothing in the figure points to are dropped; the
    others, and the references to them, get a prefix made from the figure's
    own content (stable from build to build).
    """
    referenced = {m.group(2) for m in _SVG_REF.finditer(text)}
    text = _SVG_ID.sub(lambda m: m.group(0) if m.group(1) in referenced else "", text)
    prefix = "f" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10] + "-"
    text = _SVG_ID.sub(lambda m: f' id="{prefix}{m.group(1)}"', text)
    return _SVG_REF.sub(lambda m: m.group(1) + prefix + m.group(2), text)


def _jupyter_shell() -> Any:
    """The running Jupyter (IPython kernel) shell, or None in the build, the tests and plain Python."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


class Figure(str):
    """The HTML of a figure: a plain ``str`` for the build, displayed as a figure in Jupyter.

    The book's blocks ``print(svg(...))``. In a Jupyter kernel, printing shows
    the figure (and an empty line) instead of its SVG source; as the last
    expression of a cell it is shown through ``_repr_html_``. Everywhere else
    (the build, the tests, plain Python) it behaves exactly like the string.
    """

    def _repr_html_(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        shell = _jupyter_shell()
        if shell is None:
            return str.__str__(self)
        from IPython.display import HTML, display

        display(HTML(str.__str__(self)))
        return ""


def svg(fig: Any, *, alt: str, caption: str | None = None) -> str:
    """Render `fig` as inline SVG with a text alternative, then close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    alt : str
        What the figure shows, for screen readers (becomes ``aria-label``
        and the SVG ``<title>``).
    caption : str, optional
        A visible caption under the figure (Markdown is not rendered in it).

    Returns
    -------
    str
        A ``<figure>`` element; print it from a block with ``html="1"``. It is
        a :class:`Figure`, a ``str`` that Jupyter displays as the figure.
    """
    import matplotlib.pyplot as plt

    if not alt or not alt.strip():
        raise ValueError("`alt` must describe the figure for readers who cannot see it; got an empty string.")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = _unique_ids(_SVG_START.sub(r"\1", buffer.getvalue(), count=1))
    label = escape(alt, quote=True)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    text = re.sub(r"(<svg\b[^>]*>)", rf"\1<title>{label}</title>", text, count=1)
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Figure(f'<figure class="nnbook-figure">{text}{figcaption}</figure>')


def _cell(value: Any) -> str:
    return str(value).replace("|", r"\|")


def markdown_table(header: Sequence[Any], rows: Sequence[Sequence[Any]], *, align: str | None = None) -> str:
    """A Markdown table; `align` is one character per column from ``l``, ``c``, ``r``."""
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header):
        raise ValueError(f"`align` must have one letter per column ({len(header)}); got {align!r}.")
    rule = {"l": ":---", "c": ":---:", "r": "---:"}
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(rule[a] for a in align) + " |"]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"every row must have {len(header)} cells; got {len(row)} in {row!r}.")
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)
