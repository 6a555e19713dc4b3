"""`make pdf`: the book printed by headless Chromium in one pass per language, checked with pypdf.

The tests marked ``docs`` print the whole book in both languages from the session's strictly built
site with the code `make pdf` runs (tools/make_pdf.py), and check the files with pypdf only: their
size, that each font is embedded once, the text, the bookmarks, the table of contents' page numbers
against the running footers, links between chapters, and that figures stay vectors. Without
Chromium the tests skip with a message, except under CI (``CI=true``), where a missing browser is a
failure. Never `playwright install`: the browser is the system's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import io
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import Fit

ROOT = Path(__file__).resolve().parents[1]
PAGE = "forward"  # equations, two SVG figures, code, exercises with solutions, links to the next chapter
NEXT = "backprop"  # a chapter the PAGE links to
HAN = re.compile(r"[\u4e00-\u9fff]")
# One test process runs this file's functions (make test: pytest -n 2 --dist loadscope), so the book is
# printed once.
BOOK_TITLE = {"en": "Neural Networks and Memory", "zh": "神经网络与记忆"}
MAX_BYTES = 8_000_000  # "at most 8 MB per language"


def load_make_pdf() -> Any:
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tools" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# The chapters printed here: the preface (cover and contents come first), two chapters that link to each other,
# and the heaviest in figures. The whole book takes minutes to print twice in both languages; its size is
# checked where it is printed, by `make pdf` (tools/make_pdf.py fails above MAX_BYTES; the publishing workflow
# runs it), and here by the mechanisms that keep it small: every font embedded once, no raster beyond the site's.
CHAPTERS = ["index", PAGE, NEXT, "hopfield"]


@pytest.fixture(scope="module")
def pdfs(browser: Any, site_url: str, hosted_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Four chapters of the book in both languages (:data:`CHAPTERS`), printed from the session's build with
    `make pdf`'s own code, in one pass per language like the whole book.

    The shared browser skips (or, under CI, fails) without Chromium.
    """
    pytest.importorskip("playwright", reason="printing the book needs the playwright package")
    out = tmp_path_factory.mktemp("pdf")
    make_pdf = load_make_pdf()
    return {
        lang: make_pdf.make_book(browser, site_url, lang, out / f"nnmem-book-{lang}.pdf", pages=CHAPTERS,
                                 commit="0" * 40, site_url=hosted_url, log=lambda *args: None)
        for lang in ("en", "zh")
    }


# --- independent readings of the built site and of the PDF ---------------------------------------

def built_page(built_site: Path, lang: str, slug: str) -> str:
    folder = built_site / ("" if lang == "en" else "zh")
    return (folder / ("" if slug == "index" else slug) / "index.html").read_text(encoding="utf-8")


