"""Code on a page is written in the reader's language, and only its words differ.

An English page's code blocks have English strings and comments, a Chinese
page's have Chinese ones (a short allowlist names the exceptions, each with its
reason), and no block calls the translation helper
``nnbook.t`` (it is plumbing, not the lesson, and notebooks would inherit it).
What keeps the two editions' code from drifting apart is the comparison below:
the two versions of every fenced block must be the same program once string
literals and comments are removed, by Python's own tokenizer.
"""

from __future__ import annotations

import io
import re
import shutil
import tokenize
from pathlib import Path
from textwrap import dedent

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.M | re.S
)
# CJK ideographs, CJK punctuation and full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Tokens that carry no program logic: what a translation may change.
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+: an f-string is several tokens
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_DROPPED = {tokenize.STRING, tokenize.COMMENT, tokenize.NL}
TRANSLATION_HELPERS = {"t", "tr"}


def english_pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if not p.name.endswith(".zh.md"))


def twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".zh.md")


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block of a page as (info string, dedented body), in page order."""
    blocks = []
    for match in FENCE.finditer(text):
        indent = match["indent"]
        lines = [line[len(indent) :] if line.startswith(indent) else line for line in match["body"].splitlines()]
        blocks.append((match["info"].strip(), dedent("\n".join(lines)) + "\n"))
    return blocks


def is_python(info: str) -> bool:
    return info.split(" ", 1)[0] in {"python", "py"}


def logic(code: str) -> list[tuple[int, str]]:
    """The tokens of `code` without string literals (f-strings included), comments and non-logical newlines."""
    kept: list[tuple[int, str]] = []
    fstring_depth = 0
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if _FSTRING_START is not None and token.type == _FSTRING_START:
            fstring_depth += 1
        elif _FSTRING_END is not None and token.type == _FSTRING_END:
            fstring_depth -= 1
        elif fstring_depth == 0 and token.type not in _DROPPED:
            kept.append((token.type, token.string))
    return kept


def helper_calls(code: str) -> list[str]:
    """Calls of the translation helper (``t(...)``, ``tr(...)``) and imports of it, as found by the tokenizer."""
    tokens = [tok for tok in tokenize.generate_tokens(io.StringIO(code).readline) if tok.type not in _DROPPED]
    found = []
    for before, token, after in zip([None, *tokens[:-1]], tokens, [*tokens[1:], None], strict=True):
        is_attribute = before is not None and before.string == "."
        if token.type == tokenize.NAME and token.string in TRANSLATION_HELPERS and not is_attribute:
            if after is not None and after.string == "(":
                found.append(f"line {token.start[0]}: {token.line.strip()}")
    if re.search(r"^\s*from nnbook import .*\bt\b", code, re.M):
        found.append("imports nnbook.t")
    return found


# English prose in the strings and comments of a Chinese page's code: two English words in a row, each of two or
# more letters and not all capitals (acronyms such as MSE, LSTM or XOR are written so in both languages), with
# only spaces and light punctuation between them. Identifiers (snake_case, dotted names, paths) are not words.
_TEXT_RUN = re.compile(r"[A-Za-z0-9_\\]+")
_WORD_GAP = re.compile(r"[\s,;:()|&'\"!?.]*\s[\s,;:()|&'\"!?.]*")
_LITERAL_START = re.compile(r"([A-Za-z]*)('''|\"\"\"|'|\")")
# The legitimate exceptions on Chinese pages, by the exact source text of the string, each with its reason.
ENGLISH_ALLOWED = {
    '"upper left"': "matplotlib's legend `loc` value: an argument, not text the reader sees",
    '"upper right"': "matplotlib's legend `loc` value",
    '"upper center"': "matplotlib's legend `loc` value",
    '"lower left"': "matplotlib's legend `loc` value",
    '"lower right"': "matplotlib's legend `loc` value",
    '"center left"': "matplotlib's legend `loc` value",
    '"center right"': "matplotlib's legend `loc` value",
    'f"nnmem {a:.1%}   scikit-learn {b:.1%}"': "two package names with their accuracies, no prose",
    'f"nnmem {ours.mean():.1%}   scikit-learn {theirs.mean():.1%}"': "two package names with their accuracies",
    'f"dt = {d:+5.0f} ms   dw/w = {stdp_window(np.array([d]))[0]:+.3f}"': "a unit (ms) next to a symbol (dw/w)",
}


def strings_and_comments(code: str) -> list[tuple[int, str]]:
    """Every string literal (an f-string whole, as written) and comment of `code`, as (line, source text)."""
    offsets = [0]
    for line in code.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    found: list[tuple[int, str]] = []
    depth, start = 0, (0, 0)
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if _FSTRING_START is not None and token.type == _FSTRING_START:  # Python 3.12+
            start = token.start if depth == 0 else start
            depth += 1
        elif _FSTRING_END is not None and token.type == _FSTRING_END:
            depth -= 1
            if depth == 0:
                begin, end = offsets[start[0] - 1] + start[1], offsets[token.end[0] - 1] + token.end[1]
                found.append((start[0], code[begin:end]))
        elif depth == 0 and token.type in (tokenize.STRING, tokenize.COMMENT):
            found.append((token.start[0], token.string))
    return found


def readable_text(source: str) -> str:
    """What a string or comment says in words: without quotes, f-string fields, inline maths, HTML tags, `code`."""
    if source.startswith("#"):
        text = source[1:]
    else:
        match = _LITERAL_START.match(source)
        assert match, source
        text = source[match.end() : len(source) - len(match[2])]
        if "f" in match[1].lower():
            text = text.replace("{{", "(").replace("}}", ")")
            while re.search(r"\{[^{}]*\}", text):
                text = re.sub(r"\{[^{}]*\}", " ", text)
    for pattern in (r"\$[^$]*\$", r"<[^<>]*>", r"`[^`]*`"):
        text = re.sub(pattern, " ", text)
    return text


def english_prose(text: str) -> str | None:
    """The first two English words in a row in `text`, or None; text with any CJK character has none."""
    if CJK.search(text):
        return None

    def is_word(run: str) -> bool:
        return run.isascii() and run.isalpha() and len(run) >= 2 and not run.isupper()

    runs = list(_TEXT_RUN.finditer(text))
    for a, b in zip(runs, runs[1:], strict=False):  # each run with the next
        if is_word(a[0]) and is_word(b[0]) and _WORD_GAP.fullmatch(text[a.end() : b.start()]):
            return f"{a[0]} {b[0]}"
    return None


SHELL = {"bash", "sh", "console"}
_SHELL_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def english_in_code(text: str) -> list[str]:
    """English prose in the strings and comments of a page's Python blocks and in the comments of its shell
    blocks, except those in `ENGLISH_ALLOWED`."""
    found = []
    for info, code in code_blocks(text):
        if is_python(info):
            sources = strings_and_comments(code)
        elif info.split(" ", 1)[0] in SHELL:
            sources = [(n, m[1]) for n, line in enumerate(code.splitlines(), 1) if (m := _SHELL_COMMENT.search(line))]
        else:
            continue
        for line, source in sources:
            words = english_prose(readable_text(source))
            if words and source not in ENGLISH_ALLOWED:
                found.append(f"{info!r} line {line}: {source} ({words!r})")
    return found


def drift(en_text: str, zh_text: str) -> list[str]:
    """How the code of two editions of a page differs beyond strings and comments (empty: it does not)."""
    en, zh = code_blocks(en_text), code_blocks(zh_text)
    problems = []
    if [info for info, _ in en] != [info for info, _ in zh]:
        return [f"different blocks: {[i for i, _ in en]} vs {[i for i, _ in zh]}"]
    for (info, en_code), (_, zh_code) in zip(en, zh, strict=True):
        if is_python(info):
            if logic(en_code) != logic(zh_code):
                problems.append(f"block {info!r}: the code differs beyond strings and comments")
        elif info.split(" ", 1)[0] in {"bash", "sh", "console"}:
            def commands(code: str) -> list[str]:
                return [line.split(" #")[0] for line in code.splitlines()]

            if commands(en_code) != commands(zh_code):
                problems.append(f"block {info!r}: the commands differ")
    return problems


@pytest.mark.parametrize("page", english_pages(), ids=lambda p: p.stem)
def test_twins_run_the_same_code(page: Path) -> None:
    problems = drift(page.read_text(encoding="utf-8"), twin(page).read_text(encoding="utf-8"))
    assert not problems, f"{page.name}: " + "; ".join(problems)


@pytest.mark.parametrize("page", english_pages(), ids=lambda p: p.stem)
def test_english_code_has_no_chinese(page: Path) -> None:
    found = [
        f"{info!r}: {line.strip()}"
        for info, code in code_blocks(page.read_text(encoding="utf-8"))
        for line in code.splitlines()
        if CJK.search(line)
    ]
    assert not found, f"{page.name}: Chinese inside code:\n" + "\n".join(found)


@pytest.mark.parametrize("page", [p for e in english_pages() for p in (e, twin(e))], ids=lambda p: p.name)
def test_no_code_calls_the_translation_helper(page: Path) -> None:
    found = [
        f"{info!r} {call}"
        for info, code in code_blocks(page.read_text(encoding="utf-8"))
        if is_python(info)
        for call in helper_calls(code)
    ]
    assert not found, f"{page.name}: the translation helper in shown code:\n" + "\n".join(found)


@pytest.mark.parametrize("page", [twin(p) for p in english_pages()], ids=lambda p: p.name)
def test_chinese_code_has_no_english_prose(page: Path) -> None:
    found = english_in_code(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name}: English prose in the strings or comments of its code:\n" + "\n".join(found)


def test_the_english_allowlist_is_still_needed() -> None:
    """Every allowed exception is still in the code of some Chinese page, and would still be flagged."""
    sources = {
        source
        for page in english_pages()
        for info, code in code_blocks(twin(page).read_text(encoding="utf-8"))
        if is_python(info)
        for _, source in strings_and_comments(code)
    }
    stale = [s for s in ENGLISH_ALLOWED if s not in sources or not english_prose(readable_text(s))]
    assert not stale, f"allowlist entries no longer needed: {stale}"


def test_english_prose_is_recognised() -> None:
    """What counts as English prose in a Chinese page's code, and what does not."""
    english = [
        '"loss before:"', 'f"step {step}: overlap with pattern 1 = {m:+.2f}"', "# a unit is dead",
        '"Kandel et al. 2021"', '"Hodgkin & Huxley 1952"', '"""McCulloch-Pitts unit: 1 where x > 0."""',
        'f"loss {a:.2f} -> {b:.3g} after {n} steps"', "f'{r:.2f} Hz at 2 nA'", "'f\\'(z), start (nnmem)'",
    ]
    for source in english:
        assert english_prose(readable_text(source)), source
    not_prose = [
        '"训练前损失："', 'f"第 {step} 步：与模式 1 的重叠度 = {m:+.2f}"', '"Kandel 等，2021"', '"upper_left"',
        '"src/nnmem/hopfield.py:store"', '"x1 x2 | AND (theta=2)  OR (theta=1)"', '"tanh RNN"',
        r'r"$\hat Y = A W + b$"', "f'<div class=\"nn-widget\" data-widget=\"hopfield\">'", '"nnmem.twolayer.train"',
        "# dL/dtheta", 'f"{name:>6}: {value:.3f}"', '"scikit-learn"',
    ]
    for source in not_prose:
        assert not english_prose(readable_text(source)), source
    code = 'x = f(1)  # one step\nprint(f"{x} steps", "done now")\n'
    assert [source for _, source in strings_and_comments(code)] == ["# one step", 'f"{x} steps"', '"done now"']
    assert english_in_code(f"```python\n{code}```\n") == [
        "'python' line 1: # one step ('one step')",
        "'python' line 2: \"done now\" ('done now')",
    ]
    shell = "make test   # runs every test\nmake serve   # 构建并启动网站\ngit log -1 --format=%cs\n"
    assert english_in_code(f"```bash\n{shell}```\n") == ["'bash' line 1: # runs every test ('runs every')"]


