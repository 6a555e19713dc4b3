"""The strict build refuses the mistakes the book must never ship.

Each case builds a one-page bilingual site with the book's own configuration
and hooks, with one defect, and checks that `mkdocs build --strict` fails and
says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

GOOD_EN = "# Home {#home}\n\n```python exec=\"1\" id=\"guard-ok\"\nprint(1 + 1)\n```\n"
GOOD_ZH = "# 首页 {#home}\n\n```python exec=\"1\" id=\"guard-ok\"\nprint(1 + 1)\n```\n"


def build_tiny_site(
    tmp_path: Path, pages: dict[str, str], nav: list | None = None
) -> subprocess.CompletedProcess[str]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config.update(
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        nav=nav or [{"Home": "index.md"}],
        hooks=[str(ROOT / "hooks" / "book.py")],
        extra_css=[],
        watch=[str(ROOT / "src")],
    )
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    search = next(p for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    search["search"]["jieba_dict_user"] = str(ROOT / "docs_src" / "jieba_user_dict.txt")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            plugin["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT / "src")]
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config_file)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )


def test_a_good_tiny_site_builds(tmp_path: Path) -> None:
    proc = build_tiny_site(tmp_path, {"index.md": GOOD_EN, "index.zh.md": GOOD_ZH})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "<p>2</p>" in (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")


def test_an_exception_in_a_code_block_fails_and_names_the_block(tmp_path: Path) -> None:
    failing = GOOD_EN + '\n```python exec="1" id="guard-boom"\nraise RuntimeError("boom")\n```\n'
    proc = build_tiny_site(tmp_path, {"index.md": failing, "index.zh.md": GOOD_ZH})
    assert proc.returncode != 0
    assert "guard-boom" in proc.stderr and "RuntimeError: boom" in proc.stderr


def test_a_broken_link_fails(tmp_path: Path) -> None:
    proc = build_tiny_site(tmp_path, {"index.md": GOOD_EN + "\n[gone](missing.md)\n", "index.zh.md": GOOD_ZH})
    assert proc.returncode != 0
    assert "missing.md" in proc.stderr


def test_a_broken_anchor_fails(tmp_path: Path) -> None:
    proc = build_tiny_site(tmp_path, {"index.md": GOOD_EN, "index.zh.md": GOOD_ZH + "\n[跳转](#nowhere)\n"})
    assert proc.returncode != 0
    assert "nowhere" in proc.stderr


def test_a_page_without_its_twin_fails(tmp_path: Path) -> None:
    proc = build_tiny_site(tmp_path, {"index.md": GOOD_EN, "index.zh.md": GOOD_ZH, "extra.md": "# Extra {#extra}\n"})
    assert proc.returncode != 0
    assert "extra.md has no twin extra.zh.md" in proc.stderr


def test_sessions_do_not_leak_between_pages_or_languages(tmp_path: Path) -> None:
    setter = '# A {#a}\n\n```python exec="1" session="s" id="guard-set"\nsecret = 42\nprint(secret)\n```\n'
    reader = '# B {#b}\n\n```python exec="1" session="s" id="guard-read"\nprint("secret" in globals())\n```\n'
    pages = {"index.md": setter, "index.zh.md": setter, "other.md": reader, "other.zh.md": reader}
    proc = build_tiny_site(tmp_path, pages, nav=[{"A": "index.md"}, {"B": "other.md"}])
    assert proc.returncode == 0, proc.stderr[-3000:]
    for lang_dir in (tmp_path / "site", tmp_path / "site" / "zh"):
        assert "<p>False</p>" in (lang_dir / "other" / "index.html").read_text(encoding="utf-8")
