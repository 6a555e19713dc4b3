"""Checks on the built site (one strict bilingual build per test session, made for a ``site_url`` with a path)."""

from __future__ import annotations

import calendar
import gzip
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".zh.md"))

pytestmark = pytest.mark.docs


def page_dir(name: str) -> str:
    return "" if name == "index" else f"{name}/"


def lang_dir(lang: str) -> str:
    return "" if lang == "en" else "zh/"


def html_of(site: Path, lang: str, name: str) -> str:
    return (site / f"{lang_dir(lang)}{page_dir(name)}index.html").read_text(encoding="utf-8")


def source_of(lang: str, name: str) -> str:
    return f"docs/{name}.md" if lang == "en" else f"docs/{name}.zh.md"


@cache
def last_commit_date(path: str) -> str:
    """Date (YYYY-MM-DD) of the last commit that touched ``path``, asked of git here, not of the build."""
    out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", path], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page, and the attributes of each tag in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_built_without_tracebacks(built_site: Path, lang: str, name: str) -> None:
    html = html_of(built_site, lang, name)
    # markdown-exec prints a failing block's traceback with frames named "<code block: ...>"
    assert "&lt;code block:" not in html and "<code block:" not in html
    assert f'<html lang="{lang}"' in html


# A canonical link names the page's public address; the browser loads nothing from it.
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"(?:https?:)?//"
    r"|<link\b(?![^>]*\brel=\"canonical\")[^>]*\bhref=\"(?:https?:)?//"
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
    [("反向传播", "backprop/"), ("梯度", "training/"), ("激活函数", "forward/")],  # the Chinese index, located from zh/
)
def test_chinese_search_index_is_segmented(built_site: Path, term: str, page: str) -> None:
    index = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert "\\u200b" in separator
    pages = {doc["location"].split("#")[0] for doc in index["docs"]
             if term in _tokens(doc["text"] + " " + doc["title"], separator)}
    assert page in pages, f"{term!r} is not a search token of {page}"


def test_chinese_punctuation_separates_search_words(built_site: Path) -> None:
    """Full-width punctuation ends a word, so a search for Hopfield does not mark "（Hopfield"."""
    index = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    punctuation = set("（），。：；！？、“”‘’《》")
    glued = {t for doc in index["docs"] for t in _tokens(doc["text"] + " " + doc["title"], index["config"]["separator"])
             if punctuation & set(t)}
    assert not glued, f"{len(glued)} search words with punctuation, e.g. {sorted(glued)[:5]}"


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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_id_is_used_once_in_a_page(built_site: Path, lang: str) -> None:
    """Links to an id (the table of contents, figure references, search results) land on one element."""
    for name in PAGES:
        ids = [attrs["id"] for _, attrs in Attributes(html_of(built_site, lang, name)).tags if attrs.get("id")]
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        assert repeated == [], f"{lang}/{name}: {len(repeated)} ids more than once, e.g. {repeated[:5]}"


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


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_canonical_link_is_the_public_address(built_site: Path, hosted_url: str, lang: str, name: str) -> None:
    tags = Attributes(html_of(built_site, lang, name)).tags
    canonical = [a.get("href") for tag, a in tags if tag == "link" and a.get("rel") == "canonical"]
    assert canonical == [f"{hosted_url}{lang_dir(lang)}{page_dir(name)}"]


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_every_page_of_both_languages_with_its_twin(built_site: Path, hosted_url: str) -> None:
    """One sitemap at the root: every page's public address, when it last changed, and its hreflang alternates."""
    text = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
    entries, lastmod = {}, {}
    for url in ET.fromstring(text).findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP)
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP)}
        lastmod[loc] = url.findtext("s:lastmod", namespaces=SITEMAP)
    expected, changed = {}, {}
    for name in PAGES:
        twins = {lang: f"{hosted_url}{lang_dir(lang)}{page_dir(name)}" for lang in ("en", "zh")}
        for lang in ("en", "zh"):
            expected[twins[lang]] = twins
            changed[twins[lang]] = last_commit_date(source_of(lang, name))
    assert entries == expected
    # <lastmod> is when the page's source last changed (the build day only for a page not committed yet)
    committed = {loc for loc, day in changed.items() if day}
    assert {loc: lastmod[loc] for loc in committed} == {loc: changed[loc] for loc in committed}


def test_404_page_is_english_and_loads_everything_from_the_sub_path(built_site: Path, hosted_url: str) -> None:
    """Served for any missing address at any depth, the error page addresses its assets from the site's path."""
    path = urlsplit(hosted_url).path
    text = (built_site / "404.html").read_text(encoding="utf-8")
    tags = Attributes(text).tags
    assert ("html", {"lang": "en", "class": "no-js"}) in tags
    addresses = [a[key] for _, a in tags for key in ("href", "src") if a.get(key)]
    relative = [u for u in addresses if not re.match(r"(?:[a-z]+:|#|/)", u)]
    outside = [u for u in addresses if u.startswith("/") and not u.startswith(path)]
    assert relative == [] and outside == []
    assert sum(u.startswith(path + "assets/") for u in addresses) >= 5  # the theme's and KaTeX's files
    switch = [(a.get("hreflang"), a.get("href")) for tag, a in tags if "md-select__link" in (a.get("class") or "")]
    assert switch == [("en", path), ("zh", path + "zh/")]
    assert '"base": "' + path + '"' in text  # Material's scripts resolve the search index from here
    assert "md-sidebar" not in text  # no navigation in one language on the page of both


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_last_updated_date_and_footer_are_in_the_page_language(built_site: Path, lang: str, name: str) -> None:
    html = html_of(built_site, lang, name)
    facts = re.findall(r'<span class="md-source-file__fact">\s*(.*?)\s*</span>', html, re.S)
    iso = last_commit_date(source_of(lang, name))
    if not iso:  # a page not committed yet has no date
        assert facts == []
        return
    year, month, day = (int(part) for part in iso.split("-"))
    shown = f"{calendar.month_name[month]} {day}, {year}" if lang == "en" else f"{year}年{month}月{day}日"
    label = "Last update: " if lang == "en" else "最后更新："
    assert facts == [f'{label}<time datetime="{iso}">{shown}</time>']
    footer = re.search(r'<div class="nnbook-build">\s*(.*?)\s*</div>', html, re.S)
    assert footer is not None
    words = ("Built from", ",", "commit") if lang == "en" else ("构建自", "，", "提交")
    pattern = rf"{words[0]} <code>nnmem [0-9][^<]*</code>{words[1]}\s+{words[2]} <code>([0-9a-f]{{12}}|unknown)</code>"
    assert re.fullmatch(pattern, footer.group(1)), footer.group(1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_stylesheet_and_script_is_linked_once(built_site: Path, lang: str) -> None:
    """markdown-exec and mkdocstrings add their files again for each language built; the hook lists them once."""
    for name in PAGES:
        tags = Attributes(html_of(built_site, lang, name)).tags
        sheets = [a["href"] for tag, a in tags if tag == "link" and a.get("rel") == "stylesheet"]
        scripts = [a["src"] for tag, a in tags if tag == "script" and a.get("src")]
        repeated = sorted({u for u in sheets + scripts if (sheets + scripts).count(u) > 1})
        assert repeated == [], f"{lang}/{name}: linked more than once: {repeated}"
        assert any(u.endswith("_mkdocstrings.css") for u in sheets)
