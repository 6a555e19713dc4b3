"""LSTM training on the delayed-recall task: nnmem.recurrent against PyTorch eager's nn.LSTM.

Run from the repository root:

    .venv/bin/python bench/bench_recurrent.py    # writes bench/results/recurrent.json

The book's sizes (docs_src/nnbook/experiments/working_memory_recall.py, the
chapter "Working memory"): delay 50 (T = 51 steps), 4 distractor channels
(5 inputs), 16 hidden units, 2 classes, 8,000 training sequences, batch 256,
Adam with learning rate 0.01, gradients clipped to global norm 1.0, float64.
Both contenders take the same number of steps, each on a fresh mini-batch
drawn from a random permutation; PyTorch uses `torch.nn.LSTM` (batch-first)
and `torch.nn.Linear` on the last hidden state, `torch.optim.Adam` and
`torch.nn.utils.clip_grad_norm_`. Reported: the median time per training
step over interleaved repetitions, and the ratio PyTorch / nnmem.
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
from nnmem import recurrent  # noqa: E402

TASK = {"delay": 50, "n_distractors": 4, "noise": 1.0}
N_HIDDEN, N_OUT, N_TRAIN, BATCH, LR, MAX_NORM = 16, 2, 8000, 256, 0.01, 1.0


def lstm_step_flops(T: int, batch: int, n_in: int, n_hidden: int, n_out: int) -> dict[str, int]:
    """Floating-point work of one LSTM training step (forward and backward through time).

    Products: forward, the input part of the four gates for all steps at once
    (T*B x n_in)(n_in x 4H), the recurrent part at each step (B x H)(H x 4H) and
    the readout (B x H)(H x K); backward, the readout's gradient and the error
    into h_T, at each step the error into h_{t-1} (B x 4H)(4H x H), and the
    gradients of W_x and W_h as single products over all steps. No gradient
    with respect to the inputs. Elementwise: the 4H gate values and H cell
    values per sample per step, each computed forward and used backward.
    """
    G = 4 * n_hidden
    g = C.gemm_flops
    forward = g(T * batch, G, n_in) + T * g(batch, G, n_hidden) + g(batch, n_out, n_hidden)
    backward = (
        g(n_hidden, n_out, batch)  # dW_hy
        + g(batch, n_hidden, n_out)  # dh_T
        + T * g(batch, n_hidden, G)  # dh_{t-1}
        + g(n_in, G, T * batch)  # dW_x
        + g(n_hidden, G, T * batch)  # dW_h
    )
    return {"matmul": forward + backward, "matmul_forward": forward, "matmul_backward": backward,
            "elementwise_values": 2 * T * batch * (G + n_hidden)}


def nnmem_runner(x: np.ndarray, y: np.ndarray, steps: int) -> Any:
    p0 = recurrent.init_params(x.shape[2], N_HIDDEN, N_OUT, cell="lstm", rng=0)

    def go() -> float:
        res = recurrent.train(x, y, params=p0, steps=steps, batch_size=BATCH, learning_rate=LR,
                              optimizer="adam", max_norm=MAX_NORM, rng=0)
        return float(res.losses[-1])

    return go


def torch_runner(x: np.ndarray, y: np.ndarray, steps: int) -> Any:
    try:
        import torch
    except ImportError:
        return None
    tx = torch.from_numpy(np.ascontiguousarray(x))
    ty = torch.from_numpy(y.astype(np.int64))

    def go() -> float:
        torch.manual_seed(0)
        lstm = torch.nn.LSTM(x.shape[2], N_HIDDEN, batch_first=True, dtype=torch.float64)
        with torch.no_grad():  # forget-gate bias 1, as nnmem's init (PyTorch's gate order: i, f, g, o)
            lstm.bias_ih_l0[N_HIDDEN : 2 * N_HIDDEN] = 1.0
            lstm.bias_hh_l0.zero_()
        head = torch.nn.Linear(N_HIDDEN, N_OUT, dtype=torch.float64)
        params = list(lstm.parameters()) + list(head.parameters())
        opt = torch.optim.Adam(params, lr=LR)
        loss_fn = torch.nn.CrossEntropyLoss()
        gen = torch.Generator().manual_seed(0)
        n, order, pos = tx.shape[0], torch.randperm(tx.shape[0], generator=gen), 0
        loss = torch.tensor(0.0)
        for _ in range(steps):
            if pos + BATCH > n:
                order, pos = torch.randperm(n, generator=gen), 0
            idx = order[pos : pos + BATCH]
            pos += BATCH
            opt.zero_grad(set_to_none=True)
            out, _ = lstm(tx[idx])
            loss = loss_fn(head(out[:, -1]), ty[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, MAX_NORM)
            opt.step()
        return float(loss.detach())

    return go


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20, help="training steps per timed run")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch_threads  # noqa: F401

    report = C.header("python bench/bench_recurrent.py " + " ".join(sys.argv[1:]))
    peak = C.read_peak()
    x, y = recurrent.delayed_recall(N_TRAIN, rng=0, **TASK)
    T = x.shape[1]
    contenders = {"nnmem": nnmem_runner(x, y, args.steps)}
    t = torch_runner(x, y, args.steps)
    if t is not None:
        contenders["pytorch-eager"] = t
    flops = lstm_step_flops(T, BATCH, x.shape[2], N_HIDDEN, N_OUT)
    with threadpool_limits(limits=1):
        times = C.interleaved(contenders, args.repeats)
    rows = {}
    for label, secs in times.items():
        row = C.summary([s / args.steps for s in secs])
        C.with_throughput(row, flops["matmul"], "float64", peak)
        rows[label] = row
    base = rows["nnmem"]["median_s"]
    for label, row in rows.items():
        row["time_vs_nnmem"] = row["median_s"] / base
        print(f"{label:14s} {1e3 * row['median_s']:8.2f} ms/step  x{row['time_vs_nnmem']:5.2f} of nnmem  "
              f"{row['gflops']:6.2f} GFLOP/s")
    report["workloads"] = {
        "lstm_delayed_recall": {
            "task": TASK, "T": T, "n_in": int(x.shape[2]), "n_hidden": N_HIDDEN, "n_out": N_OUT,
            "n_train": N_TRAIN, "batch": BATCH, "optimizer": "adam", "learning_rate": LR, "max_norm": MAX_NORM,
            "dtype": "float64", "steps_per_run": args.steps, "flops_per_step": flops, "results": rows,
        }
    }
    if peak is not None:
        report["peak_used"] = {"date": peak["date"], **peak["peak"]["float64"]}
    C.finish(report, "recurrent", not args.no_write)


if __name__ == "__main__":
    main()
