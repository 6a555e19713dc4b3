"""Side-by-side benchmark: nnmem.mlp vs scikit-learn's MLPClassifier vs PyTorch (CPU, eager).

Run from the repository root with the project's environment:

    .venv/bin/python bench/bench_mlp.py            # prints the tables, writes bench/results/mlp.json

Every contender trains the same architecture on the same data split with the
same batch size, learning rate, number of epochs, dtype and thread count
(one BLAS thread via threadpoolctl; `torch.set_num_threads(1)`), in this one
process, one after the other. PyTorch is used only if it is installed.
Reported: the best time per epoch over several repeats, its ratio to
nnmem's, and the test accuracy each reached. "nnmem" is `mlp.train_sgd`,
which runs the package's fast loop; on digits, "nnmem-plain" trains the same
network from the same seed with the plain loop the digits chapter shows
(`mlp._sgd_epochs`, one `nnmem.losses` and one `nnmem.optim.sgd_step` call
per batch), so the two rows show what the fast loop saves. (In float64 the
two loops agree to about 1e-15; in float32, over an epoch of MNIST size, a
hidden unit whose input lands within rounding of ReLU's kink can send them
onto paths about 1 % apart, as it can two runs of one loop whose starting
weights differ by one ulp, so the mnist table has no such row: its accuracies
would differ by chance.)

Workloads
---------
digits   the book's 8x8 digits, 64-128-10, ReLU, batch 32, lr 0.1, float64:
         per-batch overhead dominates.
mnist    a synthetic MNIST-sized problem (60,000 x 784 inputs in [0, 1],
         labels from a fixed random teacher network), 784-256-10, batch 128,
         lr 0.1, float32: matrix products dominate. Here the script also
         times the five matrix products one SGD step of this network needs
         (forward 2, backward 3) on their own, in float32 with one thread,
         and reports nnmem's time as a fraction of that limit; and, in the
         same process, the machine's peak (the best single-thread float32
         GFLOP/s of any installed library on a square 1024 product or on any
         of those five shapes, each from its fastest repetition like every
         time here), with each contender's matrix-product GFLOP/s as a
         fraction of it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

import nnmem
from nnmem import mlp
from nnmem.datasets import digits, train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402
import peak  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "mlp.json"


def best_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def digits_data() -> dict[str, Any]:
    x, labels = digits()
    s = train_test_split(x, labels, rng=0)
    return {"x_train": s.x_train, "y_train": s.labels_train, "x_test": s.x_test, "y_test": s.labels_test}


def synthetic_mnist(n_train: int = 60_000, n_test: int = 10_000, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    x = rng.random((n_train + n_test, 784), dtype=np.float32)
    teacher = rng.normal(size=(784, 10)).astype(np.float32)
    labels = np.argmax((x - 0.5) @ teacher, axis=1)
    return {"x_train": x[:n_train], "y_train": labels[:n_train], "x_test": x[n_train:], "y_test": labels[n_train:]}


def run_nnmem(
    data: dict[str, Any], sizes: list[int], *, lr: float, epochs: int, batch: int, dtype: Any
) -> Callable[[], float]:
    def go() -> float:
        res = mlp.train_sgd(
            data["x_train"],
            data["y_train"],
            layer_sizes=sizes,
            learning_rate=lr,
            epochs=epochs,
            batch_size=batch,
            dtype=dtype,
            rng=0,
        )
        return mlp.accuracy(data["x_test"], data["y_test"], res.params)

    return go


def run_nnmem_plain(
    data: dict[str, Any], sizes: list[int], *, lr: float, epochs: int, batch: int, dtype: Any
) -> Callable[[], float]:
    """What `run_nnmem` does, with the plain loop the digits chapter shows instead of train_sgd's fast one."""
    x = np.asarray(data["x_train"], dtype=dtype)

    def go() -> float:
        gen = np.random.default_rng(0)  # train_sgd(rng=0): the same initial weights and the same batches
        params = mlp.init_params(sizes, rng=gen, dtype=dtype)
        with np.errstate(over="ignore", invalid="ignore"):
            trained, _ = mlp._sgd_epochs(x, data["y_train"], params, activation="relu", loss="cross_entropy",
                                         learning_rate=lr, epochs=epochs, batch_size=batch, momentum=0.0,
                                         weight_decay=0.0, gen=gen)
        return mlp.accuracy(data["x_test"], data["y_test"], trained)

    return go


