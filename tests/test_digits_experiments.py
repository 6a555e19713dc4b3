"""Tests of the experiments behind docs/digits.md, and of the claims its prose makes about them.

Tests that say "Guards the sentence" protect prose: their thresholds are the
experiment's own measured outcome, so they catch a change that falsifies the
page, not an error the page would repeat. The comparison with scikit-learn is
the independent check: a second implementation of the same algorithm.
"""

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
    """Guards the sentence "After more than a thousand steps the weights of the two networks differ by about a
    millionth of their size" on page digits; the tolerances are the package's own output, not an independent check.
    (float32's rounding, about 6e-8 per operation, bounds what a correct implementation can reach.)"""
    out = digits_runs.compare_dtypes(split, seed=0)
    assert out["dtype_of_W1"] == "float32"
    assert abs(out["accuracy"]["float32"] - out["accuracy"]["float64"]) <= 0.01
    assert out["same_prediction"] >= 0.98
    assert out["max_weight_difference"] < 1e-3 * out["max_weight"]


def test_sklearn_matches_nnmem_within_noise(split) -> None:
    """Same model, same plain SGD in an independent implementation: the two accuracies differ by less than two
    standard errors of a difference of two accuracies on 450 test images.

    One accuracy near 0.96 on n = 450 images has standard error sqrt(0.96 * 0.04 / 450) = 0.0092; the difference
    of two independent ones sqrt(2) times that, 0.013; two of them, 0.026.
    """
    pytest.importorskip("sklearn")
    ours = digits_runs.nnmem_accuracy(split, seed=0)
    theirs = digits_runs.sklearn_accuracy(split, seed=0)
    n = len(split.labels_test)
    se_difference = np.sqrt(2 * 0.96 * 0.04 / n)
    assert abs(ours - theirs) < 2 * se_difference
    assert ours > 0.9 and theirs > 0.9  # both well trained (chance is 0.1)


def test_sizes_table_claims(split) -> None:
    """Parameter counts by hand. Guards the sentence "on these 64-pixel images it is already far above chance; a
    hidden layer does better still" on page digits; the accuracies are the package's own output, not an
    independent check."""
    rows = digits_runs.compare_sizes(split, sizes=([64, 10], [64, 128, 10]), seeds=2)
    assert [r["n_params"] for r in rows] == [650, 9610]  # (64+1)*10; (64+1)*128 + (128+1)*10
    linear, hidden = (np.mean(r["accuracy"]) for r in rows)
    assert linear > 0.85
    assert hidden > linear


def test_momentum_exercise_claims(split) -> None:
    """Guards the sentence "Without momentum the small learning rate gets noticeably less far in 30 epochs" (and
    "with μ = 0.9 ... the run behaves much like the book's") on page digits, exercise 4; the ordering is the
    package's own output, not an independent check."""
    plain, heavy = digits_runs.momentum_runs(split)
    assert heavy["final_loss"] < 0.5 * plain["final_loss"]
    assert heavy["test_accuracy"] > plain["test_accuracy"]


def test_run_structure_small() -> None:
    out = digits_runs.run(seeds=1, epochs=2)
    assert set(out) == {"curve", "sklearn", "float32", "sizes", "momentum"}
    assert len(out["curve"]["test_accuracy"]) == 2
    assert len(out["sklearn"]["nnmem"]) == len(out["sklearn"]["sklearn"]) == 1
    assert out["sklearn"]["nnmem"][0] == out["sizes"][1]["accuracy"][0]  # the book's row is reused
