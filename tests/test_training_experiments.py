"""Tests of the experiments behind docs/training.md, run with small arguments.

Tests marked "Guards the sentence" protect prose: their thresholds come from the
experiment's own measured output, so they catch a change that falsifies the page,
not an error that the page would repeat. The full-size claims are checked in
``tests/test_prose_claims.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import training_grid, training_regression, training_xor_seeds  # noqa: E402
from nnbook.experiments.training_xor_seeds import RECOMMENDED, X_XOR, dead_units, margin, xor_trial  # noqa: E402


def test_margin_and_dead_units_by_hand():
    # outputs exactly at the targets -> margin 0.5; one point on the wrong side -> negative
    assert margin(np.array([[0.0], [1.0], [1.0], [0.0]])) == pytest.approx(0.5)
    assert margin(np.array([[0.0], [1.0], [0.4], [0.0]])) == pytest.approx(-0.1)
    # unit 0: weights (-1, -1), bias 0 -> z = 0, -1, -1, -2: dead; unit 1: (1, 1) -> alive
    params = {"w_ih": np.array([[-1.0, 1.0], [-1.0, 1.0]]), "b_h": np.zeros(2)}
    assert dead_units(params) == 1


def test_recommended_settings_solve_xor_for_at_least_9_of_10_seeds():
    """Guards the sentence "The settings this book recommends for XOR, and uses in its tests, are 8 hidden tanh
    units, learning rate 0.1, 1000 epochs" on page training; the expected value (9 of 10) is the package's own
    output (it solves 100 of 100 seeds on the page), not an independent check."""
    solved = [xor_trial(**RECOMMENDED, seed=s)["solved"] for s in range(10)]
    assert sum(solved) >= 9


def test_xor_seeds_structure_and_dead_units_stay_dead():
    """Structure of the result, plus one law: with full-batch gradient descent a ReLU unit that is dead on all four
    inputs gets zero gradient (training.md, "Dead ReLUs"), so continuing never revives it. The check
    ``recommended n_solved >= 5`` guards the page's "reliably"; it is the package's own output."""
    out = training_xor_seeds.run(seeds=6, extra_epochs=50)
    for name in ("article", "recommended"):
        part = out[name]
        assert len(part["solved"]) == len(part["final_loss"]) == len(part["dead_end"]) == 6
        assert part["n_solved"] == sum(part["solved"])
        assert all(0 <= d <= part["settings"]["hidden_size"] for d in part["dead_init"])
    assert out["recommended"]["n_solved"] >= 5
    n_failed = 6 - out["article"]["n_solved"]
    assert len(out["continued"]["seed"]) == n_failed
    # a unit that is dead stays dead: continuing never revives one
    for seed, d in zip(out["continued"]["seed"], out["continued"]["dead_end"], strict=True):
        assert d >= out["article"]["dead_end"][seed]


def test_grid_counts_and_divergence():
    """Counting in the grid: a diverged run is reported and counted as a failure (training.md: "A run whose loss
    became NaN or infinite counts as a failure and is reported"). Guards the grid's tanh row at rate 0.1 (3 of 3
    solved), which is the package's own output, not an independent check; rate 50 diverging is far past any
    stable step for inputs in [0, 1]."""
    out = training_grid.run(seeds=3, sizes=(8,), activations=("tanh",), rates=(0.1, 50.0), rate_hidden_size=8)
    assert len(out["by_size"]) == 1 and len(out["by_rate"]) == 2
    good, huge = out["by_rate"]
    assert good["n_solved"] == 3 and good["n_diverged"] == 0
    assert huge["n_diverged"] == 3 and huge["n_solved"] == 0  # a diverged run counts as a failure


def test_regression_structure_and_sanity():
    """Guards the sentence "a ten times larger rate reaches the same loss in about ten times fewer epochs" (here
    only: a larger stable rate gets further) and "Beyond the limit, training breaks down and `train` says so" on
    page training; the ordering is the package's own output, not an independent check."""
    out = training_regression.run(sizes=(2, 16), epochs=300, rates=(0.01, 0.1, 3.0))
    assert [f["hidden_size"] for f in out["sizes"]] == [2, 16]
    assert len(out["sizes"][0]["curve"]) == len(out["grid"]) == 201
    slow, fast, huge = out["rates"]
    assert fast["final_loss"] < slow["final_loss"]  # a larger (stable) rate gets further in 300 epochs
    assert huge["diverged"] and "`learning_rate` = 3:" in huge["message"]
    assert np.all(np.diff(slow["epochs"]) > 0)


def test_data_is_reproducible():
    x1, y1 = training_regression.make_data()
    x2, y2 = training_regression.make_data()
    assert x1.shape == (64, 1) and np.array_equal(y1, y2)
    assert np.all(np.abs(x1) <= np.pi) and np.all(np.diff(x1.ravel()) >= 0)
    assert X_XOR.shape == (4, 2)
