"""Print the built site as one PDF book per language, each in one pass of the browser.

    python tools/make_pdf.py site/                 # -> site/pdf/nnmem-book-en.pdf, site/pdf/nnmem-book-zh.pdf
    python tools/make_pdf.py site/ --lang zh --pages index,backprop --out /tmp/pdf

How it works: the built site is served on 127.0.0.1 (random port) and
Debian's Chromium (``/usr/bin/chromium``, driven by Playwright; never
``playwright install``) opens every page of a language in the order of the
site's navigation, waits until KaTeX has typeset every formula, opens every
``<details>`` (the exercise solutions) and takes a copy of the article. In
the copy every ``id`` gets the chapter's prefix (``forward--gradient``), and
so do the references to ids (``href="#..."``, ``url(#...)`` in the SVG
figures, ``for``, ``aria-*``); a link to a page of the book becomes a link
inside the book (``#forward`` or ``#forward--gradient``); a link to another
address of the site goes to the public site (``--site-url``) or is dropped.

The copies are joined into one HTML document per language, behind a cover
and a table of contents, with the site's own stylesheets (``print.css``
among them). Running footers are CSS page-margin boxes: each chapter is a
named page (``@page nnbook-3``) whose footer shows its title, and every page
shows its number. Chromium prints this document once, so every font (the
text fonts, the Chinese font and KaTeX's) is embedded once. The table of
contents needs the page where each chapter starts: the document is printed
with blank numbers, each chapter's start is read from the named destination
Chromium writes for its anchor (a table-of-contents entry links to it),
then printed again with the numbers, and the starts are checked to be the
same. pypdf (public API only) adds the bookmarks (parts, chapters and their
sections) and the document information to the printed file.

The PDF is not tagged: Chromium's structure tree (``tagged=True``) triples
the file (the English book: 12.4 MB instead of 4.1 MB), because it is
written as uncompressed objects and pypdf cannot pack them into object
streams. The text is selectable and
searchable either way.

Fonts: Chromium embeds one program per font it asks the system for, so the
book's own styles (:data:`BOOK_CSS`) ask for the fonts by the names the
site and its figures use, and the Chinese font is given to the document as
a copy that holds only the book's characters (:func:`subset_fonts`, with
fontTools). Bold Chinese text has no bold font here: Chromium draws it as
outlines in Type 3 fonts (about 1 MB of the Chinese book), still
extractable as text.

Determinism: the Info dictionary is written from scratch (Chromium's
CreationDate/ModDate are dropped) and carries no date unless
``SOURCE_DATE_EPOCH`` is set.

The commit printed on the cover is read from ``.git`` as files (no git
command is run), or given with ``--commit``; a working tree with
uncommitted changes cannot be told apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import io
import logging
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from pypdf import PdfReader, PdfWriter
from pypdf.generic import Fit, NameObject, TextStringObject

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "docs_src") not in sys.path:
    sys.path.insert(0, str(ROOT / "docs_src"))

from nnbook.languages import LANGUAGES, site_prefix  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
MAX_BYTES = 8_000_000  # the most a language's book may weigh; `main` fails above it
PRINT_CSS = ROOT / "docs" / "stylesheets" / "print.css"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
A4_HEIGHT = 841.89  # points
PRINT_PATH = "_nnbook_print/"  # the combined document's (virtual) address under the local server
MAX_PASSES = 4  # prints of one book before the table of contents' page numbers must have settled
# Chinese fonts given to the printed book as a copy that holds only the book's characters (see subset_fonts).
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC")

TEXT = {
    "en": {
        "title": "Neural Networks and Memory",
        "subtitle": "How artificial neural networks work, and how memory works in them and in the brain",
        "generated": "Generated from the site built at commit {commit}.",
        "unknown": "Generated from the site; commit unknown.",
        "licence": "Text and figures CC BY 4.0, code MIT. Every figure and number was computed from the nnmem package"
                   " when the site was built.",
        "contents": "Contents",
        "lang": "en",
        "html_lang": "en",
    },
    "zh": {
        "title": "神经网络与记忆",
        "subtitle": "人工神经网络如何工作，记忆在网络与大脑中如何运作",
        "generated": "由提交 {commit} 构建的网站生成。",
        "unknown": "由网站生成；提交未知。",
        "licence": "正文与图 CC BY 4.0，代码 MIT。所有图表和数字都在构建网站时由 nnmem 包计算得出。",
        "contents": "目录",
        "lang": "zh-CN",
        "html_lang": "zh",
    },
}

# Structure of the primary navigation: parts (sections) and pages, in order.
NAV_JS = """() => {
  function walk(ul) {
    const out = [];
    for (const li of ul.children) {
      if (!li.matches('li.md-nav__item')) continue;
      const nested = li.querySelector(':scope > nav.md-nav:not(.md-nav--secondary)');
      const link = li.querySelector(':scope > a.md-nav__link');
      if (nested) {
        const label = li.querySelector(':scope > label.md-nav__link, :scope > div.md-nav__link');
        const list = nested.querySelector(':scope > ul.md-nav__list');
        out.push({title: (label ? label.innerText : nested.getAttribute('aria-label') || '').trim(),
                  href: link ? link.href : null, children: list ? walk(list) : []});
      } else if (link) {
        out.push({title: link.innerText.trim(), href: link.href, children: []});
      }
    }
    return out;
  }
  const ul = document.querySelector('nav.md-nav--primary > ul.md-nav__list');
  return ul ? walk(ul) : [];
}"""

KATEX_DONE_JS = """() => Array.from(document.querySelectorAll('.arithmatex')).every(e => e.querySelector('.katex'))"""

# A copy of the chapter's article, ready to join the book: solutions open, ids prefixed, links rewritten.
EXTRACT_JS = """async ({prefix, chapters, base, siteUrl}) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  await document.fonts.ready;
  const article = document.querySelector('article.md-content__inner') || document.querySelector('article');
  const h1 = article.querySelector('h1');
  const title = h1 ? h1.innerText.replace(/\\s*¶\\s*$/, '').trim() : document.title;
  const root = article.cloneNode(true);
  root.querySelectorAll('.headerlink, .md-content__button, .md-source-file, .md-clipboard, .nnbook-pdf-links, script')
    .forEach(e => e.remove());
  const ids = new Set();
  root.querySelectorAll('[id]').forEach(e => { ids.add(e.id); e.id = prefix + e.id; });
  const local = v => v.replace(/url\\(\\s*(['"]?)#([^'")]+)\\1\\s*\\)/g,
                              (m, q, id) => ids.has(id) ? `url(${q}#${prefix}${id}${q})` : m);
  const REFS = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-flowto'];
  for (const el of root.querySelectorAll('*')) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name, value = attr.value;
      if (REFS.includes(name)) {
        el.setAttribute(name, value.split(/\\s+/).map(x => ids.has(x) ? prefix + x : x).join(' '));
      } else if (value.includes('url(')) {
        el.setAttribute(name, local(value));
      } else if ((name === 'href' || name === 'xlink:href') && el.namespaceURI === 'http://www.w3.org/2000/svg'
                 && value.startsWith('#') && ids.has(value.slice(1))) {
        el.setAttribute(name, '#' + prefix + value.slice(1));
      } else if ((name === 'src' || name === 'poster') && value) {
        el.setAttribute(name, new URL(value, location.href).href);
      }
    }
    if (el.localName === 'style') el.textContent = local(el.textContent);
  }
  for (const a of root.querySelectorAll('a[href]')) {
    const url = new URL(a.getAttribute('href'), location.href);
    const fragment = decodeURIComponent(url.hash.slice(1));
    const page = url.origin + url.pathname + url.search;
    if (page in chapters) {               // a page of this book (this one included): a link inside the PDF
      a.setAttribute('href', '#' + chapters[page] + (fragment ? '--' + fragment : ''));
      a.setAttribute('data-nnbook-chapter', chapters[page]);
    } else if (url.href.startsWith(base)) {  // elsewhere on the print server: the public site, or no link
      if (siteUrl) a.setAttribute('href', siteUrl + url.href.slice(base.length));
      else a.removeAttribute('href');
    } else {
      a.setAttribute('href', url.href);
    }
  }
  const sections = Array.from(root.querySelectorAll('h2[id]')).map(h => ({
    id: h.id, title: h.innerText.replace(/\\s*¶\\s*$/, '').trim()}));
  const sheets = Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map(l => l.href);
  const pairs = el => Array.from(el.attributes).map(a => [a.name, a.value]);
  return {title, html: root.innerHTML, sections, sheets,
          html_attrs: pairs(document.documentElement), body_attrs: pairs(document.body)};
}"""

# In the joined book: a link to an anchor no chapter has goes to the top of its chapter.
FIX_LINKS_JS = """() => {
  let fixed = 0;
  for (const a of document.querySelectorAll('a[data-nnbook-chapter]')) {
    if (!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) {
      a.setAttribute('href', '#' + a.getAttribute('data-nnbook-chapter'));
      fixed += 1;
    }
  }
  return document.fonts.ready.then(() => fixed);
}"""


@dataclass
class Chapter:
    title: str
    url: str
    part: str | None
    anchor: str = ""  # id of the chapter in the book; its elements' ids are prefixed with anchor + "--"
    body: str = ""  # the article's HTML, ready to join the book
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, title) of its h2 headings
    start: int = 0  # index of its first page in the printed book


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # the browser hung up: not an error
            super().handle_error(request, client_address)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def read_commit(repo: Path) -> str | None:
    """The commit checked out in ``repo``, read from ``.git`` without running git."""
    git = repo / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = (repo / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(":", 1)[1].strip()
        common = git
        if (git / "commondir").exists():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        for base in (git, common):
            if (base / ref).exists():
                return (base / ref).read_text().strip()
        packed = common / "packed-refs"
        if packed.exists():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0]
    except OSError:
        return None
    return None


def page_slug(url: str, base: str, lang: str) -> str:
    path = url[len(base):] if url.startswith(base) else url
    if lang != "en" and path.startswith(lang + "/"):
        path = path[len(lang) + 1:]
    return path.strip("/").split("/")[0] or "index"


def navigation(page: Any, base: str, lang: str) -> list[Chapter]:
    page.goto(base + ("" if lang == "en" else f"{lang}/"), wait_until="load")
    chapters: list[Chapter] = []

    def add(items: list[dict], part: str | None) -> None:
        for item in items:
            if item["href"] and item["href"].startswith(base):
                chapters.append(Chapter(title=item["title"], url=urldefrag(item["href"])[0], part=part))
            add(item["children"], item["title"] if item["children"] else part)

    add(page.evaluate(NAV_JS), None)
    seen: set[str] = set()
    return [c for c in chapters if not (c.url in seen or seen.add(c.url))]


# The book's own print styles, after the site's: cover, contents, a new page per chapter, footers.
BOOK_CSS = """
/* Chromium embeds one font program per font it asks the system for, and a font asked for under another
   name or weight is another program, even when it is the same file: the book's own text (cover, contents,
   footers) uses the site's font list, and headings print at weight 400 (the site's 300 has no font of
   its own here, so nothing changes on the page). */
