"""Tables and plots of the committed benchmark results (bench/results/*.json) for the Performance page.

Every number these functions print is read from the result files or computed
from them; nothing is measured while the site is built. The floating-point
operation counts come from the benchmark scripts themselves (bench/peak.py).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from nnbook import markdown_table, setup_matplotlib, svg, t

ROOT = Path(__file__).resolve().parents[2]


def load(path: str) -> dict[str, Any]:
    """A result file, by its path from the repository root (e.g. ``"bench/results/peak.json"``).

    Pages name the full path in their code: the build's block cache re-runs a
    block when a committed result file that its session's code names changes.
    """
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def _mlp_epoch_flops(n_train: int, sizes: list[int], batch: int) -> dict[str, int]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import peak  # type: ignore[import-not-found]  # bench/peak.py, put on the path above
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return peak.mlp_epoch_flops(n_train, sizes, batch)  # type: ignore[no-any-return]


def machine_line(report: dict[str, Any]) -> str:
    m = report["machine"]
    start, end = m["load_average_start"], m["load_average_end"]
    return t(
        f"Measured {report['date']} on {m['cpu']} ({m['logical_cpus']} logical CPUs, one thread used). "
        f"The machine was shared with other work: 1-minute load average {start[0]:.1f} at the start and "
        f"{end[0]:.1f} at the end. These numbers should be re-measured on an idle machine with `make bench`.",
        f"测量于 {report['date']}，机器为 {m['cpu']}（{m['logical_cpus']} 个逻辑 CPU，只用一个线程）。"
        f"测量时这台机器还在运行其他工作：1 分钟平均负载开始时为 {start[0]:.1f}，结束时为 {end[0]:.1f}。"
        f"这些数字应在空闲的机器上用 `make bench` 重新测量。",
    )


def blas_line(report: dict[str, Any]) -> str:
    """Which BLAS each contender used: numpy's (and scipy's, used by scikit-learn) and PyTorch's."""
    parts = []
    for b in report["blas"]["numpy"]["threadpoolctl"]:
        owner = Path(b["filepath"] or "").parent.name.removesuffix(".libs") or "?"
        parts.append(f"{owner}: {b['internal_api']} {b['version']} ({b['architecture']})")
    torch = report["blas"].get("torch")
    if torch:
        config = " ".join(torch["config"])
        found = {key: re.search(rf"{key}=(\w+)", config) for key in ("BLAS_INFO", "LAPACK_INFO")}
        cap = re.search(r"CPU capability usage: (\w+)", config)
        blas = ", ".join(f"{k}={m.group(1)}" for k, m in found.items() if m)
        capability = t(f", CPU capability {cap.group(1)}", f"，CPU 指令集 {cap.group(1)}") if cap else ""
        parts.append(f"torch {torch['version']}: {blas}" + capability)
    return "BLAS — " + "; ".join(parts) + "."


def _spread(row: dict[str, Any], scale: float = 1e3) -> str:
    return f"{scale * row['median_s']:.2f} ({scale * row['min_s']:.2f}–{scale * row['max_s']:.2f})"


