"""Every chapter with executed code as a Jupyter notebook, in its language.

MkDocs hook module (listed after ``hooks/book.py`` in ``mkdocs.yml``).

* ``on_page_markdown``: turn the Markdown source of a page that has executed
  blocks (```` ```python exec="1" ````) into a notebook and keep it in memory.
  Snippet includes are expanded first with the site's own
  ``pymdownx.snippets`` settings, exactly as the build expands them.
* ``on_page_content``: put a download link under the page's title. It is an
  HTML ``<a>`` inserted after Markdown conversion, so MkDocs' link validation
  (which knows only documentation files) does not see it; the link is
  relative and works when the site is served from a sub-path.
* ``on_post_build``: write the notebooks: ``site/notebooks/<page>.ipynb``
  (English) and ``site/zh/notebooks/<page>.ipynb`` (Chinese). mkdocs-static-i18n
  builds each language with its own pass, and each pass ends with this event.

The conversion, :func:`page_notebook`:

* prose stays Markdown: ``$...$`` maths untouched, ``{#id}`` heading
  attributes replaced by an ``<a id>`` anchor (so in-page links still work),
  admonitions and collapsible blocks become block quotes with a bold title,
  links to other pages point at the web pages (``../<page>/``);
* every executed block becomes a code cell with exactly the block's code
  (dedented when it sits in an admonition or a list);
* every other fence (package code included from ``src/nnmem`` with
  ``--8<--``, shell commands) stays a fenced block in a Markdown cell: the
  notebook imports the package rather than redefining it;
* the first cells are a title with a note on where the notebook comes from and
  a setup cell (repository root as working directory, ``docs_src`` on
  ``sys.path``, the page's language for ``nnbook``).

Notebooks are nbformat 4.5 without outputs, with cell ids derived from the
position and keys sorted, so the same sources give byte-identical files.
"""

from __future__ import annotations

import json
import posixpath
import re
from html import escape
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "zh")
NOTEBOOK_DIR = "notebooks"

_notebooks: dict[str, str] = {}  # path relative to site_dir -> file text, written in on_post_build
_links: dict[str, str] = {}  # page dest_uri -> notebook path relative to site_dir

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
EXEC_INFO = re.compile(r"""^\s*(?:python|py)\b.*\bexec=["']?(?:1|true|on|yes)\b""", re.I)
EXEC_FENCE = re.compile(r"""^[ \t]*(?:`{3,}|~{3,})\s*(?:python|py)\b[^\n]*\bexec=["']?(?:1|true|on|yes)\b""", re.I | re.M)
BLOCK_ID = re.compile(r"""\bid=["']([^"']+)["']""")
CONTAINER = re.compile(r'^(?P<indent>[ \t]*)(?:(?:!!!|\?\?\?\+?) *(?P<type>[\w\-]+(?: +[\w\-]+)*)|===\+?)(?: +"(?P<title>.*?)")? *$')
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
HEADING_ATTRS = re.compile(r"\s*\{:?\s*(?P<attrs>[^{}]*)\}\s*$")
STANDALONE_ATTRS = re.compile(r"^\s*\{:[^}]*\}\s*$")
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
MD_IN_HTML = re.compile(r"^\s*(?:<(?:div|section|span)\b[^>]*\bmarkdown\b[^>]*>|</(?:div|section|span)>)\s*$")
PAGE_LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)(?P<path>[^)\s#]+?)(?:\.zh)?\.md(?P<anchor>#[^)\s]*)?\)")
REFERENCE_LINK = re.compile(r"^(?P<head>\s*\[[^\]]+\]:\s*)(?!https?:|mailto:|#|/)(?P<path>\S+?)(?:\.zh)?\.md(?P<anchor>#\S*)?(?P<tail>.*)$")

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


# --------------------------------------------------------------------------- conversion


def _strip_indent(line: str, width: int) -> str:
    """Remove up to `width` columns of leading whitespace (a tab counts as four)."""
    column = k = 0
    while k < len(line) and column < width and line[k] in " \t":
        column += 4 if line[k] == "\t" else 1
        k += 1
    return line[k:]


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))


def expand_snippets(markdown: str, snippet_config: dict[str, Any] | None) -> str:
    """Expand ``--8<--`` includes with pymdownx.snippets, configured as in ``mkdocs.yml``."""
    if "--8<--" not in markdown and "-8<-" not in markdown:
        return markdown
    import markdown as md_lib

    md = md_lib.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": dict(snippet_config or {})})
    return "\n".join(md.preprocessors["snippet"].run(markdown.split("\n")))