def strip_tags(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def nav_slugs() -> list[str]:
    """The pages of mkdocs.yml's nav, in order (``forward.md`` -> ``forward``)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config[config.index("\nnav:"):]
    nav = nav[: re.search(r"\n[a-z_]+:", nav[5:]).start() + 5]
    return re.findall(r":\s*([\w-]+)\.md\s*$", nav, flags=re.M)


def printed_slugs() -> list[str]:
    """The chapters the fixture prints, in the order of the nav."""
    return [slug for slug in nav_slugs() if slug in CHAPTERS]


def chapter_title(built_site: Path, lang: str, slug: str) -> str:
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", built_page(built_site, lang, slug), flags=re.S)
    assert h1, f"no <h1> in the built page {lang}/{slug}"
    return strip_tags(h1.group(1)).rstrip("¶").strip()


@functools.cache
def page_texts(path: Path) -> list[str]:
    # Layout mode also decodes the KaTeX fonts Chromium embeds. Cached: the whole book takes a while.
    return [p.extract_text(extraction_mode="layout") for p in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def footer_starts(texts: list[str], lang: str, titles: list[str]) -> dict[str, int]:
    """Where each chapter starts, from the running footers alone: the first page whose footer names it."""
    starts = {}
    for title in titles:
        label = flat(f"{BOOK_TITLE[lang]} · {title}")
        pages = [i for i, text in enumerate(texts) if label in flat(text)]
        assert pages, f"no page has the footer {label!r}"
        starts[title] = pages[0]
    return starts


def walk_resources(reader: PdfReader) -> tuple[list[str], int]:
    """Every embedded font program (by base name, subset tag removed) and the number of raster images.

    Each font program and image is counted once however many pages use it; Form XObjects are searched too.
    """
    fonts: dict[int, str] = {}
    images: set[int] = set()
    seen: set[int] = set()

    def visit(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for f in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = f.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        fonts[descriptor.raw_get(key).idnum] = str(f["/BaseFont"]).split("+")[-1]
        for ref in (resources.get("/XObject") or {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                images.add(ref.idnum)
            elif xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return sorted(fonts.values()), len(images)


def link_destinations(reader: PdfReader, index: int) -> list[int]:
    """Pages the internal links of page ``index`` go to (named or explicit destinations)."""
    out = []
    names = reader.named_destinations
    for ref in reader.pages[index].get("/Annots", []):
        annotation = ref.get_object()
        dest = annotation.get("/Dest")
        if dest is None and "/A" in annotation and annotation["/A"].get("/S") == "/GoTo":
            dest = annotation["/A"]["/D"]
        if dest is None:
            continue
        if isinstance(dest, str):
            dest = names.get(dest) or names.get("/" + dest)
            if dest is None:
                continue
            out.append(reader.get_destination_page_number(dest))
        else:
            out.append(reader.get_page_number(dest[0].get_object()))
    return out


# --- chapters of the book, printed in one pass ------------------------------------------------------

@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_printed_chapters_are_small_with_every_font_embedded_once(pdfs: dict[str, Path], lang: str) -> None:
    size = pdfs[lang].stat().st_size
    assert size <= MAX_BYTES, f"{pdfs[lang].name} is {size / 1e6:.1f} MB; at most 8 MB"
    fonts, _ = walk_resources(PdfReader(pdfs[lang]))
    twice = {name: n for name, n in Counter(fonts).items() if n > 1}
    assert not twice, f"font programs embedded more than once: {twice}"
    assert any(name.startswith("KaTeX_") for name in fonts), "no KaTeX font: the maths was not typeset"
    if lang == "zh":
        assert any("WenQuanYi" in name or "CJK" in name for name in fonts)


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cover_metadata_and_every_chapter_in_the_bookmarks(pdfs: dict[str, Path], built_site: Path,
                                                            lang: str) -> None:
    reader = PdfReader(pdfs[lang])
    assert reader.metadata.title == BOOK_TITLE[lang]
    assert "/CreationDate" not in reader.metadata  # deterministic unless SOURCE_DATE_EPOCH is set
    assert reader.root_object["/Lang"] == {"en": "en", "zh": "zh-CN"}[lang]
    cover = reader.pages[0].extract_text()
    assert "0" * 40 in cover and BOOK_TITLE[lang] in cover

    def titles(items: list[Any]) -> list[str]:
        out = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    outline = titles(reader.outline)
    assert outline[0] == BOOK_TITLE[lang]
    expected = [chapter_title(built_site, lang, slug) for slug in printed_slugs()]
    assert len(expected) == len(CHAPTERS)
    # Every chapter, in the order of the nav (sections, some named like a chapter, come in between).
    found = 0
    for title in outline:
        if found < len(expected) and title == expected[found]:
            found += 1
    assert found == len(expected), f"no bookmark for {expected[found]!r} after the earlier chapters"


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_contents_page_numbers_are_where_the_chapters_start(pdfs: dict[str, Path], built_site: Path,
                                                             lang: str) -> None:
    texts = page_texts(pdfs[lang])
    titles = [chapter_title(built_site, lang, slug) for slug in printed_slugs()]
    starts = footer_starts(texts, lang, titles)
    first = min(starts.values())
    contents = "\n".join(texts[1:first])  # the pages between the cover and the first chapter
    listed = {}
    for line in contents.splitlines():
        match = re.match(r"^\s*(.*?\S)[\s.]+(\d+)\s*$", line)
        if match:
            listed[flat(match.group(1))] = int(match.group(2))
    for title in titles:
        assert flat(title) in listed, f"{title!r} is not in the table of contents"
        # Printed page numbers count from 1 at the cover; the footers give 0-based page indexes.
        assert listed[flat(title)] == starts[title] + 1, f"{title!r}: contents say {listed[flat(title)]}"
        # The footer prints the same number on the chapter's first page.
        assert re.search(rf"(?<!\d){starts[title] + 1}\s*$", texts[starts[title]].rstrip())
    # The bookmarks go to the same pages.
    reader = PdfReader(pdfs[lang])
    marks = {}
    for item in reader.outline:
        for sub in item if isinstance(item, list) else [item]:
            if not isinstance(sub, list):
                marks[sub.title] = reader.get_destination_page_number(sub)
    assert {t: marks[t] for t in titles} == starts


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_links_between_chapters_stay_inside_the_pdf(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    reader = PdfReader(pdfs[lang])
    texts = page_texts(pdfs[lang])
    slugs = printed_slugs()
    titles = [chapter_title(built_site, lang, slug) for slug in slugs]
    starts = footer_starts(texts, lang, titles)
    order = sorted(starts.values()) + [len(texts)]
    page, following = starts[titles[slugs.index(PAGE)]], starts[titles[slugs.index(NEXT)]]
    end = order[order.index(page) + 1]
    next_end = order[order.index(following) + 1]
    targets = [t for i in range(page, end) for t in link_destinations(reader, i)]
    assert any(following <= t < next_end for t in targets), f"no link from {PAGE} lands in {NEXT}"
    data = pdfs[lang].read_bytes().decode("latin-1")
    assert "127.0.0.1" not in data, "a link to the local print server is left"


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_is_extractable_and_maths_typeset(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    text = "\n".join(page_texts(pdfs[lang]))
    source = built_page(built_site, lang, PAGE)
    article = source[source.index("<article"):]
    first = re.search(r"<p>([^<]{20,})", article).group(1)  # plain text up to the paragraph's first tag
    sentence = flat(html.unescape(first))[:30]
    assert sentence in flat(text), f"the sentence {sentence!r} of {PAGE} cannot be found in the PDF's text"
    if lang == "zh":
        assert len(HAN.findall(text)) > 5_000, "the Chinese PDF has (almost) no extractable Chinese characters"
    assert any(ch in text for ch in "∂∑θσ≈∈"), "no mathematical symbol in the text of the PDF"
    assert not re.search(r"\\\(|\\\[", text.replace("\\\\", "")) or "\\(" in strip_tags(source), (
        "raw TeX delimiters in the PDF: maths left untypeset")


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_vectors_with_their_text(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    source = built_page(built_site, lang, PAGE)
    figure = source[source.index('<figure class="nnbook-figure">'):]
    figure = figure[: figure.index("</figure>")]
    words = [html.unescape(t).strip() for t in re.findall(r"<text\b[^>]*>([^<]+)</text>", figure)]
    words = [w for w in words if len(w) >= 4 and not re.fullmatch(r"[\d.,−\-+\s]+", w)]
    assert words, "the page's first figure has no text to look for"
    text = flat("\n".join(page_texts(pdfs[lang])))
    missing = [w for w in words if flat(w) not in text]
    assert len(missing) <= len(words) // 2, f"figure text not in the PDF: {missing}"
    # Raster images: only those the site itself ships (<img>, or <image> inside an SVG figure).
    shipped = sum(len(re.findall(r"<(?:img|image)\b", built_page(built_site, lang, slug))) for slug in printed_slugs())
    _, images = walk_resources(PdfReader(pdfs[lang]))
    assert images <= shipped, f"{images} raster images in the PDF, but the site's pages have only {shipped}"


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_solutions_are_printed_and_site_chrome_is_not(pdfs: dict[str, Path], lang: str) -> None:
    text = "\n".join(page_texts(pdfs[lang]))
    solution = {"en": "Solution", "zh": "解答"}[lang]
    source = (ROOT / "docs" / (f"{PAGE}.md" if lang == "en" else f"{PAGE}.zh.md")).read_text(encoding="utf-8")
    assert text.count(solution) >= source.count("??? success") > 0
    assert "Table of contents" not in text and "Copy to clipboard" not in text


# --- without a browser: the joined document, the starts of chapters, bookmarks and metadata -------

class IdsAndLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.pages: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])

    def handle_data(self, data: str) -> None:
        pass


def two_chapters(make_pdf: Any) -> list[Any]:
    a = make_pdf.Chapter(title='Say "hi"', url="http://h/a/", part="Part one", anchor="a",
                         body='<h1 id="a--a">Say "hi"</h1><h2 id="a--x">X</h2><a href="#b--y">to B</a>',
                         sections=[("a--x", "X")])
    b = make_pdf.Chapter(title="B", url="http://h/b/", part=None, anchor="b",
                         body='<h1 id="b--b">B</h1><h2 id="b--y">Y</h2>', sections=[("b--y", "Y")])
    return [a, b]


HEAD = {"sheets": ["http://h/assets/main.css"], "html_attrs": [["lang", "en"], ["class", "no-js"]],
        "body_attrs": [["data-md-color-primary", "indigo"]]}


def test_css_strings_are_escaped() -> None:
    make_pdf = load_make_pdf()
    assert make_pdf.css_string('Say "hi"') == '"Say \\"hi\\""'
    assert make_pdf.css_string("a\\b\n  c") == '"a\\\\b c"'


def test_anchors_are_page_names_and_unique() -> None:
    make_pdf = load_make_pdf()
    chapters = [make_pdf.Chapter(title=t, url=u, part=None) for t, u in
                [("P", "http://h/"), ("F", "http://h/forward/"), ("F again", "http://h/forward/x/"),
                 ("Z", "http://h/zh/nnbook-x/")]]
    make_pdf.anchors_for(chapters, "http://h/", "zh")
    assert [c.anchor for c in chapters] == ["index", "forward", "forward-3", "nnbook-x-4"]


def test_joined_document_has_cover_contents_and_one_named_page_per_chapter() -> None:
    make_pdf = load_make_pdf()
    chapters = two_chapters(make_pdf)
    document = make_pdf.book_html("en", "abc123", chapters, HEAD, {"a": 2, "b": 7})
    parser = IdsAndLinks()
    parser.feed(document)
    assert len(parser.ids) == len(set(parser.ids)), "ids repeat in the joined document"
    assert parser.ids[:2] == ["nnbook-cover", "nnbook-toc"] and {"a", "b", "a--x", "b--y"} <= set(parser.ids)
    # The contents link to both chapters and print their first pages counted from 1; every h2 is a link target.
    assert {"#a", "#b", "#a--x", "#b--y"} <= set(parser.hrefs)
    assert re.search(r'href="#a">.*?>3</span>', document) and re.search(r'href="#b">.*?>8</span>', document)
    assert document.index('nnbook-toc__part">Part one') < document.index('href="#a"')
    assert '@page nnbook-1 { @bottom-left { content: "Neural Networks and Memory · Say \\"hi\\""' in document
    assert "#a { page: nnbook-1; }" in document and "#b { page: nnbook-2; }" in document
    assert "Generated from the site built at commit abc123." in document
    assert '<link rel="stylesheet" href="http://h/assets/main.css">' in document
    assert "Every chapter starts on a new sheet" in document  # print.css, which this site did not list
    assert '<html class="no-js" lang="en">' in document and 'data-md-color-primary="indigo"' in document
    blank = make_pdf.book_html("zh", None, chapters, HEAD, None, {"WenQuanYi Micro Hei": "http://h/f/0.ttf"})
    assert 'data-nnbook-page="a"></span>' in blank and "由网站生成；提交未知。" in blank
    assert '@font-face { font-family: "WenQuanYi Micro Hei"; src: url("http://h/f/0.ttf"); }' in blank


def test_chinese_font_is_cut_to_the_characters_given() -> None:
    make_pdf = load_make_pdf()
    found = make_pdf.system_font("WenQuanYi Micro Hei")
    if found is None:
        pytest.skip("WenQuanYi Micro Hei is not installed")
    from fontTools.ttLib import TTFont

    whole = TTFont(found[0], fontNumber=found[1])
    cut = TTFont(io.BytesIO(make_pdf.subset_fonts("记忆网络 memory")["WenQuanYi Micro Hei"]))
    mapped = set(cut.getBestCmap())
    assert {ord(c) for c in "记忆网络memory"} <= mapped
    assert ord("神") not in mapped and ord("神") in whole.getBestCmap()
    assert len(cut.getGlyphOrder()) < 30 < len(whole.getGlyphOrder())
    assert make_pdf.system_font("No Such Font Family 12345") is None


def book_like_pdf(pages: int, destinations: dict[str, tuple[int, float]]) -> bytes:
    """What Chromium gives: pages and named destinations (anchors of chapters and sections)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595.28, height=841.89)
    for name, (index, top) in destinations.items():
        writer.add_named_destination(name, index, fit=Fit.xyz(left=0, top=top, zoom=0))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_chapter_starts_and_bookmarks_come_from_the_named_destinations(monkeypatch: pytest.MonkeyPatch) -> None:
    make_pdf = load_make_pdf()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    chapters = two_chapters(make_pdf)
    # Cover 0, contents 1, chapter a on pages 2-4 (its section X on page 3, 400 pt), b from page 5.
    pdf = book_like_pdf(7, {"nnbook-toc": (1, 841.89), "a": (2, 841.89), "a--x": (3, 400.0), "b": (5, 841.89),
                            "b--y": (5, 300.0)})
    assert make_pdf.chapter_starts(pdf, chapters) == {"a": 2, "b": 5}
    with pytest.raises(RuntimeError, match=r"no destination for the chapters \['b'\]"):
        make_pdf.chapter_starts(book_like_pdf(3, {"a": (2, 841.89)}), chapters)

    reader = PdfReader(io.BytesIO(make_pdf.finish_book(pdf, "en", chapters, "abc123")))
    assert len(reader.pages) == 7
    assert dict(reader.metadata) == {
        "/Title": "Neural Networks and Memory",
        "/Author": "The nnmem book authors",
        "/Subject": make_pdf.TEXT["en"]["subtitle"],
        "/Creator": "tools/make_pdf.py (MkDocs site printed by Chromium)",
        "/Producer": "pypdf",
        "/Keywords": "commit abc123",
    }
    assert reader.root_object["/Lang"] == "en"
    outline = reader.outline
    # Title, contents, the part (with chapter a and its section), then chapter b (no part) and its section.
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["Neural Networks and Memory", "Contents", "Part one", "B"]
    assert [reader.get_destination_page_number(item) for item in outline if not isinstance(item, list)] == [0, 1, 2, 5]
    part = outline[3]
    assert [item.title for item in part if not isinstance(item, list)] == ['Say "hi"']
    assert [item.title for item in part[1]] == ["X"]
    assert reader.get_destination_page_number(part[1][0]) == 3 and float(part[1][0].top) == 400.0
    assert [item.title for item in outline[5]] == ["Y"]


