"""The benchmarks' operation counts, against hand-worked small cases, and the result files the Performance page reads.

Nothing here times anything: wall-clock assertions would fail on a busy machine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402
import bench_dense_memory  # noqa: E402
import bench_hopfield  # noqa: E402
import bench_recurrent  # noqa: E402
import peak  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def test_gemm_flops_counts_a_multiply_and_an_add_per_term():
    # (2 x 4) @ (4 x 3): 2*3 = 6 outputs, each 4 multiplies and 4 adds -> 48
    assert _common.gemm_flops(2, 3, 4) == 48
    assert _common.gemm_flops(1, 1, 1) == 2


def test_mlp_step_products_of_a_3_4_5_network():
    # batch 2, layers 3->4->5: forward x(2x3)W1(3x4), a1(2x4)W2(4x5);
    # backward a1^T(4x2)d2(2x5), d2(2x5)W2^T(5x4), x^T(3x2)d1(2x4); no product for d/dx
    shapes = sorted((m, n, k) for _, m, n, k in peak.mlp_step_products(2, [3, 4, 5]))
    assert shapes == sorted([(2, 4, 3), (2, 5, 4), (4, 5, 2), (2, 4, 5), (3, 4, 2)])
    # a deeper network: 3 layers -> 3 forward, 3 weight gradients, 2 error products
    assert len(peak.mlp_step_products(7, [2, 3, 4, 5])) == 8


def test_mlp_epoch_flops_with_a_partial_last_batch():
    # n = 5, batch 2 -> batches of 2, 2, 1. Per sample, the five products cost
    # 3*4 + 4*5 + 4*5 + 5*4 + 3*4 = 84 multiply-adds -> 168 flops; 5 samples -> 840
    out = peak.mlp_epoch_flops(5, [3, 4, 5], 2)
    assert out["matmul"] == 840
    assert out["unit_values"] == 2 * 5 * (4 + 5)  # 90: bias+activation of 9 units, forward and backward
    assert out["parameter_updates"] == 3 * (3 * 4 + 4 + 4 * 5 + 5)  # 3 batches x 41 parameters = 123


def test_mlp_epoch_flops_mnist_sized():
    # 784-256-10, 60,000 samples: per sample 2*784*256 + 3*256*10 = 409,088 multiply-adds
    assert peak.mlp_epoch_flops(60_000, [784, 256, 10], 128)["matmul"] == 2 * 60_000 * 409_088


def test_hopfield_sweep_flops():
    # 3 cues, 4 neurons: every cue needs 4 fields of 4 terms -> 48 multiply-adds -> 96 flops
    assert bench_hopfield.sweep_flops(3, 4) == {"matmul": 96, "elementwise_values": 12}


def test_dense_memory_retrieve_flops():
    # 2 queries, 3 patterns, 4 dims: scores 2x3 of 4 terms (24 MACs), readout 2x4 of 3 terms (24 MACs)
    assert bench_dense_memory.retrieve_flops(2, 3, 4) == {"matmul": 96, "elementwise_values": 6}
    assert bench_dense_memory.retrieve_flops(2, 3, 4, steps=3)["matmul"] == 3 * 96


def test_lstm_step_flops_by_hand():
    # T=2, B=3, n_in=1, H=1, K=1, 4 gates.
    # forward: inputs (6x1)(1x4) 24 MACs; recurrent 2 steps x (3x1)(1x4) 24 MACs; readout (3x1)(1x1) 3 MACs
    #   -> 51 MACs = 102 flops
    # backward: dW_hy 3, dh_T 3, dh_{t-1} 2 x 12, dW_x (1x6)(6x4) 24, dW_h 24 -> 78 MACs = 156 flops
    out = bench_recurrent.lstm_step_flops(2, 3, 1, 1, 1)
    assert out["matmul_forward"] == 102
    assert out["matmul_backward"] == 156
    assert out["matmul"] == 258
    assert out["elementwise_values"] == 2 * 2 * 3 * (4 + 1)


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    assert path.exists(), f"{path} missing: run `make bench`"
    return json.loads(path.read_text(encoding="utf-8"))


def _check_header(report: dict) -> None:
    assert report["date"] and report["threads"] == 1
    m = report["machine"]
    for key in ("cpu", "logical_cpus", "load_average_start", "load_average_end", "shared", "note"):
        assert key in m, key
    assert len(m["load_average_start"]) == 3 and len(m["load_average_end"]) == 3
    assert "numpy" in report["versions"]
    assert report["blas"]["numpy"]["threadpoolctl"], "numpy's BLAS not recorded"
    if "torch" in report["versions"]:
        assert report["blas"]["torch"]["config"], "PyTorch's BLAS not recorded"


def _check_row(row: dict, with_peak: bool = True) -> None:
    assert row["min_s"] <= row["median_s"] <= row["max_s"]
    assert row["repeats"] == len(row["all_s"]) >= 1
    assert row["gflops"] > 0
    if with_peak:
        assert 0 < row["fraction_of_peak"]


def test_peak_result_fields():
    report = _load("peak")
    _check_header(report)
    for dtype in ("float32", "float64"):
        best = report["peak"][dtype]
        rows = [r for r in report["measurements"] if r["dtype"] == dtype]
        assert best["gflops"] == max(r["gflops"] for r in rows)  # the peak is the best measured
        assert best["library"] in {r["library"] for r in rows}
        for r in rows:
            _check_row(r)
            assert r["flops"] == _common.gemm_flops(r["m"], r["n"], r["k"])
    mnist = report["workload_flops"]["mnist"]
    assert mnist["matmul"] == peak.mlp_epoch_flops(mnist["n_train"], mnist["sizes"], mnist["batch"])["matmul"]


@pytest.mark.parametrize(
    ("name", "workload", "limit_key"),
    [("hopfield", "recall", "time_vs_gemm_limit"), ("dense_memory", "retrieve", "time_vs_gemm_limit"),
     ("recurrent", "lstm_delayed_recall", "time_vs_nnmem")],
)
def test_benchmark_result_fields(name, workload, limit_key):
    report = _load(name)
    _check_header(report)
    assert "peak_used" in report
    w = report["workloads"][workload]
    assert any(label.startswith("nnmem") for label in w["results"])
    for row in w["results"].values():
        _check_row(row)
        assert row[limit_key] > 0


def test_mlp_result_fields_and_the_numbers_the_performance_page_derives() -> None:
    """bench_mlp.py's file: every ratio and fraction the Performance page prints follows from the times in it."""
    report = _load("mlp")
    assert report["date"] and report["threads"] == 1
    m = report["machine"]
    assert len(m["load_average_start"]) == 3 and len(m["load_average_end"]) == 3
    assert "nnmem-plain" in report["workloads"]["digits"]["results"]  # the row the digits section describes
    for w in report["workloads"].values():
        base = w["results"]["nnmem"]["seconds_per_epoch"]
        for row in w["results"].values():
            assert row["time_vs_nnmem"] == pytest.approx(row["seconds_per_epoch"] / base, rel=1e-12)
            assert 0 <= row["test_accuracy"] <= 1
    mnist = report["workloads"]["mnist"]
    s = mnist["settings"]
    flops = peak.mlp_epoch_flops(mnist["n_train"], s["sizes"], s["batch"])["matmul"]
    assert mnist["matmul_flops_per_epoch"] == flops
    assert mnist["nnmem_fraction_of_gemm_limit"] == pytest.approx(
        mnist["gemm_seconds_per_epoch"] / mnist["results"]["nnmem"]["seconds_per_epoch"], rel=1e-12)
    top = mnist["peak_in_run"]
    assert top["dtype"] == s["dtype"] and top["gflops"] > 0
    for row in mnist["results"].values():
        assert row["gflops"] == pytest.approx(flops / row["seconds_per_epoch"] / 1e9, rel=1e-12)
        assert row["fraction_of_peak"] == pytest.approx(row["gflops"] / top["gflops"], rel=1e-12)