def test_logic_ignores_only_strings_and_comments() -> None:
    en = 'x = f(a + 1, label="step")  # one step\nprint(f"{x} steps")\n'
    zh = 'x = f(a + 1, label="一步")  # 一步\nprint(f"{x} 步")\n'
    assert logic(en) == logic(zh)
    assert logic(en) != logic(en.replace("a + 1", "a - 1"))
    assert logic(en) != logic(en.replace("label=", "title="))
    assert helper_calls('print(t("a", "b"))\n') and helper_calls('y = tr(\n  "a", "b")\n')
    assert not helper_calls("print(t)\nx.t(1)\nrate(2)\n")


def test_the_checks_bite_on_a_real_page(tmp_path: Path) -> None:
    """A changed operator in one edition, or Chinese and the helper in English code, must be caught."""
    en_page, zh_page = DOCS / "forward.md", DOCS / "forward.zh.md"
    en_copy, zh_copy = tmp_path / en_page.name, tmp_path / zh_page.name
    shutil.copy(en_page, en_copy)
    shutil.copy(zh_page, zh_copy)
    assert drift(en_copy.read_text(encoding="utf-8"), zh_copy.read_text(encoding="utf-8")) == []

    # Change one operator inside the first executed block of the Chinese copy only.
    zh_text = zh_copy.read_text(encoding="utf-8")
    blocks = [m for m in FENCE.finditer(zh_text) if "exec=" in m["info"]]
    target = next(m for m in blocks if " @ " in m["body"])
    changed = target["body"].replace(" @ ", " * ", 1)
    zh_copy.write_text(zh_text[: target.start("body")] + changed + zh_text[target.end("body") :], encoding="utf-8")
    problems = drift(en_copy.read_text(encoding="utf-8"), zh_copy.read_text(encoding="utf-8"))
    assert len(problems) == 1 and "differs beyond strings and comments" in problems[0]

    # A translation helper call with a Chinese string put back into the English copy.
    en_text = en_copy.read_text(encoding="utf-8")
    polluted = en_text.replace('ax.set_xlabel("layer")', 'ax.set_xlabel(t("layer", "层"))', 1)
    assert polluted != en_text
    blocks_with_helper = [code for info, code in code_blocks(polluted) if helper_calls(code)]
    assert len(blocks_with_helper) == 1
    assert any(CJK.search(code) for _, code in code_blocks(polluted))
    assert not any(CJK.search(code) for _, code in code_blocks(en_text))
