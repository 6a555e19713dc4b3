"""Dense associative memory retrieval (nnmem.modern_hopfield.retrieve) against its matrix-product limit.

Run from the repository root:

    .venv/bin/python bench/bench_dense_memory.py    # writes bench/results/dense_memory.json

P = 1,000 stored patterns of N = 1,000 values (+-1), 1,000 queries (stored
patterns with 10 % of their signs flipped), beta = 0.05, one update step,
float64, one thread. One step is xi <- X^T softmax(beta X xi) for every
query: two products, scores Q X^T (Q x P from Q x N and N x P) and
retrieved states A X (Q x N from Q x P and P x N), 2*Q*P*N flops each.
The limit is those two GEMMs alone, with numpy (and PyTorch if installed);
a PyTorch version of the whole update (`torch.softmax`) is timed too.
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
from nnmem import modern_hopfield  # noqa: E402


def retrieve_flops(n_queries: int, n_patterns: int, n_dims: int, steps: int = 1) -> dict[str, int]:
    """Products: scores (Q x N)(N x P) and readout (Q x P)(P x N) per step, 2*Q*P*N flops each.

    Elementwise (scaling by beta, exp, normalisation of the softmax) touches Q*P values per step.
    """
    per_step = C.gemm_flops(n_queries, n_patterns, n_dims) + C.gemm_flops(n_queries, n_dims, n_patterns)
    return {"matmul": steps * per_step, "elementwise_values": steps * n_queries * n_patterns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch_threads  # noqa: F401

    n, p, q, beta = 1000, 1000, 1000, 0.05
    report = C.header("python bench/bench_dense_memory.py " + " ".join(sys.argv[1:]))
    peak = C.read_peak()
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(p, n))
    flip = rng.random((q, n)) < 0.1
    queries = np.where(flip, -X[np.arange(q) % p], X[np.arange(q) % p])
    scores, retrieved = np.empty((q, p)), np.empty((q, n))

    def gemms() -> None:
        np.matmul(queries, X.T, out=scores)
        np.matmul(scores, X, out=retrieved)

    contenders: dict[str, Any] = {
        "nnmem retrieve": lambda: modern_hopfield.retrieve(X, queries, beta=beta),
        "numpy GEMMs (limit)": gemms,
    }
    try:
        import torch

        tX, tq = torch.from_numpy(X), torch.from_numpy(queries)
        ts, tr = torch.empty((q, p), dtype=torch.float64), torch.empty((q, n), dtype=torch.float64)

        def torch_gemms() -> None:
            torch.matmul(tq, tX.T, out=ts)
            torch.matmul(ts, tX, out=tr)

        contenders["torch retrieve"] = lambda: torch.softmax(beta * (tq @ tX.T), dim=-1) @ tX
        contenders["torch GEMMs (limit)"] = torch_gemms
        got = contenders["torch retrieve"]().numpy()
        assert np.allclose(got, modern_hopfield.retrieve(X, queries, beta=beta)), "torch and nnmem disagree"
    except ImportError:
        pass
    flops = retrieve_flops(q, p, n)
    with threadpool_limits(limits=1):
        times = C.interleaved(contenders, args.repeats)
    limit = min(C.summary(times[k])["median_s"] for k in times if "limit" in k)
    base = C.summary(times["nnmem retrieve"])["median_s"]
    rows = {}
    for label, secs in times.items():
        row = C.with_throughput(C.summary(secs), flops["matmul"], "float64", peak)
        row["time_vs_gemm_limit"] = row["median_s"] / limit
        row["time_vs_nnmem"] = row["median_s"] / base
        rows[label] = row
        print(f"{label:22s} {1e3 * row['median_s']:10.2f} ms  x{row['time_vs_gemm_limit']:6.2f} of the GEMMs  "
              f"{row['gflops']:7.2f} GFLOP/s")
    report["workloads"] = {
        "retrieve": {"n_dims": n, "n_patterns": p, "n_queries": q, "beta": beta, "steps": 1, "dtype": "float64",
                     "flops": flops, "results": rows}
    }
    if peak is not None:
        report["peak_used"] = {"date": peak["date"], **peak["peak"]["float64"]}
    C.finish(report, "dense_memory", not args.no_write)


if __name__ == "__main__":
    main()
