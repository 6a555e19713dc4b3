"""Every page has an English and a Chinese version with the same structure.

Prose is written separately for each language, but the two versions must
share headings (by id), display equations, tables, exercises and, exactly,
the code they execute. This is what keeps the editions from drifting apart.
The numbers written in the prose of each section must agree as well (see
``test_twins_state_the_same_numbers``).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
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


# --------------------------------------------------------------------------
# Numbers in the prose: each section of a Chinese page states the same numbers as its English twin.
# --------------------------------------------------------------------------
#
# tests/test_prose_claims.py ties the English sentences that state a computed result to the value the
# page prints; nothing else would notice a Chinese twin that says "约 34 ms" where the English says
# "about 17 ms". The pages are split at their headings and the sections paired by their {#id}
# anchors, which twins share; within a pair the numbers written with digits in the prose must agree.
#
# The rule, settled by measuring the real pages:
#
# * A number other than a whole number from 0 to 9 occurs equally often in the two sections (equal
#   multisets). Decimals, negative numbers, percentages, counts, sizes, years: the languages have no
#   reason to differ, and on the pages they never do.
# * A whole number from 0 to 9 is a matter of style as often as of value: English spells small numbers
#   out ("a column of ones", "four of which", "nine numbers where there should be three", "the twos"),
#   Chinese often writes digits ("全 1 列向量", "其中 4 个", "9 个"), or the other way round ("从三次到
#   四次" for "from degree 3 to degree 4"). Equal multisets would flag 18 sections of the real pages,
#   every one a word against a digit. So each time such a number is written with digits in one
#   language, the other must write it too, with digits or as a number word: English zero ... nine,
#   their plurals and ordinals, once, twice, thrice; a Chinese numeral 零〇一二两三四五六七八九.
#   Counted, not merely present: three "3" in the Chinese need three 3s, threes or thirds in the
#   English. (Chinese numerals are counted by character, so 一 in 一个 counts too: lenient for 1 and 2.)
#
# Number words are otherwise out of scope: they are only read to excuse a small digit as above,
# "ten", "twelve", "a dozen", "几十" or "九成" are not read as numbers, and a small number stated in
# words in both languages is not compared. What is read: digits in prose (code blocks, inline code,
# maths, HTML comments and tags with their attributes, link targets, attribute lists and heading
# anchors, footnote markers, citation keys and URLs are masked first), full-width digits as ASCII,
# "1,000", "1 000" and "1000" as one number, ".5" as 0.5, "95 %", "95%" and "95％" as 95, a range
# "17–34" as 17 and 34, a minus sign ("−0.5") kept; "86 billion" and "860 亿", "1.2 million" and
# "120 万" as the same value; "20 世纪 80 年代" as the 1980s. Digits glued to a preceding Latin letter
# (CA3, L2, float32) are part of a name, not a number.
#
# Where the two languages legitimately differ, an entry in NUMBER_ALLOWLIST says so with a reason;
# test_every_number_allowlist_entry_is_still_needed fails on an entry that no longer matches anything.

NUMBER_ALLOWLIST: dict[tuple[str, str, str], str] = {
    # (page, section id, number): why the two languages differ there
    ("digits", "training", "90"): "Chinese says 九成以上 (more than nine tenths) for English 'well over 90 %'",
    ("references", "top", "7714"): "the Chinese page names its citation standard, GB/T 7714—2015",
    ("references", "top", "2015"): "the Chinese page names its citation standard, GB/T 7714—2015",
}

_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_SECTION_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>.*?)[ \t]*$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_MASKS = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments (<!-- bibliography -->)
    re.compile(r"<(script|style|code|pre|svg)\b.*?</\1\s*>", re.S | re.I),  # HTML elements that are not prose
    re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S),  # inline code, may wrap a line
    re.compile(r"\$\$.*?\$\$", re.S),  # display maths
    re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\\n]|\n(?![ \t]*\n))+?\$"),  # inline maths, may wrap a line
    re.compile(r"\]\([^)\n]*\)"),  # link and image targets
    re.compile(r"^[ \t]*\*?\[[^\]\n]+\]:[ \t].*$", re.M),  # reference definitions, abbreviations, footnotes
    re.compile(r"\[\^[^\]\n]*\]"),  # footnote markers
    re.compile(r"\{[^{}\n]*\}"),  # attribute lists and heading anchors
    re.compile(r"<[^<>\n]+>"),  # HTML tags with their attributes
    re.compile(r"https?://\S+"),  # bare URLs
    re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"),  # character entities
    re.compile(r"-?@[A-Za-z0-9_:.-]*[A-Za-z0-9_]"),  # citation keys (@hebb1949), locators stay
    re.compile(r'--8<--\s*"[^"\n]*"'),  # snippet includes
]
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])(?:(?P<minus>[−-])(?=\.?\d))?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.])|\d*\.\d+|\d+)"
)
_SCALE = re.compile(r"[ \t\u00a0]*(thousand|million|billion|trillion|千|万|亿)(?![A-Za-z])")
_SCALE_EXPONENT = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "千": 3, "万": 4, "亿": 8}
_DECADES = re.compile(r"(\d{1,2})[ \t]*世纪[ \t]*(\d0(?:[ \t]*、[ \t]*\d0)*)[ \t]*年代")
SMALL = range(10)  # the whole numbers English style spells out, and Chinese writes as 一 ... 九 or digits
_EN_WORDS = (  # the words for 0, 1, ..., 9
    "zero|zeros|zeroes one|ones|once|first two|twos|twice|second three|threes|thrice|third four|fours|fourth "
    "five|fives|fifth six|sixes|sixth seven|sevens|seventh eight|eights|eighth nine|nines|ninth"
).split()
_ZH_NUMERALS = ["零〇", "一", "二两", "三", "四", "五", "六", "七", "八", "九"]


def _masked_prose(text: str) -> str:
    """`text` with everything that is not prose replaced by a space (code blocks must already be gone)."""
    for mask in _MASKS:
        text = mask.sub(" ", text)
    return text


def prose_sections(text: str) -> dict[str, str]:
    """The page's sections by heading id (the text before the first heading under ''), code blocks removed.

    A section runs from its heading (whose title is prose too) to the next heading of any level.
    """
    sections: dict[str, list[str]] = {}
    key, fence = "", ""
    for line in text.split("\n"):
        fence_match = _FENCE_LINE.match(line)
        if fence:
            if fence_match and line.strip() == fence_match[1] and fence_match[1].startswith(fence):
                fence = ""
            continue
        if fence_match:
            fence = fence_match[1]
            continue
        heading = _SECTION_HEADING.match(line)
        if heading:
            anchor = HEADING_ID.search(heading["title"])
            key = anchor[1] if anchor else f"(no id) {heading['title']}"
        sections.setdefault(key, []).append(line)
    return {key: "\n".join(lines) for key, lines in sections.items()}


def _number_key(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}" if value == value.to_integral_value() else str(value)


def prose_numbers(section: str) -> Counter[str]:
    """The numbers written with digits in the prose of `section`, normalised (see the notes above)."""
    text = _masked_prose(section).translate(_FULL_WIDTH)
    text = _DECADES.sub(
        lambda m: "、".join(f"{(int(m[1]) - 1) * 100 + int(d)}s" for d in re.findall(r"\d+", m[2])), text
    )
    numbers: Counter[str] = Counter()
    for m in _NUMBER.finditer(text):
        value = Decimal(re.sub(r"[^\d.]", "", m["digits"]))
        scale = _SCALE.match(text, m.end())
        if scale:
            value = value.scaleb(_SCALE_EXPONENT[scale[1]])
        numbers[_number_key(-value if m["minus"] and value else value)] += 1
    return numbers


def _is_small(number: str) -> bool:
    return number.isdigit() and int(number) in SMALL


def spelt_small_numbers(section: str, language: str) -> Counter[str]:
    """How often each small number (0 to 9) is written as a word in the prose of `section`.

    English: the words of ``_EN_WORDS``; Chinese (``language="zh"``): the numerals of ``_ZH_NUMERALS``,
    each character counted wherever it occurs.
    """
    text = _masked_prose(section)
    if language == "en":
        words = Counter(re.findall(r"[a-z]+", text.lower()))
        return Counter({str(n): sum(words[w] for w in forms.split("|")) for n, forms in enumerate(_EN_WORDS)})
    return Counter({str(n): sum(text.count(c) for c in chars) for n, chars in enumerate(_ZH_NUMERALS)})


@dataclass(frozen=True)
class NumberMismatch:
    section: str
    number: str
    en: int
    zh: int

    def __str__(self) -> str:
        return f"#{self.section}: {self.number} occurs {self.en}× in the English prose, {self.zh}× in the Chinese"


def number_mismatches(en_text: str, zh_text: str) -> list[NumberMismatch]:
    """Where the prose numbers of two twin pages disagree, section by section (heading ids pair them)."""
    en_sections, zh_sections = prose_sections(en_text), prose_sections(zh_text)
    mismatches = []
    for key in list(en_sections) + [k for k in zh_sections if k not in en_sections]:
        en_part, zh_part = en_sections.get(key, ""), zh_sections.get(key, "")
        en, zh = prose_numbers(en_part), prose_numbers(zh_part)
        en_words, zh_words = spelt_small_numbers(en_part, "en"), spelt_small_numbers(zh_part, "zh")
        for number in sorted(en.keys() | zh.keys(), key=Decimal):
            if _is_small(number):
                differ = en[number] > zh[number] + zh_words[number] or zh[number] > en[number] + en_words[number]
            else:
                differ = en[number] != zh[number]
            if differ:
                mismatches.append(NumberMismatch(key, number, en[number], zh[number]))
    return mismatches


def _page_number_mismatches(page: Path) -> list[NumberMismatch]:
    return number_mismatches(page.read_text(encoding="utf-8"), twin(page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_twins_state_the_same_numbers(page: Path) -> None:
    """Each section states the same numbers in both languages (the rule is in the comment above)."""
    wrong = [m for m in _page_number_mismatches(page) if (page.stem, m.section, m.number) not in NUMBER_ALLOWLIST]
    assert not wrong, f"{page.name} and its Chinese twin state different numbers:\n" + "\n".join(map(str, wrong))


@pytest.mark.parametrize("entry", sorted(NUMBER_ALLOWLIST), ids=lambda e: "-".join(e))
def test_every_number_allowlist_entry_is_still_needed(entry: tuple[str, str, str]) -> None:
    page, section, number = entry
    found = {(m.section, m.number) for m in _page_number_mismatches(DOCS / f"{page}.md")}
    assert (section, number) in found, f"NUMBER_ALLOWLIST entry {entry} no longer matches a difference: remove it"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("1,000 and 1 000 and 1000 and 1\u202f000", {"1000": 4}),
        ("0.5 and .5 and 0.50, but not v1.2.3", {"0.5": 3}),
        ("95 % 95% 95％ and ９５％", {"95": 4}),
        ("about 17–34 ms; 0.5–2 m/s", {"17": 1, "34": 1, "0.5": 1, "2": 1}),
        ("rest at −70 mV, a gain of -0.5; a 2-3-1 network; 1e-3", {"-70": 1, "-0.5": 1, "2": 1, "3": 2, "1": 2}),
        ("约 860 亿个神经元，120 万张图像", {"86000000000": 1, "1200000": 1}),
        ("about 86 billion neurons, 1.2 million images", {"86000000000": 1, "1200000": 1}),
        ("20 世纪 70、80 年代，20 世纪", {"1970": 1, "1980": 1, "20": 1}),
        ("the 1970s and 1980s, the 20th century", {"1970": 1, "1980": 1, "20": 1}),
        ("CA3, L2 and float32 are names; 64-128-10 is not", {"64": 1, "128": 1, "10": 1}),
    ],
)
def test_prose_numbers_normalises_what_it_reads(text: str, numbers: dict[str, int]) -> None:
    assert prose_numbers(text) == Counter(numbers)


def test_prose_numbers_reads_prose_only() -> None:
    page = """# Title 1 {#top data-n="2"}

