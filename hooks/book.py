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
* ``on_env`` (after the plugins'): list each stylesheet and script once
  (:func:`unique_assets`): the plugins add theirs again for every language
  mkdocs-static-i18n builds on the same configuration (mkdocstrings in
  ``on_config``, markdown-exec in its own ``on_env``); give the templates
  :func:`switch_target`, where each entry of
  the language switch goes, and :func:`search_config`, which points a page's
  search at its own language's index and at the book's search worker.
* ``on_post_template``: keep the default language's ``404.html``. The site has
  one error page at its root (a static host answers every missing address
  with it), and each language's build writes it; without this the last
  language built would win.
* ``on_post_build``: copy KaTeX from ``node_modules`` into the site, so the
  site serves its own maths assets and makes no request to another host; and
  write one search index per language (:func:`split_search_index`):
  ``search/search_index.json`` with the English pages only,
  ``zh/search/search_index.json`` with the Chinese pages only.

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

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

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

__all__ = ["LANGUAGES", "search_config", "unique_assets", "split_search_index", "switch_target", "twin_problems"]


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


def unique_assets(assets: list[Any]) -> list[Any]:
    """``assets`` (``extra_css`` or ``extra_javascript`` entries) without repeats, in their first order."""
    seen: set[str] = set()
    unique = []
    for asset in assets:
        key = str(asset)
        if key not in seen:
            seen.add(key)
            unique.append(asset)
    return unique


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


# The page's configuration for Material's script, as the theme writes it (block `config` of base.html).
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
SEARCH_WORKER = "search-whole-words.js"  # overrides/assets/javascripts/workers/


def search_config(block: str, base_url: str, language: str) -> Markup:
    """The theme's ``__config`` block with the search of the page's language.

    Material's script fetches ``search/search_index.json`` relative to the
    config's ``base`` and resolves the results' locations against it; for a
    page in a language other than the default that becomes the language's root
    (``base_url`` + ``zh/``), where :func:`split_search_index` writes that
    language's index. The worker becomes the book's wrapper
    (``search-whole-words.js``) next to Material's, given Material's worker's
    name as ``?material=``.
    """
    match = CONFIG_SCRIPT.search(block)
    if match is None:
        raise PluginError("search_config: the theme's `config` block has no <script id=\"__config\">; "
                          f"Material's base.html changed. Got: {block[:200]!r}")
    data = json.loads(match.group(2))
    if not isinstance(data.get("base"), str) or not isinstance(data.get("search"), str):
        raise PluginError(f"search_config: expected `base` and `search` strings in __config; got {sorted(data)}")
    prefix = site_prefix(language)
    if prefix:
        data["base"] = posixpath.join(base_url, prefix)
    folder, material_worker = posixpath.split(data["search"])
    data["search"] = posixpath.join(folder, SEARCH_WORKER) + "?material=" + material_worker
    script = match.group(1) + str(htmlsafe_json_dumps(data)) + match.group(3)
    return Markup(block[: match.start()] + script + block[match.end():])


@event_priority(-100)  # after the plugins' on_env, where markdown-exec adds its pyodide assets (once per language)
def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001
    env.globals["switch_target"] = partial(switch_target, site_url=config["site_url"])
    env.globals["search_config"] = search_config
    config["extra_css"][:] = unique_assets(config["extra_css"])
    config["extra_javascript"][:] = unique_assets(config["extra_javascript"])
    return env


def on_post_template(output_content, template_name, config):  # noqa: ANN001, ANN201
    """Write ``404.html`` from the default language's build only (MkDocs skips a template that renders empty)."""
    if template_name == "404.html" and config["theme"]["language"] != DEFAULT_LANGUAGE:
        return ""
    return output_content


def split_search_index(index: dict[str, Any], language: str) -> dict[str, Any]:
    """The part of a search index (Material's ``{"config", "docs"}``) in ``language``, located from its root.

    Pages of the default language are those outside every other language's
    folder; a Chinese entry ``zh/backprop/#x`` becomes ``backprop/#x``, since
    Chinese pages resolve their results from ``zh/`` (:func:`search_config`).
    The default language's index asks for that language's stemmer only (an
    English index needs no Chinese word list); the others keep the configured
    languages, as their pages mix in English terms.
    """
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of {LANGUAGES}; got {language!r}.")
    if not isinstance(index, dict) or not isinstance(index.get("docs"), list) or "config" not in index:
        raise ValueError(f"`index` must be a search index with `config` and `docs`; got {str(index)[:100]!r}.")
    others = tuple(site_prefix(lang) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
    prefix = site_prefix(language)
    if prefix:
        docs = [{**d, "location": d["location"][len(prefix):]} for d in index["docs"]
                if d["location"].startswith(prefix)]
    else:
        docs = [d for d in index["docs"] if not d["location"].startswith(others)]
    config = dict(index["config"])
    if not prefix:
        config["lang"] = [language]
    return {"config": config, "docs": docs}


@event_priority(-200)  # after mkdocs-static-i18n's (-100), which writes the index of all languages at the very end
def on_post_build(config):  # noqa: ANN001, ANN201
    target = Path(config["site_dir"]) / "assets" / "katex"
    if not target.exists():
        unused = shutil.ignore_patterns("*.mjs", "katex.js", "katex.css", "*.ttf", "*.woff")
        shutil.copytree(KATEX_DIST, target, ignore=unused)
    # Each language's build ends here, and finds in search/search_index.json what Material's search plugin
    # wrote last. The Chinese build (run inside the English one) finds the index of its own pages; the English
    # build, last of all, finds the index of every language that mkdocs-static-i18n writes after the other
    # builds, and takes its English pages from it (not the Chinese ones: that index leaves out Chinese entries
    # that are the same as English ones, such as the API reference's docstrings). The theme's language is no
    # guide here: mkdocs-static-i18n leaves the configuration of the last language built in place.
    written = Path(config["site_dir"]) / "search" / "search_index.json"
    if not written.is_file():
        return
    index = json.loads(written.read_text(encoding="utf-8"))
    parts = {language: split_search_index(index, language) for language in LANGUAGES}
    present = [language for language, part in parts.items() if part["docs"]]
    for language in present if len(present) == 1 else [DEFAULT_LANGUAGE]:
        target_index = Path(config["site_dir"]) / site_prefix(language) / "search" / "search_index.json"
        target_index.parent.mkdir(parents=True, exist_ok=True)
        target_index.write_text(json.dumps(parts[language], ensure_ascii=False, separators=(",", ":")),
                                encoding="utf-8")