def peak_section(peak_path: str) -> str:
    """The peak table (every library, shape and dtype), its plot, and the MLP workloads as fractions of the peak."""
    report = load(peak_path)
    rows = [
        [r["dtype"], r["shape"], f"{r['m']}×{r['k']} · {r['k']}×{r['n']}", r["library"],
         f"{r['gflops']:.1f}", f"{r['fraction_of_peak']:.2f}"]
        for r in report["measurements"]
    ]
    header = [t("dtype", "类型"), t("product", "乘积"), t("shapes", "形状"), t("library", "库"),
              "GFLOP/s", t("÷ peak", "÷ 峰值")]
    out = [markdown_table(header, rows, align="lllrrr"), ""]
    for dtype, p in report["peak"].items():
        out.append(t(f"- **Peak {dtype}: {p['gflops']:.1f} GFLOP/s**, reached by {p['library']} on the product "
                     f"“{p['shape']}”.",
                     f"- **{dtype} 峰值：{p['gflops']:.1f} GFLOP/s**，由 {p['library']} 在乘积“{p['shape']}”上达到。"))
    out += ["", machine_line(report), "", blas_line(report), ""]
    plt = setup_matplotlib()
    fig, axes = plt.subplots(2, 1, figsize=(7, 7), sharey=True)
    for ax, dtype in zip(axes, ("float32", "float64"), strict=True):
        ms = [r for r in report["measurements"] if r["dtype"] == dtype]
        shapes = list(dict.fromkeys(r["shape"] for r in ms))
        libs = list(dict.fromkeys(r["library"] for r in ms))
        width = 0.8 / len(libs)
        for j, lib in enumerate(libs):
            ys = [next((r["gflops"] for r in ms if r["shape"] == s and r["library"] == lib), 0.0) for s in shapes]
            ax.barh([i + j * width for i in range(len(shapes))], ys, height=width, label=lib)
        ax.set_yticks([i + 0.4 - width / 2 for i in range(len(shapes))], shapes, fontsize=8)
        ax.axvline(report["peak"][dtype]["gflops"], color="black", lw=0.8, ls="--")
        ax.set_title(dtype)
        ax.set_xlabel(t("GFLOP/s (median, one thread)", "GFLOP/s（中位数，单线程）"))
    axes[0].invert_yaxis()  # shared by both panels: the first product on top
    axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    out.append(svg(fig, alt=t("Bar charts of single-thread matrix-product throughput in GFLOP/s for each library and "
                               "each product shape, float32 above and float64 below; a dashed line "
                               "marks the highest value, the measured peak.",
                               "单线程矩阵乘积吞吐量（GFLOP/s）的条形图：每个库、每种乘积形状各一条，上为 float32，"
                               "下为 float64；虚线标出最高值，即测得的峰值。")))
    return "\n".join(out)


def mlp_against_peak(peak_path: str, mlp_path: str) -> str:
    """bench_mlp.py's contenders as fractions of the measured peak (FLOPs counted by bench/peak.py).

    Times from two result files are compared only when one run of ``make bench``
    wrote both (same day); otherwise the table gives each workload's operation
    count and its time at the peak, and says why the fractions are left out.
    """
    peak = load(peak_path)
    mlp = load(mlp_path)
    same_run = str(mlp["date"])[:10] == str(peak["date"])[:10]
    rows = []
    for name, w in mlp["workloads"].items():
        s = w["settings"]
        flops = _mlp_epoch_flops(w["n_train"], s["sizes"], s["batch"])["matmul"]
        top = peak["peak"][s["dtype"]]["gflops"] * 1e9
        row = [name, "-".join(map(str, s["sizes"])), s["dtype"], f"{flops / 1e9:.2f}", f"{1e3 * flops / top:.1f}"]
        if not same_run:
            rows.append(row)
            continue
        for label, r in w["results"].items():
            seconds = r["seconds_per_epoch"]
            rows.append([*row[:3], label, *row[3:], f"{1e3 * seconds:.1f}", f"{flops / seconds / top:.2f}"])
    header = [t("workload", "任务"), t("network", "网络"), t("dtype", "类型"),
              t("GFLOP per epoch (products)", "每轮 GFLOP（矩阵乘积）"), t("ms at peak", "峰值下的毫秒")]
    if not same_run:
        note = t(f"Epoch times (`bench/results/mlp.json`, {mlp['date']}) and the peak (`bench/results/peak.json`, "
                 f"{peak['date']}) were measured in different runs, so they are not divided here: times from "
                 "different runs on a shared machine are not comparable. `make bench` measures both in one run.",
                 f"每轮时间（`bench/results/mlp.json`，{mlp['date']}）和峰值（`bench/results/peak.json`，"
                 f"{peak['date']}）来自不同的运行，所以这里不相除：共享机器上不同运行的时间不可比较。"
                 "`make bench` 会在同一次运行中测量两者。")
        return markdown_table(header, rows, align="lllrr") + "\n\n" + note
    header = [*header[:3], t("library", "库"), *header[3:], t("ms per epoch", "每轮毫秒"), t("÷ peak", "÷ 峰值")]
    return markdown_table(header, rows, align="llllrrrr")


