"""Every chapter with executed code as a Jupyter notebook, in its language.

MkDocs hook module (listed after ``hooks/book.py`` in ``mkdocs.yml``). No
Markdown is parsed here: :func:`split_page` cuts a page at its executed
blocks (```` ```python exec="1" ````) and keeps everything between them, the
prose, verbatim as Markdown cells; each executed block becomes a code cell
holding exactly its code (dedented when the block sits inside an admonition
or a list). Other fences (package code included from ``src/nnmem`` with
``--8<--``, shell commands) are prose: the notebook imports the package
rather than redefining it. Snippet includes are expanded first with the
site's own ``pymdownx.snippets`` settings, exactly as the build expands them.

* ``on_page_markdown``: write the page's notebook into the site
  (``notebooks/<page>.ipynb`` for English, ``zh/notebooks/<page>.ipynb`` for
  Chinese) and note its place in ``page.meta``; nothing is kept between
  events or between builds (``mkdocs serve`` rebuilds start clean).
* ``on_page_content``: a download link under the page's title. It is HTML
  inserted after Markdown conversion, so MkDocs' link validation (which knows
  only documentation files) does not see it; it is relative, so it works when
  the site is served from a sub-path.

The first cells are a title with a note on where the notebook comes from and
a set-up cell (repository root as working directory, ``docs_src`` on
``sys.path``, the page's language for ``nnbook``). Notebooks are nbformat 4.5
without outputs, with cell ids from the cell's position, written by nbformat
with sorted keys: the same page gives a byte-identical file.
"""

from __future__ import annotations

import posixpath
import re
import sys
from html import escape
from pathlib import Path
from textwrap import dedent
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "docs_src") not in sys.path:
    sys.path.insert(0, str(ROOT / "docs_src"))

from nnbook.languages import page_language, site_prefix, source_name  # noqa: E402

NOTEBOOK_DIR = "notebooks"

# An opening fence: indentation, three or more backticks or tildes, the info string.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$", re.M)
EXECUTED = re.compile(r"""^\s*(?:python|py)\b.*\bexec=["']?(?:1|true|on|yes)\b""", re.I)
BLOCK_ID = re.compile(r"""\bid=["']([^"']+)["']""")

# Material Design's "download" icon; a plain link in the theme's link colour keeps the contrast of other links.
DOWNLOAD_ICON = (
    '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="1.2em" height="1.2em" '
    'style="vertical-align: -0.25em; fill: currentColor"><path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7 7-7Z"/></svg>'
)

TEXT = {
    "en": {
        "link": "Download this chapter as a Jupyter notebook",
        "note": (
            "This notebook was generated from the sources of *{book}* at build time; the chapter is also "
            "[on the web]({web}). Its code needs the book's repository and environment: open the notebook "
            "from inside a clone of the repository, with the environment's Python (`.venv`) as the kernel, "
            "and run the cells from top to bottom. Package code shown as text is imported from `nnmem`, "
            "not defined here."
        ),
        "setup_comment": "Setup: run from the repository root, as the book's build does, with docs_src importable.",
        "setup_error": "Run this notebook from inside a clone of the book's repository.",
    },
    "zh": {
        "link": "下载本章的 Jupyter 笔记本",
        "note": (
            "本笔记本在构建时由《{book}》的源文件自动生成；本章也有[网页版]({web})。运行其中的代码需要本书的代码仓库和环境："
            "请在仓库的克隆中打开本笔记本，以仓库环境（`.venv`）的 Python 作为内核，从上到下依次运行各单元。"
            "以文本形式展示的包代码从 `nnmem` 导入，不在这里重新定义。"
        ),
        "setup_comment": "准备：与本书的构建一样，以仓库根目录为工作目录，并使 docs_src 可以导入。",
        "setup_error": "请在本书代码仓库的克隆中运行本笔记本。",
    },
}

# The first code cell of every notebook; only its comment, error message and language differ.
SETUP_CELL = """\
# {setup_comment}
import os
import sys
from pathlib import Path

_root = next((d for d in [Path.cwd(), *Path.cwd().parents] if (d / "docs_src" / "nnbook").is_dir()), None)
if _root is None:
    raise RuntimeError("{setup_error}")
os.chdir(_root)
if str(_root / "docs_src") not in sys.path:
    sys.path.insert(0, str(_root / "docs_src"))

import nnbook

nnbook.set_language("{language}")"""


def setup_cell(language: str) -> str:
    """The notebook's set-up code in `language`."""
    return SETUP_CELL.format(language=language, **TEXT[language])


