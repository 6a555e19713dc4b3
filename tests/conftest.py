"""Shared fixtures: the XOR data set, the built site, a local server and Chromium.

The whole book is built at most twice per test session, and both builds start
in the background as soon as the tests are collected (the package tests run
meanwhile; tests that need the site are moved to the end of the run):

* ``book_build`` / ``built_site``: one strict build of the whole bilingual
  site, shared by every test that reads the built site (site checks, browser,
  notebooks, PDF).
* ``second_book_build``: a second, independent build, only started when a
  selected test asks for it ("two builds give the same pages").

Both are built as the hosted edition is: with a ``site_url`` that has a path
(:data:`HOSTED_URL`, given to the build as ``$NNBOOK_SITE_URL`` like the
publishing workflow does), and ``site_url`` serves the session's build under
that path the way GitHub Pages serves a project site, so every browser test
sees the book where readers do, 404 page included.

Each build gets its own empty experiment cache (``NNBOOK_CACHE_DIR`` in a
fresh temporary directory), so the tests never compare a cache with itself
and never read or write the cache in the working tree. Tests that run the
pages' own code (prose claims, notebooks) use ``experiment_cache``: the first
build's cache once that build has finished, so they reuse the experiments it
computed instead of computing them a second time (``$NNBOOK_CACHE_DIR``, if
set, wins; with no build in the session, a fresh temporary cache). Every ``mkdocs build``
the tests run goes through :func:`run_mkdocs_build`, which counts it; the
count is printed at the end of the run ("mkdocs builds in this session").
Fast tier without any build: ``pytest -m "not docs"``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

# The package's matrices are small; extra BLAS threads only wait on each other.
threadpool_limits(limits=1)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# The public address the book's builds in the tests are made for: a project site under a sub-path.
HOSTED_URL = "https://example.org/book/"
HOSTED_PATH = urlsplit(HOSTED_URL).path

# Fixtures that need a build of the whole book; a test using any of them is a `docs` test.
FULL_BUILD_FIXTURES = {"book_build", "built_site", "site_url", "second_book_build"}
# Test modules that rerun the pages' own code blocks and experiments at full size (minutes from an
# empty cache): tests of the book rather than of the package, so in the `docs` tier too.
RUNS_THE_PAGES = {"test_prose_claims.py"}


@pytest.fixture
def xor() -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return x, y


# --- every `mkdocs build` the tests run -------------------------------------------------------

BUILD_LOG: list[tuple[str, float]] = []  # (what was built, seconds)


def mkdocs_command(site_dir: Path, config_file: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    if config_file is not None:
        command += ["--config-file", str(config_file)]
    return command


def build_env(cache_dir: Path) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNBOOK_CACHE_DIR": str(cache_dir)}


def run_mkdocs_build(site_dir: Path, cache_dir: Path, *, config_file: Path | None = None,
                     what: str = "fixture site") -> subprocess.CompletedProcess[str]:
    """Run one strict `mkdocs build` in a subprocess (counted in the session's build log)."""
    t0 = time.perf_counter()
    proc = subprocess.run(mkdocs_command(site_dir, config_file), cwd=ROOT, env=build_env(cache_dir),
                          capture_output=True, text=True)
    BUILD_LOG.append((what, time.perf_counter() - t0))
    return proc


@dataclass
class BookBuild:
    """A strict build of the whole book into ``site``, from an empty experiment cache ``cache``.

    Started in the background by :meth:`start`; :meth:`wait` returns the site
    directory or fails the calling test with the end of the build's output.
    """

    name: str
    site: Path
    cache: Path
    process: subprocess.Popen[bytes] | None = None
    log_file: Path | None = None
    started: float = 0.0
    seconds: float | None = None
    returncode: int | None = None
    _reaper: threading.Thread | None = None

    def start(self) -> None:
        if self.process is not None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        self.log_file = self.site.parent / f"{self.name}.log"
        self.started = time.perf_counter()
        env = {**build_env(self.cache), "NNBOOK_SITE_URL": HOSTED_URL}
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(mkdocs_command(self.site), cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        self._reaper = threading.Thread(target=self._reap, daemon=True)  # records when the build ends
        self._reaper.start()

    def _reap(self) -> None:
        assert self.process is not None
        returncode = self.process.wait()
        self.seconds = time.perf_counter() - self.started
        self.returncode = returncode
        BUILD_LOG.append((f"whole book ({self.name})", self.seconds))

    def wait(self) -> Path:
        self.start()
        assert self._reaper is not None and self.log_file is not None
        self._reaper.join()
        if self.returncode != 0:
            output = self.log_file.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"`mkdocs build --strict` of the whole book ({self.name}) failed:\n{output[-8000:]}")
        return self.site

    def finish(self) -> bool:
        """Wait for a started build to end (without failing the caller); whether it succeeded."""
        assert self._reaper is not None
        self._reaper.join()
        return self.returncode == 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class BookBuilds:
    """The session's (at most two) builds of the whole book, in one temporary directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="nnmem-test-builds-"))
        self.first = BookBuild("first", self.root / "first" / "site", self.root / "first" / "cache")
        self.second = BookBuild("second", self.root / "second" / "site", self.root / "second" / "cache")
        for build in (self.first, self.second):
            build.site.parent.mkdir(parents=True)

    def close(self) -> None:
        for build in (self.first, self.second):
            build.stop()
        shutil.rmtree(self.root, ignore_errors=True)


BUILDS_KEY = pytest.StashKey[BookBuilds]()


def _builds(config: pytest.Config) -> BookBuilds:
    if BUILDS_KEY not in config.stash:
        config.stash[BUILDS_KEY] = BookBuilds()
    return config.stash[BUILDS_KEY]


def _needs_book(item: pytest.Item) -> bool:
    return bool(FULL_BUILD_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of the book `docs`; run those that need the built book last, so the others run while it builds."""
    for item in items:
        if _needs_book(item) or item.path.name in RUNS_THE_PAGES:
            item.add_marker(pytest.mark.docs)
    items.sort(key=lambda item: _needs_book(item) or item.path.name in RUNS_THE_PAGES)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the builds the selected tests need, in the background, before the first test runs."""
    if session.config.option.collectonly:
        return
    needed = set()
    for item in session.items:
        needed |= FULL_BUILD_FIXTURES & set(getattr(item, "fixturenames", ()))
    if not needed:
        return
    builds = _builds(session.config)
    builds.first.start()
    if "second_book_build" in needed:
        builds.second.start()  # two processes: the machine's two cores build both at once


def pytest_sessionfinish(session: pytest.Session) -> None:
    if BUILDS_KEY in session.config.stash:
        session.config.stash[BUILDS_KEY].close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not BUILD_LOG:
        return
    full = [s for what, s in BUILD_LOG if what.startswith("whole book")]
    small = [s for what, s in BUILD_LOG if not what.startswith("whole book")]
    terminalreporter.write_line(
        f"mkdocs builds in this session: {len(full)} of the whole book"
        f" ({', '.join(f'{s:.0f} s' for s in full) or '-'}), {len(small)} of small fixture sites"
        f" ({sum(small):.0f} s in all)"
    )


@pytest.fixture(scope="session")
def mkdocs_build() -> Any:
    """:func:`run_mkdocs_build`, for tests that build small fixture sites of their own."""
    return run_mkdocs_build


@pytest.fixture(scope="session")
def book_build(request: pytest.FixtureRequest) -> BookBuild:
    """The session's strict build of the whole book (from an empty experiment cache); waits for it."""
    build = _builds(request.config).first
    build.wait()
    return build


@pytest.fixture(scope="session")
def experiment_cache(request: pytest.FixtureRequest) -> Iterator[str]:
    """The experiment cache for tests that run the pages' code in this process (``$NNBOOK_CACHE_DIR``).

    The first book build's cache, after that build has ended (successful or
    not), when the session started it: the pages' experiments are then read,
    not recomputed. Otherwise a fresh temporary cache, never the working
    tree's. A ``$NNBOOK_CACHE_DIR`` set by the caller is kept.
    """
    if os.environ.get("NNBOOK_CACHE_DIR"):
        yield os.environ["NNBOOK_CACHE_DIR"]
        return
    builds = request.config.stash.get(BUILDS_KEY, None)
    temporary = None
    if builds is not None and builds.first.process is not None:
        builds.first.finish()
        cache = builds.first.cache
    else:
        cache = temporary = Path(tempfile.mkdtemp(prefix="nnmem-test-experiments-"))
    os.environ["NNBOOK_CACHE_DIR"] = str(cache)
    try:
        yield str(cache)
    finally:
        del os.environ["NNBOOK_CACHE_DIR"]
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


@pytest.fixture(scope="session")
def built_site(book_build: BookBuild) -> Path:
    """Directory of the session's strict build of the whole bilingual site."""
    return book_build.site


@pytest.fixture(scope="session")
def second_book_build(request: pytest.FixtureRequest) -> BookBuild:
    """A second, independent build of the whole book from another empty cache (for reproducibility checks)."""
    build = _builds(request.config).second
    build.wait()
    return build


# --- serving the built site and a browser ------------------------------------------------------

@pytest.fixture(scope="session")
def hosted_url() -> str:
    """The ``site_url`` the session's build was made for (its canonical links and sitemap use it)."""
    return HOSTED_URL


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The session's build served on 127.0.0.1 under :data:`HOSTED_PATH`, as GitHub Pages serves a project site."""
    handler = functools.partial(HostedSiteHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{HOSTED_PATH}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class HostedSiteHandler(QuietHandler):
    """Serves the site folder under :data:`HOSTED_PATH` only; a missing page there gets the site's ``404.html``.

    Like GitHub Pages: ``/book/x/`` is ``x/index.html`` of the folder,
    ``/book/zh`` redirects to ``/book/zh/``, and an address under ``/book/``
    with no file is answered with status 404 and the body of ``404.html``.
    Nothing is served outside ``/book/``.
    """

    def _in_site(self) -> bool:
        return (urlsplit(self.path).path + "/").startswith(HOSTED_PATH)

    def send_head(self) -> Any:
        if not self._in_site():
            super().send_error(HTTPStatus.NOT_FOUND, "outside the site")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(HOSTED_PATH):] if path.startswith(HOSTED_PATH) else "/")

    def list_directory(self, path: Any) -> None:  # a folder without index.html is missing, not listed
        self.send_error(HTTPStatus.NOT_FOUND, "No index.html")
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        error_page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not self._in_site() or not error_page.is_file():
            super().send_error(code, message, explain)
            return
        body = error_page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, shared by every test (one Playwright per process)."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's `chromium` package to run the browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()
