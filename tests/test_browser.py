"""The built site in a real browser: Debian's Chromium driven by Playwright.

Run against the strictly built site served on 127.0.0.1 under the sub-path
of its ``site_url`` (``/book/``, as GitHub Pages serves a project site; see
``tests/conftest.py``), so "no request to another host" also means no request
outside the sub-path. Without Chromium these tests skip with a message,
except under CI (``CI=true``), where a missing browser is a failure. Never
`playwright install`: the browser is the system's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))

from nnbook.languages import LANGUAGES  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".zh.md"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.docs


def page_path(lang: str, name: str) -> str:
    return ("" if lang == "en" else "zh/") + ("" if name == "index" else f"{name}/")


class Visit:
    """One page load with everything the checks need recorded.

    ``console_errors`` holds the page's console errors and uncaught exceptions,
    every response with an error status and every request that failed.
    """

    def __init__(self, browser: Any, url: str, *, scheme: str = "light", width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.finished: list[Any] = []  # every request that completed, the page's workers' included
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfinished", lambda r: self.finished.append(r))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.console_errors.append(f"HTTP {r.status} {r.url}"))
        self.page.on("requestfailed", lambda r: self.console_errors.append(f"failed: {r.url} ({r.failure})"))
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_function(
            "document.querySelectorAll('.arithmatex').length === 0 || document.querySelectorAll('.katex').length > 0"
        )

    def close(self) -> None:
        self.context.close()


# What a page's visit records for the checks below (one page load, on a cold cache: a new browser context).
PAGE_INFO = """() => {
  const article = document.querySelector('article');
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, .katex, script, .md-annotation').forEach(e => e.remove());
  return {
    visibleText: clone.innerText,
    mathSource: document.querySelectorAll('.arithmatex').length,
    mathRendered: document.querySelectorAll('.arithmatex .katex').length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    figures: Array.from(document.querySelectorAll('figure.nnbook-figure svg'))
      .map(s => s.getAttribute('aria-label') || ''),
    images: Array.from(document.querySelectorAll('article img')).map(i => i.getAttribute('alt') || ''),
    navText: Array.from(document.querySelectorAll('.md-nav--primary .md-nav__link'))
      .filter(a => !a.closest('.md-nav--secondary'))  // the page's own table of contents
      .map(a => a.innerText.trim()).filter(Boolean),
    lang: document.documentElement.lang,
    switchLinks: Array.from(document.querySelectorAll('a.md-select__link[hreflang]'))
      .map(a => [a.hreflang, a.href]),
  };
}"""
AXE_SERIOUS = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
)


def visit_page(browser: Any, url: str) -> dict[str, Any]:
    """Load one page on a cold cache and record what the per-page checks need.

    After the load (KaTeX done) the page's information is read and axe runs;
    the page is narrowed to a phone's width and its width read (resized, not
    reloaded: the site's layout at that width comes from CSS media queries);
    then the search is opened and a query typed, so that every byte the page makes the
    reader download is counted in ``weight`` (Material fetches the page's
    search index, and its worker the lunr language files, as soon as the page
    loads; a later fetch would be counted too).
    """
    v = Visit(browser, url)
    info = v.page.evaluate(PAGE_INFO)
    v.page.add_script_tag(path=str(AXE))  # its source, inlined: no request
    info["axe"] = v.page.evaluate(AXE_SERIOUS)
    v.page.set_viewport_size(PHONE)
    info["phone_widths"] = v.page.evaluate(  # after two frames: the theme's resize handlers have run
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
        "() => done([document.documentElement.scrollWidth, window.innerWidth]))))")
    v.page.set_viewport_size(DESKTOP)
    v.page.click("label.md-search__icon, .md-search__input")
    v.page.fill("input.md-search__input", "memory")
    v.page.press("input.md-search__input", "End")
    v.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    v.page.wait_for_load_state("networkidle")
    info["search_index_loaded"] = any(r.url.endswith("search/search_index.json") for r in v.finished)
    info["weight"] = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in v.finished)
    info.update(requests=list(v.requests), console_errors=list(v.console_errors))
    v.close()
    return info


class Lazy(dict):
    """A dict whose missing entry is made, once, by ``make(key)`` when first asked for."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = value = self.make(key)
        return value


@pytest.fixture(scope="session")
def visits(browser: Any, site_url: str) -> Lazy:
    """What each page's one visit recorded (:func:`visit_page`), by (language, page), loaded when a check first asks.

    Under ``pytest -n 2 --dist loadscope`` the checks of one page are one
    class, so each page is loaded by one process and the pages are shared out.
    """
    return Lazy(lambda key: visit_page(browser, site_url + page_path(*key)))