def run_sklearn(
    data: dict[str, Any], sizes: list[int], *, lr: float, epochs: int, batch: int, dtype: Any
) -> Callable[[], float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, x_test = data["x_train"].astype(dtype), data["x_test"].astype(dtype)

    def go() -> float:
        clf = MLPClassifier(
            hidden_layer_sizes=tuple(sizes[1:-1]),
            activation="relu",
            solver="sgd",
            learning_rate="constant",
            learning_rate_init=lr,
            momentum=0.0,
            nesterovs_momentum=False,
            batch_size=batch,
            max_iter=epochs,
            alpha=0.0,
            tol=0.0,
            n_iter_no_change=10**9,
            early_stopping=False,
            shuffle=True,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x_train, data["y_train"])
        return float(clf.score(x_test, data["y_test"]))

    return go


def run_torch(
    data: dict[str, Any], sizes: list[int], *, lr: float, epochs: int, batch: int, dtype: Any
) -> Callable[[], float] | None:
    try:
        import torch
    except ImportError:
        return None
    tdtype = torch.float32 if np.dtype(dtype) == np.float32 else torch.float64
    x_train = torch.from_numpy(np.ascontiguousarray(data["x_train"], dtype=dtype))
    y_train = torch.from_numpy(data["y_train"].astype(np.int64))
    x_test = torch.from_numpy(np.ascontiguousarray(data["x_test"], dtype=dtype))
    y_test = torch.from_numpy(data["y_test"].astype(np.int64))

    def go() -> float:
        torch.manual_seed(0)
        layers: list[Any] = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=tdtype))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.0)
        loss_fn = torch.nn.CrossEntropyLoss()
        gen = torch.Generator().manual_seed(0)
        n = x_train.shape[0]
        for _ in range(epochs):
            order = torch.randperm(n, generator=gen)
            xs, ys = x_train[order], y_train[order]
            for start in range(0, n, batch):
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(xs[start : start + batch]), ys[start : start + batch])
                loss.backward()
                opt.step()
        with torch.no_grad():
            return float((model(x_test).argmax(dim=1) == y_test).double().mean())

    return go