def timing_section(path: str, workload: str) -> str:
    """Table (median and spread, ratios, GFLOP/s, fraction of peak) and plot of one benchmark's result file."""
    report = load(path)
    name = Path(path).stem
    w = report["workloads"][workload]
    results = w["results"]
    per_step = "steps_per_run" in w
    unit = t("ms per step", "每步毫秒") if per_step else t("ms per call", "每次调用毫秒")
    cols = [t("contender", "参赛者"), unit + t(": median (min–max)", "：中位数（最小–最大）")]
    ratio_keys = [k for k in ("time_vs_gemm_limit", "time_vs_nnmem") if k in next(iter(results.values()))]
    names = {"time_vs_gemm_limit": t("time ÷ GEMM limit", "时间 ÷ GEMM 极限"),
             "time_vs_nnmem": t("time ÷ nnmem", "时间 ÷ nnmem")}
    cols += [names[k] for k in ratio_keys] + ["GFLOP/s", t("÷ peak", "÷ 峰值")]
    rows = [[label, _spread(r), *(f"{r[k]:.2f}" for k in ratio_keys), f"{r['gflops']:.2f}",
             f"{r['fraction_of_peak']:.3f}" if "fraction_of_peak" in r else "–"]
            for label, r in results.items()]
    out = [markdown_table(cols, rows, align="l" + "r" * (len(cols) - 1)), ""]
    if "peak_used" in report:
        p = report["peak_used"]
        out.append(t(f"Peak used: {p['gflops']:.1f} GFLOP/s float64 ({p['library']}, “{p['shape']}”, "
                     f"measured {p['date']}). Repetitions per contender: {next(iter(results.values()))['repeats']}, "
                     f"interleaved.",
                     f"所用峰值：float64 {p['gflops']:.1f} GFLOP/s（{p['library']}，“{p['shape']}”，"
                     f"测于 {p['date']}）。每个参赛者重复 {next(iter(results.values()))['repeats']} 次，交替进行。"))
        out.append("")
    out += [machine_line(report), "", blas_line(report), ""]
    plt = setup_matplotlib()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(results)))
    labels = list(results)
    med = [1e3 * results[k]["median_s"] for k in labels]
    lo = [m - 1e3 * results[k]["min_s"] for m, k in zip(med, labels, strict=True)]
    hi = [1e3 * results[k]["max_s"] - m for m, k in zip(med, labels, strict=True)]
    colors = ["#0072B2" if k.startswith("nnmem") else "#999999" if "limit" in k else "#D55E00" for k in labels]
    ax.barh(range(len(labels)), med, xerr=[lo, hi], color=colors, capsize=3)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(unit + t(" (bar: median; whiskers: min and max)", "（条：中位数；须：最小与最大）"))
    out.append(svg(fig, alt=t(f"Horizontal bars of the median time of each contender in the {name} benchmark, "
                               "with whiskers from the fastest to the slowest repetition; nnmem in blue, "
                               "matrix-product limits in grey, PyTorch in orange.",
                               f"{name} 基准中每个参赛者的中位时间的水平条形图，须线从最快到最慢的一次重复；"
                               "nnmem 为蓝色，矩阵乘积极限为灰色，PyTorch 为橙色。")))
    return "\n".join(out)


def ratio(path: str, workload: str, a: str, b: str) -> float:
    """Median time of contender `a` divided by that of `b`, for prose that states a comparison."""
    r = load(path)["workloads"][workload]["results"]
    return float(r[a]["median_s"] / r[b]["median_s"])
