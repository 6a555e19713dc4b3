"""Every page has an English and a Chinese version with the same structure.

Prose is written separately for each language, but the two versions must
share headings (by id), display equations, tables, exercises and, exactly,
the code they execute. This is what keeps the editions from drifting apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "hooks"))
from book import switch_target, twin_problems  # noqa: E402

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.M | re.S
)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
HEADING_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")


def english_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md") and "snippets" not in p.parts)


def twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".zh.md")


def strip_code(text: str) -> str:
    return FENCE.sub("", text)


def executed_blocks(text: str) -> list[tuple[str, str]]:
    blocks = []
    for match in FENCE.finditer(text):
        if "exec=" in match["info"]:
            indent = match["indent"]
            lines = match["body"].splitlines()
            body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines)
            blocks.append((match["info"].strip(), body.strip()))
    return blocks


def structure(text: str) -> dict[str, object]:
    prose = strip_code(text)
    headings = HEADING.findall(prose)
    return {
        "heading ids": [(len(level), (HEADING_ID.search(title) or [None, None])[1]) for level, title in headings],
        "display equations": prose.count("$$"),
        "tables": len(re.findall(r"^\s*\|?\s*:?-{3,}:?\s*\|", prose, re.M)),
        "collapsed solutions": len(re.findall(r"^\s*\?\?\?\+?\s", prose, re.M)),
        "admonitions": len(re.findall(r"^\s*(!!!|\?\?\?)", prose, re.M)),
        "snippet includes": sorted(re.findall(r'--8<--\s+"([^"]+)"', text)),
    }


PAGES = english_pages()


def test_every_page_has_its_twin() -> None:
    assert twin_problems(DOCS) == []


def test_twin_check_notices_a_missing_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "b.zh.md").write_text("# B\n")
    (tmp_path / "c.md").write_text("# C\n")
    (tmp_path / "c.zh.md").write_text("# C\n")
    assert twin_problems(tmp_path) == ["a.md has no twin a.zh.md", "b.zh.md has no twin b.md"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_twins_have_the_same_structure(page: Path) -> None:
    en, zh = structure(page.read_text(encoding="utf-8")), structure(twin(page).read_text(encoding="utf-8"))
    for key in en:
        assert en[key] == zh[key], f"{page.name} and its Chinese twin differ in {key}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_section_heading_has_a_stable_id(page: Path) -> None:
    for path in (page, twin(page)):
        for level, heading_id in structure(path.read_text(encoding="utf-8"))["heading ids"]:  # type: ignore[misc]
            assert heading_id, f"{path.name}: a level-{level} heading has no explicit {{#id}}"


# That the twins run the same code (strings and comments aside, which are in each page's language)
# is checked by tests/test_code_language.py.


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_executed_block_has_a_unique_id(page: Path) -> None:
    infos = [info for info, _ in executed_blocks(page.read_text(encoding="utf-8"))]
    ids = [re.search(r'\bid="([^"]+)"', info) for info in infos]
    assert all(ids), f"{page.name}: an executed block has no id: {infos}"
    names = [m[1] for m in ids if m]
    assert len(names) == len(set(names)), f"{page.name}: duplicate block ids {names}"


REFERENCE_PAGES = {"api", "notation", "references", "performance"}
CHAPTERS = [p for p in PAGES if p.stem not in REFERENCE_PAGES]


@pytest.mark.parametrize("page", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_chapter_ends_with_graded_exercises(page: Path) -> None:
    """At least three exercises, each with a worked solution in a collapsed block."""
    for path in (page, twin(page)):
        text = strip_code(path.read_text(encoding="utf-8"))
        assert re.search(r"^## .*\{#exercises\}", text, re.M), f"{path.name} has no Exercises section"
        exercises = text[re.search(r"^## .*\{#exercises\}", text, re.M).end():]
        exercises = re.split(r"^## ", exercises, maxsplit=1, flags=re.M)[0]
        assert len(re.findall(r"^\s*\?\?\?\s+success", exercises, re.M)) >= 3, f"{path.name}: fewer than 3 solutions"


SWITCH_CASES = [
    # (site_url, what mkdocs-static-i18n gives, page or None for 404.html, expected link from the site root)
    (None, {"lang": "zh", "link": "zh/backprop/"}, "page", "zh/backprop/"),
    ("https://example.org/book/", {"lang": "en", "link": "backprop/"}, "page", "backprop/"),
    (None, {"lang": "en", "link": "/"}, "page", "./"),  # the home pages: the languages' roots, absolute
    (None, {"lang": "zh", "link": "/zh/"}, "page", "zh/"),
    ("https://example.org/book/", {"lang": "en", "link": "/book/"}, "page", "./"),
    ("https://example.org/book/", {"lang": "zh", "link": "/book/zh/"}, "page", "zh/"),
    ("https://example.org/a/b", {"lang": "zh", "link": "/a/b/zh/"}, "page", "zh/"),
    # the 404 page, served at any depth: the home pages, absolute under site_url's path, whatever the link says
    ("https://example.org/book/", {"lang": "zh", "link": "zh/api/"}, None, "/book/zh/"),
    ("https://example.org/book/", {"lang": "en", "link": "api/"}, None, "/book/"),
    (None, {"lang": "zh", "link": "zh/api/"}, None, "/zh/"),
    ("https://example.org", {"lang": "en", "link": "/"}, None, "/"),
]


# (the parameter is not called `site_url`: that name is the fixture serving the built book)
@pytest.mark.parametrize(("address", "alternate", "page", "expected"), SWITCH_CASES)
def test_language_switch_links_from_the_site_root(address: str | None, alternate: dict, page: str | None,
                                                  expected: str) -> None:
    assert switch_target(alternate, page, site_url=address) == expected
