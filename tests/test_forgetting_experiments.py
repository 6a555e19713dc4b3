"""Tests of the experiments behind docs/forgetting.md, run with small arguments.

The orderings checked here ("more memory, more retained", "replay keeps more than
plain SGD") guard the chapter's prose: they are the experiment's own measured
outcome, not an independent check of correctness. ``tests/test_prose_claims.py``
checks the full-size claims; ``tests/test_continual.py`` checks the algorithms.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import forgetting_permuted, forgetting_split  # noqa: E402


def test_split_experiment_structure_and_reuse() -> None:
    """Structure and reuse of the main runs. Guards the sentence "Ten stored images ... already recover a large part
    of task A; a few dozen recover most of it" on page forgetting (10 < 100 examples retain less); the ordering is
    the package's own output, not an independent check."""
    out = forgetting_split.run(seeds=2, buffer_sizes=(10, forgetting_split.REPLAY_SIZE), buffer_seeds=2,
                               lambdas=(forgetting_split.EWC_LAMBDA,))
    for method in ("plain", "replay", "ewc"):
        assert len(out["matrices"][method]) == 2
        assert np.shape(out["matrices"][method][0]) == (2, 2)
    # the buffer entry for REPLAY_SIZE reuses the main replay runs
    main = [m[-1][0] for m in out["matrices"]["replay"]]
    assert out["buffer"][1]["task_a"] == main
    assert out["lambdas"][0]["task_a"] == [m[-1][0] for m in out["matrices"]["ewc"]]
    assert np.mean(out["buffer"][0]["task_a"]) < np.mean(out["buffer"][1]["task_a"])  # more memory, more retained


def test_permuted_experiment_structure() -> None:
    """Structure; both methods share the first task exactly (same seed, no old task yet). Guards "Replay again does
    best" on page forgetting (replay keeps more of task 1 than plain SGD): the package's own output, not an
    independent check."""
    out = forgetting_permuted.run(n_tasks=2, seed=0)
    plain, replay = np.array(out["matrices"]["plain"]), np.array(out["matrices"]["replay"])
    assert plain.shape == (2, 2)
    np.testing.assert_array_equal(plain[0], replay[0])  # same start, same first task
    assert replay[-1, 0] > plain[-1, 0]


def test_an_ewc_strength_sgd_cannot_train_is_recorded_not_raised() -> None:
    """The strength sweep keeps going past a λ that diverges and records it (the page prints "SGD diverged")."""
    out = forgetting_split.run(seeds=1, buffer_sizes=(), buffer_seeds=1, lambdas=(1e6,))
    (entry,) = out["lambdas"]
    assert entry["diverged"] == [True] and entry["task_a"] == [None] and entry["task_b"] == [None]