def _rewrite_links(line: str, web_root: str) -> str:
    def page_url(path: str, anchor: str | None) -> str:
        path = "" if path == "index" else re.sub(r"(^|/)index$", r"\1", path)
        target = f"{web_root}{path}/" if path else web_root
        return target + (anchor or "")

    line = PAGE_LINK.sub(lambda m: f"]({page_url(m['path'], m['anchor'])})", line)
    return REFERENCE_LINK.sub(lambda m: f"{m['head']}{page_url(m['path'], m['anchor'])}{m['tail']}", line)


def _prose(line: str, web_root: str) -> str | None:
    """One line of prose as notebook Markdown, or None to drop it."""
    if STANDALONE_ATTRS.match(line) or ABBREVIATION.match(line) or MD_IN_HTML.match(line):
        return None
    heading = HEADING.match(line)
    if heading:
        text, anchor = heading["text"], ""
        attrs = HEADING_ATTRS.search(text)
        if attrs:
            text = text[: attrs.start()]
            ident = re.search(r"#([\w\-]+)", attrs["attrs"])
            anchor = f' <a id="{ident[1]}"></a>' if ident else ""
        line = f"{heading['hashes']} {text}{anchor}"
    return _rewrite_links(line, web_root)


class _Converter:
    """Line-by-line conversion of a page's Markdown into notebook cells."""

    def __init__(self, web_root: str) -> None:
        self.web_root = web_root
        self.cells: list[tuple[str, str, str | None]] = []  # (cell type, source, block id)
        self.lines: list[str] = []  # Markdown of the cell being collected
        self.blanks = 0  # blank lines waiting for the next non-blank line
        self.stack: list[tuple[int, int]] = []  # open containers: (indent of the marker, indent of the content)

    # prefix for a line inside the open containers: each container is a block quote
    def _quote(self, line: str) -> str:
        out, pos = "", 0
        for marker, content in self.stack:
            out += " " * max(marker - pos, 0) + "> "
            pos = content
        return out + _strip_indent(line, pos) if self.stack else line

    def _close_containers(self, line: str) -> None:
        while self.stack and _indent(line) < self.stack[-1][1]:
            self.stack.pop()

    def _emit_blanks(self) -> None:
        self.lines.extend([self._quote("").rstrip()] * self.blanks)
        self.blanks = 0

    def _emit(self, line: str) -> None:
        self._emit_blanks()
        self.lines.append(self._quote(line))

    def _flush(self) -> None:
        self.blanks = 0
        lines = [line.rstrip() for line in self.lines]
        self.lines = []
        if self.cells:  # after a code cell the list item or quote around the text is gone: dedent it
            first = next((line for line in lines if line.strip(" >")), None)
            if first is not None:
                carry, kept, dedenting = _indent(first), [], True
                for line in lines:
                    if dedenting and line.strip() and _indent(line) < carry:
                        dedenting = False
                    kept.append(_strip_indent(line, carry) if dedenting else line)
                lines = kept
        while lines and not lines[0].strip(" >"):
            lines.pop(0)
        while lines and not lines[-1].strip(" >"):
            lines.pop()
        if lines:
            self.cells.append(("markdown", "\n".join(lines), None))

    def convert(self, markdown: str) -> list[tuple[str, str, str | None]]:
        source = markdown.split("\n")
        i = 0
        while i < len(source):
            line = source[i]
            if not line.strip():
                self.blanks += 1
                i += 1
                continue
            fence = FENCE_OPEN.match(line)
            if fence:
                self._close_containers(line)
                indent = fence["indent"]
                mark = fence["fence"]
                closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
                end = next((j for j in range(i + 1, len(source)) if closing.match(source[j])), len(source))
                body = source[i + 1 : end]
                if EXEC_INFO.match(fence["info"]):
                    code = [_strip_indent(b, _indent(indent)).rstrip() for b in body]
                    while code and not code[0].strip():
                        code.pop(0)
                    while code and not code[-1].strip():
                        code.pop()
                    self._flush()
                    block = BLOCK_ID.search(fence["info"])
                    self.cells.append(("code", "\n".join(code), block[1] if block else None))
                else:
                    info = fence["info"].strip().split()
                    language = info[0].lstrip(".{") if info and "=" not in info[0] else ""
                    self._emit(f"{indent}{mark}{language}")
                    for b in body:
                        if b.strip():
                            self._emit(b)
                        else:
                            self.blanks += 1
                    self.blanks = 0
                    self._emit(f"{indent}{mark}")
                i = end + 1
                continue
            self._close_containers(line)
            if self.stack and line.strip().startswith("$$") and not (len(line.strip()) > 2 and line.strip().endswith("$$")):
                # display maths inside a block quote on one line: Jupyter takes the maths out before it
                # parses the Markdown, so "> " prefixes inside a multi-line $$...$$ would end up in the formula
                end = next((j for j in range(i + 1, len(source)) if source[j].strip().endswith("$$")), None)
                if end is not None:
                    formula = " ".join(part.strip() for part in source[i : end + 1] if part.strip())
                    self._emit(line[: _indent(line)] + formula)
                    i = end + 1
                    continue
            container = CONTAINER.match(line)
            if container:
                title = container["title"]
                if title is None:
                    title = (container["type"] or "").split()[0].capitalize() if container["type"] else ""
                marker = _indent(container["indent"])
                self._emit_blanks()  # the blank line before the container belongs outside it
                self.stack.append((marker, marker + 4))
                if title:
                    self._emit(f"**{title}**")
                    self.blanks += 1
                i += 1
                continue
            prose = _prose(line, self.web_root)
            if prose is not None:
                self._emit(prose)
            i += 1
        self._flush()
        return self.cells


