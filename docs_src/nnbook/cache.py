"""Run an experiment once and share its result, without ever serving a stale one.

An experiment is a module ``nnbook.experiments.<name>`` with a function
``run(**kwargs) -> dict`` whose result is JSON-serialisable (numpy arrays and
scalars are converted to lists and numbers). Results must not contain NaN or
infinity (JSON has no such numbers): return ``None`` for a missing value.

:func:`run_experiment` keys a result by a SHA-256 hash of everything that can
change it (:func:`environment` and :func:`fingerprint`):

* the experiment's source file and every file of the ``nnmem`` package, the
  shipped data files (``nnmem/data/*``) included, and every source file of
  ``nnbook`` (page helpers and experiments: an experiment may import another);
* the keyword arguments;
* the versions of Python, numpy, SciPy, scikit-learn and matplotlib;
* the BLAS libraries in use, their versions and thread counts (the thread
  count changes the order of floating-point sums).

Where results live: ``$NNBOOK_CACHE_DIR`` if set (``off`` keeps them in
memory only), else ``.cache/experiments/`` in the repository. Each entry is
two files: ``<name>-<key>.json`` (the result, as JSON) and
``<name>-<key>.json.check`` (the full key and the SHA-256 of the result
file). An entry whose check file is missing, names another key, or does not
match the result's bytes (a truncated or edited file), or whose result is not
valid JSON, is recomputed and rewritten, never served. Both files are written
to a temporary name and renamed into place, so builds running at the same
time never read half a file.

Every page gets the same result object, and it is read-only: its lists and
dicts are :class:`FrozenList` and :class:`FrozenDict`, which compare equal to
plain lists and dicts, serialise to JSON like them, and raise ``TypeError``
on any change (one language's page can never change what the other one
sees). ``copy.deepcopy(result)`` or ``list(...)``/``dict(...)`` give a
mutable copy.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

__all__ = ["FrozenDict", "FrozenList", "cache_dir", "environment", "fingerprint", "freeze", "run_experiment", "thaw"]

FORMAT = 2  # bump when the layout of an entry changes
MISSING = object()  # what load_entry returns when there is no valid entry
_memory: dict[str, Any] = {}


# --------------------------------------------------------------------------- read-only results


def _read_only(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(
        "experiment results are shared by every page and language and are read-only; "
        "change a copy (copy.deepcopy(result), list(...), dict(...))."
    )


class FrozenList(list):
    """A list that refuses changes; equal to, and serialised like, a plain list."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo: dict) -> list:
        return thaw(self)

    def __reduce__(self) -> tuple:
        return (FrozenList, (list(self),))


class FrozenDict(dict):
    """A dict that refuses changes; equal to, and serialised like, a plain dict."""

    __setitem__ = __delitem__ = __ior__ = _read_only
    update = pop = popitem = clear = setdefault = _read_only

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo: dict) -> dict:
        return thaw(self)

    def __reduce__(self) -> tuple:
        return (FrozenDict, (dict(self),))


