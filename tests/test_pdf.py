"""`make pdf`: the book printed by headless Chromium, checked with pypdf.

Prints one chapter with equations and figures (Forward propagation) in both
languages from the strictly built site, with the same script `make pdf` runs
(tools/make_pdf.py). Without Chromium the test skips with a message, except
under CI (``CI=true``), where a missing browser is a failure. Never
`playwright install`: the browser is the system's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright", reason="printing the book needs the playwright package")

from pypdf import PdfReader  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = "forward"  # equations, two SVG figures, code, exercises with solutions
HAN = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.docs


def load_make_pdf() -> Any:
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tools" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pdfs(browser: Any, site_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Print one page of the built site per language with `make pdf`'s own code (the shared browser skips or fails without Chromium)."""
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_equations_are_rendered(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    text = text_of(pdfs[lang])
    assert any("KaTeX_" in name for name in font_names(pdfs[lang])), "no KaTeX font: the maths was not typeset"
    assert any(ch in text for ch in "∂∑θσ≈∈"), "no mathematical symbol in the text of the PDF"
    raw = len(RAW_TEX.findall(text))
    assert raw <= tex_in_code(built_site, lang), "raw TeX delimiters outside code blocks: maths left untypeset"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_printed(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    words = figure_words(built_site, lang)
    assert words, "the page's first figure has no text to look for"
    flat = re.sub(r"\s+", "", text_of(pdfs[lang]))
    missing = [w for w in words if re.sub(r"\s+", "", w) not in flat]
    assert len(missing) <= len(words) // 2, f"figure text not in the PDF: {missing}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_solutions_are_printed_and_site_chrome_is_not(pdfs: dict[str, Path], built_site: Path, lang: str) -> None:
    text = text_of(pdfs[lang])
    solution = {"en": "Solution", "zh": "解答"}[lang]
    source = (ROOT / "docs" / (f"{PAGE}.md" if lang == "en" else f"{PAGE}.zh.md")).read_text(encoding="utf-8")
    assert text.count(solution) >= source.count('??? success') > 0
    assert "Table of contents" not in text and "Copy to clipboard" not in text
    assert "127.0.0.1" not in pdfs[lang].read_bytes().decode("latin-1"), "a link to the local print server is left"
