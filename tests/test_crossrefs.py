"""Cross-references between chapters are links, and the links land somewhere.

Source-level checks over ``docs/*.md`` (no site build), in both languages:

* every mention of another chapter by name ("the Hopfield chapter", "the
  chapter on catastrophic forgetting", "霍普菲尔德网络一章", "the next chapter",
  "上一章" …) is a Markdown link to that chapter's page;
* no page calls a chapter unfinished ("in preparation", "coming soon", "即将",
  "编写中" …): every chapter in the nav exists;
* the preface's reading map links every page of the nav, with the nav title
  (English) or its ``nav_translations`` entry (Chinese) as the link text;
* every link to an anchor (``page.md#id`` or ``#id``) names a heading id or
  attribute id that exists on the target page, and a promise that a chapter
  "returns to" a topic ("comes back to", "会回到" …) links to such an anchor.

Each check is also run on a deliberately broken copy of a real page, which it
must reject (the ``test_*_bites`` tests), so a check that matches nothing
cannot pass silently.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIB = ROOT / "docs_src" / "references.bib"


# --------------------------------------------------------------------------
# The nav, its titles in both languages, and the names chapters go by.
# --------------------------------------------------------------------------


def _load_mkdocs() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !!python/name or !ENV tags; treat any tag as a plain value.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def _flatten_nav(nav: list) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in nav:
        if isinstance(item, str):
            out.append((item, item))
            continue
        for title, value in item.items():
            if isinstance(value, str):
                out.append((title, value))
            else:
                out.extend(_flatten_nav(value))
    return out


CONFIG = _load_mkdocs()
NAV = _flatten_nav(CONFIG["nav"])  # [(English title, file)] in reading order
NAV_FILES = [f for _, f in NAV]
_I18N = next(p["i18n"] for p in CONFIG["plugins"] if isinstance(p, dict) and "i18n" in p)
_ZH = next(lang for lang in _I18N["languages"] if lang["locale"] == "zh")
NAV_ZH = {en: _ZH["nav_translations"][en] for en, _ in NAV}

# Other names a chapter goes by in the prose, besides its nav title. A name
# counts as a chapter mention only next to "chapter"/"page" (English) or
# 一章/章/页 (Chinese), see the patterns below.
ALIASES_EN: dict[str, list[str]] = {
    "background.md": ["background"],
    "nervous-system.md": ["nervous system", "nervous-system"],
    "artificial-neurons.md": ["artificial neurons?", "artificial-neurons?"],
    "memory-map.md": ["map of memory", "memory map", "memory-map"],
    "forward.md": ["forward propagation", "forward pass", "forward-pass"],
    "backprop.md": ["backpropagation"],
    "training.md": ["gradient descent", "gradient-descent", "training"],
    "plasticity.md": ["synaptic plasticity", "plasticity", "Hebbian learning"],
    "hopfield.md": ["classical Hopfield networks?", "Hopfield networks?", "Hopfield"],
    "modern-hopfield.md": ["modern Hopfield networks?(?: and attention)?", "modern Hopfield", "attention"],
    "digits.md": [
        "learning to recognise (?:handwritten )?digits",
        "learning (?:handwritten )?digits",
        "(?:handwritten )?digits",
        "MLP",
    ],
    "forgetting.md": ["catastrophic forgetting(?: and complementary learning systems)?", "forgetting"],
    "working-memory.md": [
        "working memory(?: and (?:RNNs|recurrent networks))?",
        "working-memory",
        "recurrent networks?",
        "RNNs?",
    ],
    "outlook.md": ["outlook(?: and FAQ)?", "challenges and outlook"],
    "performance.md": ["performance"],
    "errata.md": ["errata(?: of the source article)?"],
    "notation.md": ["notation(?: and glossary)?", "glossary"],
    "references.md": ["references"],
    "api.md": ["API reference", "API"],
}
ALIASES_ZH: dict[str, list[str]] = {
    "background.md": ["背景"],
    "nervous-system.md": ["神经系统"],
    "artificial-neurons.md": ["人工神经元"],
    "memory-map.md": ["记忆地图"],
    "forward.md": ["前向传播"],
    "backprop.md": ["反向传播"],
    "training.md": ["梯度下降", "训练"],
    "plasticity.md": ["突触可塑性与赫布学习", "突触可塑性", "可塑性", "赫布学习"],
    "hopfield.md": ["经典霍普菲尔德网络", "霍普菲尔德网络"],
    "modern-hopfield.md": ["现代霍普菲尔德网络(?:与注意力)?"],
    "digits.md": ["学习识别手写数字", "识别手写数字", "手写数字", "学习识别数字", "数字识别"],
    "forgetting.md": ["灾难性遗忘", "遗忘"],
    "working-memory.md": ["工作记忆与循环网络", "工作记忆", "循环网络"],
    "outlook.md": ["展望与常见问题", "展望"],
    "performance.md": ["性能"],
    "errata.md": ["原文勘误", "勘误"],
    "notation.md": ["记号与术语表", "记号", "术语表"],
    "references.md": ["参考文献"],
    "api.md": ["API 参考"],
}


def _title_pattern(title: str) -> str:
    return re.escape(title).replace(r"\ ", r"\s+")


def _mention_regex(lang: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, target file) pairs; group "m" is the whole mention."""
    names: list[tuple[str, str]] = []
    for en, f in NAV:
        if f == "index.md":
            continue
        if lang == "en":
            names.append((_title_pattern(en), f))
            names += [(a.replace(" ", r"\s+"), f) for a in ALIASES_EN.get(f, [])]
        else:
            names.append((_title_pattern(NAV_ZH[en]), f))
            names += [(a, f) for a in ALIASES_ZH.get(f, [])]
    # Longest names first, so "modern Hopfield networks" wins over "Hopfield networks".
    names.sort(key=lambda nf: len(nf[0]), reverse=True)
    out = []
    for name, f in names:
        if lang == "en":
            pat = (
                rf"(?P<m>\b(?:chapters?|page)\s+on\s+(?:the\s+)?{name}\b"
                rf"|\b(?<![-\w]){name}\s+(?:chapter|page)\b)"
            )
            out.append((re.compile(pat, re.I), f))
        else:
            pat = rf"(?P<m>(?:关于|讲)?“?{name}”?(?:的)?(?:这一章|一章|那一章|这章|章|一页|页))"
            out.append((re.compile(pat), f))
    return out