def expand_snippets(markdown: str, snippet_config: dict[str, Any] | None) -> str:
    """Expand ``--8<--`` includes with pymdownx.snippets, configured as in ``mkdocs.yml``."""
    if "-8<-" not in markdown:
        return markdown
    import markdown as md_lib

    settings = {"pymdownx.snippets": dict(snippet_config or {})}
    md = md_lib.Markdown(extensions=["pymdownx.snippets"], extension_configs=settings)
    return "\n".join(md.preprocessors["snippet"].run(markdown.split("\n")))


def split_page(markdown: str) -> list[tuple[str, str, str | None]]:
    """Cut a page at its executed blocks: ``("markdown", prose, None)`` and ``("code", code, block id)`` pieces.

    Prose is kept verbatim (only blank lines at its ends are dropped). A fence
    closes at the next line holding only the same character, at least as
    many times; the content of other fences is never searched for blocks.
    """
    pieces: list[tuple[str, str, str | None]] = []
    prose_start = position = 0
    while (opening := FENCE.search(markdown, position)) is not None:
        mark = opening["fence"]
        closing_line = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.M)
        closing = closing_line.search(markdown, opening.end())
        end = closing.end() if closing else len(markdown)
        if EXECUTED.match(opening["info"]):
            prose = markdown[prose_start : opening.start()].strip("\n")
            if prose.strip():
                pieces.append(("markdown", prose, None))
            body = markdown[opening.end() + 1 : closing.start() if closing else len(markdown)]
            block = BLOCK_ID.search(opening["info"])
            pieces.append(("code", dedent(body).strip("\n"), block[1] if block else None))
            prose_start = end
        position = end
    prose = markdown[prose_start:].strip("\n")
    if prose.strip():
        pieces.append(("markdown", prose, None))
    return pieces


def page_notebook(markdown: str, *, language: str, book: str, web_page: str,
                  snippet_config: dict[str, Any] | None = None) -> Any:
    """The notebook (an ``nbformat`` node) for one page's Markdown source.

    `web_page` is the address of the page relative to the notebook.
    """
    import nbformat

    note = "> " + TEXT[language]["note"].format(book=book, web=web_page)
    pieces = [("markdown", note, None), ("code", setup_cell(language), None)]
    pieces += split_page(expand_snippets(markdown, snippet_config))
    cells = []
    for position, (kind, source, block) in enumerate(pieces):
        if kind == "code":
            cell = nbformat.v4.new_code_cell(source, metadata={"nnbook": {"block": block}} if block else {})
        else:
            cell = nbformat.v4.new_markdown_cell(source)
        cell["id"] = f"cell-{position:03d}"
        cells.append(cell)
    metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nnbook": {"language": language},
    }
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    notebook.nbformat_minor = 5
    return notebook


def dumps(notebook: Any) -> str:
    """Deterministic text of a notebook (nbformat's writer: sorted keys, no timestamps)."""
    import nbformat

    return nbformat.writes(notebook, version=4) + "\n"


def notebook_path(page) -> str:  # noqa: ANN001
    """Where the page's notebook goes, relative to the site directory."""
    return f"{site_prefix(page_language(page))}{NOTEBOOK_DIR}/{source_name(page.file.src_uri)}.ipynb"


def _relative(target: str, from_dir: str) -> str:
    return posixpath.relpath(target or ".", from_dir or ".")


# --------------------------------------------------------------------------- MkDocs events


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    if not any(EXECUTED.match(m["info"]) for m in FENCE.finditer(markdown)):
        return markdown
    path = notebook_path(page)
    notebook = page_notebook(
        markdown,
        language=page_language(page),
        book=config["site_name"],
        web_page=_relative(posixpath.dirname(page.file.dest_uri), posixpath.dirname(path)) + "/",
        snippet_config=config["mdx_configs"].get("pymdownx.snippets"),
    )
    target = Path(config["site_dir"]) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(notebook), encoding="utf-8")
    page.meta["nnbook_notebook"] = path
    return markdown


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201, ARG001
    path = page.meta.get("nnbook_notebook")
    if path is None:
        return html
    language = page_language(page)
    href = _relative(path, posixpath.dirname(page.file.dest_uri))
    filename = posixpath.basename(path)
    if site_prefix(language):
        filename = filename.replace(".ipynb", f".{language}.ipynb")
    link = (
        f'<p class="nnbook-notebook" data-search-exclude><a href="{escape(href)}" download="{escape(filename)}" '
        f'type="application/x-ipynb+json">{DOWNLOAD_ICON} {escape(TEXT[language]["link"])}</a></p>'
    )
    end_of_title = html.find("</h1>")
    if end_of_title < 0:
        return link + html
    end_of_title += len("</h1>")
    return html[:end_of_title] + link + html[end_of_title:]
