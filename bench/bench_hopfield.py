"""Hopfield recall with nnmem.hopfield against the dense matrix-product limit.

Run from the repository root:

    .venv/bin/python bench/bench_hopfield.py    # writes bench/results/hopfield.json

N = 1,000 neurons store P = 100 random patterns (`nnmem.hopfield.store`);
1,000 cues (each a stored pattern with 10 % of its bits flipped) are updated
together, float64, one thread:

* synchronous: one `update_sync` step of all cues (fields H = S W^T);
* asynchronous: one `update_async` sweep of all cues (every neuron once, in a
  random order, each field a matrix-vector product with the batch);
* the limit: the same multiply-adds done as one GEMM, S @ W^T, with numpy
  (and PyTorch if installed).

Both updates compute C*N*N multiply-adds per sweep (2*C*N^2 flops); only the
order differs, so the GEMM is the limit for both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402
from nnmem import hopfield  # noqa: E402


def sweep_flops(n_cues: int, n_neurons: int) -> dict[str, int]:
    """One synchronous step or one asynchronous sweep over `n_cues` states: 2*C*N*N flops in products.

    Elementwise work (one sign and one comparison per neuron per cue) is C*N values.
    """
    return {"matmul": C.gemm_flops(n_cues, n_neurons, n_neurons), "elementwise_values": n_cues * n_neurons}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch_threads  # noqa: F401

    n, p, c = 1000, 100, 1000
    report = C.header("python bench/bench_hopfield.py " + " ".join(sys.argv[1:]))
    peak = C.read_peak()
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1.0, 1.0], size=(p, n))
    W = hopfield.store(patterns)
    cues = np.stack([hopfield.corrupt(patterns[i % p], fraction=0.1, rng=rng) for i in range(c)])
    out = np.empty((c, n))
    contenders: dict[str, Any] = {
        "nnmem update_sync": lambda: hopfield.update_sync(W, cues),
        "nnmem update_async": lambda: hopfield.update_async(W, cues, rng=0),
        "numpy GEMM (limit)": lambda: np.matmul(cues, W.T, out=out),
    }
    try:
        import torch

        tW, tc = torch.from_numpy(W), torch.from_numpy(cues)
        tout = torch.empty((c, n), dtype=torch.float64)
        contenders["torch GEMM (limit)"] = lambda: torch.matmul(tc, tW.T, out=tout)
    except ImportError:
        pass
    flops = sweep_flops(c, n)
    with threadpool_limits(limits=1):
        times = C.interleaved(contenders, args.repeats)
    limit = min(C.summary(times[k])["median_s"] for k in times if "limit" in k)
    rows = {}
    for label, secs in times.items():
        row = C.with_throughput(C.summary(secs), flops["matmul"], "float64", peak)
        row["time_vs_gemm_limit"] = row["median_s"] / limit
        rows[label] = row
        print(f"{label:22s} {1e3 * row['median_s']:10.2f} ms  x{row['time_vs_gemm_limit']:8.2f} of the GEMM  "
              f"{row['gflops']:7.2f} GFLOP/s")
    report["workloads"] = {
        "recall": {"n_neurons": n, "n_patterns": p, "n_cues": c, "dtype": "float64", "cue_noise": 0.1,
                   "flops": flops, "results": rows}
    }
    if peak is not None:
        report["peak_used"] = {"date": peak["date"], **peak["peak"]["float64"]}
    C.finish(report, "hopfield", not args.no_write)


if __name__ == "__main__":
    main()