MENTIONS = {"en": _mention_regex("en"), "zh": _mention_regex("zh")}
ADJACENT = {
    "en": [
        (re.compile(r"\b(?P<m>next\s+chapter)\b", re.I), +1),
        (re.compile(r"\b(?P<m>previous\s+chapter)\b", re.I), -1),
    ],
    "zh": [(re.compile(r"(?P<m>下一章)"), +1), (re.compile(r"(?P<m>上一章)"), -1)],
}


# --------------------------------------------------------------------------
# Pages as plain prose with a map from characters to link targets.
# --------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_LINK_RE = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def mask_code(text: str) -> str:
    """Blank out fenced code, inline code, maths and HTML comments (offsets kept)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(2)[0] * len(m.group(2))
            out.append(" " * len(line))
        elif fence is not None:
            if m and m.group(2).startswith(fence):
                fence = None
            out.append(" " * len(line))
        else:
            out.append(line)
    masked = "\n".join(out)
    masked = re.sub(r"<!--.*?-->", _blank, masked, flags=re.S)
    masked = re.sub(r"\$\$.*?\$\$", _blank, masked, flags=re.S)
    masked = re.sub(r"(?<!\\)\$[^$\n]+?(?<!\\)\$", _blank, masked)
    masked = re.sub(r"`[^`\n]*`", _blank, masked)
    return masked


@dataclass(frozen=True)
class Link:
    text: str
    page: str  # target file, "" for a same-page anchor
    anchor: str  # "" when there is none
    line: int


@dataclass
class Prose:
    """A page with links replaced by their text; `owner[i]` is the target file
    of the link that produced character i of `plain` (or None)."""

    plain: str
    owner: list[str | None]
    links: list[Link]


def parse_prose(text: str, this_page: str) -> Prose:
    masked = mask_code(text)
    plain_parts: list[str] = []
    owner: list[str | None] = []
    links: list[Link] = []
    pos = 0
    for m in _LINK_RE.finditer(masked):
        before = masked[pos : m.start()]
        plain_parts.append(before)
        owner += [None] * len(before)
        target = m.group("target")
        page, _, anchor = target.partition("#")
        if re.match(r"^[a-z]+:", page):  # external (http:, mailto:)
            page_file = None
        else:
            page_file = page.split("/")[-1] if page else this_page
        if page_file is not None and (page_file.endswith(".md") or not page):
            links.append(Link(m.group("text"), page_file, anchor, masked.count("\n", 0, m.start()) + 1))
        plain_parts.append(m.group("text"))
        owner += [page_file] * len(m.group("text"))
        pos = m.end()
    rest = masked[pos:]
    plain_parts.append(rest)
    owner += [None] * len(rest)
    return Prose("".join(plain_parts), owner, links)


def _lang_of(page: str) -> str:
    return "zh" if page.endswith(".zh.md") else "en"


def _base(page: str) -> str:
    """'hopfield.zh.md' -> 'hopfield.md' (links on Chinese pages point at the base name)."""
    return page.replace(".zh.md", ".md")


@dataclass(frozen=True)
class Problem:
    page: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.what}"


def _line_at(text: str, i: int) -> int:
    return text.count("\n", 0, i) + 1


_SENTENCE_END = re.compile(r"[.。！？!?;；](?=\s|$|[^\w])|\n\s*\n")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (ended by . ! ? ; or a blank line) around text[start:end]."""
    a = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        a = m.end()
    m = _SENTENCE_END.search(text, end)
    return a, (m.start() if m else len(text))


