"""The build's caches: experiment results (``nnbook.cache``) and executed blocks (``hooks/blockcache.py``).

Every test uses a temporary cache directory. Each one is written so that a
plausible wrong implementation fails it: a key that leaves out an input, a
cache that serves a damaged entry, a writer that writes in place, results
that one page can change under another.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))
sys.path.insert(0, str(ROOT / "hooks"))

from nnbook import cache  # noqa: E402

PROBE = """\
import numpy as np
COUNTER = {counter!r}
def run(n=3):
    with open(COUNTER, "a") as f:
        f.write("x")
    return {{"values": np.arange(n), "mean": np.float64(1.5), "nested": {{"a": [1, 2]}}}}
"""


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny experiment `probe_cache` that counts its runs in a file; a fresh, empty cache directory."""
    experiments = tmp_path / "exp"
    experiments.mkdir()
    counter = tmp_path / "count.txt"
    counter.write_text("")
    (experiments / "probe_cache.py").write_text(PROBE.format(counter=str(counter)))
    import nnbook.experiments as package

    monkeypatch.setattr(package, "__path__", [str(experiments), *package.__path__])
    monkeypatch.setenv("NNBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_memory", {})
    yield counter
    sys.modules.pop("nnbook.experiments.probe_cache", None)


def runs(counter: Path) -> int:
    return len(counter.read_text())


def new_process() -> None:
    """What a new build process sees: nothing in memory, only the disk cache."""
    cache._memory.clear()


# --------------------------------------------------------------------------- the key


def test_changing_a_shipped_data_file_changes_the_key(tmp_path: Path) -> None:
    package = tmp_path / "nnmem"
    shutil.copytree(ROOT / "src" / "nnmem", package, ignore=shutil.ignore_patterns("__pycache__"))
    data_files = sorted(p for p in (package / "data").iterdir() if p.is_file() and p.suffix != ".py")
    assert data_files, "the package ships data files"
    before = cache.environment(package_dir=package)
    target = data_files[0]
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one bit, same size
    target.write_bytes(bytes(raw))
    after = cache.environment(package_dir=package)
    assert before != after
    assert cache.fingerprint("neurons_fi", {}, env=before) != cache.fingerprint("neurons_fi", {}, env=after)