def _source_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def page_notebook(markdown: str, *, language: str, book: str, web_page: str, web_root: str,
                  snippet_config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The notebook (as a JSON-ready dict) for one page's Markdown source.

    `web_page` is the page's URL relative to the notebook; `web_root` is the
    language's root relative to the notebook (links to other pages go there).
    """
    text = TEXT[language]
    markdown = expand_snippets(markdown, snippet_config)
    lines = markdown.split("\n")
    first_fence = next((k for k, line in enumerate(lines) if FENCE_OPEN.match(line)), len(lines))
    title_index = next((k for k, line in enumerate(lines[:first_fence]) if line.startswith("# ")), None)
    title = book
    if title_index is not None:
        title = _prose(lines[title_index], web_root) or book
        title = re.sub(r"\s*<a id=\"[^\"]*\"></a>$", "", title)[2:]
        del lines[title_index]
    head = f"# {title}\n\n> " + text["note"].format(book=book, web=web_page)
    cells: list[tuple[str, str, str | None]] = [("markdown", head, None), ("code", setup_cell(language), None)]
    cells += _Converter(web_root).convert("\n".join(lines))
    notebook_cells = []
    for position, (kind, source, block) in enumerate(cells):
        cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{position:03d}", "metadata": {}, "source": _source_lines(source)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
            if block:
                cell["metadata"] = {"nnbook": {"block": block}}
        notebook_cells.append(cell)
    return {
        "cells": notebook_cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "nnbook": {"language": language},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(notebook: dict[str, Any]) -> str:
    """Deterministic JSON text of a notebook (sorted keys, no timestamps)."""
    return json.dumps(notebook, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --------------------------------------------------------------------------- MkDocs events


def _page_language(page) -> str:  # noqa: ANN001
    locale = getattr(page.file, "locale", None)
    if locale in LANGUAGES:
        return locale
    return "zh" if page.file.src_uri.endswith(".zh.md") else "en"


def _page_name(src_uri: str) -> str:
    for suffix in (".zh.md", ".md"):
        if src_uri.endswith(suffix):
            return src_uri[: -len(suffix)]
    return src_uri


def notebook_path(page) -> str:  # noqa: ANN001
    """Where the page's notebook goes, relative to the site directory."""
    language = _page_language(page)
    prefix = "" if language == LANGUAGES[0] else f"{language}/"
    return f"{prefix}{NOTEBOOK_DIR}/{_page_name(page.file.src_uri)}.ipynb"


def _relative(target: str, from_dir: str) -> str:
    return posixpath.relpath(target or ".", from_dir or ".")


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    if not EXEC_FENCE.search(markdown):
        return markdown
    path = notebook_path(page)
    notebook_dir = posixpath.dirname(path)
    language = _page_language(page)
    page_dir = posixpath.dirname(page.file.dest_uri)
    language_root = "" if language == LANGUAGES[0] else language
    notebook = page_notebook(
        markdown,
        language=language,
        book=config["site_name"],
        web_page=_relative(page_dir, notebook_dir) + "/",
        web_root=_relative(language_root, notebook_dir) + "/",
        snippet_config=config["mdx_configs"].get("pymdownx.snippets"),
    )
    _notebooks[path] = dumps(notebook)
    _links[page.file.dest_uri] = path
    return markdown


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201, ARG001
    path = _links.get(page.file.dest_uri)
    if path is None:
        return html
    href = _relative(path, posixpath.dirname(page.file.dest_uri))
    language = _page_language(page)
    filename = posixpath.basename(path)
    if language != LANGUAGES[0]:
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


def on_post_build(config):  # noqa: ANN001, ANN201
    site = Path(config["site_dir"])
    for path, text in sorted(_notebooks.items()):
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _notebooks.clear()
    _links.clear()
