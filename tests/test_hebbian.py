"""Hebbian plasticity (nnmem.hebbian): Hebb, Oja, the STDP window and how `learn` reports divergence."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem._checks import DIVERGENCE_FACTOR
from nnmem.hebbian import hebb_update, learn, oja_update, stdp_window


def correlated_data(seed: int, n: int = 800) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cov = np.array([[3.0, 1.2, 0.4], [1.2, 1.5, 0.3], [0.4, 0.3, 0.5]])
    x = rng.multivariate_normal(np.zeros(3), cov, size=n)
    return x - x.mean(axis=0)


def test_updates_by_hand() -> None:
    w, x = np.array([1.0, 0.0]), np.array([2.0, 1.0])
    # y = 2; Hebb: w + 0.1 * 2 * x = [1.4, 0.2]
    np.testing.assert_allclose(hebb_update(w, x, learning_rate=0.1), [1.4, 0.2], rtol=1e-15)
    # Oja: w + 0.1 * 2 * (x - 2 w) = [1, 0] + 0.2 * [0, 1] = [1, 0.2]
    np.testing.assert_allclose(oja_update(w, x, learning_rate=0.1), [1.0, 0.2], rtol=1e-15)
    # a second Oja case where the decay term matters in both coordinates:
    # w = [0.5, 0.5], x = [1, 3]: y = 2; w + 0.5 * 2 * ([1, 3] - 2 * [0.5, 0.5]) = [0.5, 0.5] + [0, 2] = [0.5, 2.5]
    np.testing.assert_allclose(oja_update(np.array([0.5, 0.5]), np.array([1.0, 3.0]), learning_rate=0.5), [0.5, 2.5])


def test_learn_on_one_sample_by_hand() -> None:
    """With a single sample the order is fixed and every epoch is one update we can follow by hand."""
    x = np.array([[2.0, 1.0]])
    w0 = np.array([1.0, 0.0])
    hebb = learn(x, rule="hebb", learning_rate=0.1, epochs=2, w0=w0, rng=0)
    # epoch 1: y = 2 -> [1.4, 0.2]; epoch 2: y = 2.8 + 0.2 = 3 -> [1.4, 0.2] + 0.3 * [2, 1] = [2.0, 0.5]
    np.testing.assert_allclose(hebb.history, [[1.0, 0.0], [1.4, 0.2], [2.0, 0.5]], rtol=1e-14)
    np.testing.assert_array_equal(hebb.weights, hebb.history[-1])
    oja = learn(x, rule="oja", learning_rate=0.1, epochs=1, w0=w0, rng=0)
    np.testing.assert_allclose(oja.history, [[1.0, 0.0], [1.0, 0.2]], rtol=1e-14)
    np.testing.assert_array_equal(w0, [1.0, 0.0])  # not modified
    assert not np.shares_memory(hebb.history, w0)


def test_the_default_rule_is_oja() -> None:
    x = np.array([[2.0, 1.0]])
    w = learn(x, learning_rate=0.1, epochs=1, w0=np.array([1.0, 0.0]), rng=0).weights
    np.testing.assert_allclose(w, [1.0, 0.2])  # Oja's step, not Hebb's [1.4, 0.2]


def test_default_initial_weights_have_standard_deviation_one_tenth() -> None:
    # zero inputs leave the weights where they started, so history[0] is the random start
    start = learn(np.zeros((1, 20000)), learning_rate=0.1, epochs=1, rng=0).history[0]
    # the sample variance of 20000 draws has relative standard error sqrt(2/20000) = 1 %: allow 5 of them
    assert abs(np.mean(start**2) / 0.01 - 1) < 0.05
    assert abs(np.mean(start)) < 5 * 0.1 / np.sqrt(20000)


def test_every_epoch_visits_every_sample_once() -> None:
    # Hebb with orthogonal samples: each visit to e_k multiplies w_k by (1 + eta); after 3 epochs
    # every coordinate has been multiplied by (1 + eta)^3 exactly when each sample was visited once per epoch
    x = np.eye(4)
    res = learn(x, rule="hebb", learning_rate=0.5, epochs=3, w0=np.ones(4), rng=7)
    np.testing.assert_allclose(res.history[1], np.full(4, 1.5))
    np.testing.assert_allclose(res.weights, np.full(4, 1.5**3))


@pytest.mark.parametrize("seed", range(3))
def test_oja_finds_the_first_principal_component(seed: int) -> None:
    """Oja (1982): the weight vector converges to a unit-norm first eigenvector of the covariance."""
    x = correlated_data(seed)
    w = learn(x, rule="oja", learning_rate=0.002, epochs=30, rng=seed).weights
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(x.T))
    pc1 = eigenvectors[:, np.argmax(eigenvalues)]
    assert abs(w @ pc1) / np.linalg.norm(w) > 0.99
    assert np.linalg.norm(w) == pytest.approx(1.0, abs=0.01)


def test_plain_hebb_grows_without_bound_and_then_overflows() -> None:
    x = correlated_data(0, n=200)
    norms = np.linalg.norm(learn(x, rule="hebb", learning_rate=0.002, epochs=10, rng=0).history, axis=1)
    assert np.all(np.diff(norms) > 0) and norms[-1] > 100 * norms[0]  # growth alone is not an error
    with pytest.raises(
        TrainingDivergedError,
        match=r"^Training diverged: the weight norm became inf in epoch \d+\. The setting responsible is "
        r"`learning_rate` = 0\.01: the plain Hebb rule grows without bound; use rule='oja', fewer epochs "
        r"or a smaller learning_rate\.$",
    ):
        learn(x, rule="hebb", learning_rate=0.01, epochs=200, rng=0)


def test_oja_divergence_names_the_learning_rate_and_does_not_advise_oja() -> None:
    """One sample x = (10, 0), w0 = (0.5, 0), eta = 1, followed by hand.

    Reconstruction error at w0: y = 5, x - y w = (7.5, 0) -> 56.25 (the reference).
    Epoch 1: w = 0.5 + 1 * 5 * (10 - 5 * 0.5) = 38; y = 380; x - y w = 10 - 14440 = -14430
    -> error 14430^2 = 2.08e8 > 1e4 * 56.25: diverged in epoch 1 under any factor up to 1e4.
    """
    with pytest.raises(
        TrainingDivergedError,
        match=rf"^Training diverged: the reconstruction error reached 2\.08e\+08, more than {DIVERGENCE_FACTOR:g} "
        r"times its starting value 56\.2 in epoch 1\. The setting responsible is `learning_rate` = 1: "
        r"try a smaller learning_rate\.$",
    ):
        learn(np.array([[10.0, 0.0]]), rule="oja", learning_rate=1.0, epochs=3, w0=np.array([0.5, 0.0]), rng=0)


def test_oja_divergence_is_caught_in_the_epoch_it_happens_not_only_the_first() -> None:
    """One sample x = (1), w0 = (2), eta = 1, followed by hand; each epoch is w <- w + w (1 - w^2).

    At w0: y = 2, x - y w = 1 - 4 = -3 -> error 9 (the reference; the limit is 100 * 9 = 900).
    Epoch 1: w = 2 + 2 * (-3) = -4; x - y w = 1 - 16 = -15 -> error 225, below the limit.
    Epoch 2: w = -4 + (-4) * (-15) = 56; x - y w = 1 - 3136 = -3135 -> error 9828225 = 9.83e6: diverged in
    epoch 2, although epoch 1's error was fine (three epochs: too short a curve for rule 2).
    """
    with pytest.raises(
        TrainingDivergedError,
        match=rf"^Training diverged: the reconstruction error reached 9\.83e\+06, more than {DIVERGENCE_FACTOR:g} "
        r"times its starting value 9 in epoch 2\. The setting responsible is `learning_rate` = 1: "
        r"try a smaller learning_rate\.$",
    ):
        learn(np.array([[1.0]]), rule="oja", learning_rate=1.0, epochs=3, w0=np.array([2.0]), rng=0)


def test_the_monitored_error_is_a_mean_over_samples() -> None:
    """As above plus a zero sample, which never changes w: the row errors are (56.25, 0) at the start, mean 28.125;
    after epoch 1 they are (2.08e8, 0), mean 1.04e8."""
    x = np.array([[10.0, 0.0], [0.0, 0.0]])
    with pytest.raises(
        TrainingDivergedError,
        match=rf"^Training diverged: the reconstruction error reached 1\.04e\+08, more than {DIVERGENCE_FACTOR:g} "
        r"times its starting value 28\.1 in epoch 1\. ",
    ):
        learn(x, rule="oja", learning_rate=1.0, epochs=3, w0=np.array([0.5, 0.0]), rng=0)


def test_oja_below_the_divergence_limit_is_not_an_error() -> None:
    """Same sample, smaller steps: w0 = (0.5, 0), eta = 0.01; y = 5, w = 0.5 + 0.05 * 7.5 = 0.875.

    The error falls from 56.25 to (10 - 8.75 * 0.875)^2 = 2.34^2 = 5.49: no error, and the weight is as computed.
    """
    res = learn(np.array([[10.0, 0.0]]), rule="oja", learning_rate=0.01, epochs=1, w0=np.array([0.5, 0.0]), rng=0)
    np.testing.assert_allclose(res.weights, [0.875, 0.0], rtol=1e-14)


def test_no_runtime_warning_escapes_divergence() -> None:
    import warnings

    x = correlated_data(0, n=200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TrainingDivergedError):
            learn(x, rule="hebb", learning_rate=0.01, epochs=200, rng=0)
        with pytest.raises(TrainingDivergedError):
            learn(x * 1e3, rule="oja", learning_rate=1.0, epochs=5, rng=0)


def test_stdp_window_shape() -> None:
    """Bi & Poo (1998): pre-before-post potentiates, post-before-pre depresses, both fade over tens of ms."""
    dt = np.array([-100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0])
    change = stdp_window(dt)
    assert np.all(change[dt > 0] > 0) and np.all(change[dt < 0] < 0) and change[dt == 0] == 0
    assert change[4] > change[5] > change[6] > 0  # decays with |dt|
    # at dt = tau the change has fallen to 1/e of its peak
    assert stdp_window(np.array([16.8]))[0] == pytest.approx(0.777 / np.e, rel=1e-12)
    assert stdp_window(np.array([-33.7]))[0] == pytest.approx(-0.273 / np.e, rel=1e-12)


def test_stdp_window_values_by_hand() -> None:
    # A+ exp(-dt / tau+) with A+ = 2, tau+ = 10 at dt = 10, 20: 2/e, 2/e^2; A- = 1, tau- = 5 at dt = -5: -1/e
    out = stdp_window(np.array([[10.0, 20.0], [-5.0, 0.0]]), a_plus=2.0, tau_plus=10.0, a_minus=1.0, tau_minus=5.0)
    np.testing.assert_allclose(out, [[2 / np.e, 2 / np.e**2], [-1 / np.e, 0.0]], rtol=1e-14)
    assert stdp_window(np.array([], dtype=float)).shape == (0,)
    np.testing.assert_allclose(stdp_window([1, -1]), stdp_window(np.array([1.0, -1.0])))  # ints accepted
