"""MkDocs hooks that hold the book together.

* ``on_config``: put ``docs_src`` on ``sys.path`` so pages can import
  ``nnbook``, and forget previously imported ``nnmem``/``nnbook`` modules so
  that ``mkdocs serve`` picks up edits to the package; refuse to build when a page lacks its other-language twin or
  when the KaTeX assets have not been installed.
* ``on_page_markdown``: start every page (in every language) with fresh
  markdown-exec sessions, and tell ``nnbook`` which language is being built.
* ``on_post_page``: relative language links; ``<link rel=alternate>`` at the language roots.
* ``on_post_build``: copy KaTeX from ``node_modules`` into the site, so the
  site serves its own maths assets and makes no request to another host.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
LANGUAGES = ("en", "zh")


def twin_problems(docs_dir: Path) -> list[str]:
    """Pages whose other-language twin is missing (``X.md`` needs ``X.zh.md`` and back)."""
    problems = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir)
        if rel.parts[0] == "snippets":
            continue  # shared fragments included by both languages
        if path.name.endswith(".zh.md"):
            twin = path.with_name(path.name[: -len(".zh.md")] + ".md")
        else:
            twin = path.with_name(path.name[: -len(".md")] + ".zh.md")
        if not twin.exists():
            problems.append(f"{rel} has no twin {twin.relative_to(docs_dir)}")
    return problems


def _forget_book_modules() -> None:
    """Drop imported `nnmem` and `nnbook` modules so a rebuild under `mkdocs serve` runs the edited code."""
    for name in [m for m in sys.modules if m.split(".")[0] in ("nnmem", "nnbook")]:
        del sys.modules[name]


def on_config(config):  # noqa: ANN001, ANN201
    _forget_book_modules()
    docs_src = str(ROOT / "docs_src")
    if docs_src not in sys.path:
        sys.path.insert(0, docs_src)
    problems = twin_problems(Path(config["docs_dir"]))
    if problems:
        raise PluginError("Every page needs its English and Chinese version:\n  " + "\n  ".join(problems))
    if not (KATEX_DIST / "katex.min.js").exists():
        raise PluginError(f"KaTeX is not installed in {KATEX_DIST}; run `make setup` (it runs `npm ci`).")
    return config


def _page_language(page) -> str:  # noqa: ANN001
    locale = getattr(page.file, "locale", None)
    if locale in LANGUAGES:
        return locale
    return "zh" if page.file.src_uri.endswith(".zh.md") else "en"


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    import nnbook
    from markdown_exec._internal.formatters import python as exec_python

    exec_python._sessions_globals.clear()
    nnbook.set_language(_page_language(page))
    return markdown


_ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="(en|zh)">')
_SWITCH_LINK = re.compile(r'href="(/|/zh/)" hreflang="(en|zh)"')


def on_post_page(output, page, config):  # noqa: ANN001, ANN201, ARG001
    """Make the language links relative and point ``<link rel=alternate>`` at the language roots.

    * mkdocs-static-i18n links the two home pages as ``/`` and ``/zh/``, which
      break when the site is served from a sub-path; make them relative.
    * Material's JavaScript reads ``<link rel="alternate">`` as the root of
      each language and fetches ``sitemap.xml`` from there; pointing it at the
      page itself (as the plugin does) makes the browser request a
      ``sitemap.xml`` that does not exist. The visible switch links (``<a
      hreflang>``) keep pointing at the same page in the other language.
    """
    depth = page.url.count("/")
    root = "../" * depth if depth else "./"
    output = _SWITCH_LINK.sub(lambda m: f'href="{root}{m[1].lstrip("/")}" hreflang="{m[2]}"', output)
    language_root = {"en": root, "zh": root + "zh/"}
    return _ALTERNATE_LINK.sub(lambda m: f'<link rel="alternate" href="{language_root[m[1]]}" hreflang="{m[1]}">', output)


def on_post_build(config):  # noqa: ANN001, ANN201
    site = Path(config["site_dir"])
    # Material's language selector fetches sitemap.xml from each language's
    # root; only the default language gets one, so give Chinese the same file.
    if (site / "sitemap.xml").exists() and (site / "zh").is_dir() and not (site / "zh" / "sitemap.xml").exists():
        shutil.copyfile(site / "sitemap.xml", site / "zh" / "sitemap.xml")
    target = Path(config["site_dir"]) / "assets" / "katex"
    if not target.exists():
        shutil.copytree(KATEX_DIST, target, ignore=shutil.ignore_patterns("*.mjs", "katex.js", "katex.css", "*.ttf", "*.woff"))