# --------------------------------------------------------------------------
# The checks, each (text of a page, its file name) -> problems.
# --------------------------------------------------------------------------


def check_mentions_are_links(text: str, page: str) -> list[Problem]:
    """A chapter named in prose must be (part of) a link to that chapter."""
    lang, base = _lang_of(page), _base(page)
    prose = parse_prose(text, base)
    problems = []
    taken: list[tuple[int, int]] = []
    for regex, target in MENTIONS[lang]:
        for m in regex.finditer(prose.plain):
            s, e = m.span("m")
            if any(s < b and a < e for a, b in taken):
                continue  # part of a longer name already checked
            taken.append((s, e))
            if target == base:
                continue  # a page may name itself
            if target not in prose.owner[s:e]:
                problems.append(
                    Problem(page, _line_at(prose.plain, s), f"'{m.group('m')}' names {target} but is not a link to it")
                )
    for regex, step in ADJACENT[lang]:
        if base not in NAV_FILES:
            continue
        k = NAV_FILES.index(base) + step
        if not 0 <= k < len(NAV_FILES):
            continue
        target = NAV_FILES[k]
        for m in regex.finditer(prose.plain):
            s, e = m.span("m")
            a, b = _sentence_span(prose.plain, s, e)
            if target not in prose.owner[s:e] and target not in prose.owner[a:b]:
                problems.append(Problem(page, _line_at(prose.plain, s), f"'{m.group('m')}' should link to {target}"))
    return problems


_UNFINISHED = {
    "en": re.compile(
        r"\b(in preparation|still being written|not yet written|yet to be written|planned chapters?|"
        r"coming soon|forthcoming|to be added|will be added later|under construction|work in progress)\b",
        re.I,
    ),
    "zh": re.compile(
        r"(即将推出|即将完成|即将|筹备中|尚未完成|尚未写|编写中|撰写中|准备中|待完成|待补充|敬请期待|计划中的一章|后续补充)"
    ),
}


def check_no_unfinished_chapters(text: str, page: str) -> list[Problem]:
    """No page may say that a chapter is missing, planned or in preparation."""
    prose = parse_prose(text, _base(page)).plain
    return [
        Problem(page, _line_at(prose, m.start()), f"'{m.group(0)}': every chapter of the nav exists")
        for m in _UNFINISHED[_lang_of(page)].finditer(prose)
    ]


def check_reading_map(text: str, page: str) -> list[Problem]:
    """The preface's reading map links every nav page under its nav title."""
    lang = _lang_of(page)
    start = text.find("{#reading-map}")
    if start == -1:
        return [Problem(page, 1, "no section {#reading-map}")]
    nxt = re.search(r"^## ", text[start:], flags=re.M)
    end = start + nxt.start() if nxt else len(text)
    section = text[start:end]
    linked = {(lnk.page, lnk.text.strip()) for lnk in parse_prose(section, "index.md").links}
    problems = []
    for en, f in NAV:
        if f == "index.md":
            continue
        title = en if lang == "en" else NAV_ZH[en]
        if (f, title) not in linked:
            problems.append(Problem(page, _line_at(text, start), f"reading map lacks [{title}]({f})"))
    return problems