def test_changing_package_or_page_helper_source_changes_the_key(tmp_path: Path) -> None:
    package, book = tmp_path / "nnmem", tmp_path / "nnbook"
    shutil.copytree(ROOT / "src" / "nnmem", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs_src" / "nnbook", book, ignore=shutil.ignore_patterns("__pycache__"))
    keys = {cache.fingerprint("neurons_fi", {}, env=cache.environment(package, book))}
    with (package / "activations.py").open("a") as f:
        f.write("\n# a comment is a change too\n")
    keys.add(cache.fingerprint("neurons_fi", {}, env=cache.environment(package, book)))
    with (book / "__init__.py").open("a") as f:
        f.write("\n# helper edited\n")
    keys.add(cache.fingerprint("neurons_fi", {}, env=cache.environment(package, book)))
    (book / "experiments" / "new_helper.py").write_text("X = 1\n")  # a new file an experiment may import
    keys.add(cache.fingerprint("neurons_fi", {}, env=cache.environment(package, book)))
    assert len(keys) == 4


@pytest.mark.parametrize("distribution", ["scikit-learn", "matplotlib", "scipy"])
def test_library_versions_are_in_the_key(monkeypatch: pytest.MonkeyPatch, distribution: str) -> None:
    before = cache.environment()
    real = cache._version
    monkeypatch.setattr(cache, "_version", lambda name: "0.0.0-other" if name == distribution else real(name))
    after = cache.environment()
    assert cache.fingerprint("neurons_fi", {}, env=before) != cache.fingerprint("neurons_fi", {}, env=after)


def test_python_and_numpy_versions_are_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.fingerprint("neurons_fi", {}, env=cache.environment())
    monkeypatch.setattr(np, "__version__", "1.0.0")
    numpy_changed = cache.fingerprint("neurons_fi", {}, env=cache.environment())
    monkeypatch.setattr(sys, "version", "3.0.0 (other build)")
    python_changed = cache.fingerprint("neurons_fi", {}, env=cache.environment())
    assert len({base, numpy_changed, python_changed}) == 3


def test_the_blas_thread_count_is_in_the_key() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    if not any(i.get("user_api") == "blas" for i in threadpool_info()):
        pytest.skip("no BLAS library loaded")
    with threadpool_limits(limits=1, user_api="blas"):
        one = cache.fingerprint("neurons_fi", {})
        assert {b[3] for b in cache.blas() if b[0] == "blas"} == {1}
    with threadpool_limits(limits=2, user_api="blas"):
        two = cache.fingerprint("neurons_fi", {})
    assert one != two


def test_arguments_and_experiment_are_in_the_key() -> None:
    env = cache.environment()
    assert cache.fingerprint("neurons_fi", {}, env=env) != cache.fingerprint("neurons_fi", {"seed": 1}, env=env)
    assert cache.fingerprint("neurons_fi", {}, env=env) != cache.fingerprint("hopfield_capacity", {}, env=env)
    # the same inputs give the same key (no time, no process id, no dict order)
    reordered = cache.fingerprint("neurons_fi", {"b": 2, "a": 1}, env=env)
    assert cache.fingerprint("neurons_fi", {"a": 1, "b": 2}, env=env) == reordered


# --------------------------------------------------------------------------- what pages receive


def test_pages_share_one_read_only_result(probe: Path) -> None:
    first = cache.run_experiment("probe_cache", n=3)
    second = cache.run_experiment("probe_cache", n=3)  # the other language's page
    assert runs(probe) == 1
    assert first == {"values": [0, 1, 2], "mean": 1.5, "nested": {"a": [1, 2]}}
    json.dumps(first)  # still serialises like plain JSON values
    changes = [
        lambda r: r.__setitem__("mean", 0.0),
        lambda r: r.pop("mean"),
        lambda r: r.update(mean=0.0),
        lambda r: r["values"].append(3),
        lambda r: r["values"].__setitem__(0, 99),
        lambda r: r["values"].sort(reverse=True),
        lambda r: r["nested"]["a"].clear(),
        lambda r: r["nested"].__setitem__("b", 1),
    ]
    for change in changes:
        with pytest.raises(TypeError, match="read-only"):
            change(first)
    assert second == {"values": [0, 1, 2], "mean": 1.5, "nested": {"a": [1, 2]}}  # untouched
    mine = copy.deepcopy(first)
    mine["values"].append(3)  # a copy is an ordinary, mutable value
    assert mine["values"] == [0, 1, 2, 3] and type(mine) is dict and type(mine["values"]) is list
    assert cache.run_experiment("probe_cache", n=3)["values"] == [0, 1, 2]


# --------------------------------------------------------------------------- on disk


def entry(tmp_path: Path) -> tuple[Path, Path]:
    results = sorted((tmp_path / "cache").glob("probe_cache-*.json"))
    assert len(results) == 1
    return results[0], results[0].with_name(results[0].name + ".check")


def test_a_new_process_reads_the_disk_cache(probe: Path, tmp_path: Path) -> None:
    first = cache.run_experiment("probe_cache", n=3)
    new_process()
    assert cache.run_experiment("probe_cache", n=3) == first
    assert runs(probe) == 1
    result, check = entry(tmp_path)
    assert json.loads(result.read_text()) == first
    assert json.loads(check.read_text())["sha256"] == hashlib.sha256(result.read_bytes()).hexdigest()


def _damage_truncate(result: Path, check: Path) -> None:
    result.write_bytes(result.read_bytes()[:-7])


def _damage_bad_json_with_matching_checksum(result: Path, check: Path) -> None:
    data = b'{"values": [0, 1, 2'
    result.write_bytes(data)
    info = json.loads(check.read_text())
    info["sha256"] = hashlib.sha256(data).hexdigest()
    check.write_text(json.dumps(info))


def _damage_same_length_edit(result: Path, check: Path) -> None:
    text = result.read_text()
    assert '"mean": 1.5' in text
    result.write_text(text.replace('"mean": 1.5', '"mean": 9.5'))  # still valid JSON, still the same size


def _damage_wrong_key(result: Path, check: Path) -> None:
    info = json.loads(check.read_text())
    info["key"] = info["key"][:20] + "0" * (len(info["key"]) - 20)  # same file name, another key
    check.write_text(json.dumps(info))


def _damage_missing_check(result: Path, check: Path) -> None:
    check.unlink()


def _damage_binary_garbage(result: Path, check: Path) -> None:
    result.write_bytes(b"\xff\xfe\x00garbage")


@pytest.mark.parametrize(
    "damage",
    [_damage_truncate, _damage_bad_json_with_matching_checksum, _damage_same_length_edit, _damage_wrong_key,
     _damage_missing_check, _damage_binary_garbage],
)
def test_a_damaged_or_stale_entry_is_recomputed_not_served(probe: Path, tmp_path: Path, damage) -> None:  # noqa: ANN001
    good = copy.deepcopy(cache.run_experiment("probe_cache", n=3))
    result, check = entry(tmp_path)
    damage(result, check)
    new_process()
    assert cache.run_experiment("probe_cache", n=3) == good
    assert runs(probe) == 2, "the damaged entry must be recomputed"
    new_process()  # ... and rewritten: the next process reads it again
    assert cache.run_experiment("probe_cache", n=3) == good
    assert runs(probe) == 2


def test_writes_are_atomic(probe: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that dies before its rename leaves the previous entry whole (no half-written file in place)."""
    cache.run_experiment("probe_cache", n=3)
    result, check = entry(tmp_path)
    before = (result.read_bytes(), check.read_bytes())

    def crash(src, dst):  # noqa: ANN001, ANN202
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(cache.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        key = json.loads(check.read_text())["key"]
        cache.store_entry(tmp_path / "cache", "probe_cache", key, {"values": list(range(1000))})
    assert (result.read_bytes(), check.read_bytes()) == before


def test_cache_location_comes_from_the_environment(
    probe: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("NNBOOK_CACHE_DIR", str(elsewhere))
    cache.run_experiment("probe_cache", n=2)
    assert len(list(elsewhere.glob("probe_cache-*.json"))) == 1
    assert not (tmp_path / "cache").exists()
    monkeypatch.setenv("NNBOOK_CACHE_DIR", "off")
    new_process()
    cache.run_experiment("probe_cache", n=5)
    assert runs(probe) == 2 and len(list(elsewhere.iterdir())) == 2  # result + check of n=2 only
    assert not any(p.name.startswith("probe_cache") for p in Path(os.getcwd()).glob("*.json"))


# --------------------------------------------------------------------------- executed blocks (hooks/blockcache.py)


class Runs:
    """A build's block runner over a store in a temporary directory, counting real executions."""

    def __init__(self, directory: Path, environment: str = "env-1") -> None:
        import blockcache

        self.runner = blockcache.BlockRunner(blockcache.BlockStore(directory), environment)

    def page(self, src_uri: str, language: str, blocks: list[tuple[str, str]]) -> list[str]:
        """Run a page's blocks, given as (session, code); return what each printed."""
        self.runner.start_page(src_uri, language)
        return [self.runner.run(code, session=session, id=f"b{k}") for k, (session, code) in enumerate(blocks)]


PAGE = [("s", "x = 20\nprint(x)"), ("s", "y = x + 1\nprint(y)"), ("s", "print(x * y)"), ("", "print('alone')")]


def test_blocks_are_reused_only_while_nothing_changes(tmp_path: Path) -> None:
    first = Runs(tmp_path)
    assert first.page("a.md", "en", PAGE) == ["20\n", "21\n", "420\n", "alone\n"]  # 20 * 21 = 420
    assert first.runner.executed == 4 and first.runner.reused == 0

    warm = Runs(tmp_path)  # the next build
    assert warm.page("a.md", "en", PAGE) == ["20\n", "21\n", "420\n", "alone\n"]
    assert warm.runner.executed == 0 and warm.runner.reused == 4

    other_language, other_page, other_environment = Runs(tmp_path), Runs(tmp_path), Runs(tmp_path, "env-2")
    other_language.page("a.md", "zh", PAGE)
    other_page.page("b.md", "en", PAGE)
    other_environment.page("a.md", "en", PAGE)
    for runs in (other_language, other_page, other_environment):
        assert runs.runner.executed == 4 and runs.runner.reused == 0


def test_an_edited_block_replays_its_session_and_reruns_what_follows(tmp_path: Path) -> None:
    Runs(tmp_path).page("a.md", "en", PAGE)
    edited = [PAGE[0], ("s", "y = x + 2\nprint(y)"), PAGE[2], PAGE[3]]
    runs = Runs(tmp_path)
    assert runs.page("a.md", "en", edited) == ["20\n", "22\n", "440\n", "alone\n"]  # 20 * 22 = 440
    # block 0 came from the store, then ran once more to give block 1 its `x`; blocks 1 and 2 ran;
    # the block outside the session did not change and was reused
    assert runs.runner.reused == 2 and runs.runner.executed == 3


def test_every_page_and_language_starts_without_the_others_variables(tmp_path: Path) -> None:
    from markdown_exec import ExecutionError

    runs = Runs(tmp_path)
    runs.page("a.md", "en", [("s", "secret = 1\nprint(secret)")])
    with pytest.raises(ExecutionError, match="NameError"):
        runs.page("a.md", "zh", [("s", "print(secret)")])
    with pytest.raises(ExecutionError, match="NameError"):
        runs.page("b.md", "en", [("s", "print(secret)")])


def test_a_failing_block_names_itself_and_is_not_stored(tmp_path: Path) -> None:
    from markdown_exec import ExecutionError

    runs = Runs(tmp_path)
    with pytest.raises(ExecutionError) as failure:
        runs.page("a.md", "en", [("s", "print(1)\nraise RuntimeError('boom')")])
    assert "RuntimeError: boom" in str(failure.value) and "raise RuntimeError('boom')" in str(failure.value)
    again = Runs(tmp_path)
    with pytest.raises(ExecutionError):
        again.page("a.md", "en", [("s", "print(1)\nraise RuntimeError('boom')")])
    assert again.runner.executed == 1


@pytest.mark.parametrize("damage", ["truncate", "edit output", "wrong key", "not json"])
def test_a_damaged_block_entry_is_run_again(tmp_path: Path, damage: str) -> None:
    Runs(tmp_path).page("a.md", "en", [("", "print('kept')")])
    (entry_file,) = [p for p in tmp_path.rglob("*.json")]
    text = entry_file.read_text(encoding="utf-8")
    if damage == "truncate":
        entry_file.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "edit output":
        entry_file.write_text(text.replace("kept", "KEPT"), encoding="utf-8")
    elif damage == "wrong key":
        entry = json.loads(text)
        entry["key"] = "0" * 64
        entry_file.write_text(json.dumps(entry), encoding="utf-8")
    else:
        entry_file.write_bytes(b"\x00\xff")
    runs = Runs(tmp_path)
    assert runs.page("a.md", "en", [("", "print('kept')")]) == ["kept\n"]
    assert runs.runner.executed == 1


def test_a_block_that_names_a_results_file_reruns_when_it_changes(tmp_path: Path) -> None:
    import blockcache

    repo, store = tmp_path / "repo", tmp_path / "store"
    (repo / "bench" / "results").mkdir(parents=True)
    results = repo / "bench" / "results" / "build.json"
    results.write_text('{"seconds": 1.0}')
    (repo / "bench" / "results" / "other.json").write_text("{}")
    assert blockcache.environment_key(repo) == blockcache.environment_key(repo)  # deterministic
    reads = [("", f"print(open({str(results)!r}).read()) # bench/results/build.json")]
    other = [("", "print('no file')")]

    def build() -> tuple[int, list[str]]:
        runner = blockcache.BlockRunner(blockcache.BlockStore(store), "env", blockcache.input_files(repo))
        runner.start_page("p.md", "en")
        outputs = [runner.run(code, session=None, id=f"b{k}") for k, (_, code) in enumerate(reads + other)]
        return runner.executed, outputs

    assert build() == (2, ['{"seconds": 1.0}\n', "no file\n"])
    assert build() == (0, ['{"seconds": 1.0}\n', "no file\n"])
    (repo / "bench" / "results" / "other.json").write_text('{"a": 1}')  # named by no block: nothing re-runs
    assert build()[0] == 0
    results.write_text('{"seconds": 2.0}')  # named by the first block: it alone re-runs
    assert build() == (1, ['{"seconds": 2.0}\n', "no file\n"])
