"""Modern Hopfield networks (nnmem.modern_hopfield)."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem.hopfield import corrupt, recall, store, update_async
from nnmem.modern_hopfield import attention, dense_energy, dense_update_async, retrieve


def test_retrieve_with_huge_beta_does_not_overflow() -> None:
    # beta * overlaps = 1e6 * (1, 0.81): e^1e6 overflows unless the softmax subtracts its maximum
    X = np.array([[1.0, 0.0], [0.9, 0.0]])
    np.testing.assert_array_equal(retrieve(X, np.array([1.0, 0.0]), beta=1e6), [1.0, 0.0])


def test_retrieve_by_hand_and_steps_repeat_the_update() -> None:
    # X = I (2 x 2), query (ln 3, 0), beta 1: weights softmax(ln 3, 0) = (3/4, 1/4); new state = (3/4, 1/4)
    X = np.eye(2)
    one = retrieve(X, np.array([np.log(3.0), 0.0]), beta=1.0)
    np.testing.assert_allclose(one, [0.75, 0.25], rtol=1e-15)
    # second step: scores (0.75, 0.25): weights (e^0.5, 1) / (e^0.5 + 1)
    w = np.exp(0.5) / (np.exp(0.5) + 1.0)
    two = retrieve(X, np.array([np.log(3.0), 0.0]), beta=1.0, steps=2)
    np.testing.assert_allclose(two, [w, 1.0 - w], rtol=1e-14)
    np.testing.assert_allclose(retrieve(X, one, beta=1.0), two, rtol=1e-15)


def test_attention_by_hand_with_scale() -> None:
    # Q = (1, 0), K = I, V = (10, 20)^T, scale 2 ln 3: scores (2 ln 3, 0) -> weights (9, 1) / 10 -> 11
    out = attention(np.array([[1.0, 0.0]]), np.eye(2), np.array([[10.0], [20.0]]), scale=2 * np.log(3.0))
    np.testing.assert_allclose(out, [[11.0]], rtol=1e-14)
    # rows are independent queries; the softmax runs over keys (axis 1), not over queries
    out2 = attention(np.array([[1.0, 0.0], [0.0, 1.0]]), np.eye(2), np.array([[10.0], [20.0]]), scale=np.log(3.0))
    np.testing.assert_allclose(out2, [[12.5], [17.5]], rtol=1e-14)


def test_dense_energy_by_hand() -> None:
    # patterns (1, 1, 1), (1, -1, 1), (-1, -1, -1); state (1, 1, 1): overlaps 3, 1, -3
    xi = np.array([[1, 1, 1], [1, -1, 1], [-1, -1, -1]])
    s = np.array([1, 1, 1])
    assert dense_energy(xi, s, degree=2) == -(9.0 + 1.0 + 9.0)  # x^n for even n
    assert dense_energy(xi, s, degree=3) == -(27.0 + 1.0)  # max(x, 0)^n for odd n: the -3 contributes nothing
    assert dense_energy(xi, s, degree=4) == -(81.0 + 1.0 + 81.0)
    assert dense_energy(xi, s, degree=5) == -(243.0 + 1.0)
    expected = -(np.exp(3.0) + np.exp(1.0) + np.exp(-3.0))
    assert dense_energy(xi, s, interaction="exponential") == pytest.approx(expected, rel=1e-15)


def test_dense_update_with_degree_2_is_the_classical_update() -> None:
    """F(x) = x^2: F(r + xi_i) - F(r - xi_i) = 4 r xi_i, so the sign is that of the classical Hebbian field."""
    rng = np.random.default_rng(4)
    xi = rng.choice([-1.0, 1.0], size=(5, 41))  # p (N - 1) = 200 is even: ties are possible and keep the state
    for seed in range(5):
        s = rng.choice([-1.0, 1.0], size=41)
        classical = update_async(store(xi), s, rng=seed)
        np.testing.assert_array_equal(dense_update_async(xi, s, degree=2, rng=seed), classical)


def _reference_dense_sweep(xi: np.ndarray, s: np.ndarray, F, order: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Straight from the definition: neuron i takes the sign with the lower energy -sum_mu F(xi^mu . s)."""
    s = s.astype(float).copy()
    for i in order:
        up, down = s.copy(), s.copy()
        up[i], down[i] = 1.0, -1.0
        e_up, e_down = -sum(F(float(x @ up)) for x in xi), -sum(F(float(x @ down)) for x in xi)
        if e_up != e_down:
            s[i] = 1.0 if e_up < e_down else -1.0
    return s


@pytest.mark.parametrize("seed", range(4))
def test_dense_update_matches_the_definition_with_the_default_degree_3(seed: int) -> None:
    """Default interaction: rectified cubic F(x) = max(x, 0)^3 (Krotov & Hopfield 2016); rng orders the sweep."""
    rng = np.random.default_rng(10 + seed)
    xi = rng.choice([-1.0, 1.0], size=(12, 15))
    s = rng.choice([-1.0, 1.0], size=15)
    order = np.random.default_rng(seed).permutation(15)
    expected = _reference_dense_sweep(xi, s, lambda x: max(x, 0.0) ** 3, order)
    np.testing.assert_array_equal(dense_update_async(xi, s, rng=seed), expected)
    expected4 = _reference_dense_sweep(xi, s, lambda x: x**4, order)
    np.testing.assert_array_equal(dense_update_async(xi, s, degree=4, rng=seed), expected4)
    expected_exp = _reference_dense_sweep(xi, s, np.exp, order)
    np.testing.assert_array_equal(dense_update_async(xi, s, interaction="exponential", rng=seed), expected_exp)
    assert dense_energy(xi, s) == pytest.approx(-sum(max(float(x @ s), 0.0) ** 3 for x in xi), rel=1e-15)


def test_dense_update_by_hand_single_neuron_flip() -> None:
    # one pattern (1, 1, 1), state (1, 1, -1), degree 3: for neuron 3, rest = 1 + 1 = 2;
    # F(2 + 1) - F(2 - 1) = 27 - 1 > 0 -> +1. Neurons 1, 2 then see rest = 2: also +1.
    out = dense_update_async(np.array([[1, 1, 1]]), np.array([1, 1, -1]), rng=0)
    np.testing.assert_array_equal(out, [1.0, 1.0, 1.0])
    # a tie keeps the state. Patterns (1, 1), (1, -1), state (-1, 1), F(x) = x^2: overlaps (0, -2).
    # Neuron 1: rest = (1, -1), F(rest + (1, 1)) - F(rest - (1, 1)) = (4 + 0) - (0 + 4) = 0.
    # Neuron 2: rest = (-1, -1), F(rest + (1, -1)) - F(rest - (1, -1)) = (0 + 4) - (4 + 0) = 0.
    xi = np.array([[1, 1], [1, -1]])
    np.testing.assert_array_equal(dense_update_async(xi, np.array([-1, 1]), degree=2, rng=0), [-1.0, 1.0])


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
