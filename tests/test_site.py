"""Checks on the built site (one strict bilingual build per test session)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".zh.md"))

pytestmark = pytest.mark.docs


def page_dir(name: str) -> str:
    return "" if name == "index" else f"{name}/"


def html_of(site: Path, lang: str, name: str) -> str:
    prefix = "" if lang == "en" else "zh/"
    return (site / f"{prefix}{page_dir(name)}index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_built_without_tracebacks(built_site: Path, lang: str, name: str) -> None:
    html = html_of(built_site, lang, name)
    # markdown-exec prints a failing block's traceback with frames named "<code block: ...>"
    assert "&lt;code block:" not in html and "<code block:" not in html
    assert f'<html lang="{lang}"' in html


EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"(?:https?:)?//"
    r"|<link\b[^>]*\bhref=\"(?:https?:)?//"
    r"|url\(\s*['\"]?(?:https?:)?//",
    re.I,
)


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    offenders = []
    for path in list(built_site.rglob("*.html")) + list(built_site.rglob("*.css")):
        for match in EXTERNAL_RESOURCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{path.relative_to(built_site)}: {match.group(0)[:120]}")
    assert offenders == []


def test_katex_is_served_by_the_site(built_site: Path) -> None:
    katex = built_site / "assets" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "contrib" / "auto-render.min.js").is_file()
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\((fonts/[^)]+\.woff2)\)", css):
        assert (katex / font).is_file(), font
    html = html_of(built_site, "zh", "backprop")
    assert 'src="../../assets/katex/katex.min.js"' in html


@pytest.mark.parametrize("name", PAGES)
def test_language_switch_lands_on_the_same_page(built_site: Path, name: str) -> None:
    en, zh = html_of(built_site, "en", name), html_of(built_site, "zh", name)
    target = re.escape(page_dir(name))
    assert re.search(rf'href="(\./|(\.\./)+)?zh/{target}" hreflang="zh"', en), f"{name}: no switch to its Chinese twin"
    assert re.search(rf'href="(\.\./)+{target}" hreflang="en"', zh), f"{name}: no switch to its English twin"


def _tokens(text: str, separator: str) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", text)
    return {t for t in re.split(separator, text) if t}


@pytest.mark.parametrize(
    ("term", "page"),
    [("反向传播", "zh/backprop/"), ("梯度", "zh/training/"), ("激活函数", "zh/forward/")],
)
def test_chinese_search_index_is_segmented(built_site: Path, term: str, page: str) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert "\\u200b" in separator
    pages = {doc["location"].split("#")[0] for doc in index["docs"]
             if term in _tokens(doc["text"] + " " + doc["title"], separator)}
    assert page in pages, f"{term!r} is not a search token of {page}"


def test_api_reference_renders_docstrings_with_maths(built_site: Path) -> None:
    for lang in ("en", "zh"):
        html = html_of(built_site, lang, "api")
        assert "nnmem.twolayer.backward_propagation" in html
        assert 'class="arithmatex"' in html


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_and_images_have_text_alternatives(built_site: Path, lang: str) -> None:
    for name in PAGES:
        html = html_of(built_site, lang, name)
        for svg in re.findall(r'<figure class="nnbook-figure"><svg\b[^>]*>', html):
            assert re.search(r'aria-label="[^"]+"', svg), f"{lang}/{name}: figure without alt text"
        for img in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'alt="[^"]+"', img), f"{lang}/{name}: image without alt text: {img[:80]}"


def test_two_builds_give_the_same_pages(book_build: Any, second_book_build: Any) -> None:
    """Fixed seeds, no timestamps, no state shared between builds: two builds from empty caches are identical.

    The session's build and a second one, each with its own empty experiment
    cache, are compared file by file (pages, search index, notebooks, assets).
    """
    first, again = book_build.site, second_book_build.site
    assert book_build.cache != second_book_build.cache and ROOT not in book_build.cache.parents
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert any(rel.suffix == ".html" for rel in files)
    changed = [str(rel) for rel in files if (first / rel).read_bytes() != (again / rel).read_bytes()]
    assert changed == []
