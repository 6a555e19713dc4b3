"""The machine's real limit: peak single-thread matrix-multiply throughput of every installed library.

Run from the repository root:

    .venv/bin/python bench/peak.py          # writes bench/results/peak.json

Measured, with one thread, interleaved repetitions, median of each:

* large square products C = A @ B (1024 and 2048), float32 and float64,
  with numpy (its BLAS) and, if installed, PyTorch (its own BLAS);
* the five products of one SGD step of the MNIST-sized network 784-256-10
  at batch 128 (forward 2, backward 3), each on its own.

The peak for a dtype is the highest median throughput any library reached
on any of these shapes. The other benchmarks report their contenders as a
fraction of it. The floating-point operations of each product are counted
analytically: 2*m*n*k (m*n*k multiplies and as many adds).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def mlp_step_products(batch: int, sizes: list[int]) -> list[tuple[str, int, int, int]]:
    """The matrix products of one SGD step of a fully connected network, as (name, m, n, k).

    Forward: one product per layer, (batch x n_in) @ (n_in x n_out). Backward:
    one weight gradient per layer, (n_in x batch) @ (batch x n_out), and one
    product carrying the error back for every layer but the first (no
    gradient with respect to the input is needed), (batch x n_out) @ (n_out x n_in).
    """
    out = []
    layers = list(zip(sizes[:-1], sizes[1:], strict=True))
    for i, (a, b) in enumerate(layers, 1):
        out.append((f"forward {i}", batch, b, a))
    for i in range(len(layers), 0, -1):
        a, b = layers[i - 1]
        out.append((f"weight gradient {i}", a, b, batch))
        if i > 1:
            out.append((f"error back to layer {i - 1}", batch, a, b))
    return out


def mlp_epoch_flops(n_train: int, sizes: list[int], batch: int) -> dict[str, int]:
    """Floating-point work of one epoch of mini-batch SGD (the last batch may be smaller).

    ``matmul``: 2*m*n*k summed over the products of every step. Elementwise work
    is given separately as counts of values, not weighted by cost: every unit's
    bias add and activation forward (``unit_values``), the same again backward,
    and every parameter updated once per batch (``parameter_updates``).
    """
    full, rest = divmod(n_train, batch)
    batches = [batch] * full + ([rest] if rest else [])
    matmul = sum(C.gemm_flops(m, n, k) for b in batches for _, m, n, k in mlp_step_products(b, sizes))
    n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return {
        "matmul": matmul,
        "unit_values": 2 * n_train * sum(sizes[1:]),
        "parameter_updates": len(batches) * n_params,
    }


def numpy_product(m: int, n: int, k: int, dtype: Any) -> Callable[[], Any]:
    rng = np.random.default_rng(0)
    a, b = rng.random((m, k)).astype(dtype), rng.random((k, n)).astype(dtype)
    out = np.empty((m, n), dtype=dtype)
    return lambda: np.matmul(a, b, out=out)


def torch_product(m: int, n: int, k: int, dtype: Any) -> Callable[[], Any] | None:
    try:
        import torch
    except ImportError:
        return None
    tdtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand((m, k), generator=g, dtype=tdtype), torch.rand((k, n), generator=g, dtype=tdtype)
    out = torch.empty((m, n), dtype=tdtype)
    return lambda: torch.matmul(a, b, out=out)


def inner_loops(m: int, n: int, k: int) -> int:
    """Calls per timed sample, so that small products are timed over ~0.05 GFLOP at least."""
    return max(1, int(5e7 // C.gemm_flops(m, n, k)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch_threads  # noqa: F401  (one PyTorch thread)

    report = C.header("python bench/peak.py " + " ".join(sys.argv[1:]))
    shapes: list[tuple[str, int, int, int]] = [(f"square {s}", s, s, s) for s in args.sizes]
    shapes += [(f"mnist {name}", m, n, k) for name, m, n, k in mlp_step_products(128, [784, 256, 10])]
    rows = []
    with threadpool_limits(limits=1):
        for dtype in (np.float32, np.float64):
            for shape, m, n, k in shapes:
                reps = inner_loops(m, n, k)
                contenders: dict[str, Callable[[], Any]] = {}
                for lib, make in (("numpy", numpy_product), ("torch", torch_product)):
                    fn = make(m, n, k, dtype)
                    if fn is not None:
                        contenders[lib] = (lambda f=fn, r=reps: [f() for _ in range(r)])
                times = C.interleaved(contenders, args.repeats)
                for lib, secs in times.items():
                    row = C.summary([s / reps for s in secs])
                    row.update({"library": lib, "dtype": np.dtype(dtype).name, "shape": shape, "m": m, "n": n, "k": k,
                                "flops": C.gemm_flops(m, n, k)})
                    row["gflops"] = row["flops"] / row["median_s"] / 1e9
                    rows.append(row)
                    print(f"{np.dtype(dtype).name:8s} {shape:38s} {lib:6s} {row['gflops']:8.1f} GFLOP/s")
    peak = {}
    for dtype in ("float32", "float64"):
        best = max((r for r in rows if r["dtype"] == dtype), key=lambda r: r["gflops"])
        peak[dtype] = {"gflops": best["gflops"], "library": best["library"], "shape": best["shape"]}
        print(f"peak {dtype}: {best['gflops']:.1f} GFLOP/s ({best['library']}, {best['shape']})")
    for r in rows:
        r["fraction_of_peak"] = r["gflops"] / peak[r["dtype"]]["gflops"]
    # the MNIST-sized step: its five products, per epoch of 60,000 samples, at each library's speed
    mnist_sizes, n_train, batch = [784, 256, 10], 60_000, 128
    epoch = mlp_epoch_flops(n_train, mnist_sizes, batch)
    digits = mlp_epoch_flops(1347, [64, 128, 10], 32)
    report.update({
        "peak": peak,
        "measurements": rows,
        "workload_flops": {
            "mnist": {"sizes": mnist_sizes, "n_train": n_train, "batch": batch, "dtype": "float32", **epoch,
                      "seconds_at_peak": epoch["matmul"] / (peak["float32"]["gflops"] * 1e9)},
            "digits": {"sizes": [64, 128, 10], "n_train": 1347, "batch": 32, "dtype": "float64", **digits,
                       "seconds_at_peak": digits["matmul"] / (peak["float64"]["gflops"] * 1e9)},
        },
    })
    C.finish(report, "peak", not args.no_write)


if __name__ == "__main__":
    main()
