"""Helpers shared by the benchmarks in bench/: machine description, BLAS of each contender, interleaved timing.

Every benchmark runs with one thread (threadpoolctl for numpy's BLAS,
``torch.set_num_threads(1)`` for PyTorch), repeats its contenders
interleaved in one process (so that a slow drift of a shared machine hits
all of them alike) and reports the median and the spread (min, max) of the
repetitions.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_info

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PEAK_FILE = RESULTS_DIR / "peak.json"

SHARED_NOTE = (
    "The machine is shared: other processes ran during this measurement (see the load averages). "
    "Re-run on an idle machine with `make bench`; only ratios measured in one run are meaningful."
)


def gemm_flops(m: int, n: int, k: int) -> int:
    """Floating-point operations of one (m x k) @ (k x n) product: m*n*k multiplies and m*n*k adds."""
    return 2 * m * n * k


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return []


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas() -> dict[str, Any]:
    """The BLAS numpy is linked with: threadpoolctl's view plus numpy.show_config()'s build data."""
    libs = [
        {k: i.get(k) for k in ("internal_api", "version", "architecture", "filepath", "num_threads")}
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    build: Any = None
    try:
        cfg = np.show_config(mode="dicts")
        deps = cfg.get("Build Dependencies", {}) if isinstance(cfg, dict) else {}
        fields = ("name", "version", "found")
        build = {k: {f: v.get(f) for f in fields} for k, v in deps.items() if k in ("blas", "lapack")}
    except Exception:  # noqa: BLE001 - show_config's format differs between numpy versions
        build = None
    return {"threadpoolctl": libs, "numpy_build": build}


def torch_blas() -> dict[str, Any] | None:
    try:
        import torch
    except ImportError:
        return None
    show = torch.__config__.show()
    keys = ("BLAS", "MKL", "LAPACK", "oneDNN", "CPU capability")
    lines = [ln.strip() for ln in show.splitlines() if any(w in ln for w in keys)]
    return {"version": torch.__version__, "config": lines, "threads": torch.get_num_threads()}


def versions() -> dict[str, str]:
    import nnmem

    out = {"python": platform.python_version(), "numpy": np.__version__, "nnmem": nnmem.__version__}
    try:
        import torch

        out["torch"] = torch.__version__
    except ImportError:
        pass
    try:
        import sklearn

        out["scikit-learn"] = sklearn.__version__
    except ImportError:
        pass
    return out


def header(command: str) -> dict[str, Any]:
    """The common head of every result file; call at the start of a run."""
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "threads": 1,
        "machine": {
            "cpu": cpu_model(),
            "logical_cpus": os.cpu_count(),
            "system": platform.system(),
            "shared": True,
            "note": SHARED_NOTE,
            "load_average_start": load_average(),
        },
        "versions": versions(),
        "blas": {"numpy": numpy_blas(), "torch": torch_blas()},
    }


def finish(report: dict[str, Any], name: str, write: bool) -> None:
    report["machine"]["load_average_end"] = load_average()
    if write:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{name}.json"
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")


def interleaved(contenders: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Seconds of each call, contenders interleaved: A B C A B C ... (one warm-up call each first)."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(repeats):
        for label, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - start)
    return times


def summary(seconds: list[float]) -> dict[str, Any]:
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "repeats": len(seconds),
        "all_s": seconds,
    }


def read_peak() -> dict[str, Any] | None:
    if PEAK_FILE.exists():
        return json.loads(PEAK_FILE.read_text(encoding="utf-8"))
    return None


def with_throughput(row: dict[str, Any], flops: float, dtype: str, peak: dict[str, Any] | None) -> dict[str, Any]:
    """Add GFLOP/s (from the median) and the fraction of the machine's measured peak for `dtype`."""
    row["gflops"] = flops / row["median_s"] / 1e9
    if peak is not None and dtype in peak["peak"]:
        row["fraction_of_peak"] = row["gflops"] / peak["peak"][dtype]["gflops"]
    return row