Prose 3 `code 4` $x = 5$ and
$$
y = 6
$$
a [link 7](page8.md#s9) ![alt 10](img11.svg){ width="12" } <span title="13">14</span>
<!-- comment 15 --> [@hebb1949, ch. 16] @kandel2021 [^17] https://example.org/18

```python exec="1" id="block19"
print(20)
```

    ```text
    21
    ```

Inline maths that wraps $z = 22 +
23$ and inline code that wraps `a 24
b`, then 25.

[^17]: A footnote 26.
"""
    assert prose_numbers("\n".join(prose_sections(page).values())) == Counter(["1", "3", "7", "10", "14", "16", "25"])


def test_sections_are_split_at_headings_and_paired_by_id() -> None:
    page = "# A {#a}\n\nIntro 1.\n\n## B {#b}\n\nText 2.\n\n```\n## not a heading {#c}\n```\n\n### C {#c}\n\n3\n"
    assert {k: sorted(prose_numbers(v)) for k, v in prose_sections(page).items()} == {
        "a": ["1"],
        "b": ["2"],
        "c": ["3"],
    }


def test_number_check_bites() -> None:
    """A synthetic twin pair whose numbers differ is caught, in each class of number the rule knows."""
    en = """# Timing {#timing}

The spike lasts about 17 ms at 6.3 °C; there are three gates and 2 currents.

## Range {#range}

Rates go up to 100 Hz, in 2 regimes.
"""
    zh = """# 时间 {#timing}

脉冲持续约 34 ms，温度 6.3 °C；共有 4 个门控变量、2 种电流，每 2 个一组。

## 范围 {#range}

频率最高为每秒 100 次、100 Hz，分两种情形。
"""
    assert [str(m) for m in number_mismatches(en, zh)] == [
        "#timing: 2 occurs 1× in the English prose, 2× in the Chinese",
        "#timing: 4 occurs 0× in the English prose, 1× in the Chinese",
        "#timing: 17 occurs 1× in the English prose, 0× in the Chinese",
        "#timing: 34 occurs 0× in the English prose, 1× in the Chinese",
        "#range: 100 occurs 1× in the English prose, 2× in the Chinese",
    ]
    # the same pages with the numbers put right pass; "three" against "3" and "两" against "2" are fine
    fixed = zh.replace("34", "17").replace("4 个", "3 个").replace("每 2 个", "两个").replace("100 次、", "一百次、")
    assert number_mismatches(en, fixed) == []
    # a number that moved to another section is a difference in both
    moved = en.replace("17 ms", "a while").replace("100 Hz", "100 Hz, after 17 ms")
    assert {(m.section, m.number) for m in number_mismatches(moved, fixed)} == {("timing", "17"), ("range", "17")}

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