def test_source_date_epoch_sets_both_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    make_pdf = load_make_pdf()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # one day after the epoch: 1970-01-02 00:00:00 UTC
    chapter = make_pdf.Chapter(title="A", url="http://h/a/", part=None, anchor="a")
    pdf = book_like_pdf(2, {"a": (1, 841.89)})
    meta = PdfReader(io.BytesIO(make_pdf.finish_book(pdf, "zh", [chapter], None))).metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:19700102000000+00'00'"
    assert meta.title == "神经网络与记忆" and "/Keywords" in meta and meta["/Keywords"] == ""


def test_showing_the_pdf_links_edits_only_that_element() -> None:
    make_pdf = load_make_pdf()
    page = (
        '<!-- <p class="nnbook-pdf-links" hidden> an example in a comment -->\n'
        '<p class="other" hidden>not this one</p>\n'
        '<div><p class="lead nnbook-pdf-links" hidden data-x="a&amp;b">PDF: <a href="pdf/x.pdf">x</a></p></div>\n'
    )
    expected = (
        '<!-- <p class="nnbook-pdf-links" hidden> an example in a comment -->\n'
        '<p class="other" hidden>not this one</p>\n'
        '<div><p class="lead nnbook-pdf-links" data-x="a&amp;b">PDF: <a href="pdf/x.pdf">x</a></p></div>\n'
    )
    assert make_pdf.show_pdf_links(page) == expected
    assert make_pdf.show_pdf_links(expected) == expected


def test_pdf_links_are_shown_only_when_both_books_are_there(tmp_path: Path) -> None:
    make_pdf = load_make_pdf()
    hidden = '<p class="nnbook-pdf-links" hidden>PDF</p>'
    for page in (tmp_path / "index.html", tmp_path / "zh" / "index.html"):
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(hidden, encoding="utf-8")
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "nnmem-book-en.pdf").write_bytes(b"%PDF")
    assert make_pdf.publish_links(tmp_path, tmp_path / "pdf") == []  # the Chinese book is missing
    (tmp_path / "pdf" / "nnmem-book-zh.pdf").write_bytes(b"%PDF")
    shown = make_pdf.publish_links(tmp_path, tmp_path / "pdf")
    assert shown == [tmp_path / "index.html", tmp_path / "zh" / "index.html"]
    assert (tmp_path / "zh" / "index.html").read_text(encoding="utf-8") == '<p class="nnbook-pdf-links">PDF</p>'
