"""`make pdf`: the book printed by headless Chromium, checked with pypdf.

The tests marked ``docs`` print one chapter with equations and figures (Forward propagation) in both
languages from the strictly built site, with the same script `make pdf` runs
(tools/make_pdf.py). Without Chromium the test skips with a message, except
under CI (``CI=true``), where a missing browser is a failure. Never
`playwright install`: the browser is the system's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import html
import importlib.util
import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit, NameObject, TextStringObject

ROOT = Path(__file__).resolve().parents[1]
PAGE = "forward"  # equations, two SVG figures, code, exercises with solutions
HAN = re.compile(r"[\u4e00-\u9fff]")
# One test process runs this file (make test: pytest -n 2 --dist loadgroup), so the book is printed once.
pytestmark = pytest.mark.xdist_group("pdf")


def load_make_pdf() -> Any:
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tools" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pdfs(browser: Any, site_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Print one page of the session's built site per language with `make pdf`'s own code.

    The shared browser skips (or, under CI, fails) without Chromium.
    """
    pytest.importorskip("playwright", reason="printing the book needs the playwright package")
    out = tmp_path_factory.mktemp("pdf")
    make_pdf = load_make_pdf()
    return {
        lang: make_pdf.make_book(browser, site_url, lang, out / f"nnmem-book-{lang}.pdf", pages=[PAGE],
                                 commit="0" * 40, site_url=None, log=lambda *args: None)
        for lang in ("en", "zh")
    }


def text_of(path: Path) -> str:
    # Layout mode also decodes the KaTeX fonts Chromium embeds.
    return "\n".join(p.extract_text(extraction_mode="layout") for p in PdfReader(path).pages)


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    return names


def figure_words(built_site: Path, lang: str) -> list[str]:
    """Words printed inside the page's first SVG figure (matplotlib keeps text as text)."""
    page = built_site / ("" if lang == "en" else "zh") / PAGE / "index.html"
    source = page.read_text(encoding="utf-8")
    figure = source[source.index('<figure class="nnbook-figure">'):]
    figure = figure[: figure.index("</figure>")]
    texts = [html.unescape(t).strip() for t in re.findall(r"<text\b[^>]*>([^<]+)</text>", figure)]
    return [t for t in texts if len(t) >= 4 and not re.fullmatch(r"[\d.,−\-+\s]+", t)]


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_has_pages_metadata_and_bookmarks(pdfs: dict[str, Path], lang: str) -> None:
    reader = PdfReader(pdfs[lang])
    assert len(reader.pages) >= 4  # title page, contents, the chapter
    title = {"en": "Neural Networks and Memory", "zh": "神经网络与记忆"}[lang]
    assert reader.metadata.title == title
    assert "/CreationDate" not in reader.metadata  # deterministic unless SOURCE_DATE_EPOCH is set
    assert "0" * 40 in reader.pages[0].extract_text()  # the commit on the title page
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == title and len(outline) >= 2


@pytest.mark.docs
def test_chinese_text_is_embedded_and_extractable(pdfs: dict[str, Path]) -> None:
    text = text_of(pdfs["zh"])
    assert len(HAN.findall(text)) > 500, "the Chinese PDF has (almost) no extractable Chinese characters"
    assert any("WenQuanYi" in name or "CJK" in name for name in font_names(pdfs["zh"]))


RAW_TEX = re.compile(r"\\\(|\\\[|\$\$")


