"""MkDocs hooks that hold the book together.

* ``on_config``: put ``docs_src`` on ``sys.path`` so pages can import
  ``nnbook``, and forget previously imported ``nnmem``/``nnbook`` modules so
  that ``mkdocs serve`` picks up edits to the package; refuse to build when a page lacks its other-language twin or
  when the KaTeX assets have not been installed.
* ``on_config`` also records the ``nnmem`` version and git commit for the
  footer, and the "edit this page" address (``$NNBOOK_EDIT_URI`` or the
  ``origin`` remote).
* ``on_config`` checks that the i18n plugin builds exactly the languages of
  :mod:`nnbook.languages` (the one place that lists them) and installs
  :class:`blockcache.BlockRunner` as markdown-exec's formatter for Python
  blocks, through markdown-exec's public ``formatters`` table and
  ``base_format`` (see ``hooks/blockcache.py``: fresh sessions per page and
  language, printed output reused when nothing it depends on changed).
* ``on_page_markdown``: start every page (in every language) with fresh
  sessions, tell ``nnbook`` which language is being built, and record the
  date of the page's last commit, as a date (``<time datetime>``, the
  sitemap's ``lastmod``) and written in the page's language
  (:func:`nnbook.languages.format_date`).
* ``on_env``: give the templates :func:`switch_target`, where each entry of
  the language switch goes.
* ``on_post_template``: keep the default language's ``404.html``. The site has
  one error page at its root (a static host answers every missing address
  with it), and each language's build writes it; without this the last
  language built would win.
* ``on_post_build``: copy KaTeX from ``node_modules`` into the site, so the
  site serves its own maths assets and makes no request to another host.

Language links are the theme's business: ``overrides/partials/alternate.html``
makes the switch point at the same page in the other language with relative
links (through :func:`switch_target`), and ``overrides/main.html`` leaves out
the ``<link rel="alternate">`` elements (see the comments there); the
``hreflang`` alternates of every page are in the sitemap.

``site_url`` (``$NNBOOK_SITE_URL``, set by the publishing workflow) may have a
path (``https://owner.github.io/repo/``): pages link relatively and work under
any path; the 404 page, canonical links and the sitemap use it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

sys.modules.pop("blockcache", None)  # `mkdocs serve` reloads this module on every rebuild: reload its helper too
from blockcache import BlockRunner, BlockStore, environment_key, input_files  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
DOCS_SRC = ROOT / "docs_src"
if str(DOCS_SRC) not in sys.path:
    sys.path.insert(0, str(DOCS_SRC))

from nnbook.languages import (  # noqa: E402
    DEFAULT_LANGUAGE,
    LANGUAGES,
    check_i18n_languages,
    format_date,
    page_language,
    site_prefix,
)

__all__ = ["LANGUAGES", "switch_target", "twin_problems"]


def twin_problems(docs_dir: Path) -> list[str]:
    """Pages whose other-language twins are missing (``X.md`` needs ``X.zh.md`` and back)."""
    from nnbook.languages import language_of, source_name

    problems = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir)
        if rel.parts[0] == "snippets":
            continue  # shared fragments included by both languages
        name = source_name(rel.as_posix())
        for language in LANGUAGES:
            if language == language_of(rel.as_posix()):
                continue
            twin = docs_dir / (f"{name}.md" if language == DEFAULT_LANGUAGE else f"{name}.{language}.md")
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


@cache
def _last_changed(path: str) -> str:
    """Date (YYYY-MM-DD) of the last commit that touched `path`, or "" if none."""
    return _git("log", "-1", "--format=%cs", "--", path)


_runner: BlockRunner | None = None


def _i18n_languages(config) -> list:  # noqa: ANN001
    plugin = config["plugins"].get("i18n")
    return list(plugin.config["languages"]) if plugin is not None else []


def on_config(config):  # noqa: ANN001, ANN201
    global _runner
    if str(DOCS_SRC) not in sys.path:  # MkDocs restores sys.path after importing a hook module
        sys.path.insert(0, str(DOCS_SRC))
    _forget_book_modules()
    import markdown_exec
    from threadpoolctl import threadpool_limits

    import nnmem
    from nnbook.cache import cache_dir

    # The book's matrices are small: extra BLAS threads only wait on each
    # other (measured: 64-256-10 training took 17x the CPU time with two
    # threads). One thread also makes every build do the same arithmetic.
    threadpool_limits(limits=1)

    commit = _git("rev-parse", "--short=12", "HEAD") or "unknown"
    config["extra"]["build"] = {"version": nnmem.__version__, "commit": commit}
    edit_uri = _edit_uri()
    if edit_uri:
        config["edit_uri"] = edit_uri
    problems = check_i18n_languages(_i18n_languages(config))
    if problems:
        raise PluginError("The i18n plugin's languages must match nnbook.languages:\n  " + "\n  ".join(problems))
    problems = twin_problems(Path(config["docs_dir"]))
    if problems:
        raise PluginError("Every page needs its English and Chinese version:\n  " + "\n  ".join(problems))
    if not (KATEX_DIST / "katex.min.js").exists():
        raise PluginError(f"KaTeX is not installed in {KATEX_DIST}; run `make setup` (it runs `npm ci`).")

    experiments = cache_dir()
    reuse = experiments is not None and os.environ.get("NNBOOK_BLOCK_CACHE", "on") != "off"
    store = BlockStore(experiments / "blocks" if reuse else None)
    _runner = BlockRunner(store, environment_key(ROOT) if reuse else "", input_files(ROOT))
    markdown_exec.formatters["python"] = markdown_exec.formatters["py"] = _runner.format
    return config


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    import nnbook

    language = page_language(page)
    if _runner is not None:
        _runner.start_page(page.file.src_uri, language)
    nnbook.set_language(language)
    updated = _last_changed(f"docs/{page.file.src_uri}")
    if updated:
        page.meta["revision_date"] = updated
        page.meta["revision_date_text"] = format_date(updated, language)
        page.update_date = updated  # the sitemap's <lastmod>: when the page last changed, not the build day
    return markdown


def site_path(site_url: str | None) -> str:
    """The path the site is served under: ``/`` without ``site_url``, ``/repo/`` for ``https://owner.github.io/repo/``."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def switch_target(alternate: dict[str, str], page: Any, *, site_url: str | None) -> str:
    """Where the language switch's entry ``alternate`` (one of ``config.extra.alternate``) goes.

    mkdocs-static-i18n gives the same page in the other language relative to
    the site root (``zh/backprop/``), except on the home pages, where it gives
    the language's root as an absolute path under ``site_url``'s path
    (``/repo/``, ``/repo/zh/``). Both come back relative to the site root, for
    the ``url`` filter to make relative to the page. An error page (``page`` is
    None: ``404.html``, served at any depth) gets the language's home page as an
    absolute path under ``site_url``'s path, which is where MkDocs roots that page.
    """
    root = site_path(site_url)
    if page is None:
        return root + site_prefix(alternate["lang"])
    link = alternate["link"]
    if link.startswith(root):
        return link[len(root):] or "./"
    return link


def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001
    env.globals["switch_target"] = partial(switch_target, site_url=config["site_url"])
    return env


def on_post_template(output_content, template_name, config):  # noqa: ANN001, ANN201
    """Write ``404.html`` from the default language's build only (MkDocs skips a template that renders empty)."""
    if template_name == "404.html" and config["theme"]["language"] != DEFAULT_LANGUAGE:
        return ""
    return output_content


def on_post_build(config):  # noqa: ANN001, ANN201
    target = Path(config["site_dir"]) / "assets" / "katex"
    if not target.exists():
        unused = shutil.ignore_patterns("*.mjs", "katex.js", "katex.css", "*.ttf", "*.woff")
        shutil.copytree(KATEX_DIST, target, ignore=unused)
