"""How long the edit-build loop takes: a cold build, a warm build, a rebuild after a one-word edit.

One run, one machine, three strict builds of the whole bilingual site:

1. **cold**: empty experiment and block caches (a fresh ``NNBOOK_CACHE_DIR``),
   a fresh site directory, a fresh temporary directory (so jieba, the Chinese
   word splitter, rebuilds its dictionary cache too);
2. **warm**: the same again with nothing changed, caches kept;
3. **one-word edit**: one word of prose changed in one page, caches kept.

The builds run on a temporary copy of ``docs/`` with a temporary copy of
``mkdocs.yml`` (paths made absolute), so the working tree is never edited and
other people's builds are not disturbed. The script checks that the warm
build produced byte-identical files to the cold one and that the edited word
reached the page, and writes ``bench/results/build.json`` (date, machine,
versions, commit, times and ratios). The Performance page reads that file.

``--repo PATH`` measures another checkout instead of this one (each
checkout's builds import its own ``src/nnmem``). ``--compare PATH`` measures
a second checkout (for example the commit before
a change) in the same run, interleaved with this one (cold, cold, warm, warm,
edit, edit), and stores it under ``"baseline"``.

Usage::

    nice .venv/bin/python bench/bench_build.py [--compare /path/to/other/checkout] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import add_env_tag

ROOT = Path(__file__).resolve().parents[1]


class EnvLoader(yaml.SafeLoader):
    """yaml's safe loader that resolves MkDocs's `!ENV` tags (mkdocs.yml reads `site_url` from the environment)."""


add_env_tag(EnvLoader)
EDITED_PAGE = "hopfield.md"  # the chapter with the most figures


def _absolute(config: dict[str, Any], repo: Path, docs: Path, site: Path) -> dict[str, Any]:
    """The repository's mkdocs.yml with every path made absolute, building `docs` into `site`."""
    config = dict(config)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    config["hooks"] = [str(repo / h) for h in config.get("hooks", [])]
    config["watch"] = [str(repo / w) for w in config.get("watch", [])]
    config["theme"] = dict(config["theme"], custom_dir=str(repo / config["theme"]["custom_dir"]))
    plugins = []
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "search" in plugin and plugin["search"].get("jieba_dict_user"):
            plugin = {"search": dict(plugin["search"], jieba_dict_user=str(repo / plugin["search"]["jieba_dict_user"]))}
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            python = plugin["mkdocstrings"]["handlers"]["python"]
            python["paths"] = [str(repo / p) for p in python.get("paths", [])]
        plugins.append(plugin)
    config["plugins"] = plugins
    return config


class Tree:
    """One checkout being measured, with its own temporary docs copy, caches and sites."""

    def __init__(self, label: str, repo: Path, work: Path, commit: str | None = None) -> None:
        self.label, self.repo = label, repo.resolve()
        self.work = work / label
        self.docs = self.work / "docs"
        shutil.copytree(self.repo / "docs", self.docs, symlinks=True)
        self.cache = self.work / "cache"
        self.tmp = self.work / "tmp"
        self.tmp.mkdir()
        self.times: dict[str, float] = {}
        self.checks: dict[str, Any] = {}
        self.commit = commit or _git(self.repo, "rev-parse", "--short=12", "HEAD") or "unknown"
        self.dirty = bool(_git(self.repo, "status", "--porcelain", "--untracked-files=no"))

    def build(self, phase: str) -> Path:
        site = self.work / f"site-{phase}"
        config = yaml.load((self.repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=EnvLoader)
        config_file = self.work / f"mkdocs-{phase}.yml"
        config_file.write_text(yaml.safe_dump(_absolute(config, self.repo, self.docs, site), allow_unicode=True),
                               encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNBOOK_CACHE_DIR": str(self.cache), "TMPDIR": str(self.tmp),
               "PYTHONPATH": str(self.repo / "src")}  # this checkout's nnmem, not the one installed in the environment
        env.pop("NNBOOK_BLOCK_CACHE", None)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)],
                              cwd=self.repo, env=env, capture_output=True, text=True)
        self.times[phase] = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{self.label}: the {phase} build failed:\n{proc.stderr[-6000:]}")
        print(f"{self.label:>8} {phase:>4}: {self.times[phase]:7.1f} s", flush=True)
        return site

    def edit_one_word(self) -> str:
        """Upper-case one word in the first paragraph of the edited page; return the new word."""
        page = self.docs / EDITED_PAGE
        lines = page.read_text(encoding="utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if i > 0 and re.match(r"^[A-Za-z]", line))
        word = next(w for w in re.findall(r"[a-z]{6,}", lines[index]))
        lines[index] = lines[index].replace(word, word.upper(), 1)
        page.write_text("\n".join(lines), encoding="utf-8")
        return word.upper()


def _git(repo: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _same_files(a: Path, b: Path) -> list[str]:
    """Files that differ between two site directories (or exist in only one)."""
    different = []
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    different += sorted(str(p) for p in files_a ^ files_b)
    different += sorted(str(p) for p in files_a & files_b if not filecmp.cmp(a / p, b / p, shallow=False))
    return different


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions() -> dict[str, str]:
    names = ["mkdocs", "mkdocs-material", "mkdocs-static-i18n", "markdown-exec", "mkdocstrings-python", "jieba",
             "numpy", "matplotlib", "scikit-learn"]
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def _summary(tree: Tree) -> dict[str, Any]:
    cold = tree.times["cold"]
    return {
        "commit": tree.commit,
        "uncommitted_changes": tree.dirty,
        "seconds": {k: round(v, 1) for k, v in tree.times.items()},
        "ratio_to_cold": {k: round(v / cold, 3) for k, v in tree.times.items() if k != "cold"},
        "checks": tree.checks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--compare", type=Path, help="another checkout to measure in the same run (stored as baseline)")
    parser.add_argument("--commit", help="what to call --repo when it is not a git checkout (e.g. an exported tree)")
    parser.add_argument("--compare-commit", help="the same for --compare")
    parser.add_argument("--note", default="", help="a sentence stored with the results (what the two trees are)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "build.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="nnbook-bench-") as work:
        trees = [Tree("this", args.repo, Path(work), args.commit)]
        if args.compare:
            trees.append(Tree("baseline", args.compare, Path(work), args.compare_commit))
        sites: dict[tuple[str, str], Path] = {}
        for phase in ("cold", "warm", "edit"):
            for tree in trees:
                if phase == "edit":
                    tree.checks["edited_word"] = tree.edit_one_word()
                sites[tree.label, phase] = tree.build(phase)
        for tree in trees:
            different = _same_files(sites[tree.label, "cold"], sites[tree.label, "warm"])
            tree.checks["warm_identical_to_cold"] = not different
            tree.checks["warm_differs_in"] = different[:20]
            edited_html = sites[tree.label, "edit"] / EDITED_PAGE.removesuffix(".md") / "index.html"
            edited = edited_html.read_text(encoding="utf-8")
            tree.checks["edit_visible_in_page"] = tree.checks["edited_word"] in edited
    report = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "command": "nice .venv/bin/python bench/bench_build.py" + (" --compare <checkout>" if args.compare else ""),
        "machine": {
            "cpu": _cpu(),
            "logical_cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": _versions(),
        "edited_page": f"docs/{EDITED_PAGE}",
        "note": args.note,
        "result": _summary(trees[0]),
    }
    if args.compare:
        report["baseline"] = _summary(trees[1])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
