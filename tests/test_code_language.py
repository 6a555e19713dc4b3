"""Code on a page is written in the reader's language, and only its words differ.

An English page's code blocks have English strings and comments, a Chinese
page's have Chinese ones, and no block calls the translation helper
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
