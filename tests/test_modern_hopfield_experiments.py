"""Tests of the experiment behind docs/modern-hopfield.md, run with small arguments."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import modern_hopfield_capacity  # noqa: E402
from nnbook.experiments.modern_hopfield_capacity import dense_recall  # noqa: E402


def test_dense_recall_returns_a_fixed_point():
    rng = np.random.default_rng(0)
    xi = rng.choice([-1.0, 1.0], size=(3, 20))
    state, converged = dense_recall(xi, xi[1], rng=1, degree=3)
    np.testing.assert_array_equal(state, xi[1])  # a stored pattern at low load is a fixed point
    assert converged


def test_capacity_ordering_at_small_scale():
    """Krotov & Hopfield (2016): a steeper interaction stores more (capacity grows like N^(n-1) for degree n);
    degree 2 is the classical update (exercise 2 of the page), so its curve can differ from the classical one
    only through tie-breaking and update order. The end points (classical fails at p = 8N, exponential succeeds)
    guard the page's sentences; they are the package's own output at this size, not an independent check."""
    out = modern_hopfield_capacity.run(n_neurons=32, p_max=256, n_cues=6, seed=1)
    assert out["p"] == [4, 8, 16, 32, 64, 128, 256]
    for key in ("classical", "degree2", "degree3", "degree4", "exponential"):
        assert len(out[key]) == len(out["p"])
        assert all(0.0 <= f <= 1.0 for f in out[key])

    def area(key):
        return sum(out[key])

    assert area("classical") <= area("degree3") <= area("degree4") <= area("exponential")
    assert abs(area("classical") - area("degree2")) <= 1.0
    assert out["classical"][-1] == 0.0 and out["exponential"][-1] == 1.0