def freeze(value: Any) -> Any:
    """A read-only deep copy of a JSON-like value (lists and dicts become frozen)."""
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return FrozenList(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A plain, mutable deep copy of a (possibly frozen) JSON-like value."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thaw(v) for v in value]
    return value


# --------------------------------------------------------------------------- the key


def cache_dir() -> Path | None:
    """Where results are stored on disk, or ``None`` when disk caching is off."""
    setting = os.environ.get("NNBOOK_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return Path(__file__).resolve().parents[2] / ".cache" / "experiments"


def _package_dir() -> Path:
    import nnmem

    return Path(nnmem.__file__).resolve().parent


def _book_dir() -> Path:
    return Path(__file__).resolve().parent


def _files(directory: Path, pattern: str) -> list[Path]:
    found = directory.rglob(pattern)
    return sorted(p for p in found if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def blas() -> list[list[Any]]:
    """numpy's BLAS: API, library, version and thread count.

    Only the BLAS that numpy links (found next to numpy; every loaded BLAS if
    none is): SciPy and scikit-learn load their own libraries when they are
    first imported, and a key that depended on what happened to be imported
    earlier in the process would differ from build to build.
    """
    from threadpoolctl import threadpool_info

    numpy_dir = Path(np.__file__).resolve().parent
    numpy_places = (str(numpy_dir) + os.sep, str(numpy_dir.with_name("numpy.libs")) + os.sep)
    found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    mine = [i for i in found if str(i.get("filepath", "")).startswith(numpy_places)]
    return sorted(
        [str(i.get("user_api")), str(i.get("internal_api")), str(i.get("version")), int(i.get("num_threads", 0))]
        for i in (mine or found)
    )


def environment(package_dir: Path | None = None, book_dir: Path | None = None) -> dict[str, Any]:
    """Everything besides the experiment's own arguments that a result depends on.

    `package_dir` and `book_dir` default to the imported ``nnmem`` package and
    this ``nnbook`` directory (tests point them at copies).
    """
    package_dir = package_dir or _package_dir()
    book_dir = book_dir or _book_dir()
    files = {}
    for label, directory, pattern in (("nnmem", package_dir, "*"), ("nnbook", book_dir, "*.py")):
        for path in _files(directory, pattern):
            files[f"{label}/{path.relative_to(directory).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "format": FORMAT,
        "python": sys.version,
        "versions": {
            "numpy": np.__version__,
            "scipy": _version("scipy"),
            "scikit-learn": _version("scikit-learn"),
            "matplotlib": _version("matplotlib"),
        },
        "blas": blas(),
        "files": files,
    }


def fingerprint(name: str, kwargs: dict[str, Any], *, env: dict[str, Any] | None = None) -> str:
    """Hash of everything the result of experiment `name` called with `kwargs` depends on."""
    module = importlib.import_module(f"nnbook.experiments.{name}")
    record = {
        "experiment": name,
        "experiment_source": hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest(),  # type: ignore[arg-type]
        "kwargs": json.dumps(kwargs, sort_keys=True, default=str),
        "environment": env if env is not None else environment(),
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------- storage


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def entry_paths(directory: Path, name: str, key: str) -> tuple[Path, Path]:
    """The result file and the check file of an entry."""
    result = directory / f"{name}-{key[:20]}.json"
    return result, result.with_name(result.name + ".check")


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    with temporary as handle:
        handle.write(data)
    os.replace(handle.name, path)


def load_entry(directory: Path, name: str, key: str) -> Any:
    """The stored result for `key`, or :data:`MISSING` if there is none or it fails any check."""
    result_path, check_path = entry_paths(directory, name, key)
    try:
        check = json.loads(check_path.read_text(encoding="utf-8"))
        data = result_path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if not isinstance(check, dict) or check.get("key") != key or check.get("sha256") != digest:
            return MISSING
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
        return MISSING


def store_entry(directory: Path, name: str, key: str, result: Any) -> None:
    """Write a result and its check file (each atomically: temporary file, then rename)."""
    result_path, check_path = entry_paths(directory, name, key)
    data = json.dumps(result, sort_keys=True, allow_nan=False).encode("utf-8")
    _write_atomically(result_path, data)
    check = {"key": key, "sha256": hashlib.sha256(data).hexdigest(), "experiment": name}
    _write_atomically(check_path, json.dumps(check, sort_keys=True).encode("utf-8"))


def run_experiment(name: str, **kwargs: Any) -> Any:
    """Return the result of ``nnbook.experiments.<name>.run(**kwargs)``, computing it at most once.

    The result always comes back as it would from JSON (lists, floats, ints,
    strings), whether it was just computed or read from the cache, so the
    page looks the same either way; it is read-only (see the module's notes).
    """
    key = fingerprint(name, kwargs)
    if key in _memory:
        return _memory[key]
    directory = cache_dir()
    result = load_entry(directory, name, key) if directory is not None else MISSING
    if result is MISSING:
        module = importlib.import_module(f"nnbook.experiments.{name}")
        result = json.loads(json.dumps(_jsonable(module.run(**kwargs)), allow_nan=False))
        if directory is not None:
            store_entry(directory, name, key, result)
    frozen = freeze(result)
    _memory[key] = frozen
    return frozen