CASES = [(lang, name) for lang in LANGUAGES for name in PAGES]

# The most any page may transfer on a cold cache, search included. Measured on the heaviest page, zh/api/ (the
# API reference, 637 kB of HTML): 3,366,150 bytes with one search index of both languages (1,986,731 bytes) before
# the indexes were split; 2,311,370 bytes after, with the Chinese index (901,463 bytes; English 737,243). The
# budget leaves about 8 % for growth. Reproduce: `pytest tests/test_browser.py -k page_weight`.
PAGE_WEIGHT_BUDGET = 2_500_000



class _PageChecks:
    """The checks of one page in one language, read from its one visit (fixture ``visits``).

    One subclass per page and language is made below (``TestPage_en_backprop``
    …): pytest-xdist's ``--dist loadscope`` (``make test``) keeps a class's tests
    in one process, so each page is loaded once and the pages are shared out
    between the processes.
    """

    lang = ""
    name = ""

    def test_no_other_host_and_no_console_errors(self, visits: Lazy, site_url: str) -> None:
        lang, name = self.lang, self.name
        info = visits[(lang, name)]
        assert [u for u in info["requests"] if not u.startswith(site_url) and not u.startswith("data:")] == []
        assert info["console_errors"] == []

    def test_every_equation_is_rendered(self, visits: Lazy) -> None:
        lang, name = self.lang, self.name
        info = visits[(lang, name)]
        assert info["mathRendered"] == info["mathSource"]
        assert info["katexErrors"] == 0
        leftovers = re.findall(r"\$\$|\\\(|\\\[", info["visibleText"])
        assert leftovers == [], f"raw TeX delimiters left in the visible text of {lang}/{name}"

    def test_outputs_figures_and_text_alternatives(self, visits: Lazy) -> None:
        lang, name = self.lang, self.name
        info = visits[(lang, name)]
        assert "Traceback (most recent call last)" not in info["visibleText"]
        source = (ROOT / "docs" / (f"{name}.md" if lang == "en" else f"{name}.zh.md")).read_text(encoding="utf-8")
        assert len(info["figures"]) >= source.count("print(svg(")
        assert all(label.strip() for label in info["figures"]), "a figure has no text alternative"
        assert all(alt.strip() for alt in info["images"]), "an image has no alt text"

    def test_no_serious_accessibility_violations(self, visits: Lazy) -> None:
        lang, name = self.lang, self.name
        assert visits[(lang, name)]["axe"] == []

    def test_navigation_and_language_switch(self, visits: Lazy, site_url: str) -> None:
        lang, name = self.lang, self.name
        info = visits[(lang, name)]
        assert info["lang"] == lang
        other = "zh" if lang == "en" else "en"
        links = dict(info["switchLinks"])
        assert links[other] == site_url + page_path(other, name)
        han = re.compile(r"[\u4e00-\u9fff]")
        if lang == "zh":
            untranslated = [t for t in info["navText"] if not han.search(t) and t not in {"API 参考"}]
            assert untranslated == [], f"English navigation items on a Chinese page: {untranslated}"
        else:
            assert not any(han.search(t) for t in info["navText"])

    def test_no_horizontal_scrolling_at_a_phones_width(self, visits: Lazy) -> None:
        lang, name = self.lang, self.name
        page_width, viewport = visits[(lang, name)]["phone_widths"]
        assert page_width <= viewport, f"{lang}/{name}: page is {page_width} px wide in a {viewport} px viewport"

    def test_page_weight_on_a_cold_cache_is_within_budget(self, visits: Lazy) -> None:
        """The bytes of every response (headers and body) the page and its workers load on a cold cache, search
        included (see :func:`visit_page`)."""
        lang, name = self.lang, self.name
        info = visits[(lang, name)]
        assert info["search_index_loaded"], f"{lang}/{name}: the search index was not counted"
        weight = info["weight"]
        assert weight <= PAGE_WEIGHT_BUDGET, f"{lang}/{name}: {weight:,} bytes, over {PAGE_WEIGHT_BUDGET:,}"


for _lang, _name in CASES:
    _cls = f"TestPage_{_lang}_{_name.replace('-', '_')}"
    globals()[_cls] = type(_cls, (_PageChecks,), {"lang": _lang, "name": _name, "__doc__": f"{_lang}/{_name}"})



def test_clicking_the_language_switch_keeps_the_page(browser: Any, site_url: str) -> None:
    for start, target in (("backprop", "zh"), ("index", "zh"), ("hopfield", "en")):
        lang = "zh" if target == "en" else "en"
        v = Visit(browser, site_url + page_path(lang, start))
        v.page.wait_for_load_state("networkidle")  # let Material's own click handlers attach first
        v.page.wait_for_timeout(500)
        v.page.hover(".md-header__option .md-select")
        v.page.click(f'a.md-select__link[hreflang="{target}"]')
        v.page.wait_for_load_state("networkidle")
        assert v.page.url == site_url + page_path(target, start)
        v.close()