:root { --nnbook-footer-font: -apple-system, BlinkMacSystemFont, Helvetica, Arial, "WenQuanYi Micro Hei", sans-serif; }
.md-typeset h1, .md-typeset h2, .md-typeset h3 { font-weight: 400; }
/* The figures (matplotlib) name DejaVu Sans and DejaVu Sans Mono: the text and code ask for them by the same
   names (where they are installed) for the characters their first fonts lack, and for Chinese the same font. */
html[lang] body .md-typeset {
  font-family: var(--md-text-font-family), "DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
}
/* KaTeX's \\text names no Chinese font: through the system's fallback it would embed another copy. */
.md-typeset .katex {
  font-family: KaTeX_Main, math, "Times New Roman", "WenQuanYi Micro Hei", "Noto Sans CJK SC", serif;
}
.md-typeset code, .md-typeset pre, .md-typeset kbd,
html body .md-typeset .md-annotation__index, html body .md-typeset .md-annotation__index *,
html body .md-typeset .md-annotation__index *::after {
  font-family: "DejaVu Sans Mono", var(--md-code-font-family), "WenQuanYi Micro Hei";
}
@page {
  size: A4;
  margin: 16mm 16mm 20mm;
  @bottom-right {
    content: counter(page);
    font: 8pt var(--nnbook-footer-font);
    color: #666;
    vertical-align: top;
    padding-top: 1.5mm;
    border-top: 0.5pt solid #ccc;
    margin-top: 6mm;
    width: 12mm;
  }
}
@page nnbook-cover {
  margin: 0;
  @bottom-right { content: none; border: none; }
}
html, body { background: #fff; }
.nnbook-cover {
  page: nnbook-cover;
  position: relative;
  box-sizing: border-box;
  height: 296mm;
  margin: 0;
  font-family: var(--md-text-font-family), "WenQuanYi Micro Hei", sans-serif;
  color: #1a1a1a;
}
.nnbook-cover__band {
  background: #303f9f;
  color: #fff;
  padding: 70mm 24mm 18mm;
}
.nnbook-cover__title { font-size: 32pt; font-weight: bold; margin: 0 0 8mm; line-height: 1.2; }
.nnbook-cover__subtitle { font-size: 14pt; margin: 0; line-height: 1.4; }
.nnbook-cover__small { padding: 0 24mm; position: absolute; bottom: 24mm; left: 0; right: 0; }
.nnbook-cover__small p { font-size: 9.5pt; color: #555; margin: 2mm 0; }
.nnbook-targets { position: absolute; left: 0; top: 0; width: 1px; height: 1px; overflow: hidden; opacity: 0; }
.nnbook-toc { break-before: page; font-family: var(--md-text-font-family), "WenQuanYi Micro Hei", sans-serif; }
.nnbook-toc h2 { font-size: 18pt; margin: 0 0 6mm; color: #303f9f; }
.nnbook-toc__part { font-weight: bold; margin: 4mm 0 1mm; font-size: 11pt; break-after: avoid; }
.nnbook-toc__entry { display: flex; font-size: 10.5pt; margin: 1.2mm 0; color: #1a1a1a !important;
                     text-decoration: none !important; break-inside: avoid; }
.nnbook-toc__entry.in-part { padding-left: 6mm; }
.nnbook-toc__entry .dots { flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 1.2mm; }
.nnbook-toc__entry .page { min-width: 8mm; text-align: right; }
.md-content__inner.nnbook-chapter { break-before: page; margin: 0 !important; padding: 0 !important; }
.md-content__inner.nnbook-chapter::before { display: none; }
"""


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:``)."""
    return '"' + re.sub(r'[\\"]', lambda m: "\\" + m.group(0), " ".join(text.split())) + '"'


def anchors_for(chapters: list[Chapter], base: str, lang: str) -> None:
    """Give each chapter a unique id made from its page name (``forward``; the preface is ``index``)."""
    used: set[str] = {"nnbook-cover", "nnbook-toc"}
    for number, c in enumerate(chapters, start=1):
        anchor = re.sub(r"[^A-Za-z0-9_-]+", "-", page_slug(c.url, base, lang)).strip("-") or f"chapter-{number}"
        if anchor in used or anchor.startswith("nnbook-"):
            anchor = f"{anchor}-{number}"
        used.add(anchor)
        c.anchor = anchor


def book_html(lang: str, commit: str | None, chapters: list[Chapter], head: dict[str, Any],
              numbers: dict[str, int] | None, fonts: dict[str, str] | None = None) -> str:
    """The whole book as one HTML document: cover, contents (page ``numbers[anchor] + 1``; blank if None), chapters.

    ``head`` is what :data:`EXTRACT_JS` read from a page of the site: its stylesheets (``sheets``) and the
    attributes of its ``<html>`` and ``<body>`` (``html_attrs``, ``body_attrs``: lists of name/value pairs).
    ``fonts`` maps a font family to the address of a copy the document uses instead of the system's.
    """
    t = TEXT[lang]
    esc = html.escape
    gen = t["generated"].format(commit=commit) if commit else t["unknown"]

    def attrs(pairs: list[list[str]], drop: set[str]) -> str:
        return "".join(f' {name}="{esc(value)}"' for name, value in pairs if name not in drop)

    sheets = "".join(f'<link rel="stylesheet" href="{esc(href)}">' for href in head["sheets"])
    if not any(href.split("?")[0].endswith("stylesheets/print.css") for href in head["sheets"]):
        sheets += f"<style>{PRINT_CSS.read_text(encoding='utf-8')}</style>"  # a site built before print.css was listed
    pages_css = [f"@font-face {{ font-family: {css_string(family)}; src: url({css_string(url)}); }}\n"
                 for family, url in (fonts or {}).items()]
    pages_css.append(BOOK_CSS)
    for number, c in enumerate(chapters, start=1):
        footer = css_string(f'{t["title"]} · {c.title}')
        pages_css.append(
            f"@page nnbook-{number} {{ @bottom-left {{ content: {footer};"
            ' font: 8pt var(--nnbook-footer-font); color: #666;'
            " vertical-align: top; padding-top: 1.5mm; border-top: 0.5pt solid #ccc; margin-top: 6mm;"
            " white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } }\n"
            f"#{c.anchor} {{ page: nnbook-{number}; }}\n")
    rows, part = [], None
    for c in chapters:
        if c.part != part and c.part:
            rows.append(f'<div class="nnbook-toc__part">{esc(c.part)}</div>')
        part = c.part
        number = "" if numbers is None else str(numbers[c.anchor] + 1)
        cls = "nnbook-toc__entry in-part" if c.part else "nnbook-toc__entry"
        rows.append(f'<a class="{cls}" href="#{c.anchor}"><span class="title">{esc(c.title)}</span>'
                    f'<span class="dots"></span><span class="page" data-nnbook-page="{c.anchor}">{number}</span></a>')
    # Chromium writes a named destination only for an element some link points to: these (invisible) links
    # give the contents and every section one, for the bookmarks.
    targets = '<a href="#nnbook-toc">.</a>' + "".join(
        f'<a href="#{esc(sid)}">.</a>' for c in chapters for sid, _ in c.sections)
    cover = (f'<section class="nnbook-cover" id="nnbook-cover"><div class="nnbook-cover__band">'
             f'<h1 class="nnbook-cover__title">{esc(t["title"])}</h1>'
             f'<p class="nnbook-cover__subtitle">{esc(t["subtitle"])}</p></div>'
             f'<div class="nnbook-cover__small"><p>{esc(gen)}</p><p>{esc(t["licence"])}</p></div>'
             f'<div class="nnbook-targets" aria-hidden="true">{targets}</div></section>')
    toc = f'<nav class="nnbook-toc" id="nnbook-toc"><h2>{esc(t["contents"])}</h2>{"".join(rows)}</nav>'
    body = "".join(f'<article class="md-content__inner md-typeset nnbook-chapter" id="{c.anchor}">{c.body}</article>'
                   for c in chapters)
    return (f'<!doctype html><html{attrs(head["html_attrs"], {"lang"})} lang="{t["html_lang"]}">'
            f'<head><meta charset="utf-8"><title>{esc(t["title"])}</title>{sheets}'
            f'<style>{"".join(pages_css)}</style></head>'
            f'<body{attrs(head["body_attrs"], set())}>{cover}'
            '<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">'
            f'<div class="md-content">{toc}{body}</div></div></main></div></body></html>')


def destinations(pdf: bytes) -> dict[str, tuple[int, float]]:
    """The named destinations of a PDF: name -> (page index, top in points)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        index = reader.get_destination_page_number(dest)
        if index < 0:
            continue
        top = dest.top if dest.get("/Type") == "/XYZ" and dest.top is not None else A4_HEIGHT
        out[_name(name)] = (index, float(top))
    return out


def chapter_starts(pdf: bytes, chapters: list[Chapter]) -> dict[str, int]:
    """Index of the page each chapter starts on, from the named destination of its anchor."""
    found = destinations(pdf)
    missing = [c.anchor for c in chapters if c.anchor not in found]
    if missing:
        raise RuntimeError(f"the printed book has no destination for the chapters {missing}; "
                           "the table of contents should link to each of them")
    return {c.anchor: found[c.anchor][0] for c in chapters}


def _name(name: Any) -> str:
    name = str(name)
    return unquote(name[1:] if name.startswith("/") else name)


def finish_book(pdf: bytes, lang: str, chapters: list[Chapter], commit: str | None) -> bytes:
    """Chromium's PDF with bookmarks (cover, contents, parts, chapters, sections), fresh metadata and /Lang."""
    t = TEXT[lang]
    reader = PdfReader(io.BytesIO(pdf))
    found = destinations(pdf)
    writer = PdfWriter(clone_from=reader)
    for c in chapters:
        c.start = found[c.anchor][0]
    writer.add_outline_item(title=t["title"], page_number=0)
    if "nnbook-toc" in found:
        writer.add_outline_item(title=t["contents"], page_number=found["nnbook-toc"][0])
    parents: dict[str, Any] = {}
    for c in chapters:
        parent = None
        if c.part:
            if c.part not in parents:
                parents[c.part] = writer.add_outline_item(title=c.part, page_number=c.start)
            parent = parents[c.part]
        item = writer.add_outline_item(title=c.title, page_number=c.start, parent=parent)
        for sid, title in c.sections:
            if sid in found:
                index, top = found[sid]
                writer.add_outline_item(title=title, page_number=index, parent=item,
                                        fit=Fit.xyz(left=0, top=round(top, 2), zoom=0))
    writer.page_mode = "/UseOutlines"

    meta = {
        "/Title": t["title"],
        "/Author": "The nnmem book authors",
        "/Subject": t["subtitle"],
        "/Creator": "tools/make_pdf.py (MkDocs site printed by Chromium)",
        "/Producer": "pypdf",
        "/Keywords": f"commit {commit}" if commit else "",
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        stamp = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
        meta["/CreationDate"] = meta["/ModDate"] = stamp
    writer.metadata = meta  # replaces the whole Info dictionary, Chromium's dates included
    # The document language (ISO 32000 catalog entry /Lang); pypdf has no setter for it, so it is
    # written through the writer's public catalog, `root_object`.
    writer.root_object[NameObject("/Lang")] = TextStringObject(t["lang"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def extract_chapter(page: Any, chapter: Chapter, in_book: dict[str, str], base: str,
                    site_url: str | None) -> dict[str, Any]:
    """Open one page of the site and keep a copy of its article in ``chapter``; returns the page's head."""
    page.goto(chapter.url, wait_until="load")
    page.wait_for_function(KATEX_DONE_JS, timeout=30_000)
    info = page.evaluate(EXTRACT_JS, {"prefix": chapter.anchor + "--", "chapters": in_book, "base": base,
                                      "siteUrl": site_url.rstrip("/") + "/" if site_url else None})
    chapter.title = info["title"] or chapter.title
    chapter.body = info["html"]
    chapter.sections = [(s["id"], s["title"]) for s in info["sections"]]
    return {"sheets": info["sheets"], "html_attrs": info["html_attrs"], "body_attrs": info["body_attrs"]}


def system_font(family: str) -> tuple[Path, int] | None:
    """The file and collection index fontconfig has for ``family``; None if it only has a substitute."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", family], capture_output=True,
                               text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, file, index = found.rsplit("|", 2)
    return (Path(file), int(index or 0)) if family in families.split(",") else None


def subset_fonts(text: str) -> dict[str, bytes]:
    """A copy of each installed :data:`CJK_FAMILIES` font holding only the characters of ``text`` (TrueType).

    Chromium embeds a font in a PDF as a subset of the glyphs used, but once a page uses more than
    some 800 glyphs of the WenQuanYi collection it embeds the whole collection instead (5.2 MB, 2.3 MB
    compressed). Given a copy with only the book's characters, it embeds that copy, a few hundred KB.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset": a timestamp table, dropped
    out = {}
    for family in CJK_FAMILIES:
        found = system_font(family)
        if found is None:
            continue
        font = TTFont(found[0], fontNumber=found[1], recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        data = io.BytesIO()
        font.save(data)
        out[family] = data.getvalue()
    return out


def print_book(page: Any, url: str, document: str, files: dict[str, bytes] | None = None) -> bytes:
    """Print ``document`` (served at ``url``, with ``files``: address -> font bytes) once."""
    routes = {url: ("text/html; charset=utf-8", document.encode("utf-8")),
              **{address: ("font/ttf", data) for address, data in (files or {}).items()}}

    def fulfil(route: Any) -> None:
        content_type, body = routes[route.request.url]
        route.fulfill(status=200, content_type=content_type, body=body)

    for address in routes:
        page.route(address, fulfil)
    try:
        page.goto(url, wait_until="load")
        page.evaluate(FIX_LINKS_JS)
        return page.pdf(prefer_css_page_size=True, print_background=True, outline=False)
    finally:
        for address in routes:
            page.unroute(address, fulfil)


def make_book(browser: Any, base: str, lang: str, out: Path, *, pages: list[str] | None, commit: str | None,
              site_url: str | None, log: Any = print) -> Path:
    context = browser.new_context(viewport={"width": 1000, "height": 1400}, color_scheme="light",
                                  locale=TEXT[lang]["lang"])
    page = context.new_page()
    chapters = navigation(page, base, lang)
    if pages is not None:
        wanted = set(pages)
        chapters = [c for c in chapters if page_slug(c.url, base, lang) in wanted]
    if not chapters:
        raise SystemExit(f"no pages to print for {lang!r} (asked for {pages})")
    anchors_for(chapters, base, lang)
    in_book = {c.url: c.anchor for c in chapters}
    t0 = time.perf_counter()
    head: dict[str, Any] = {}
    for c in chapters:
        head = extract_chapter(page, c, in_book, base, site_url) or head
    log(f"  {lang}: {len(chapters)} chapters read in {time.perf_counter() - t0:.1f} s")
    # Print with blank page numbers in the contents, read where the chapters start, print again with them;
    # the contents keep their size, so the second print normally confirms the numbers.
    url = base + PRINT_PATH + lang + "/"
    t0 = time.perf_counter()
    text = "".join([c.body + c.title + (c.part or "") for c in chapters] + list(TEXT[lang].values()))
    subsets = subset_fonts(text)
    files = {f"{base}{PRINT_PATH}fonts/{n}.ttf": data for n, data in enumerate(subsets.values())}
    fonts = dict(zip(subsets, files, strict=True))
    log(f"  {lang}: {len(subsets)} Chinese font(s) cut to the book's characters, {time.perf_counter() - t0:.1f} s")
    numbers: dict[str, int] | None = None
    for passes in range(1, MAX_PASSES + 1):
        t0 = time.perf_counter()
        pdf = print_book(page, url, book_html(lang, commit, chapters, head, numbers, fonts), files)
        starts = chapter_starts(pdf, chapters)
        log(f"  {lang}: print {passes}, {len(PdfReader(io.BytesIO(pdf)).pages)} pages,"
            f" {len(pdf) / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s")
        if starts == numbers:
            break
        numbers = starts
    else:
        raise RuntimeError(f"the contents' page numbers did not settle after {MAX_PASSES} prints")
    context.close()
    data = finish_book(pdf, lang, chapters, commit)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


class _HiddenPdfLinks(HTMLParser):
    """Finds the start tags ``<p class="nnbook-pdf-links" hidden>`` of a page: ((line, column), tag text, attrs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "nnbook-pdf-links" in classes and any(name == "hidden" for name, _ in attrs):
            self.found.append((self.getpos(), self.get_starttag_text() or "", attrs))


def show_pdf_links(text: str) -> str:
    """``text`` with the ``hidden`` attribute removed from its ``<p class="nnbook-pdf-links">`` elements."""
    parser = _HiddenPdfLinks()
    parser.feed(text)
    parser.close()
    if not parser.found:
        return text
    line_starts = [0]
    for line in text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    out, done = [], 0
    for (line, column), tag_text, attrs in parser.found:
        start = line_starts[line - 1] + column
        assert text.startswith(tag_text, start), (tag_text, text[start:start + len(tag_text)])
        kept = "".join(f' {name}="{html.escape(value, quote=True)}"' if value is not None else f" {name}"
                       for name, value in attrs if name != "hidden")
        out += [text[done:start], f"<p{kept}>"]
        done = start + len(tag_text)
    return "".join(out) + text[done:]


def publish_links(site: Path, out_dir: Path) -> list[Path]:
    """Show the preface's PDF links (written ``hidden`` in the pages) once both PDFs are in ``site/pdf``."""
    if out_dir != site / "pdf" or not all((out_dir / f"nnmem-book-{lang}.pdf").exists() for lang in LANGUAGES):
        return []
    changed = []
    for page in (site / site_prefix(lang) / "index.html" for lang in LANGUAGES):
        if page.exists():
            text = page.read_text(encoding="utf-8")
            new = show_pdf_links(text)
            if new != text:
                page.write_text(new, encoding="utf-8")
                changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (output of `mkdocs build`)")
    parser.add_argument("--out", type=Path, help="output directory (default: SITE/pdf)")
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument("--pages", help="comma-separated page names to print only those (e.g. index,backprop)")
    parser.add_argument("--commit", help="commit shown on the title page (default: read from .git)")
    parser.add_argument("--site-url", default=os.environ.get("NNBOOK_SITE_URL") or None,
                        help="public URL of the site; links to pages not in the PDF point there (default:"
                             " $NNBOOK_SITE_URL, the site_url the hosted site is built with; unset: dropped)")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM)
    args = parser.parse_args(argv)

    site = args.site.resolve()
    if not (site / "index.html").exists():
        parser.error(f"{site} is not a built site (no index.html); run `make build` first")
    if not args.chromium.exists():
        parser.error(f"Chromium not found at {args.chromium}; install Debian's `chromium` package")
    out_dir = (args.out or site / "pdf").resolve()
    commit = args.commit or read_commit(ROOT)
    pages = args.pages.split(",") if args.pages else None

    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    t_all = time.perf_counter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(args.chromium), args=LAUNCH_ARGS)
            try:
                for lang in args.lang:
                    t0 = time.perf_counter()
                    path = make_book(browser, base, lang, out_dir / f"nnmem-book-{lang}.pdf", pages=pages,
                                     commit=commit, site_url=args.site_url)
                    n = len(PdfReader(path).pages)
                    print(f"{path}: {n} pages, {path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s")
                    if path.stat().st_size > MAX_BYTES:  # the publishing workflow runs this: a heavy book fails it
                        print(f"error: {path.name} is {path.stat().st_size:,} bytes, over the budget of "
                              f"{MAX_BYTES:,} (fonts embedded more than once? see the module notes)", file=sys.stderr)
                        return 1
            finally:
                browser.close()
    finally:
        server.shutdown()
    if args.pages is None:
        for page in publish_links(site, out_dir):
            print(f"{page}: PDF links shown")
    print(f"done in {time.perf_counter() - t_all:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
