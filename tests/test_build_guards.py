"""The strict build refuses the mistakes the book must never ship.

Each case builds a small fixture site (two pages, each in English and
Chinese, in a temporary folder) with the book's own configuration, hooks and
plugins, with one defect, and checks that `mkdocs build --strict` fails and
says why. None of them builds the book itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml_env_tag import add_env_tag

ROOT = Path(__file__).resolve().parents[1]


class EnvLoader(yaml.SafeLoader):
    """yaml's safe loader that resolves MkDocs's `!ENV` tags (mkdocs.yml reads `site_url` from the environment)."""


add_env_tag(EnvLoader)

pytestmark = pytest.mark.docs

CODE = "```python exec=\"1\" id=\"guard-ok\"\nprint(1 + 1)\n```\n"
GOOD_EN = f"# Home {{#home}}\n\n{CODE}\nSee [the second page](second.md#more).\n"
GOOD_ZH = f"# 首页 {{#home}}\n\n{CODE}\n见[第二页](second.md#more)。\n"
SECOND_EN = "# Second {#second}\n\n## More {#more}\n\nBack [home](index.md).\n"
SECOND_ZH = "# 第二页 {#second}\n\n## 更多 {#more}\n\n回到[首页](index.md)。\n"
GOOD = {"index.md": GOOD_EN, "index.zh.md": GOOD_ZH, "second.md": SECOND_EN, "second.zh.md": SECOND_ZH}
NAV = [{"Home": "index.md"}, {"Second": "second.md"}]


def build_tiny_site(tmp_path: Path, mkdocs_build: Any, changes: dict[str, str], nav: list | None = None) -> Any:
    """Build the fixture site, with ``changes`` (file name -> text) applied to its pages, strictly."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=EnvLoader)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in {**GOOD, **changes}.items():
        (docs / name).write_text(text, encoding="utf-8")
    config.update(
        docs_dir=str(docs),
        nav=nav or NAV,
        hooks=[str(ROOT / hook) for hook in config["hooks"]],  # the book's real hooks
        extra_css=[],
        extra_javascript=[],
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
    return mkdocs_build(tmp_path / "site", tmp_path / "cache", config_file=config_file)


def test_a_good_tiny_site_builds(tmp_path: Path, mkdocs_build: Any) -> None:
    proc = build_tiny_site(tmp_path, mkdocs_build, {})
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = tmp_path / "site"
    for lang_dir in (site, site / "zh"):
        assert "<p>2</p>" in (lang_dir / "index.html").read_text(encoding="utf-8")  # the code block ran
    second_zh = (site / "zh" / "second" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../second/" hreflang="en"' in second_zh  # the language switch keeps the page


def test_an_exception_in_a_code_block_fails_and_names_the_block(tmp_path: Path, mkdocs_build: Any) -> None:
    failing = GOOD_EN + '\n```python exec="1" id="guard-boom"\nraise RuntimeError("boom")\n```\n'
    proc = build_tiny_site(tmp_path, mkdocs_build, {"index.md": failing})
    assert proc.returncode != 0
    assert "guard-boom" in proc.stderr and "RuntimeError: boom" in proc.stderr


def test_a_broken_link_fails(tmp_path: Path, mkdocs_build: Any) -> None:
    proc = build_tiny_site(tmp_path, mkdocs_build, {"index.md": GOOD_EN + "\n[gone](missing.md)\n"})
    assert proc.returncode != 0
    assert "missing.md" in proc.stderr


def test_a_broken_anchor_fails(tmp_path: Path, mkdocs_build: Any) -> None:
    proc = build_tiny_site(tmp_path, mkdocs_build, {"index.zh.md": GOOD_ZH + "\n[跳转](#nowhere)\n"})
    assert proc.returncode != 0
    assert "nowhere" in proc.stderr


def test_a_page_without_its_twin_fails(tmp_path: Path, mkdocs_build: Any) -> None:
    proc = build_tiny_site(tmp_path, mkdocs_build, {"extra.md": "# Extra {#extra}\n"})
    assert proc.returncode != 0
    assert "extra.md has no twin extra.zh.md" in proc.stderr


def test_sessions_do_not_leak_between_pages_or_languages(tmp_path: Path, mkdocs_build: Any) -> None:
    setter = '# A {#home}\n\n```python exec="1" session="s" id="guard-set"\nsecret = 42\nprint(secret)\n```\n'
    reader = '# B {#second}\n\n```python exec="1" session="s" id="guard-read"\nprint("secret" in globals())\n```\n'
    # English pages are built first: the English home page sets the name, every later page looks for it.
    pages = {"index.md": setter, "index.zh.md": reader, "second.md": reader, "second.zh.md": reader}
    proc = build_tiny_site(tmp_path, mkdocs_build, pages)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = tmp_path / "site"
    assert "<p>42</p>" in (site / "index.html").read_text(encoding="utf-8")
    for page in (site / "second", site / "zh", site / "zh" / "second"):
        assert "<p>False</p>" in (page / "index.html").read_text(encoding="utf-8"), page
