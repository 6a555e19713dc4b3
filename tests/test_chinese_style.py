"""Chinese house style on every Chinese page, checked at the source.

The rules (CONTRIBUTING.md, "Chinese typography"; /work/shared/STYLE.md):

* quotation marks are “ ” and ‘ ’ (GB/T 15834), never 「」 or 『』, in prose
  and in the Chinese strings of code, on all pages (English pages carry the
  Chinese strings of their code blocks too) and in ``docs_src/``;
* no "et al.", "and" or "&" between names inside a Chinese sentence (等, 和);
* one Chinese term per concept, from ``docs_src/termbase.tsv``: no forbidden
  variant anywhere, and where a Chinese term is introduced with its English
  in parentheses, the Chinese is the termbase's term for that English;
* the glossary on the notation pages is exactly the termbase;
* exercise sub-labels are （a）, never (a), in Chinese text;
* no space between a number and % in Chinese prose.

Every check runs on prose only (code blocks, inline code, maths, link targets
and HTML comments are masked first) unless it says otherwise, and every check
has a deliberately broken example below that it must reject, so a check that
matches nothing cannot pass silently.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TERMBASE = ROOT / "docs_src" / "termbase.tsv"
ZH_PAGES = sorted(DOCS.glob("*.zh.md"))
# English pages carry Chinese too: the t() strings of their code blocks and the glossary.
ALL_PAGES = sorted(DOCS.glob("*.md"))
DOCS_SRC_PY = sorted((ROOT / "docs_src").rglob("*.py"))

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = re.compile(f"[{CJK}]")
GLOSSARY_SECTIONS = ["brain", "plasticity", "networks", "training", "memory", "code"]


# --------------------------------------------------------------------------
# Masking: keep line numbers, blank out everything that is not prose.
# --------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def mask_markdown(text: str) -> str:
    """Return `text` with code, maths, link targets and comments replaced by spaces.

    Every character keeps its offset (masked ones become spaces), so line
    numbers and positions in the masked text are those of the page.
    """
    out_lines = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(2)[0] * len(m.group(2))
            out_lines.append(" " * len(line))
            continue
        if fence is not None:
            if m and m.group(2).startswith(fence):
                fence = None
            out_lines.append(" " * len(line))
            continue
        out_lines.append(line)
    masked = "\n".join(out_lines)

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    masked = re.sub(r"<!--.*?-->", blank, masked, flags=re.S)
    masked = re.sub(r"\$\$.*?\$\$", blank, masked, flags=re.S)
    masked = re.sub(r"(?<!\\)\$[^$\n]+?(?<!\\)\$", blank, masked)
    masked = re.sub(r"`[^`\n]*`", blank, masked)
    masked = re.sub(r"\]\([^)\n]*\)", lambda m: "]" + " " * (len(m.group(0)) - 1), masked)
    masked = re.sub(r"\{[#:][^}\n]*\}", blank, masked)
    masked = re.sub(r"<[^>\n]+>", blank, masked)
    masked = re.sub(r"https?://\S+", blank, masked)
    masked = re.sub(r"&[a-z]+;|&#\d+;", blank, masked)
    return masked


@dataclass(frozen=True)
class Hit:
    page: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text.strip()[:120]}"


def _hits(pattern: re.Pattern[str], text: str, page: str, line_filter=None) -> list[Hit]:
    hits = []
    lines = text.split("\n")
    for m in pattern.finditer(text):
        lineno = text.count("\n", 0, m.start()) + 1
        line = lines[lineno - 1]
        if line_filter is None or line_filter(line):
            hits.append(Hit(page, lineno, line))
    return hits


# --------------------------------------------------------------------------
# The checks, each a function of (text, page name) -> list of hits.
# --------------------------------------------------------------------------

CORNER_QUOTES = re.compile("[「」『』]")


def check_quotes(text: str, page: str) -> list[Hit]:
    """「」『』 anywhere in the file, code strings included."""
    return _hits(CORNER_QUOTES, text, page)


# A Chinese sentence: a stretch of a prose line between sentence-final marks.
_SENTENCE_SPLIT = re.compile(r"[。！？；]")
_ET_AL = re.compile(r"\bet al\b\.?")
_BIB_ENTRY = re.compile(r"^\s*(?:[*-]\s+)?[A-Z][\w'’-]+(?: [a-z]+)?, (?:[A-Z]\.|[A-Z][a-z]+,)")
_AMP_OR_AND = re.compile(r"[A-Z][\w'’.-]*,?\s*(?:&|\band\b)\s*[A-Z]")


def check_latin_conjunctions(text: str, page: str) -> list[Hit]:
    """ "et al.", or "&"/"and" between two names, inside a sentence that contains Chinese."""
    masked = mask_markdown(text)
    hits = []
    for lineno, line in enumerate(masked.split("\n"), start=1):
        if _BIB_ENTRY.match(line):
            continue  # an English bibliography entry keeps its own "&", even with a note in Chinese
        for sentence in _SENTENCE_SPLIT.split(line):
            if not CJK_RE.search(sentence):
                continue
            if _ET_AL.search(sentence) or _AMP_OR_AND.search(sentence):
                hits.append(Hit(page, lineno, sentence))
    return hits


@dataclass(frozen=True)
class Term:
    id: str
    en: str
    zh: str
    forbidden: tuple[str, ...]


def load_termbase(path: Path = TERMBASE) -> list[Term]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    reader = csv.reader(rows, delimiter="\t")
    header = next(reader)
    assert header == ["id", "en", "zh", "forbidden"], header
    terms = []
    for row in reader:
        assert len(row) == 4, f"termbase row must have 4 tab-separated columns: {row}"
        forbidden = tuple(v for v in row[3].split("|") if v)
        terms.append(Term(row[0], row[1], row[2], forbidden))
    return terms


# Words that contain a forbidden variant but mean something else:
# 充放电 is a capacitor charging and discharging, not a neuron firing (放电).
NOT_VARIANTS = ("充放电",)


def check_forbidden_terms(text: str, page: str, terms: list[Term]) -> list[Hit]:
    """A forbidden variant anywhere (code strings included), after masking the
    preferred terms that contain it (so 长短期记忆 does not count as 短期记忆)
    and the words in `NOT_VARIANTS`."""
    preferred = sorted({t.zh for t in terms} | set(NOT_VARIANTS), key=len, reverse=True)
    variants = [v for t in terms for v in t.forbidden]
    shields = [zh for zh in preferred if any(v in zh for v in variants)]  # longest first
    hits = []
    lines = text.split("\n")
    for lineno, line in enumerate(lines, start=1):
        shielded = line
        for zh in shields:
            shielded = shielded.replace(zh, "\0" * len(zh))
        for t in terms:
            for variant in t.forbidden:
                if variant in shielded:
                    hits.append(Hit(page, lineno, f"{variant!r} (use {t.zh!r} for {t.en!r}): {line}"))
    return hits


_PAREN_EN = re.compile(r"([^\s（]{0,12})（([A-Za-z][A-Za-z' -]*?)(?:[，,；;][^）]*)?）")


def _base_en(en: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", en).strip().lower()


def check_introduced_terms(text: str, page: str, terms: list[Term]) -> list[Hit]:
    """Where Chinese is followed by its English in parentheses, e.g.
    反向传播（backpropagation）, the English names a termbase concept only if
    the Chinese just before it ends with that concept's term."""
    by_en: dict[str, Term] = {}
    for t in terms:
        by_en[_base_en(t.en)] = t
    # Keep link texts, drop link targets: [霍普菲尔德网络](hopfield.md)（Hopfield network）.
    masked = mask_markdown(re.sub(r"\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text))
    hits = []
    for lineno, line in enumerate(masked.split("\n"), start=1):
        for m in _PAREN_EN.finditer(line):
            en = m.group(2).strip().lower()
            term = by_en.get(en) or (by_en.get(en[:-1]) if en.endswith("s") else None)
            if term is None:
                continue
            before = m.group(1).replace("*", "")
            if not before.endswith(term.zh):
                hits.append(Hit(page, lineno, f"{before}（{m.group(2)}） should be {term.zh}（…）: {line}"))
    return hits


# a label before punctuation, a Chinese character or the end of a line, or one that starts a line ("    (a) 9 次…")
_ASCII_LABEL = re.compile(
    r"(?<![\w\\$])\([a-h]\)(?=\s*[^\s\w]|\s*[" + CJK + r"]|\s*$)|^[ \t>]*\([a-h]\)(?=[ \t])", re.MULTILINE
)


def check_exercise_labels(text: str, page: str) -> list[Hit]:
    """Sub-labels (a), (b) … written with ASCII parentheses in a Chinese line."""
    masked = mask_markdown(text)
    return _hits(_ASCII_LABEL, masked, page, line_filter=lambda line: bool(CJK_RE.search(line)))


_PERCENT_SPACE = re.compile(r"\d[ \u00a0\u2009\u202f]+%")


def check_percent(text: str, page: str) -> list[Hit]:
    """A space between a number and % in Chinese prose (write 90%)."""
    masked = mask_markdown(text)
    return _hits(_PERCENT_SPACE, masked, page)


# --------------------------------------------------------------------------
# Tests over the real pages.
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    return load_termbase()


def _fail(hits: list[Hit], what: str) -> None:
    if hits:
        listing = "\n".join(str(h) for h in hits[:60])
        pytest.fail(f"{len(hits)} {what}:\n{listing}")


def test_there_are_chinese_pages() -> None:
    assert len(ZH_PAGES) >= 20


@pytest.mark.parametrize("path", ALL_PAGES + DOCS_SRC_PY, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_corner_quotes(path: Path) -> None:
    _fail(check_quotes(path.read_text(encoding="utf-8"), path.name), "corner quotes 「」『』 (use “ ” and ‘ ’)")


@pytest.mark.parametrize("path", ZH_PAGES, ids=lambda p: p.name)
def test_no_latin_conjunctions_in_chinese_sentences(path: Path) -> None:
    _fail(
        check_latin_conjunctions(path.read_text(encoding="utf-8"), path.name),
        "Chinese sentences with et al./and/& (use 等 and 和)",
    )


@pytest.mark.parametrize("path", ALL_PAGES + DOCS_SRC_PY, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_forbidden_term_variants(path: Path, terms: list[Term]) -> None:
    _fail(
        check_forbidden_terms(path.read_text(encoding="utf-8"), path.name, terms),
        "forbidden term variants (docs_src/termbase.tsv)",
    )


@pytest.mark.parametrize("path", ZH_PAGES, ids=lambda p: p.name)
def test_terms_introduced_with_english_use_the_termbase(path: Path, terms: list[Term]) -> None:
    _fail(
        check_introduced_terms(path.read_text(encoding="utf-8"), path.name, terms),
        "terms introduced with a Chinese word other than the termbase's",
    )


@pytest.mark.parametrize("path", ZH_PAGES, ids=lambda p: p.name)
def test_exercise_labels_use_full_width_parentheses(path: Path) -> None:
    _fail(
        check_exercise_labels(path.read_text(encoding="utf-8"), path.name),
        "ASCII labels (a) in Chinese text (use （a）)",
    )


@pytest.mark.parametrize("path", ZH_PAGES, ids=lambda p: p.name)
def test_no_space_before_percent(path: Path) -> None:
    _fail(check_percent(path.read_text(encoding="utf-8"), path.name), "spaces between a number and % (write 90%)")


def test_termbase_is_well_formed(terms: list[Term]) -> None:
    ids = [t.id for t in terms]
    assert len(ids) == len(set(ids)), "duplicate concept ids"
    zh = [t.zh for t in terms]
    assert len(zh) == len(set(zh)), "two concepts share one Chinese term"
    for t in terms:
        assert t.id.split(".")[0] in GLOSSARY_SECTIONS, t.id
        assert t.zh not in t.forbidden, t
        for other in terms:
            assert other.zh not in t.forbidden, f"{other.zh!r} is both a term and forbidden for {t.en!r}"
    # The conflicts named in issue 8 are decided here.
    decided = {t.en: t for t in terms}
    for en, variant in [
        ("hippocampus", "海马体"),
        ("Dale's principle", "Dale 原则"),
        ("replay", "重放"),
        ("package (software)", "程序包"),
        ("batch", "批次"),
        ("fire (a spike)", "放电"),
        ("content-addressable memory", "内容寻址存储器"),
        ("credit assignment", "功劳分配"),
    ]:
        assert variant in decided[en].forbidden, (en, variant)
    assert decided["epoch"].zh != decided["sweep (one update of every unit)"].zh


def _glossary_rows(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Rows of the glossary tables, by section id (``glossary-<section>``)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("{#glossary}")
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    zh_first = False
    for line in text[start:].splitlines():
        m = re.match(r"^###\s.*\{#glossary-([\w-]+)\}", line)
        if m:
            current = m.group(1)
            sections[current] = []
            continue
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current and line.startswith("|") and len(cells) == 2 and not set(cells[0]) <= set(":- "):
            if cells in (["English", "中文"], ["中文", "English"]):
                zh_first = cells[0] == "中文"
                continue
            sections[current].append((cells[1], cells[0]) if zh_first else (cells[0], cells[1]))
    return sections


SECTION_IDS = {
    "brain": "brain",
    "plasticity": "plasticity",
    "networks": "networks",
    "training": "training",
    "memory": "memory-models",
    "code": "code",
}


@pytest.mark.parametrize("page", ["notation.md", "notation.zh.md"])
def test_glossary_is_the_termbase(page: str, terms: list[Term]) -> None:
    rows = _glossary_rows(DOCS / page)
    expected = {SECTION_IDS[s]: [(t.en, t.zh) for t in terms if t.id.split(".")[0] == s] for s in GLOSSARY_SECTIONS}
    assert rows == expected


# --------------------------------------------------------------------------
# Each check must reject a deliberately wrong example (and accept a right one).
# --------------------------------------------------------------------------

BAD_PAGE = """# 示例

这是「错误」的引号。

Amit et al.（1985）证明了这一点。后来 Bliss & Lømo（1973）发现了 LTP。

Hopfield and Tank 的网络很有名。

海马体（hippocampus）是重要的脑区。网络每一**轮**（sweep）更新全部神经元。

**1.（手算）** (a) 求极小点。(b) 比较两者。

准确率超过 90 % 之后不再上升。

    (c) 9 次多项式有 10 个系数。
"""

GOOD_PAGE = """# 示例

这是“正确”的引号，‘内层’也对。

Amit 等（1985）证明了这一点。后来 Bliss 和 Lømo（1973）发现了 LTP。

海马（hippocampus）是重要的脑区。网络每一**遍**（sweep）更新全部神经元，长短期记忆（LSTM）例外。

**1.（手算）** （a）求极小点。（b）比较两者，$f(a)$ 与 `g(b)` 不是标签。

准确率超过 90% 之后不再上升。

```python
print("Bliss & Lømo et al. (a) 90 %")
```

* Bliss, T. V. P., & Lømo, T. (1973). Long-lasting potentiation. *J. Physiol.*

Goodfellow, I., Bengio, Y., & Courville, A. (2016). *Deep Learning*. MIT Press. 中文版：《深度学习》

模型把膜看成电容，由三种电流为它充放电。
"""


def test_checks_reject_a_bad_page_and_accept_a_good_one(terms: list[Term]) -> None:
    bad = {
        "quotes": check_quotes(BAD_PAGE, "bad"),
        "conjunctions": check_latin_conjunctions(BAD_PAGE, "bad"),
        "forbidden": check_forbidden_terms(BAD_PAGE, "bad", terms),
        "introduced": check_introduced_terms(BAD_PAGE, "bad", terms),
        "labels": check_exercise_labels(BAD_PAGE, "bad"),
        "percent": check_percent(BAD_PAGE, "bad"),
    }
    assert [h.line for h in bad["quotes"]] == [3, 3]
    assert [h.line for h in bad["conjunctions"]] == [5, 5, 7]
    assert [h.line for h in bad["forbidden"]] == [9]
    assert [h.line for h in bad["introduced"]] == [9, 9]  # 海马体（hippocampus）, 一轮（sweep）
    assert [h.line for h in bad["labels"]] == [11, 11, 15]
    assert [h.line for h in bad["percent"]] == [13]
    good = [
        check_quotes(GOOD_PAGE, "good"),
        check_latin_conjunctions(GOOD_PAGE, "good"),
        check_forbidden_terms(GOOD_PAGE, "good", terms),
        check_introduced_terms(GOOD_PAGE, "good", terms),
        check_exercise_labels(GOOD_PAGE, "good"),
        check_percent(GOOD_PAGE, "good"),
    ]
    assert good == [[], [], [], [], [], []]


def test_masking_keeps_line_numbers_and_hides_code_and_maths() -> None:
    page = "a\n```py\nx「\n```\n$$\ny「\n$$\nb `z「` $w「$ [l](u「)\n"
    masked = mask_markdown(page)
    assert masked.count("\n") == page.count("\n")
    assert "「" not in masked
    assert masked.split("\n")[7].startswith("b ")
