"""Tests of the experiments behind docs/forgetting.md, run with small arguments."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import forgetting_permuted, forgetting_split  # noqa: E402


def test_split_experiment_structure_and_reuse() -> None:
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
    out = forgetting_permuted.run(n_tasks=2, seed=0)
    plain, replay = np.array(out["matrices"]["plain"]), np.array(out["matrices"]["replay"])
    assert plain.shape == (2, 2)
    np.testing.assert_array_equal(plain[0], replay[0])  # same start, same first task
    assert replay[-1, 0] > plain[-1, 0]
