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
the tests run goes through :func:`run_mkdocs_build` or :class:`BookBuild`,
which count it; the count is printed at the end of the run ("mkdocs builds in
this run").

``make test`` runs the tests in two processes (pytest-xdist, ``-n 2 --dist
loadscope``: the test functions of a module stay in one process, and so do
the tests of a class, e.g. the browser checks of one page, made one class per
page in ``test_browser.py``, or the PDF tests, whose module fixture prints
chapters of the book); the processes of a run share the builds (see
:class:`BookBuild`). ``--dist loadgroup`` with ``xdist_group`` marks does not
group tests with pytest 9.2 and pytest-xdist 3.8 (measured: two tests of one
group ran in two processes), hence classes. Fast tier without any build: ``pytest -m "not docs"``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
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
#
# One run of the tests may be several processes (``pytest -n 2`` with pytest-xdist: a controller and
# workers). They share one temporary folder, named in ``$NNBOOK_TEST_BUILDS`` by the first process
# (the only one, or the controller, whose workers inherit its environment), which removes it at the
# end. Each whole-book build is started by whichever process claims it first and runs in its own
# process group; every process waits for the return code the build's wrapper writes when it ends.

BUILDS_ENV = "NNBOOK_TEST_BUILDS"
BUILDS_OWNER = pytest.StashKey[Path]()

# Runs one command with its output in a log file, then writes "<return code> <seconds>" atomically.
_BUILD_WRAPPER = """
import os, subprocess, sys, time
rc_file, log_file, *command = sys.argv[1:]
t0 = time.perf_counter()
with open(log_file, "wb") as log:
    rc = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
with open(rc_file + ".tmp", "w") as out:
    out.write(f"{rc} {time.perf_counter() - t0:.3f}")
os.replace(rc_file + ".tmp", rc_file)
"""


def _builds_root() -> Path | None:
    root = os.environ.get(BUILDS_ENV)
    return Path(root) if root else None


def _log_small_build(seconds: float, what: str) -> None:
    root = _builds_root()
    if root is not None:
        with open(root / "small-builds.log", "a", encoding="utf-8") as log:
            log.write(f"{seconds:.3f}\t{what}\n")


def mkdocs_command(site_dir: Path, config_file: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    if config_file is not None:
        command += ["--config-file", str(config_file)]
    return command


def build_env(cache_dir: Path) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNBOOK_CACHE_DIR": str(cache_dir)}


def run_mkdocs_build(site_dir: Path, cache_dir: Path, *, config_file: Path | None = None,
                     what: str = "fixture site") -> subprocess.CompletedProcess[str]:
    """Run one strict `mkdocs build` in a subprocess (counted in the run's build log)."""
    t0 = time.perf_counter()
    proc = subprocess.run(mkdocs_command(site_dir, config_file), cwd=ROOT, env=build_env(cache_dir),
                          capture_output=True, text=True)
    _log_small_build(time.perf_counter() - t0, what)
    return proc


@dataclass
class BookBuild:
    """A strict build of the whole book into ``site``, from an empty experiment cache ``cache``.

    :meth:`start` starts it in the background unless another process of this
    test run has; :meth:`wait` returns the site directory or fails the calling
    test with the end of the build's output; :meth:`finish` only waits.
    """

    name: str
    root: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def site(self) -> Path:
        return self.root / self.name / "site"

    @property
    def cache(self) -> Path:
        return self.root / self.name / "cache"

    @property
    def log_file(self) -> Path:
        return self.root / f"{self.name}.log"

    def _file(self, suffix: str) -> Path:
        return self.root / f"{self.name}.{suffix}"

    def started(self) -> bool:
        return self._file("claim").exists()

    def start(self) -> None:
        try:
            os.close(os.open(self._file("claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return  # this process or another one of the run has started it
        self.cache.mkdir(parents=True, exist_ok=True)
        env = {**build_env(self.cache), "NNBOOK_SITE_URL": HOSTED_URL}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BUILD_WRAPPER, str(self._file("rc")), str(self.log_file),
             *mkdocs_command(self.site)],
            cwd=ROOT, env=env, start_new_session=True,
        )
        self._file("pid").write_text(str(self.process.pid), encoding="utf-8")

    def result(self) -> tuple[int, float] | None:
        """(return code, seconds) once the build has ended, else None."""
        try:
            code, seconds = self._file("rc").read_text(encoding="utf-8").split()
        except FileNotFoundError:
            return None
        return int(code), float(seconds)

    def _alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(int(self._file("pid").read_text(encoding="utf-8")), 0)
        except (FileNotFoundError, ValueError):
            return True  # claimed, and its pid not written yet
        except ProcessLookupError:
            return False
        return True

    def finish(self) -> bool:
        """Start the build if nobody has, wait for it to end (without failing the caller); whether it succeeded."""
        self.start()
        while (done := self.result()) is None:
            if not self._alive() and self.result() is None:
                return False  # the build's wrapper was killed
            time.sleep(0.2)
        return done[0] == 0

    def wait(self) -> Path:
        if not self.finish():
            output = self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""
            pytest.fail(f"`mkdocs build --strict` of the whole book ({self.name}) failed:\n{output[-8000:]}")
        return self.site

    def stop(self) -> None:
        """Stop the build if it is still running (its whole process group)."""
        try:
            pid = int(self._file("pid").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return
        if self.result() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)


class BookBuilds:
    """The test run's (at most two) builds of the whole book, in the run's shared temporary folder."""

    def __init__(self, root: Path) -> None:
        self.first = BookBuild("first", root)
        self.second = BookBuild("second", root)


BUILDS_KEY = pytest.StashKey[BookBuilds]()


def _builds(config: pytest.Config) -> BookBuilds:
    if BUILDS_KEY not in config.stash:
        root = _builds_root()
        assert root is not None, "pytest_configure names the run's build folder"
        config.stash[BUILDS_KEY] = BookBuilds(root)
    return config.stash[BUILDS_KEY]


def pytest_configure(config: pytest.Config) -> None:
    if _builds_root() is None:  # the first process of this test run
        root = Path(tempfile.mkdtemp(prefix="nnmem-test-builds-"))
        os.environ[BUILDS_ENV] = str(root)
        config.stash[BUILDS_OWNER] = root


def pytest_unconfigure(config: pytest.Config) -> None:
    root = config.stash.get(BUILDS_OWNER, None)
    if root is not None:
        builds = BookBuilds(root)
        for build in (builds.first, builds.second):
            build.stop()
        shutil.rmtree(root, ignore_errors=True)
        del os.environ[BUILDS_ENV]


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


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    root = config.stash.get(BUILDS_OWNER, None)
    if root is None:
        return
    builds = BookBuilds(root)
    full = [done[1] for b in (builds.first, builds.second) if (done := b.result()) is not None]
    log = root / "small-builds.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    small = [float(line.split("\t")[0]) for line in lines]
    if full or small:
        terminalreporter.write_line(
            f"mkdocs builds in this run: {len(full)} of the whole book"
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
    builds = _builds(request.config)
    temporary = None
    if builds.first.started():
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
