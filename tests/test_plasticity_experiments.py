"""Tests of the experiment behind docs/plasticity.md, run with small arguments."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import plasticity_stdp_pairs  # noqa: E402
from nnbook.experiments.plasticity_stdp_pairs import pair_sum, poisson_train, window_integral  # noqa: E402
from nnmem.hebbian import stdp_window  # noqa: E402


def test_pair_sum_by_hand():
    # pre at 0 and 100 ms, post at 10 ms: pairs +10 ms and -90 ms
    expected = stdp_window(np.array([10.0, -90.0])).sum()
    assert pair_sum(np.array([0.0, 100.0]), np.array([10.0])) == pytest.approx(expected)
    # the cutoff drops the -90 ms pair
    only_near = stdp_window(np.array([10.0]))[0]
    assert pair_sum(np.array([0.0, 100.0]), np.array([10.0]), cutoff_ms=50.0) == pytest.approx(only_near)
    assert pair_sum(np.array([]), np.array([1.0])) == 0.0


def test_poisson_train_rate_and_order():
    train = poisson_train(20.0, 100_000.0, np.random.default_rng(0))  # expect 2000 spikes
    assert np.all(np.diff(train) >= 0)
    assert abs(len(train) - 2000) < 5 * np.sqrt(2000)


def test_window_integral_matches_numerical_integral():
    """A+ tau+ - A- tau- for the Bi & Poo (2001) fit: 0.777*16.8 - 0.273*33.7 = 3.8535 ms."""
    assert window_integral() == pytest.approx(3.8535)
    out = plasticity_stdp_pairs.run(duration_s=5.0, trials=2)
    # the trapezoid rule across the jump at 0 is off by about step*(A+ - A-)/2 = 0.0013 ms
    assert out["integral_ms"] == pytest.approx(window_integral(), abs=3e-3)


def test_simulation_agrees_with_the_correlation_formula():
    """Kempter, Gerstner & van Hemmen (1999): mean summed change = window integrated against the cross-correlation."""
    out = plasticity_stdp_pairs.run(duration_s=100.0, trials=20, seed=1)
    for case in ("independent", "causal", "anticausal"):
        part = out[case]
        assert abs(part["mean"] - part["theory"]) < 4 * part["sem"] + 1e-9, case
        assert part["rate_post_hz"] == pytest.approx(10.0, rel=0.05)
    # same rates, opposite timing, opposite sign
    assert out["causal"]["mean"] > 0 > out["anticausal"]["mean"]
