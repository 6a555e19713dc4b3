"""The Hopfield network (nnmem.hopfield): storage, dynamics, energy and capacity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnmem.hopfield import (
    corrupt,
    energy,
    one_step_error_rate,
    one_step_error_theory,
    overlap,
    recall,
    store,
    update_async,
    update_sync,
)


def random_patterns(p: int, n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(p, n))


def test_store_by_hand() -> None:
    xi = np.array([[1, 1, -1], [1, -1, 1]])
    # w_12 = (1*1 + 1*(-1)) / 3 = 0, w_13 = (1*(-1) + 1*1) / 3 = 0, w_23 = (1*(-1) + (-1)*1) / 3 = -2/3
    expected = np.array([[0, 0, 0], [0, 0, -2 / 3], [0, -2 / 3, 0]])
    np.testing.assert_allclose(store(xi), expected)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(5, 60), p=st.integers(1, 12), seed=st.integers(0, 2**31 - 1))
def test_energy_never_increases_under_asynchronous_updates(n: int, p: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    W = store(rng.choice([-1.0, 1.0], size=(p, n)))
    s = rng.choice([-1.0, 1.0], size=n)
    e = energy(W, s)
    for _ in range(5):
        s = update_async(W, s, rng=rng)
        e_new = energy(W, s)
        assert e_new <= e + 1e-12
        e = e_new


@pytest.mark.parametrize("seed", range(5))
def test_stored_patterns_are_fixed_points_at_low_load(seed: int) -> None:
    xi = random_patterns(10, 400, seed)  # load 0.025
    W = store(xi)
    np.testing.assert_array_equal(update_sync(W, xi), xi)
    np.testing.assert_array_equal(update_async(W, xi, rng=seed), xi)


@pytest.mark.parametrize("seed", range(5))
def test_a_cue_with_20_percent_flipped_is_completed(seed: int) -> None:
    n = 500
    xi = random_patterns(int(0.05 * n), n, seed)
    W = store(xi)
    cue = corrupt(xi[0], fraction=0.2, rng=seed)
    assert overlap(cue, xi[0]) == pytest.approx(0.6)
    result = recall(W, cue, rng=seed)
    assert result.converged
    np.testing.assert_array_equal(result.state, xi[0])


def test_synchronous_updates_can_two_cycle() -> None:
    W = np.array([[0.0, -1.0], [-1.0, 0.0]])
    s0 = np.array([[1.0, 1.0]])
    s1 = update_sync(W, s0)
    np.testing.assert_array_equal(update_sync(W, s1), s0)
    assert not np.array_equal(s1, s0)
    # asynchronous updates settle instead
    assert recall(W, s0[0], rng=0).converged


def test_ties_keep_the_current_state() -> None:
    W = np.zeros((3, 3))
    s = np.array([1.0, -1.0, 1.0])
    np.testing.assert_array_equal(update_async(W, s, rng=0), s)
    np.testing.assert_array_equal(update_sync(W, s[None]), s[None])


@pytest.mark.parametrize(
    ("load", "published"),
    [(0.105, 0.001), (0.138, 0.0036), (0.185, 0.01), (0.37, 0.05), (0.61, 0.1)],
)
def test_one_step_error_rates_match_the_published_table(load: float, published: float) -> None:
    """Hertz, Krogh & Palmer (1991), *Introduction to the Theory of Neural Computation*, table 2.1.

    The table gives the one-step error probability for p/N = 0.105, 0.138, 0.185,
    0.37 and 0.61. Simulated at N = 1000 over 4 sets of patterns; the tolerance is
    25% relative (the lowest rate rests on roughly 400 flipped bits, so its
    sampling error alone is about 5%; the Gaussian theory is itself approximate).
    """
    assert one_step_error_theory(load) == pytest.approx(published, rel=0.05)
    measured = one_step_error_rate(1000, int(round(load * 1000)), trials=4, rng=0)
    assert measured == pytest.approx(published, rel=0.25)


def test_retrieval_breaks_down_above_the_critical_load() -> None:
    """Amit, Gutfreund & Sompolinsky (1985): retrieval states vanish near p/N = 0.138."""
    n, rng = 1000, np.random.default_rng(1)
    fractions = {}
    for load in (0.08, 0.2):
        xi = rng.choice([-1.0, 1.0], size=(int(load * n), n))
        result = recall(store(xi), xi, max_steps=30, rng=rng)
        fractions[load] = float(np.mean(np.sum(result.state * xi, axis=1) / n > 0.95))
    assert fractions[0.08] == 1.0
    assert fractions[0.2] < 0.2


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: store(np.array([[1, 0, -1]])), ValueError, r"`patterns` must contain only -1 and \+1; got 1 other value\(s\), e.g. 0"),
        (lambda: store(np.array([1, -1])), ValueError, r"`patterns` must have shape \(n_patterns, n_neurons\); got shape \(2,\)"),
        (lambda: store("abc"), TypeError, r"`patterns` must be an array of -1 and \+1"),
        (lambda: energy(np.zeros((3, 2)), np.ones(3)), ValueError, r"`W` must be a square matrix of shape \(N, N\); got shape \(3, 2\)"),
        (lambda: energy(np.zeros((3, 3)), np.ones(4)), ValueError, r"`state` must have 3 neurons \(last axis\) to match `W`; got shape \(4,\)"),
        (lambda: recall(np.zeros((3, 3)), np.ones(3), max_steps=0), ValueError, r"`max_steps` must be a positive integer; got 0"),
        (lambda: corrupt(np.ones(4), fraction=1.5), ValueError, r"`fraction` must be a number in \[0, 1\]; got 1.5"),
        (lambda: one_step_error_theory(0), ValueError, r"`load` must be a positive number p/N; got 0"),
    ],
)
def test_errors(call, error, match) -> None:  # noqa: ANN001
    with pytest.raises(error, match=match):
        call()


def test_ties_survive_floating_point_rounding() -> None:
    """Fields that are zero in exact arithmetic keep the neuron's state, even when rounding makes them +-1e-17."""
    rng = np.random.default_rng(3)
    xi = rng.choice([-1.0, 1.0], size=(4, 101))
    W = store(xi)
    s = rng.choice([-1.0, 1.0], size=101)
    exact = np.rint((s @ xi.T) @ xi - 4 * s).astype(int)  # N * h in integers (zero diagonal removes p * s_i)
    ties = np.flatnonzero(exact == 0)
    assert ties.size > 0  # the seed gives some exact ties
    after = update_sync(W, s[None])[0]
    np.testing.assert_array_equal(after[ties], s[ties])
