"""Summarise a `mutmut run` per module of `nnmem`: mutants, killed, survived, judged equivalent.

Reads the results through mutmut's command line (``mutmut results --all true``)
and the reasons in ``mutation/equivalent.tsv`` (one surviving mutant per line:
``<mutant name><TAB><one-line reason it cannot be killed>``), and writes
``mutation/summary.md``. A survivor without a reason is listed as unexplained.

Run it from the project root after ``mutmut run`` (``make mutation`` does both).
"""

from __future__ import annotations

import collections
import datetime
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = ROOT / "mutation" / "equivalent.tsv"
SUMMARY = ROOT / "mutation" / "summary.md"
MUTMUT = Path(sys.executable).with_name("mutmut")


def results() -> dict[str, str]:
    """Mutant name -> status (killed, survived, timeout, no tests, not checked, ...)."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    status = {}
    for line in out.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep and name.startswith("nnmem."):
            status[name] = state.strip()
    return status


def equivalents() -> dict[str, str]:
    reasons = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition("\t")
                reasons[name.strip()] = reason.strip()
    return reasons


def module_of(mutant: str) -> str:
    return mutant.split(".")[1]


def main() -> int:
    status = results()
    reasons = equivalents()
    rows: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unexplained: list[str] = []
    for name, state in sorted(status.items()):
        counts = rows[module_of(name)]
        counts["mutants"] += 1
        if state in ("killed", "timeout", "segfault"):
            counts["killed"] += 1
        elif state == "survived" and name in reasons:
            counts["equivalent"] += 1
        elif state == "survived":
            counts["survived"] += 1
            unexplained.append(name)
        else:
            counts["other"] += 1
    lines = [
        "# Mutation testing summary",
        "",
        f"Written by `make mutation` (mutmut, `tools/mutation_report.py`) on {datetime.date.today().isoformat()}.",
        "Killed includes timeouts. Score = killed / (mutants − judged equivalent − not run).",
        "",
        "| module | mutants | killed | survived | judged equivalent | not run | score |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for module, c in sorted(rows.items()):
        denominator = c["mutants"] - c["equivalent"] - c["other"]
        score = f"{c['killed'] / denominator:.1%}" if denominator else "not run"
        lines.append(
            f"| `{module}` | {c['mutants']} | {c['killed']} | {c['survived']} | {c['equivalent']} | "
            f"{c['other']} | {score} |"
        )
    lines += ["", "## Survivors judged equivalent", ""]
    lines += [f"- `{n}`: {reasons[n]}" for n in sorted(reasons) if status.get(n) == "survived"] or ["(none)"]
    lines += ["", "## Survivors not yet explained or killed", ""]
    lines += [f"- `{n}`" for n in unexplained] or ["(none)"]
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:8 + len(rows)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
