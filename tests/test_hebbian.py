"""Hebbian plasticity (nnmem.hebbian): Hebb, Oja and the STDP window."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem.hebbian import hebb_update, learn, oja_update, stdp_window


def correlated_data(seed: int, n: int = 800) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cov = np.array([[3.0, 1.2, 0.4], [1.2, 1.5, 0.3], [0.4, 0.3, 0.5]])
    x = rng.multivariate_normal(np.zeros(3), cov, size=n)
    return x - x.mean(axis=0)


def test_updates_by_hand() -> None:
    w, x = np.array([1.0, 0.0]), np.array([2.0, 1.0])
    # y = 2; Hebb: w + 0.1 * 2 * x = [1.4, 0.2]
    np.testing.assert_allclose(hebb_update(w, x, learning_rate=0.1), [1.4, 0.2])
    # Oja: w + 0.1 * 2 * (x - 2 w) = [1, 0] + 0.2 * [0, 1] = [1, 0.2]
    np.testing.assert_allclose(oja_update(w, x, learning_rate=0.1), [1.0, 0.2])


@pytest.mark.parametrize("seed", range(3))
def test_oja_finds_the_first_principal_component(seed: int) -> None:
    """Oja (1982): the weight vector converges to a unit-norm first eigenvector of the covariance."""
    x = correlated_data(seed)
    w = learn(x, rule="oja", learning_rate=0.002, epochs=30, rng=seed).weights
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(x.T))
    pc1 = eigenvectors[:, np.argmax(eigenvalues)]
    assert abs(w @ pc1) / np.linalg.norm(w) > 0.99
    assert np.linalg.norm(w) == pytest.approx(1.0, abs=0.01)


def test_plain_hebb_grows_without_bound() -> None:
    x = correlated_data(0, n=200)
    norms = np.linalg.norm(learn(x, rule="hebb", learning_rate=0.002, epochs=10, rng=0).history, axis=1)
    assert np.all(np.diff(norms) > 0) and norms[-1] > 100 * norms[0]
    with pytest.raises(TrainingDivergedError, match=r"The weights overflowed in epoch \d+ of the 'hebb' rule"):
        learn(x, rule="hebb", learning_rate=0.01, epochs=200, rng=0)


def test_stdp_window_shape() -> None:
    """Bi & Poo (1998): pre-before-post potentiates, post-before-pre depresses, both fade over tens of ms."""
    dt = np.array([-100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0])
    change = stdp_window(dt)
    assert np.all(change[dt > 0] > 0) and np.all(change[dt < 0] < 0) and change[dt == 0] == 0
    assert change[4] > change[5] > change[6] > 0  # decays with |dt|
    # at dt = tau the change has fallen to 1/e of its peak
    assert stdp_window(np.array([16.8]))[0] == pytest.approx(0.777 / np.e)
    assert stdp_window(np.array([-33.7]))[0] == pytest.approx(-0.273 / np.e)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: hebb_update(np.zeros(2), np.zeros(3), learning_rate=0.1), ValueError, r"`x` must have shape \(2,\) like `w`; got \(3,\)"),
        (lambda: oja_update(np.zeros(2), np.zeros(2), learning_rate=0), ValueError, r"`learning_rate` must be a finite positive number; got 0"),
        (lambda: learn(np.zeros((3, 2)), rule="bcm", learning_rate=0.1, epochs=1), ValueError, r"`rule` must be one of \['hebb', 'oja'\]; got 'bcm'"),
        (lambda: learn(np.zeros((3, 2)), learning_rate=0.1, epochs=1, w0=np.zeros(3)), ValueError, r"`w0` must have shape \(2,\); got \(3,\)"),
        (lambda: stdp_window(np.array([np.nan])), ValueError, r"`delta_t` must contain only finite numbers"),
        (lambda: stdp_window(np.zeros(1), tau_plus=-1.0), ValueError, r"`tau_plus` must be a finite positive number; got -1.0"),
    ],
)
def test_errors(call, error, match) -> None:  # noqa: ANN001
    with pytest.raises(error, match=match):
        call()
