"""Tests of the experiments behind docs/digits.md, and of the claims its prose makes about them."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import digits_runs  # noqa: E402
from nnmem import mlp  # noqa: E402


@pytest.fixture(scope="module")
def split():
    return digits_runs.load_split()


def test_split_is_stratified_and_the_books_size(split) -> None:
    # 1797 images, 25 % of each class rounded: 450 test, 1347 train
    assert split.x_train.shape == (1347, 64) and split.x_test.shape == (450, 64)
    counts = np.bincount(split.labels_test, minlength=10)
    assert counts.min() >= 44 and counts.max() <= 46


def test_epoch_by_epoch_equals_one_call(split) -> None:
    """The page says passing one Generator along reproduces ``train_sgd(..., rng=0)`` exactly."""
    curve = digits_runs.train_epoch_by_epoch(split, seed=0, epochs=3)
    settings = {**digits_runs.SETTINGS, "epochs": 3}
    once = mlp.train_sgd(split.x_train, split.labels_train, rng=0, **settings)
    assert curve["test_accuracy"][-1] == mlp.accuracy(split.x_test, split.labels_test, once.params)
    assert len(curve["train_loss"]) == len(curve["test_loss"]) == 3
    assert curve["train_loss"][-1] < curve["train_loss"][0]


def test_dtype_comparison(split) -> None:
    """float32 gives (nearly) the same network: the page's claim."""
    out = digits_runs.compare_dtypes(split, seed=0)
    assert out["dtype_of_W1"] == "float32"
    assert abs(out["accuracy"]["float32"] - out["accuracy"]["float64"]) <= 0.01
    assert out["same_prediction"] >= 0.98
    assert out["max_weight_difference"] < 1e-3 * out["max_weight"]


def test_sklearn_matches_nnmem_within_noise(split) -> None:
    """Same model, same plain SGD: the two libraries agree within a couple of standard errors (about 0.9 points)."""
    pytest.importorskip("sklearn")
    ours = digits_runs.nnmem_accuracy(split, seed=0)
    theirs = digits_runs.sklearn_accuracy(split, seed=0)
    assert ours >= 0.95 and theirs >= 0.93
    assert abs(ours - theirs) < 0.03


def test_sizes_table_claims(split) -> None:
    """The prose: the linear model is far above chance, and a hidden layer does better."""
    rows = digits_runs.compare_sizes(split, sizes=([64, 10], [64, 128, 10]), seeds=2)
    assert [r["n_params"] for r in rows] == [650, 9610]  # (64+1)*10; (64+1)*128 + (128+1)*10
    linear, hidden = (np.mean(r["accuracy"]) for r in rows)
    assert linear > 0.85
    assert hidden > linear


def test_momentum_exercise_claims(split) -> None:
    """The exercise's solution: eta=0.01 alone gets less far; with mu=0.9 it behaves like eta=0.1."""
    plain, heavy = digits_runs.momentum_runs(split)
    assert heavy["final_loss"] < 0.5 * plain["final_loss"]
    assert heavy["test_accuracy"] > plain["test_accuracy"]


def test_run_structure_small() -> None:
    out = digits_runs.run(seeds=1, epochs=2)
    assert set(out) == {"curve", "sklearn", "float32", "sizes", "momentum"}
    assert len(out["curve"]["test_accuracy"]) == 2
    assert len(out["sklearn"]["nnmem"]) == len(out["sklearn"]["sklearn"]) == 1
    assert out["sklearn"]["nnmem"][0] == out["sizes"][1]["accuracy"][0]  # the book's row is reused
