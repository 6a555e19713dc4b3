"""Print the built site as one PDF book per language.

    python tools/make_pdf.py site/                 # -> site/pdf/nnmem-book-en.pdf, site/pdf/nnmem-book-zh.pdf
    python tools/make_pdf.py site/ --lang zh --pages index,backprop --out /tmp/pdf

How it works: the built site is served on 127.0.0.1 (random port), Debian's
Chromium (``/usr/bin/chromium``, driven by Playwright; never ``playwright
install``) opens every page of a language in the order of the site's
navigation, waits until KaTeX has typeset every formula, opens every
``<details>`` (the exercise solutions), switches to print media (the print
styles are ``docs/stylesheets/print.css``) and prints the page to A4. pypdf
then joins the chapters behind a title page with a table of contents, stamps
running footers with continuous page numbers, adds bookmarks (parts and
chapters), turns links between chapters into links inside the PDF, and sets
the document metadata. Only pypdf's public API is used: pages are added
without their annotations (so no chapter brings its named destinations or
links), every link is made anew with ``pypdf.annotations.Link``, bookmarks
with ``add_outline_item``, the Info dictionary through ``metadata``, and the
document language through the catalog that ``root_object`` exposes (pypdf has
no setter for ``/Lang``). The preface's PDF links are shown by editing one
start tag that ``html.parser`` finds, not by a regular expression.

Determinism: the Info dictionary is written from scratch (Chromium's
CreationDate/ModDate are dropped) and carries no date unless
``SOURCE_DATE_EPOCH`` is set; no file identifier is written. Two runs on the
same built site give byte-identical files as long as Chromium's own output
is stable (it is with the same Chromium and fonts).

The commit printed on the title page is read from ``.git`` as files (no git
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
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DictionaryObject, Fit, NameObject, TextStringObject

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "docs_src") not in sys.path:
    sys.path.insert(0, str(ROOT / "docs_src"))

from nnbook.languages import LANGUAGES, site_prefix  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
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
MARGIN = {"top": "16mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
MM = 72 / 25.4  # PDF points per millimetre
A4 = (595.28, 841.89)  # width, height in points

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

PREPARE_JS = """async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  // Every element with an id gets a same-document link, so that Chromium writes a named
  // destination for it; links from other chapters are then pointed at it in the book.
  const ids = Array.from(document.querySelectorAll('article [id]')).map(e => e.id).filter(Boolean);
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;opacity:0';
  for (const id of ids) {
    const a = document.createElement('a');
    a.href = '#' + encodeURIComponent(id);
    a.textContent = '.';
    box.appendChild(a);
  }
  const article = document.querySelector('article') || document.body;
  article.appendChild(box);
  await document.fonts.ready;
  const h1 = document.querySelector('article h1');
  return {title: h1 ? h1.innerText.replace(/\\s*¶\\s*$/, '').trim() : document.title, ids: ids};
}"""


@dataclass
class Chapter:
    title: str
    url: str
    part: str | None
    pdf: bytes = b""
    pages: int = 0
    start: int = 0  # index of its first page in the book
    ids: list[str] = field(default_factory=list)


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


def print_chapter(page: Any, chapter: Chapter) -> None:
    page.emulate_media(media="screen")
    page.goto(chapter.url, wait_until="load")
    page.wait_for_function(KATEX_DONE_JS, timeout=30_000)
    if not page.evaluate("() => !!document.querySelector('link[href$=\"stylesheets/print.css\"]')"):
        page.add_style_tag(path=str(PRINT_CSS))  # site built before print.css was listed in extra_css
    page.emulate_media(media="print")
    info = page.evaluate(PREPARE_JS)
    chapter.title = info["title"] or chapter.title
    chapter.ids = info["ids"]
    chapter.pdf = page.pdf(format="A4", print_background=True, margin=MARGIN, prefer_css_page_size=False)
    chapter.pages = len(PdfReader(io.BytesIO(chapter.pdf)).pages)


FRONT_CSS = """
@page { size: A4; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "Helvetica Neue", Helvetica, Arial, "WenQuanYi Micro Hei", sans-serif; color: #1a1a1a; }
.sheet { box-sizing: border-box; width: 210mm; min-height: 296mm; padding: 60mm 24mm 20mm; break-after: page; }
h1 { font-size: 30pt; margin: 0 0 8mm; color: #303f9f; }
.subtitle { font-size: 14pt; margin: 0 0 40mm; }
.small { font-size: 9.5pt; color: #555; margin: 2mm 0; }
.toc { padding: 20mm 24mm; break-after: auto; min-height: 0; }
.toc h2 { font-size: 18pt; margin: 0 0 6mm; color: #303f9f; }
.toc .part { font-weight: bold; margin: 4mm 0 1mm; font-size: 11pt; }
.toc .entry { display: flex; font-size: 10.5pt; margin: 1.2mm 0; }
.toc .entry.in-part { padding-left: 6mm; }
.toc .entry .dots { flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 1.2mm; }
"""

FOOTER_CSS = """
@page { size: A4; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "Helvetica Neue", Helvetica, Arial, "WenQuanYi Micro Hei", sans-serif; }
.p { position: relative; width: 210mm; height: 296.8mm; overflow: hidden; break-after: page; }
.p:last-child { break-after: auto; }
.f { position: absolute; left: 16mm; right: 16mm; bottom: 8mm; display: flex; font-size: 8pt; color: #666;
     border-top: 0.5pt solid #ccc; padding-top: 1.5mm; }
.f .t { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
"""


def front_matter_html(lang: str, commit: str | None, chapters: list[Chapter], offset: int) -> str:
    t = TEXT[lang]
    gen = t["generated"].format(commit=commit) if commit else t["unknown"]
    rows, part = [], None
    for c in chapters:
        if c.part != part and c.part:
            rows.append(f'<div class="part">{html.escape(c.part)}</div>')
        part = c.part
        cls = "entry in-part" if c.part else "entry"
        rows.append(f'<div class="{cls}"><span>{html.escape(c.title)}</span><span class="dots"></span>'
                    f"<span>{c.start + offset + 1}</span></div>")
    return (f'<!doctype html><html lang="{t["html_lang"]}"><head><meta charset="utf-8">'
            f'<style>{FRONT_CSS}</style></head><body>'
            f'<div class="sheet"><h1>{html.escape(t["title"])}</h1><p class="subtitle">{html.escape(t["subtitle"])}</p>'
            f'<p class="small">{html.escape(gen)}</p><p class="small">{html.escape(t["licence"])}</p></div>'
            f'<div class="sheet toc"><h2>{html.escape(t["contents"])}</h2>{"".join(rows)}</div></body></html>')


def footer_html(lang: str, labels: list[str | None]) -> str:
    pages = []
    for number, label in enumerate(labels, start=1):
        if label is None:
            pages.append('<div class="p"></div>')
        else:
            pages.append(f'<div class="p"><div class="f"><span class="t">{html.escape(label)}</span>'
                         f"<span>{number}</span></div></div>")
    return (f'<!doctype html><html lang="{TEXT[lang]["html_lang"]}"><head><meta charset="utf-8">'
            f'<style>{FOOTER_CSS}</style>'
            f'</head><body>{"".join(pages)}</body></html>')


def print_html(page: Any, content: str) -> bytes:
    page.emulate_media(media="print")
    page.set_content(content, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.pdf(prefer_css_page_size=True, print_background=True)


def _destinations(reader: PdfReader) -> dict[str, tuple[int, float]]:
    """Named destinations of one chapter: id -> (page index, top in points)."""
    out = {}
    for name, dest in reader.named_destinations.items():
        try:
            index = reader.get_destination_page_number(dest)
        except Exception:  # noqa: BLE001 - a destination pypdf cannot place is simply not used
            continue
        top = dest.top if dest.get("/Type") == "/XYZ" and dest.top is not None else A4[1]
        out[_name(name)] = (index, float(top))
    return out


def build_book(lang: str, chapters: list[Chapter], front: bytes, footers: bytes, base: str, site_url: str | None,
               commit: str | None) -> bytes:
    t = TEXT[lang]
    writer = PdfWriter()
    # Pages are added one by one without their annotations (not `append`), so no input brings its own
    # outline, named destinations, links or document information: links and bookmarks are made below.
    for page in PdfReader(io.BytesIO(front)).pages:
        writer.add_page(page)
    targets: dict[str, int] = {}
    anchors: dict[tuple[str, str], tuple[int, float]] = {}
    links: list[tuple[int, Chapter, DictionaryObject]] = []  # (book page, its chapter, Chromium's link)
    for c in chapters:
        reader = PdfReader(io.BytesIO(c.pdf))
        start = len(writer.pages)
        for name, (index, top) in _destinations(reader).items():
            anchors[(c.url, name)] = (start + index, top)
        for index, page in enumerate(reader.pages):
            writer.add_page(page, excluded_keys=["/Annots"])
            for annotation in page.annotations or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/Link":  # Chromium writes no other annotations
                    links.append((start + index, c, annotation))
        targets[c.url] = start

    overlay = PdfReader(io.BytesIO(footers))
    assert len(overlay.pages) == len(writer.pages), (len(overlay.pages), len(writer.pages))
    for page, stamp in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(stamp, over=True)

    # Links: inside a chapter or to another chapter -> an explicit place in the book; elsewhere on the
    # local server -> the public site (--site-url) or no link at all. External links stay as they are.
    for number, chapter, link in links:
        rect = tuple(float(v) for v in link["/Rect"])
        target = _link_target(link, chapter, anchors, targets, base, site_url)
        if isinstance(target, str):
            writer.add_annotation(number, Link(rect=rect, url=target))
        elif target is not None:
            index, top = target
            fit = Fit.xyz(left=0, top=round(top, 2), zoom=0)
            writer.add_annotation(number, Link(rect=rect, target_page_index=index, fit=fit))
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)

    # Bookmarks: title page, parts, chapters.
    writer.add_outline_item(title=t["title"], page_number=0)
    parents: dict[str, Any] = {}
    for c in chapters:
        parent = None
        if c.part:
            if c.part not in parents:
                parents[c.part] = writer.add_outline_item(title=c.part, page_number=targets[c.url])
            parent = parents[c.part]
        writer.add_outline_item(title=c.title, page_number=targets[c.url], parent=parent)
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
    writer.metadata = meta  # replaces the whole Info dictionary, pypdf's default entries included
    # The document language (ISO 32000 catalog entry /Lang); pypdf has no setter for it, so it is
    # written through the writer's public catalog, `root_object`.
    writer.root_object[NameObject("/Lang")] = TextStringObject(t["lang"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(name: Any) -> str:
    name = str(name)
    return unquote(name[1:] if name.startswith("/") else name)


def _link_target(link: DictionaryObject, chapter: Chapter, anchors: dict[tuple[str, str], tuple[int, float]],
                 targets: dict[str, int], base: str, site_url: str | None) -> str | tuple[int, float] | None:
    """Where one of Chromium's links goes in the book: an address, (page index, top) or None (dropped)."""
    action = link.get("/A")
    action = action.get_object() if action is not None else None
    named = link.get("/Dest")
    if named is None and action is not None and action.get("/S") == "/GoTo":
        named = action.get("/D")
    if named is not None:  # a named destination in the same chapter
        return anchors.get((chapter.url, _name(named))) if isinstance(named, str) else None
    uri = str(action.get("/URI", "")) if action is not None else ""
    if not uri:
        return None
    if not uri.startswith(base):
        return uri
    url, fragment = urldefrag(uri)
    if url in targets:
        dest = anchors.get((url, unquote(fragment))) if fragment else None
        return dest or (targets[url], A4[1])  # an unknown fragment: the top of the chapter
    if site_url:
        return site_url.rstrip("/") + "/" + uri[len(base):]
    return None  # a page of the site that is not in this book, and no public address to send readers to


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
    for c in chapters:
        t0 = time.perf_counter()
        print_chapter(page, c)
        log(f"  {lang} {page_slug(c.url, base, lang):20s} {c.pages:3d} pages  {time.perf_counter() - t0:5.1f} s")
    # Front matter: print once to count its pages, then with the final page numbers.
    position = 0
    for c in chapters:
        c.start = position
        position += c.pages
    front = print_html(page, front_matter_html(lang, commit, chapters, 0))
    offset = len(PdfReader(io.BytesIO(front)).pages)
    front = print_html(page, front_matter_html(lang, commit, chapters, offset))
    assert len(PdfReader(io.BytesIO(front)).pages) == offset
    labels: list[str | None] = [None] * offset
    for c in chapters:
        labels += [f'{TEXT[lang]["title"]} · {c.title}'] * c.pages
    footers = print_html(page, footer_html(lang, labels))
    context.close()
    data = build_book(lang, chapters, front, footers, base, site_url, commit)
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