def page_anchors(path: Path) -> set[str]:
    """Heading and attribute ids a page defines in its source."""
    text = path.read_text(encoding="utf-8")
    ids = set(re.findall(r"\{#([\w-]+)", text))
    ids |= set(re.findall(r"\{:[^}]*#([\w-]+)", text))
    ids |= set(re.findall(r"\bid=\"([\w-]+)\"", text))
    # mkdocstrings gives every documented object an anchor named by its full path
    for path in re.findall(r"^::: ([\w.]+)", text, flags=re.M):
        ids.add(path)
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError:
            continue  # a class or function documented on its own (e.g. nnmem.TrainingDivergedError)
        ids |= {f"{path}.{name}" for name in getattr(module, "__all__", [])}
    return ids


def bib_keys() -> set[str]:
    if not BIB.exists():
        return set()
    return set(re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), flags=re.M))


def _anchors_for(target: str, lang: str, docs: Path) -> set[str] | None:
    if target == "references.md":
        return bib_keys() | page_anchors(docs / "references.md")
    path = docs / (target.replace(".md", ".zh.md") if lang == "zh" else target)
    if not path.exists():
        path = docs / target
    if not path.exists():
        return None
    return page_anchors(path)


def check_anchors_exist(text: str, page: str, docs: Path = DOCS) -> list[Problem]:
    """Every link with #anchor names an id that exists on its target page."""
    lang, base = _lang_of(page), _base(page)
    problems = []
    for lnk in parse_prose(text, base).links:
        if not lnk.anchor:
            continue
        anchors = _anchors_for(lnk.page, lang, docs)
        if anchors is None:
            problems.append(Problem(page, lnk.line, f"link to missing page {lnk.page}"))
        elif lnk.anchor not in anchors:
            problems.append(Problem(page, lnk.line, f"#{lnk.anchor} does not exist on {lnk.page}"))
    return problems


_PROMISE = {
    "en": re.compile(
        r"\b(returns? to|comes? back to|come back (?:to|in)|comes? back in|revisits?|"
        r"picks? (?:this|it|them) up again|takes? (?:this|it|them) up again|returns? in)\b",
        re.I,
    ),
    "zh": re.compile(r"(会回到|回到这|再回到|还会回到|重新讨论|再谈|还会讨论|会再讨论|再次讨论|再次出现)"),
}


def check_promises_have_anchors(text: str, page: str) -> list[Problem]:
    """ "Chapter X returns to this": the sentence links to an anchor on another page."""
    lang, base = _lang_of(page), _base(page)
    prose = parse_prose(text, base)
    by_line: dict[int, list[Link]] = {}
    for lnk in prose.links:
        by_line.setdefault(lnk.line, []).append(lnk)
    problems = []
    for m in _PROMISE[lang].finditer(prose.plain):
        a, b = _sentence_span(prose.plain, m.start(), m.end())
        targets = {o for o in prose.owner[a:b] if o and o != base}
        if not targets:
            continue  # not about another chapter (e.g. "the function returns to the sphere")
        lines = range(_line_at(prose.plain, a), _line_at(prose.plain, b) + 1)
        anchored = [lnk for ln in lines for lnk in by_line.get(ln, []) if lnk.page in targets and lnk.anchor]
        if not anchored:
            problems.append(
                Problem(
                    page,
                    _line_at(prose.plain, m.start()),
                    f"promise '{m.group(0)}' about {sorted(targets)} links no #anchor there",
                )
            )
    return problems


# --------------------------------------------------------------------------
# Tests over the real pages.
# --------------------------------------------------------------------------

PAGES = sorted(DOCS.glob("*.md"))


def _fail(problems: list[Problem]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(str(p) for p in problems[:60]))


def test_nav_is_read() -> None:
    assert "hopfield.md" in NAV_FILES and "index.md" in NAV_FILES
    assert NAV_ZH["Hopfield networks"] == "霍普菲尔德网络"
    for _, f in NAV:
        assert (DOCS / f).exists() and (DOCS / f.replace(".md", ".zh.md")).exists(), f


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_chapter_mentions_are_links(path: Path) -> None:
    _fail(check_mentions_are_links(path.read_text(encoding="utf-8"), path.name))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_chapter_called_unfinished(path: Path) -> None:
    _fail(check_no_unfinished_chapters(path.read_text(encoding="utf-8"), path.name))


