"""Search per language: the hook's index split and page config, the theme facts they rely on, the built indexes.

The browser tests of the queries themselves are in ``tests/test_browser.py``
(``-k search``). What the book relies on in Material for MkDocs that its
documentation does not promise is checked here against the installed theme, so
an upgrade that changes it fails with a message saying what changed:

* the page's script loads ``search/search_index.json`` relative to the
  ``base`` of the page's ``__config`` (hooks/book.py points it at ``zh/`` on
  Chinese pages);
* the worker is started from the ``search`` entry of ``__config`` and finds
  its lunr language files from its own folder (the book's wrapper lives in
  that folder);
* a query reaches the worker as a message ``{type: 2, data: query}``, and the
  worker cuts runs of Chinese characters into indexed words (the wrapper marks
  the end of each run so that a whole-word query is tried whole).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MATERIAL = Path(importlib.import_module("material").__file__).parent / "templates"  # type: ignore[arg-type]
WRAPPER = ROOT / "overrides" / "assets" / "javascripts" / "workers" / "search-whole-words.js"
PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".zh.md"))


def _book_hooks() -> Any:
    spec = importlib.util.spec_from_file_location("book_hooks_under_test", ROOT / "hooks" / "book.py")
    assert spec is not None and spec.loader is not None
    sys.path.insert(0, str(ROOT / "hooks"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


book = _book_hooks()


# --- the hook, on small hand-made inputs ---------------------------------------------------------

INDEX = {
    "config": {"lang": ["en", "zh"], "separator": "[\\s]+", "pipeline": ["stemmer"], "fields": {}},
    "docs": [
        {"location": "", "title": "Preface", "text": "a"},
        {"location": "backprop/#chain", "title": "Chain rule", "text": "b"},
        {"location": "zh/", "title": "前言", "text": "c"},
        {"location": "zh/backprop/#chain", "title": "链式法则", "text": "d"},
        {"location": "zhuang/", "title": "A page whose name starts with zh", "text": "e"},
    ],
}


def test_split_keeps_the_english_pages_and_asks_for_the_english_stemmer_only() -> None:
    en = book.split_search_index(INDEX, "en")
    assert [d["location"] for d in en["docs"]] == ["", "backprop/#chain", "zhuang/"]
    assert en["config"] == {**INDEX["config"], "lang": ["en"]}


def test_split_locates_the_chinese_pages_from_the_chinese_root() -> None:
    zh = book.split_search_index(INDEX, "zh")
    assert zh["docs"] == [
        {"location": "", "title": "前言", "text": "c"},
        {"location": "backprop/#chain", "title": "链式法则", "text": "d"},
    ]
    assert zh["config"] == INDEX["config"]  # Chinese pages mix in English terms: both stemmers
    assert INDEX["docs"][2]["location"] == "zh/"  # the input is left alone


@pytest.mark.parametrize(("index", "language", "message"), [
    (INDEX, "fr", "`language` must be one of"),
    ({"docs": []}, "en", "`index` must be a search index"),
    ([], "zh", "`index` must be a search index"),
])
def test_split_rejects_bad_input(index: Any, language: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        book.split_search_index(index, language)


BLOCK = ('\n  <script id="__config" type="application/json">{"base": "../..", "features": [], '
         '"search": "../../assets/javascripts/workers/search.0123abcd.min.js", "tags": null}</script>\n')


def _config_of(block: str) -> dict[str, Any]:
    match = re.search(r'<script id="__config" type="application/json">(.*?)</script>', block, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def test_chinese_pages_search_from_the_chinese_root_with_the_books_worker() -> None:
    config = _config_of(book.search_config(BLOCK, "../..", "zh"))
    assert config["base"] == "../../zh/"
    assert config["search"] == "../../assets/javascripts/workers/search-whole-words.js?material=search.0123abcd.min.js"
    assert config["features"] == [] and config["tags"] is None


@pytest.mark.parametrize(("base_url", "language", "base"), [("../..", "en", "../.."), (".", "zh", "./zh/"),
                                                            ("/book/", "en", "/book/"), ("..", "zh", "../zh/")])
def test_the_base_is_the_languages_root(base_url: str, language: str, base: str) -> None:
    block = BLOCK.replace('"base": "../.."', json.dumps({"base": base_url})[1:-1])
    assert _config_of(book.search_config(block, base_url, language))["base"] == base


def test_config_stays_safe_inside_a_script_element() -> None:
    block = BLOCK.replace('"tags": null', '"tags": "\\u003c/script\\u003e\\u003cb\\u003e"')  # as `tojson` writes it
    out = str(book.search_config(block, "../..", "en"))
    assert out.count("</script>") == 1 and "<b>" not in out
    assert _config_of(out)["tags"] == "</script><b>"


def test_a_theme_without_the_config_script_is_an_error() -> None:
    with pytest.raises(book.PluginError, match="no <script id=\"__config\">"):
        book.search_config("<script>{}</script>", ".", "en")


# --- what the book relies on in the installed theme --------------------------------------------

def _one(pattern: str) -> str:
    found = sorted(MATERIAL.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {MATERIAL}, found {found}"
    return found[0].read_text(encoding="utf-8")


def test_material_loads_the_index_relative_to_the_config_base() -> None:
    bundle = _one("assets/javascripts/bundle.*.min.js")
    assert re.search(r'new URL\("search/search_index\.json",\w+\.base\)', bundle), (
        "Material's script no longer fetches search/search_index.json relative to __config.base: "
        "Chinese pages would load the English index (see search_config in hooks/book.py)")
    assert re.search(r"\{type:2,data:\w+\}", bundle), "a query is no longer sent to the worker as {type: 2, data}"


def test_material_starts_its_worker_from_the_config_and_it_segments_chinese_queries() -> None:
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert re.search(r'"search": "assets/javascripts/workers/search\.\w+\.min\.js" \| url', base)
    worker = _one("assets/javascripts/workers/search.*.min.js")
    assert 'addEventListener("message"' in worker
    assert "\\p{sc=Han}+" in worker and "invertedIndex" in worker, "the worker no longer segments Chinese queries"
    assert 'e="../lunr"' in worker, "the worker no longer finds lunr's language files next to its own folder"


def test_the_wrapper_hands_queries_on_with_each_chinese_run_ended() -> None:
    source = WRAPPER.read_text(encoding="utf-8")
    assert "QUERY_MESSAGE = 2" in source and 'RUN_END = "\\u3007"' in source
    assert source.rstrip().endswith('importScripts(new URL(location.href).searchParams.get("material"))')


# --- the built site's indexes ------------------------------------------------------------------

def _index(site: Path, lang: str) -> dict[str, Any]:
    folder = site / ("zh/" if lang == "zh" else "") / "search"
    return json.loads((folder / "search_index.json").read_text(encoding="utf-8"))


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.docs
def test_each_language_has_an_index_of_its_own_pages(built_site: Path) -> None:
    en, zh = _index(built_site, "en"), _index(built_site, "zh")
    assert en["config"]["lang"] == ["en"] and "zh" in zh["config"]["lang"]
    en_pages = {d["location"].split("#")[0] for d in en["docs"]}
    zh_pages = {d["location"].split("#")[0] for d in zh["docs"]}
    expected = {"" if name == "index" else f"{name}/" for name in PAGES}
    assert en_pages == expected and zh_pages == expected  # zh locations are from zh/, where Chinese pages search
    assert not any(HAN.search(d["title"]) for d in en["docs"]), "Chinese titles in the English index"
    titled = [d for d in zh["docs"] if d["location"] in ("", "backprop/")]
    assert titled and all(HAN.search(d["title"]) for d in titled)
    assert not any("\u3007" in d["text"] or "\u3007" in d["title"] for d in zh["docs"])  # the wrapper's end mark
    # the API reference's sections keep their Chinese page's entries (not dropped as "duplicates" of English ones)
    assert sum(d["location"].startswith("api/") for d in zh["docs"]) == sum(
        d["location"].startswith("api/") for d in en["docs"])


@pytest.mark.docs
def test_chinese_pages_point_their_search_at_the_chinese_index(built_site: Path) -> None:
    for page, base in (("zh/backprop/index.html", "../../zh/"), ("zh/index.html", "../zh/"),
                       ("backprop/index.html", ".."), ("index.html", ".")):
        config = _config_of((built_site / page).read_text(encoding="utf-8"))
        assert config["base"] == base, page
        worker = config["search"].split("?")[0]
        assert (built_site / page).parent.joinpath(worker).resolve() == (
            built_site / "assets/javascripts/workers/search-whole-words.js").resolve()
        assert (built_site / "assets/javascripts/workers" / config["search"].split("=")[1]).is_file()


def test_unique_assets_keeps_the_first_of_each() -> None:
    assert book.unique_assets(["a.css", "b.css", "a.css", "c.css", "b.css"]) == ["a.css", "b.css", "c.css"]
    assert book.unique_assets([]) == []
