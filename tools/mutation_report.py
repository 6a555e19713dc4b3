"""Summarise `mutmut run` per module of `nnmem`: mutants, killed, survived, judged equivalent.

Reads the results through mutmut's command line (``mutmut results --all true``,
run in the current directory, where ``mutants/`` is) and the reasons in
``mutation/equivalent.tsv`` (one surviving mutant per line:
``<mutant name><TAB><one-line reason no test can kill it>``). Modules whose
mutants were all run replace their row in ``mutation/results.json``; modules
not run keep the row of their last run, so a run restricted to some modules
(``mutmut run "nnmem.hopfield*"``) updates only those. ``mutation/summary.md``
is rendered from the JSON. ``make mutation`` runs everything and then this.

    python tools/mutation_report.py [--project DIR]

``--project`` is the checkout whose ``mutation/`` folder is updated (default:
this one), so a run in a scratch copy can report into the working tree;
``--modules mlp,continual`` reports only those modules (a scratch copy may
hold complete but older results for others).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

MUTMUT = Path(sys.executable).with_name("mutmut")
KILLED = {"killed", "timeout", "segfault"}


def results() -> dict[str, str]:
    """Mutant name -> status (killed, survived, timeout, no tests, not checked, ...)."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    status = {}
    for line in out.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep and name.startswith("nnmem."):
            status[name] = state.strip()
    return status


def equivalents(folder: Path) -> dict[str, str]:
    reasons = {}
    path = folder / "equivalent.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition("\t")
                reasons[name.strip()] = reason.strip()
    return reasons


def rows_from_run(status: dict[str, str], reasons: dict[str, str]) -> dict[str, dict[str, Any]]:
    by_module: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for name, state in status.items():
        by_module[name.split(".")[1]][name] = state
    today = datetime.date.today().isoformat()
    rows = {}
    for module, states in by_module.items():
        if any(state == "not checked" for state in states.values()):
            continue  # not (completely) run this time: keep the previous row
        survivors = sorted(n for n, s in states.items() if s == "survived")
        rows[module] = {
            "date": today,
            "mutants": len(states),
            "killed": sum(s in KILLED for s in states.values()),
            "survived": [n for n in survivors if n not in reasons],
            "equivalent": {n: reasons[n] for n in survivors if n in reasons},
            "other": {n: s for n, s in states.items() if s not in KILLED and s != "survived"},
        }
    return rows


def render(rows: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Mutation testing summary",
        "",
        "Written by `tools/mutation_report.py` after `mutmut run` (`make mutation`); do not edit by hand.",
        "Score = killed / (mutants − judged equivalent − not run); timeouts count as killed.",
        "",
        "| module | run on | mutants | killed | survived | judged equivalent | not run | score |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for module, r in sorted(rows.items()):
        denominator = r["mutants"] - len(r["equivalent"]) - len(r["other"])
        score = f"{r['killed'] / denominator:.1%}" if denominator else "—"
        lines.append(
            f"| `{module}` | {r['date']} | {r['mutants']} | {r['killed']} | {len(r['survived'])} | "
            f"{len(r['equivalent'])} | {len(r['other'])} | {score} |"
        )
    lines += ["", "## Survivors judged equivalent", ""]
    lines += [f"- `{n}`: {why}" for r in rows.values() for n, why in sorted(r["equivalent"].items())] or ["(none)"]
    lines += ["", "## Survivors not killed and not judged equivalent", ""]
    lines += [f"- `{n}`" for r in rows.values() for n in r["survived"]] or ["(none)"]
    lines += ["", "## Mutants not run (no covering test, or mutmut could not run them)", ""]
    lines += [f"- `{n}`: {s}" for r in rows.values() for n, s in sorted(r["other"].items())] or ["(none)"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--modules", help="comma-separated modules to report (default: every module completely run); "
                        "for a scratch copy whose other modules' results are older than the code")
    args = parser.parse_args()
    folder = args.project / "mutation"
    folder.mkdir(exist_ok=True)
    store = folder / "results.json"
    rows = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    new_rows = rows_from_run(results(), equivalents(folder))
    if args.modules:
        wanted = set(args.modules.split(","))
        missing = wanted - set(new_rows)
        if missing:
            parser.error(f"no complete run here for {', '.join(sorted(missing))}")
        new_rows = {name: row for name, row in new_rows.items() if name in wanted}
    rows.update(new_rows)
    store.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    text = render(rows)
    (folder / "summary.md").write_text(text, encoding="utf-8")
    print(text.split("\n## ")[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