# Queries from a page of each language, and the chapters expected among the first three pages found: the
# chapter that introduces the term and uses it most (counted in docs/: LSTM 17 of 19 uses in working-memory.zh.md,
# EWC 22 of 23 in forgetting.zh.md), or whose title is the term (记忆地图, 反向传播, "A map of memory",
# "Training by gradient descent", "Modern Hopfield networks and attention"; the two Hopfield chapters).
SEARCHES = [
    ("zh", "Hopfield", {"hopfield/", "modern-hopfield/"}),
    ("zh", "LSTM", {"working-memory/"}),
    ("zh", "EWC", {"forgetting/"}),
    ("zh", "反向传播", {"backprop/"}),
    ("zh", "记忆", {"memory-map/", "hopfield/"}),
    ("en", "memory", {"memory-map/"}),
    ("en", "gradient", {"training/", "backprop/"}),
    ("en", "attention", {"modern-hopfield/"}),
]
HAN = re.compile(r"[\u4e00-\u9fff]")


RESULTS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__item > a')).map(a => ({
     href: a.href,
     page: a.parentElement.querySelector(':scope > a') === a,
     title: (a.querySelector('h1, h2') || a).innerText.replace(/\u200b/g, ''),
     marks: Array.from(a.querySelectorAll('mark')).map(m => m.innerText)}))"""


def open_search(browser: Any, site_url: str, lang: str, start: str) -> Visit:
    """Page ``start`` in ``lang`` with its search box open."""
    v = Visit(browser, site_url + page_path(lang, start))
    v.page.click("label.md-search__icon, .md-search__input")
    return v


def search_results(v: Visit, query: str) -> list[dict[str, Any]]:
    """Type ``query`` into the open search box (emptied first); every result's address, heading and marks."""
    box = "input.md-search__input"
    if v.page.input_value(box):
        v.page.fill(box, "")
        v.page.press(box, "End")  # Material reads the query on keyup, which `fill` does not send
        v.page.wait_for_selector(".md-search-result__item", state="detached", timeout=15_000)
    v.page.fill(box, query)
    v.page.press(box, "End")
    v.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    v.page.wait_for_timeout(300)  # results are rendered in one go; let the last batch settle
    results: list[dict[str, Any]] = v.page.evaluate(RESULTS_JS)
    return results


@pytest.fixture(scope="module")
def search_boxes(browser: Any, site_url: str) -> Iterator[Lazy]:
    """One chapter page per language with its search open, shared by the searches of this module."""
    boxes = Lazy(lambda lang: open_search(browser, site_url, lang, "backprop"))
    yield boxes
    for v in boxes.values():
        v.close()


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES, ids=[f"{lang}-{q}" for lang, q, _ in SEARCHES])
def test_search_finds_pages_of_the_pages_language_only(
    search_boxes: Lazy, site_url: str, lang: str, query: str, expected: set[str]
) -> None:
    """Searched from a chapter, every result is in the chapter's language and the expected chapter comes early.

    The queries of a language are typed one after another into one page's search box, as a reader would."""
    v = search_boxes[lang]
    results = search_results(v, query)
    index_requests = [u for u in v.requests if u.endswith("search_index.json")]
    root = site_url + ("zh/" if lang == "zh" else "")
    assert index_requests == [root + "search/search_index.json"]
    assert v.console_errors == []
    assert results, f"no results for {query!r}"
    addresses = [r["href"].split("?")[0].split("#")[0] for r in results]
    if lang == "zh":
        assert all(a.startswith(root) for a in addresses), f"{query!r}: results outside zh/: {addresses}"
        assert all(HAN.search(r["title"]) for r in results if r["page"]), f"{query!r}: {results}"
    else:
        assert not [a for a in addresses if a.startswith(site_url + "zh/")], f"{query!r}: Chinese results"
        assert not [r["title"] for r in results if HAN.search(r["title"])]
    first_pages = list(dict.fromkeys(a for a, r in zip(addresses, results, strict=True) if r["page"]))[:3]
    assert {root + page for page in expected} & set(first_pages), f"{query!r}: first pages {first_pages}"