def tex_in_code(built_site: Path, lang: str) -> int:
    """Raw TeX delimiters the page legitimately shows inside code blocks (e.g. docstrings)."""
    page = built_site / ("" if lang == "en" else "zh") / PAGE / "index.html"
    blocks = re.findall(r"<pre\b.*?</pre>", page.read_text(encoding="utf-8"), flags=re.S)
    return sum(len(RAW_TEX.findall(html.unescape(re.sub(r"<[^>]+>", "", b)))) for b in blocks)


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_equations_are_rendered(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    text = text_of(pdfs[lang])
    assert any("KaTeX_" in name for name in font_names(pdfs[lang])), "no KaTeX font: the maths was not typeset"
    assert any(ch in text for ch in "∂∑θσ≈∈"), "no mathematical symbol in the text of the PDF"
    raw = len(RAW_TEX.findall(text))
    assert raw <= tex_in_code(built_site, lang), "raw TeX delimiters outside code blocks: maths left untypeset"


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_printed(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    words = figure_words(built_site, lang)
    assert words, "the page's first figure has no text to look for"
    flat = re.sub(r"\s+", "", text_of(pdfs[lang]))
    missing = [w for w in words if re.sub(r"\s+", "", w) not in flat]
    assert len(missing) <= len(words) // 2, f"figure text not in the PDF: {missing}"


@pytest.mark.docs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_solutions_are_printed_and_site_chrome_is_not(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    text = text_of(pdfs[lang])
    solution = {"en": "Solution", "zh": "解答"}[lang]
    source = (ROOT / "docs" / (f"{PAGE}.md" if lang == "en" else f"{PAGE}.zh.md")).read_text(encoding="utf-8")
    assert text.count(solution) >= source.count('??? success') > 0
    assert "Table of contents" not in text and "Copy to clipboard" not in text
    assert "127.0.0.1" not in pdfs[lang].read_bytes().decode("latin-1"), "a link to the local print server is left"


# --- without a browser: the assembly of the book and the edit of the built preface ------------

def blank_pdf(pages: int, destinations: dict[str, tuple[int, float]] | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595.28, height=841.89)
    for name, (index, top) in (destinations or {}).items():
        writer.add_named_destination(name, index, fit=Fit.xyz(left=0, top=top, zoom=0))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_links(pdf: bytes, links: dict[int, list[str]]) -> bytes:
    """Add link annotations: "name" jumps to a named destination, anything else is a URI."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for index, targets in links.items():
        for k, target in enumerate(targets):
            rect = (50, 700 - 30 * k, 200, 720 - 30 * k)
            if "/" in target:
                writer.add_annotation(index, Link(rect=rect, url=target))
            else:  # what Chromium writes for a link inside the page: a named destination
                annotation = Link(rect=rect, target_page_index=0)
                del annotation["/Dest"]
                annotation[NameObject("/Dest")] = TextStringObject(target)
                writer.add_annotation(index, annotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def link_targets(reader: PdfReader, index: int) -> list[Any]:
    """What each link on a page does: ("goto", page index, top) or ("uri", address)."""
    pages = [p.indirect_reference.idnum for p in reader.pages]
    out: list[Any] = []
    for ref in reader.pages[index].get("/Annots", []):
        annotation = ref.get_object()
        dest = annotation.get("/Dest")
        if dest is None and annotation["/A"]["/S"] == "/GoTo":
            dest = annotation["/A"]["/D"]
        if dest is not None:
            assert dest[1] == "/XYZ"
            out.append(("goto", pages.index(dest[0].idnum), float(dest[3])))
        else:
            out.append(("uri", str(annotation["/A"]["/URI"])))
    return out


def test_book_assembly_uses_explicit_links_bookmarks_and_fresh_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    make_pdf = load_make_pdf()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    base = "http://127.0.0.1:8123/"
    # Book: front matter (2 pages), chapter A (2 pages), chapter B (1 page) -> A starts at index 2, B at 4.
    chapter_a = with_links(blank_pdf(2, {"intro": (1, 500.0)}),
                           {0: [base + "b/#sec", base + "c/", "https://example.org/x", base + "b/#gone"],
                            1: ["intro", "missing"]})
    chapter_b = blank_pdf(1, {"sec": (0, 300.0)})
    chapters = [make_pdf.Chapter(title="Chapter A", url=base + "a/", part="Part one", pdf=chapter_a, pages=2),
                make_pdf.Chapter(title="Chapter B", url=base + "b/", part="Part one", pdf=chapter_b, pages=1)]
    data = make_pdf.build_book("en", chapters, blank_pdf(2), blank_pdf(5), base, None, "abc123")
    reader = PdfReader(io.BytesIO(data))

    assert len(reader.pages) == 5
    # Info written from scratch: no date, no leftovers of the inputs.
    assert dict(reader.metadata) == {
        "/Title": "Neural Networks and Memory",
        "/Author": "The nnmem book authors",
        "/Subject": make_pdf.TEXT["en"]["subtitle"],
        "/Creator": "tools/make_pdf.py (MkDocs site printed by Chromium)",
        "/Producer": "pypdf",
        "/Keywords": "commit abc123",
    }
    assert reader.root_object["/Lang"] == "en"
    assert reader.named_destinations == {}  # the chapters' own names are not carried over
    # Bookmarks: the title page, then the part with its two chapters.
    outline = reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["Neural Networks and Memory", "Part one"]
    assert [item.title for item in outline[2]] == ["Chapter A", "Chapter B"]
    assert [reader.get_destination_page_number(item) for item in outline[2]] == [2, 4]
    # Links of chapter A's first page (book page 2): to B's #sec (page 4, 300 pt), the page not in the
    # book dropped (no --site-url), the external one kept, an unknown anchor of B -> top of B (A4 height).
    assert link_targets(reader, 2) == [("goto", 4, 300.0), ("uri", "https://example.org/x"), ("goto", 4, 841.89)]
    # Chapter A's second page (book page 3): its own "#intro" (its page 1 -> book page 3, 500 pt); the
    # link to a name the chapter does not define is dropped.
    assert link_targets(reader, 3) == [("goto", 3, 500.0)]
    assert b"127.0.0.1" not in data

    with_site = make_pdf.build_book("en", chapters, blank_pdf(2), blank_pdf(5), base, "https://book.example/", None)
    assert ("uri", "https://book.example/c/") in link_targets(PdfReader(io.BytesIO(with_site)), 2)


def test_source_date_epoch_sets_both_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    make_pdf = load_make_pdf()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # one day after the epoch: 1970-01-02 00:00:00 UTC
    chapter = make_pdf.Chapter(title="A", url="http://h/a/", part=None, pdf=blank_pdf(1), pages=1)
    meta = PdfReader(io.BytesIO(make_pdf.build_book("zh", [chapter], blank_pdf(1), blank_pdf(2), "http://h/", None,
                                                    None))).metadata
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
