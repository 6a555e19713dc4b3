"""Modern Hopfield networks (nnmem.modern_hopfield)."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem.hopfield import corrupt, recall, store
from nnmem.modern_hopfield import attention, dense_energy, dense_update_async, retrieve, softmax


def test_softmax_is_stable_and_normalised() -> None:
    z = np.array([[1000.0, 999.0, -1000.0], [0.0, 0.0, 0.0]])
    out = softmax(z)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    np.testing.assert_allclose(out[1], 1 / 3)
    # e^0 / (e^0 + e^-1): the shift by the maximum changes nothing
    assert out[0, 0] == pytest.approx(1 / (1 + np.exp(-1.0)))


@pytest.mark.parametrize("seed", range(3))
def test_update_equals_softmax_attention(seed: int) -> None:
    """Ramsauer et al. (2021): the update is attention with keys = values = stored patterns."""
    rng = np.random.default_rng(seed)
    X, Q = rng.normal(size=(7, 16)), rng.normal(size=(4, 16))
    beta = 1 / np.sqrt(16)
    assert np.max(np.abs(retrieve(X, Q, beta=beta) - attention(Q, X, X, scale=beta))) < 1e-12
    # one query is the same as a batch of one
    np.testing.assert_allclose(retrieve(X, Q[0], beta=beta), retrieve(X, Q[:1], beta=beta)[0], atol=1e-15)


def test_tiny_beta_gives_the_mean_and_large_beta_the_nearest_pattern() -> None:
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(20, 64))
    query = X[3] * np.where(rng.random(64) < 0.2, -1.0, 1.0)  # 20% of signs flipped
    np.testing.assert_allclose(retrieve(X, query, beta=1e-8), X.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(retrieve(X, query, beta=10.0), X[3], atol=1e-12)


def test_dense_memory_stores_far_more_than_the_classical_network() -> None:
    """Krotov & Hopfield (2016): capacity grows like N^(n-1) for F(x) = x^n."""
    rng = np.random.default_rng(0)
    n, p = 100, 50  # load 0.5, far beyond the classical 0.138
    xi = rng.choice([-1.0, 1.0], size=(p, n))
    W = store(xi)
    dense_ok = classical_ok = 0
    for k in range(10):
        cue = corrupt(xi[k], fraction=0.1, rng=rng)
        dense_ok += np.array_equal(dense_update_async(xi, cue, degree=3, rng=rng), xi[k])
        classical_ok += np.array_equal(recall(W, cue, rng=rng).state, xi[k])
    assert dense_ok == 10
    assert classical_ok <= 2


def test_exponential_interaction_does_not_overflow() -> None:
    rng = np.random.default_rng(1)
    xi = rng.choice([-1.0, 1.0], size=(500, 1000))  # overlaps up to 1000: e^1000 overflows float64
    cue = corrupt(xi[0], fraction=0.2, rng=rng)
    np.testing.assert_array_equal(dense_update_async(xi, cue, interaction="exponential", rng=rng), xi[0])


def test_dense_energy_does_not_rise_during_a_sweep() -> None:
    rng = np.random.default_rng(2)
    xi = rng.choice([-1.0, 1.0], size=(30, 40))
    s = rng.choice([-1.0, 1.0], size=40)
    before = dense_energy(xi, s, degree=4)
    after = dense_energy(xi, dense_update_async(xi, s, degree=4, rng=rng), degree=4)
    assert after <= before


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: retrieve(np.eye(3), np.ones(3), beta=0.0), ValueError, r"`beta` must be a finite positive number; got 0.0"),
        (lambda: retrieve(np.eye(3), np.ones(4), beta=1.0), ValueError, r"`query` must have shape \(3,\) or \(n_queries, 3\); got shape \(4,\)"),
        (lambda: retrieve(np.eye(3), np.array([1.0, np.nan, 0.0]), beta=1.0), ValueError, r"`query` must contain only finite numbers"),
        (lambda: dense_update_async(np.ones((2, 3)), np.array([1, 2, 1])), ValueError, r"`state` must contain only -1 and \+1"),
        (lambda: dense_update_async(np.ones((2, 3)), np.ones(3), interaction="cubic"), ValueError, r"`interaction` must be 'polynomial' or 'exponential'; got 'cubic'"),
        (lambda: dense_update_async(np.ones((2, 3)), np.ones(3), degree=1), ValueError, r"`degree` must be at least 2"),
        (lambda: attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 2)), scale=1.0), ValueError, r"`values` must have 4 rows, one per key; got 5"),
    ],
)
def test_errors(call, error, match) -> None:  # noqa: ANN001
    with pytest.raises(error, match=match):
        call()