def test_a_chinese_word_is_found_and_highlighted_whole(browser: Any, site_url: str) -> None:
    """记忆 is searched as the word 记忆, not as 记: the marks in the results and on the page found cover the word."""
    v = open_search(browser, site_url, "zh", "index")
    results = search_results(v, "记忆")
    marks = [m for r in results for m in r["marks"]]
    assert marks and all("记忆" in m for m in marks), f"marks in the results: {marks}"
    assert all("h=记忆" in unquote(r["href"]) for r in results if r["marks"])
    v.page.goto(next(r["href"] for r in results if r["marks"]))
    v.page.wait_for_selector("article mark[data-md-highlight]", timeout=10_000)
    on_page = v.page.eval_on_selector_all("article mark[data-md-highlight]", "els => els.map(e => e.innerText)")
    v.close()
    assert on_page and set(on_page) == {"记忆"}, f"marks on the page: {sorted(set(on_page))}"


@pytest.mark.parametrize("name", ["index", "backprop", "hopfield"])
def test_the_dark_scheme_is_readable(browser: Any, site_url: str, name: str) -> None:
    """Text contrast in the dark scheme, chosen as a reader's system preference chooses it (the light scheme is
    checked on every page by the per-page axe run, whose default rules include colour contrast)."""
    v = Visit(browser, site_url + page_path("zh", name), scheme="dark")
    assert v.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    v.page.add_script_tag(path=str(AXE))
    contrast = v.page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.nodes.length)"
    )
    v.close()
    assert contrast == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tables_wider_than_the_page_can_be_scrolled_with_the_keyboard(browser: Any, site_url: str, lang: str) -> None:
    """On a phone the Performance page's tables are wider than the screen: each such scrolling box is in the tab
    order with a name (axe's scrollable-region-focusable), and a box that does not scroll is not."""
    v = Visit(browser, site_url + page_path(lang, "performance"), width=375, height=740)
    v.page.wait_for_load_state("networkidle")
    v.page.wait_for_timeout(200)  # one animation frame for the script that marks the boxes
    boxes = v.page.evaluate(
        """() => Array.from(document.querySelectorAll('.md-typeset__scrollwrap')).map(b => ({
             scrolls: b.scrollWidth > b.clientWidth, tabindex: b.getAttribute('tabindex'),
             role: b.getAttribute('role'), name: b.getAttribute('aria-label') || ''}))"""
    )
    v.close()
    wide = [b for b in boxes if b["scrolls"]]
    assert wide, "no table is wider than a phone's screen: the check would test nothing"
    assert all(b["tabindex"] == "0" and b["role"] == "region" and b["name"] for b in wide), wide
    assert all(b["tabindex"] is None for b in boxes if not b["scrolls"])


# The one error page: asked for by name, and as GitHub Pages answers a missing address under the site's path (status
# 404, body of 404.html), at the top, in the Chinese part and deeper down.
ERROR_PAGES = [("404.html", 200), ("no-such-page/", 404), ("zh/no-such-page/", 404), ("backprop/a/b/c.html", 404)]


@pytest.mark.parametrize(("path", "status"), ERROR_PAGES, ids=[p for p, _ in ERROR_PAGES])
def test_the_404_page_works_under_the_sub_path(browser: Any, site_url: str, path: str, status: int) -> None:
    v = Visit(browser, site_url + path)
    v.page.wait_for_load_state("networkidle")
    info = v.page.evaluate(
        """() => ({
          js: document.documentElement.classList.contains('js'),  // Material's script ran
          header: getComputedStyle(document.querySelector('.md-header')).position,  // its stylesheet applies
          heading: document.querySelector('article h1').innerText,
          switchLinks: Array.from(document.querySelectorAll('a.md-select__link[hreflang]'))
            .map(a => [a.hreflang, a.href]),
          home: Array.from(document.querySelectorAll('article a')).map(a => a.href),
        })"""
    )
    axe: list[Any] = []
    if path == ERROR_PAGES[0][0]:  # the same page at every address: audited once
        v.page.add_script_tag(path=str(AXE))
        axe = v.page.evaluate(AXE_SERIOUS)
    requests, errors = list(v.requests), list(v.console_errors)
    v.close()
    assert v.response is not None and v.response.status == status
    assert axe == []
    page_url = site_url + path
    # A missing address: the document's own 404, which Chromium also reports on the console. Nothing else.
    expected = [f"HTTP 404 {page_url}",
                f"Failed to load resource: the server responded with a status of 404 (Not Found) ({page_url})"]
    assert sorted(errors) == (sorted(expected) if status == 404 else [])
    assert [u for u in requests if not u.startswith(site_url) and not u.startswith("data:")] == []
    assert any(u.endswith(".css") for u in requests) and any(u.endswith(".js") for u in requests)
    assert info["js"] and info["header"] == "sticky"
    assert info["heading"] == "404 - Not found"
    assert dict(info["switchLinks"]) == {"en": site_url, "zh": site_url + "zh/"}
    assert info["home"] == [site_url, site_url + "zh/"]
