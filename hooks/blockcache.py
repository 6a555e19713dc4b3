"""Run the pages' Python blocks afresh for every page and language, and reuse what they printed.

``hooks/book.py`` installs :meth:`BlockRunner.format` as markdown-exec's
formatter for ``python``/``py`` blocks, through markdown-exec's public API
(``markdown_exec.formatters`` and ``markdown_exec.base_format``, the same
function its own formatters call). markdown-exec still parses the block
options, shows the source, wraps the result and reports errors; only the
execution is ours:

* **Fresh per page and language.** :meth:`BlockRunner.start_page` (called in
  ``on_page_markdown``) forgets every session, so blocks with the same
  ``session=`` name on another page, or on the same page in the other
  language, never see each other's variables.
* **Reuse.** What block *k* of a session prints depends on the code of blocks
  1..k of that session, the page's language and the environment (the files of
  ``nnmem`` and ``nnbook``, library versions, BLAS threads: see
  :func:`nnbook.cache.environment`; plus matplotlib's fonts and
  ``matplotlibrc``) and every file under :data:`EXTRA_INPUTS` (the committed
  benchmark results) whose path appears in the session's code. Its output
  is stored under a SHA-256 of exactly those inputs. While every block of a
  session so far was found in the cache, nothing runs; at the first block
  that is not found, the session's earlier blocks run again (their output is
  discarded: it was already taken from the cache) to rebuild its variables,
  and from then on the session runs normally. An edit of prose runs no code;
  an edit of a block re-runs its session from the start.
* **Honest entries.** Each entry records its key and the SHA-256 of the
  output; an entry that is unreadable, truncated, edited or filed under the
  wrong key is ignored and rewritten. Writes go to a temporary file that is
  renamed into place, so builds running side by side never read half a file.

A block that reads a file outside the inputs above, or one under
:data:`EXTRA_INPUTS` through a path that is not written out in its session's
code, would be served a stale output when only that file changes: read such
files through an experiment, or name them literally. ``NNBOOK_BLOCK_CACHE=off`` turns reuse off;
entries live in ``<experiment cache>/blocks/`` (``$NNBOOK_CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import json
import linecache
import os
import re
import sys
import tempfile
import traceback
from functools import partial
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXTRA_INPUTS = ("bench/results",)  # files that blocks read directly (relative to the repository)
FORMAT = 1


def _print_to(buffer: StringIO, *values: Any, end: str = "\n", **ignored: Any) -> None:
    """``print`` inside a block, as markdown-exec defines it: values joined by spaces, into the block's output."""
    buffer.write(" ".join(str(value) for value in values) + end)


def input_files(root: Path = ROOT) -> dict[str, str]:
    """SHA-256 of every file under :data:`EXTRA_INPUTS`, by path relative to `root`."""
    found = {}
    for relative in EXTRA_INPUTS:
        base = root / relative
        for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []:
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def environment_key(root: Path = ROOT) -> str:
    """SHA-256 of everything besides a block's own code and the files it names that its output depends on."""
    from nnbook.cache import environment

    record: dict[str, Any] = {"format": FORMAT, "environment": environment()}
    import matplotlib
    from matplotlib import font_manager

    record["matplotlibrc"] = hashlib.sha256(Path(matplotlib.matplotlib_fname()).read_bytes()).hexdigest()
    record["fonts"] = sorted(
        [font.fname, font.name, font.style, str(font.weight)] for font in font_manager.fontManager.ttflist
    )
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


class BlockStore:
    """Block outputs on disk, one JSON file per key, checked on every read."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        if self.directory is None:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            output = entry["output"]
            if entry["key"] != key or entry["sha256"] != hashlib.sha256(output.encode("utf-8")).hexdigest():
                return None
            return output if isinstance(output, str) else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, output: str) -> None:
        if self.directory is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"key": key, "sha256": hashlib.sha256(output.encode("utf-8")).hexdigest(), "output": output}
        temporary = tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{key[:8]}.", suffix=".tmp",
                                                delete=False, encoding="utf-8")
        with temporary as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(handle.name, path)


class _Session:
    def __init__(self) -> None:
        self.codes: list[str] = []  # the code of every block of the session so far
        self.globals: dict[str, Any] | None = None  # None while every block so far came from the cache


class BlockRunner:
    """Executes (or replays) the Python blocks of one build."""

    def __init__(self, store: BlockStore, environment: str, files: dict[str, str] | None = None) -> None:
        self.store = store
        self.environment = environment
        self.files = files or {}  # input files (path -> SHA-256) that a session's code may name
        self.page = ""
        self.language = ""
        self.sessions: dict[str, _Session] = {}
        self.executed = 0
        self.reused = 0

    def start_page(self, src_uri: str, language: str) -> None:
        """Forget every session: each page, in each language, starts from nothing."""
        self.page, self.language = src_uri, language
        self.sessions = {}

    def format(self, **options: Any) -> Any:
        """markdown-exec's formatter signature for ``python`` blocks."""
        from markdown_exec import base_format

        options.pop("language", None)
        return base_format(language="python", run=self.run, **options)

    def key(self, codes: list[str], session: str | None, options: dict[str, Any]) -> str:
        code = "\n".join(codes)
        record = {
            "environment": self.environment,
            "files": {path: digest for path, digest in self.files.items() if path in code},
            "page": self.page,
            "language": self.language,
            "session": session or "",
            "codes": codes,
            "options": {k: str(v) for k, v in sorted(options.items())},
            "cwd": os.getcwd(),
        }
        return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()

    def run(self, code: str, returncode: int | None = None, session: str | None = None, id: str | None = None,  # noqa: A002
            **extra: Any) -> str:
        state = self.sessions.setdefault(session, _Session()) if session else _Session()
        codes = [*state.codes, code]
        key = self.key(codes, session, {"returncode": returncode, "id": id or "", **extra})
        if state.globals is None:
            cached = self.store.get(key)
            if cached is not None:
                state.codes = codes
                self.reused += 1
                return cached
            state.globals = {}
            for number, earlier in enumerate(state.codes, start=1):  # rebuild the session's variables
                label = f"{id or session}, replaying block {number} of its session"
                self._execute(earlier, state.globals, label, extra)
        label = id or (f"session {session}; n{len(codes)}" if session else "")
        output = self._execute(code, state.globals, label, extra)
        state.codes = codes
        self.store.put(key, output)
        return output

    def _execute(self, code: str, namespace: dict[str, Any], label: str, extra: dict[str, Any]) -> str:
        from markdown_exec import ExecutionError, code_block

        self.executed += 1
        filename = f"<code block: {label or 'anonymous'}; {self.language}/{self.page}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
        module_name = re.sub(r"[^a-zA-Z\d]+", "_", filename)
        namespace["__name__"] = module_name
        sys.modules[module_name] = ModuleType(module_name)  # dataclasses and pickle look the module up
        buffer = StringIO()
        namespace["print"] = partial(_print_to, buffer)
        try:
            exec(compile(code, filename, "exec"), namespace)  # noqa: S102
        except Exception as error:  # noqa: BLE001 - every failure of a page's code is reported by markdown-exec
            raise ExecutionError(code_block("python", "".join(traceback.format_exception(error)), **extra)) from error
        return buffer.getvalue()