def gemm_limit_per_epoch(n_train: int, sizes: list[int], batch: int, repeats: int) -> float:
    """Time per epoch of just the matrix products of SGD on this network (float32, this thread count)."""
    rng = np.random.default_rng(0)
    f = np.float32
    x = rng.random((batch, sizes[0]), dtype=f)
    w1, w2 = rng.random((sizes[0], sizes[1]), dtype=f), rng.random((sizes[1], sizes[2]), dtype=f)
    a1, dz2 = rng.random((batch, sizes[1]), dtype=f), rng.random((batch, sizes[2]), dtype=f)
    dz1 = rng.random((batch, sizes[1]), dtype=f)
    n_batches = -(-n_train // batch)

    def products() -> None:
        for _ in range(n_batches):
            x @ w1  # forward, layer 1
            a1 @ w2  # forward, layer 2
            a1.T @ dz2  # gradient of W2
            dz2 @ w2.T  # back to the hidden layer
            x.T @ dz1  # gradient of W1

    return best_time(products, repeats)[0]


def peak_in_run(dtype: Any, sizes: list[int], batch: int, repeats: int) -> dict[str, Any]:
    """The machine's peak, here and now: the best single-thread GFLOP/s of any library on bench/peak.py's shapes.

    Shapes: a square 1024 product and the products of one SGD step of `sizes` at `batch`. Each library's
    repetitions are interleaved, and each shape's throughput is taken from its fastest repetition, as every
    time in this file is (bench/peak.py reports medians instead).
    """
    shapes = [("square 1024", 1024, 1024, 1024)]
    shapes += [(name, m, n, k) for name, m, n, k in peak.mlp_step_products(batch, sizes)]
    best: dict[str, Any] = {"gflops": 0.0}
    for shape, m, n, k in shapes:
        reps = peak.inner_loops(m, n, k)
        contenders: dict[str, Callable[[], Any]] = {}
        for lib, make in (("numpy", peak.numpy_product), ("torch", peak.torch_product)):
            fn = make(m, n, k, dtype)
            if fn is not None:
                contenders[lib] = lambda f=fn, r=reps: [f() for _ in range(r)]
        for lib, secs in _common.interleaved(contenders, repeats).items():
            gflops = _common.gemm_flops(m, n, k) / (min(secs) / reps) / 1e9
            if gflops > best["gflops"]:
                best = {"gflops": gflops, "library": lib, "shape": shape, "dtype": np.dtype(dtype).name}
    return best


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = [
        f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')})"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    versions = {"python": platform.python_version(), "numpy": np.__version__, "nnmem": nnmem.__version__}
    try:
        import sklearn

        versions["scikit-learn"] = sklearn.__version__
    except ImportError:
        pass
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:
        pass
    return {"cpu": cpu, "logical_cpus": os.cpu_count(), "system": platform.system(), "blas": blas, "versions": versions,
            "load_average_start": _common.load_average()}


WORKLOADS = {
    "digits": {"sizes": [64, 128, 10], "batch": 32, "lr": 0.1, "epochs": 10, "dtype": "float64", "repeats": 5},
    "mnist": {"sizes": [784, 256, 10], "batch": 128, "lr": 0.1, "epochs": 1, "dtype": "float32", "repeats": 3},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and a smaller synthetic set (for a smoke test)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/results/mlp.json")
    args = parser.parse_args()
    import torch_threads  # noqa: F401  (sets torch to one thread if torch is installed)

    report: dict[str, Any] = {"date": _dt.date.today().isoformat(), "machine": machine(), "threads": 1, "workloads": {}}
    with threadpool_limits(limits=1):
        for name, w in WORKLOADS.items():
            repeats = 1 if args.quick else w["repeats"]
            if name == "digits":
                data = digits_data()
            else:
                data = synthetic_mnist(n_train=6_000 if args.quick else 60_000, n_test=1_000 if args.quick else 10_000)
            dtype = np.dtype(w["dtype"]).type
            kw = {"lr": w["lr"], "epochs": w["epochs"], "batch": w["batch"], "dtype": dtype}
            contenders = {}
            factories = [("nnmem", run_nnmem), ("scikit-learn", run_sklearn), ("pytorch-eager", run_torch)]
            if name == "digits":
                factories.insert(1, ("nnmem-plain", run_nnmem_plain))
            for label, factory in factories:
                fn = factory(data, w["sizes"], **kw)
                if fn is not None:
                    contenders[label] = fn
            best: dict[str, float] = {label: float("inf") for label in contenders}
            accuracy: dict[str, float] = {}
            for _ in range(repeats):  # interleaved, so slow drifts of the machine hit every contender alike
                for label, fn in contenders.items():
                    seconds, accuracy[label] = best_time(fn, 1)
                    best[label] = min(best[label], seconds)
            rows = {
                label: {"seconds_per_epoch": best[label] / w["epochs"], "test_accuracy": accuracy[label]}
                for label in contenders
            }
            base = rows["nnmem"]["seconds_per_epoch"]
            for row in rows.values():
                row["time_vs_nnmem"] = row["seconds_per_epoch"] / base
            entry: dict[str, Any] = {
                "settings": {k: v for k, v in w.items() if k != "repeats"},
                "n_train": int(len(data["y_train"])),
                "repeats": repeats,
                "results": rows,
            }
            if name == "mnist":
                gemm = gemm_limit_per_epoch(len(data["y_train"]), w["sizes"], w["batch"], repeats)
                entry["gemm_seconds_per_epoch"] = gemm
                entry["nnmem_fraction_of_gemm_limit"] = gemm / base
                top = peak_in_run(dtype, w["sizes"], w["batch"], max(repeats, 3))
                flops = peak.mlp_epoch_flops(len(data["y_train"]), w["sizes"], w["batch"])["matmul"]
                entry["peak_in_run"] = top
                entry["matmul_flops_per_epoch"] = flops
                for row in rows.values():
                    row["gflops"] = flops / row["seconds_per_epoch"] / 1e9
                    row["fraction_of_peak"] = row["gflops"] / top["gflops"]
            report["workloads"][name] = entry
            print(
                f"\n{name}: {w['sizes']}, batch {w['batch']}, {w['dtype']}, "
                f"{entry['n_train']} training samples, best of {repeats}"
            )
            print(f"  {'':22s} {'ms/epoch':>10s} {'vs nnmem':>9s} {'test acc':>9s}")
            for label, row in rows.items():
                print(
                    f"  {label:22s} {1e3 * row['seconds_per_epoch']:10.2f} "
                    f"{row['time_vs_nnmem']:9.2f} {row['test_accuracy']:9.4f}"
                )
            if name == "mnist":
                print(
                    f"  matrix products alone: {1e3 * gemm:.2f} ms/epoch -> nnmem reaches "
                    f"{entry['nnmem_fraction_of_gemm_limit']:.0%} of that limit"
                )
                print(
                    f"  peak in this run: {top['gflops']:.1f} GFLOP/s ({top['library']}, {top['shape']}) -> nnmem "
                    f"reaches {rows['nnmem']['fraction_of_peak']:.0%} of it"
                )
    report["machine"]["load_average_end"] = _common.load_average()
    if not args.no_write and not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
