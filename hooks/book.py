"""MkDocs hooks that hold the book together.

* ``on_config``: put ``docs_src`` on ``sys.path`` so pages can import
  ``nnbook``, and forget previously imported ``nnmem``/``nnbook`` modules so
  that ``mkdocs serve`` picks up edits to the package; refuse to build when a page lacks its other-language twin or
  when the KaTeX assets have not been installed.
* ``on_config`` also records the ``nnmem`` version and git commit for the
  footer, and the "edit this page" address (``$NNBOOK_EDIT_URI`` or the
  ``origin`` remote).
* ``on_page_markdown``: start every page (in every language) with fresh
  markdown-exec sessions, tell ``nnbook`` which language is being built, and
  record the date of the page's last commit.
* ``on_post_page``: language links that go straight to the same page.
* ``on_post_build``: copy KaTeX from ``node_modules`` into the site, so the
  site serves its own maths assets and makes no request to another host.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
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


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _edit_uri() -> str | None:
    """Where "edit this page" points: $NNBOOK_EDIT_URI, or derived from a GitHub/GitLab `origin` remote."""
    if os.environ.get("NNBOOK_EDIT_URI"):
        return os.environ["NNBOOK_EDIT_URI"]
    remote = _git("remote", "get-url", "origin")
    match = re.match(r"^(?:https://|git@)([\w.-]+)[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?$", remote)
    if not match:
        return None
    host, owner, repo = match.groups()
    branch = _git("rev-parse", "--abbrev-ref", "HEAD") or "main"
    return f"https://{host}/{owner}/{repo}/edit/{branch}/docs/"


@lru_cache(maxsize=None)
def _last_changed(path: str) -> str:
    """Date (YYYY-MM-DD) of the last commit that touched `path`, or "" if none."""
    return _git("log", "-1", "--format=%cs", "--", path)


def on_config(config):  # noqa: ANN001, ANN201
    _forget_book_modules()
    import nnmem
    from threadpoolctl import threadpool_limits

    # The book's matrices are small: extra BLAS threads only wait on each
    # other (measured: 64-256-10 training took 17x the CPU time with two
    # threads). One thread also makes every build do the same arithmetic.
    threadpool_limits(limits=1)

    commit = _git("rev-parse", "--short=12", "HEAD") or "unknown"
    config["extra"]["build"] = {"version": nnmem.__version__, "commit": commit}
    edit_uri = _edit_uri()
    if edit_uri:
        config["edit_uri"] = edit_uri
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
    updated = _last_changed(f"docs/{page.file.src_uri}")
    if updated:
        page.meta["revision_date"] = updated
    return markdown


_ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="(?:en|zh)">')
_SWITCH_LINK = re.compile(r'href="(/|/zh/)" hreflang="(en|zh)"')


def on_post_page(output, page, config):  # noqa: ANN001, ANN201, ARG001
    """Make the language switch go straight to the same page in the other language.

    * mkdocs-static-i18n links the two home pages as ``/`` and ``/zh/``, which
      break when the site is served from a sub-path; make them relative.
    * Material's JavaScript treats every ``<link rel="alternate">`` as the root
      of a language: it fetches ``sitemap.xml`` from there and, on a click on
      the language switch, looks the page up in that sitemap and falls back to
      the language's home page. With the plugin's per-page alternates that
      meant requests for sitemaps that do not exist, and with root alternates
      (no ``site_url``, so the sitemap's addresses are not valid URLs) it sent
      readers to the home page. Dropping the ``<link>`` elements leaves the
      switch's own links, which already point at the same page.
    """
    depth = page.url.count("/")
    root = "../" * depth if depth else "./"
    output = _SWITCH_LINK.sub(lambda m: f'href="{root}{m[1].lstrip("/")}" hreflang="{m[2]}"', output)
    return _ALTERNATE_LINK.sub("", output)


def on_post_build(config):  # noqa: ANN001, ANN201
    target = Path(config["site_dir"]) / "assets" / "katex"
    if not target.exists():
        shutil.copytree(KATEX_DIST, target, ignore=shutil.ignore_patterns("*.mjs", "katex.js", "katex.css", "*.ttf", "*.woff"))
