"""Run an experiment once per build and share its result between languages.

An experiment is a module ``nnbook.experiments.<name>`` with a function
``run(**kwargs) -> dict`` whose result is JSON-serialisable (numpy arrays and
scalars are converted to lists and numbers). Results must not contain NaN or
infinity (JSON has no such numbers): return ``None`` for a missing value. :func:`run_experiment` keys the
result by a hash of

* the experiment's source file,
* every source file of the installed ``nnmem`` package and of ``nnbook``
  (experiments included, since one experiment may import another),
* the keyword arguments, and the numpy version,

and keeps it in memory for the rest of the process and on disk under
``.cache/experiments/`` (or ``$NNBOOK_CACHE_DIR``). Change the package or the
experiment and the hash changes, so a stale result is never shown. Set
``NNBOOK_CACHE_DIR=off`` to keep results in memory only.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["cache_dir", "fingerprint", "run_experiment"]

_memory: dict[str, dict[str, Any]] = {}


def cache_dir() -> Path | None:
    """Where results are stored on disk, or ``None`` when disk caching is off."""
    setting = os.environ.get("NNBOOK_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return Path(__file__).resolve().parents[2] / ".cache" / "experiments"


def _source_files() -> list[Path]:
    import nnmem

    package_dir = Path(nnmem.__file__).resolve().parent
    book_dir = Path(__file__).resolve().parent
    # all of nnbook, experiments included: an experiment may import another one
    return sorted(package_dir.rglob("*.py")) + sorted(book_dir.rglob("*.py"))


def fingerprint(name: str, kwargs: dict[str, Any]) -> str:
    """Hash of everything the result of experiment `name` depends on."""
    module = importlib.import_module(f"nnbook.experiments.{name}")
    digest = hashlib.sha256()
    digest.update(Path(module.__file__).read_bytes())  # type: ignore[arg-type]
    for path in _source_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(kwargs, sort_keys=True, default=str).encode())
    digest.update(np.__version__.encode())
    return digest.hexdigest()


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


def run_experiment(name: str, **kwargs: Any) -> dict[str, Any]:
    """Return the result of ``nnbook.experiments.<name>.run(**kwargs)``, computing it at most once.

    The result always comes back as it would from JSON (lists, floats, ints,
    strings), whether it was just computed or read from the cache, so the
    page looks the same either way.
    """
    key = fingerprint(name, kwargs)
    if key in _memory:
        return _memory[key]
    directory = cache_dir()
    path = directory / f"{name}-{key[:20]}.json" if directory else None
    if path is not None and path.exists():
        result = json.loads(path.read_text(encoding="utf-8"))
    else:
        module = importlib.import_module(f"nnbook.experiments.{name}")
        result = json.loads(json.dumps(_jsonable(module.run(**kwargs)), allow_nan=False))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
                json.dump(result, handle, sort_keys=True)
            os.replace(handle.name, path)
    _memory[key] = result
    return result