@pytest.mark.parametrize("page", ["index.md", "index.zh.md"])
def test_reading_map_lists_every_chapter(page: str) -> None:
    _fail(check_reading_map((DOCS / page).read_text(encoding="utf-8"), page))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_anchors_exist(path: Path) -> None:
    _fail(check_anchors_exist(path.read_text(encoding="utf-8"), path.name))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_promises_link_an_existing_anchor(path: Path) -> None:
    _fail(check_promises_have_anchors(path.read_text(encoding="utf-8"), path.name))


# --------------------------------------------------------------------------
# Each check must reject a deliberately broken copy of a real page.
# --------------------------------------------------------------------------


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _break(text: str, old: str, new: str) -> str:
    assert old in text, f"the fixture sentence {old!r} is gone; update this test"
    return text.replace(old, new, 1)


def test_mention_check_bites() -> None:
    text = _read("hopfield.md")
    assert not check_mentions_are_links(text, "hopfield.md")
    broken = _break(text, "The [catastrophic forgetting](forgetting.md) chapter", "The catastrophic forgetting chapter")
    assert [p.what for p in check_mentions_are_links(broken, "hopfield.md")] == [
        "'catastrophic forgetting chapter' names forgetting.md but is not a link to it"
    ]
    # Linked to the wrong chapter is as bad as not linked.
    wrong = _break(
        text,
        "The [catastrophic forgetting](forgetting.md) chapter",
        "The [catastrophic forgetting](training.md) chapter",
    )
    assert check_mentions_are_links(wrong, "hopfield.md")
    zh = _read("hopfield.zh.md")
    assert not check_mentions_are_links(zh, "hopfield.zh.md")
    broken_zh = _break(zh, "[灾难性遗忘](forgetting.md)一章", "灾难性遗忘一章")
    assert len(check_mentions_are_links(broken_zh, "hopfield.zh.md")) == 1
    nxt = "see the next chapter."
    assert check_mentions_are_links(nxt, "digits.md")
    assert not check_mentions_are_links("see the [next chapter](forgetting.md).", "digits.md")
    assert check_mentions_are_links("see the [next chapter](training.md).", "digits.md")


def test_unfinished_check_bites() -> None:
    text = _read("index.md")
    assert not check_no_unfinished_chapters(text, "index.md")
    broken = _break(text, "[Catastrophic forgetting](forgetting.md), ", "in preparation: catastrophic forgetting, ")
    assert len(check_no_unfinished_chapters(broken, "index.md")) == 1
    zh = _read("index.zh.md")
    broken_zh = _break(zh, "[灾难性遗忘](forgetting.md)、", "编写中：灾难性遗忘、")
    assert len(check_no_unfinished_chapters(broken_zh, "index.zh.md")) == 1


def test_reading_map_check_bites() -> None:
    for page, old in [
        ("index.md", "[Working memory and RNNs](working-memory.md)"),
        ("index.zh.md", "[工作记忆与循环网络](working-memory.md)"),
    ]:
        text = _read(page)
        assert not check_reading_map(text, page)
        broken = _break(text, old, "working memory")
        assert [p.what for p in check_reading_map(broken, page)] == [f"reading map lacks {old}"]


def test_anchor_and_promise_checks_bite() -> None:
    text = _read("hopfield.md")
    assert not check_anchors_exist(text, "hopfield.md")
    assert not check_promises_have_anchors(text, "hopfield.md")
    broken = _break(text, "forgetting.md#palimpsest", "forgetting.md#palimpsests-section")
    assert [p.what for p in check_anchors_exist(broken, "hopfield.md")] == [
        "#palimpsests-section does not exist on forgetting.md"
    ]
    no_anchor = _break(text, "[palimpsest memories](forgetting.md#palimpsest)", "palimpsest memories")
    assert len(check_promises_have_anchors(no_anchor, "hopfield.md")) == 1
    zh = _read("hopfield.zh.md")
    assert not check_promises_have_anchors(zh, "hopfield.zh.md")
    no_anchor_zh = _break(zh, "[重写本记忆](forgetting.md#palimpsest)", "重写本记忆")
    assert len(check_promises_have_anchors(no_anchor_zh, "hopfield.zh.md")) == 1
