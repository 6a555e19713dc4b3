"""Networks of any depth (nnmem.mlp): gradients, agreement with twolayer, training, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import TrainingDivergedError, mlp, twolayer
from nnmem.datasets import digits, train_test_split
from nnmem.gradcheck import check_gradients

#: The digits chapter's settings (64-128-10, ReLU, batch 32, learning rate 0.1, 30 epochs, split seed 0).
DIGITS_SETTINGS = {"layer_sizes": [64, 128, 10], "learning_rate": 0.1, "epochs": 30, "batch_size": 32}


def test_forward_by_hand() -> None:
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([0.0, 0.5]), "W2": np.array([[2.0], [1.0]]), "b2": np.array([0.1])}
    out, cache = mlp.forward(np.array([[1.0]]), params)
    # z1 = [1, -0.5] -> relu [1, 0] -> 1*2 + 0*1 + 0.1
    np.testing.assert_allclose(out, [[2.1]])
    np.testing.assert_allclose(cache.pre_activations[0], [[1.0, -0.5]])


def test_cross_entropy_by_hand() -> None:
    # logits [0, ln 3]: softmax = [1/4, 3/4]; label 1 -> loss = -ln(3/4)
    out = np.array([[0.0, np.log(3.0)]])
    assert mlp.loss_value(out, np.array([1]), loss="cross_entropy") == pytest.approx(-np.log(0.75))
    # no overflow for huge logits: softmax of [1000, 0] puts everything on class 0
    assert mlp.loss_value(np.array([[1000.0, 0.0]]), np.array([0]), loss="cross_entropy") == pytest.approx(0.0, abs=1e-12)
    assert mlp.loss_value(np.array([[1000.0, 0.0]]), np.array([1]), loss="cross_entropy") == pytest.approx(1000.0)


@pytest.mark.parametrize("loss", mlp.LOSSES)
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("sizes", [[3, 4], [3, 5, 4], [2, 6, 5, 3]])
def test_gradients_match_central_differences(loss: str, activation: str, sizes: list[int]) -> None:
    rng = np.random.default_rng(len(sizes) + len(activation))
    params = mlp.init_mlp(sizes, activation=activation, rng=rng)
    for k in params:
        if k.startswith("b"):
            params[k] = rng.normal(size=params[k].shape)
    x = rng.normal(size=(6, sizes[0]))
    y = rng.normal(size=(6, sizes[-1])) if loss == "mse" else rng.integers(0, sizes[-1], size=6)
    _, grads = mlp.loss_and_gradients(x, y, params, loss=loss, activation=activation)

    def value(p: dict[str, np.ndarray]) -> float:
        return mlp.loss_value(mlp.forward(x, p, activation=activation)[0], y, loss=loss)

    errors = check_gradients(value, grads, params)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_same_weights_same_outputs_and_gradients_as_twolayer(activation: str) -> None:
    rng = np.random.default_rng(7)
    two = twolayer.init_params(3, 5, 2, activation=activation, rng=rng)
    two["b_h"] = rng.normal(size=5)
    deep = {"W1": two["w_ih"], "b1": two["b_h"], "W2": two["w_ho"], "b2": two["b_o"]}
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    y2, cache = twolayer.forward_propagation(x, two, activation=activation)
    g2 = twolayer.backward_propagation(y, cache, two)
    out, _ = mlp.forward(x, deep, activation=activation)
    _, g = mlp.loss_and_gradients(x, y, deep, loss="mse", activation=activation)
    np.testing.assert_array_equal(out, y2)
    for a, b in (("W1", "w_ih"), ("b1", "b_h"), ("W2", "w_ho"), ("b2", "b_o")):
        np.testing.assert_allclose(g[a], g2[b], rtol=1e-14, atol=1e-16)
    # and the same initial draws for the same seed
    np.testing.assert_array_equal(mlp.init_mlp([3, 5, 2], activation=activation, rng=1)["W1"],
                                  twolayer.init_params(3, 5, 2, activation=activation, rng=1)["w_ih"])


def test_full_batch_sgd_equals_twolayer_training() -> None:
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    start = twolayer.init_params(2, 8, 1, activation="tanh", rng=3)
    ref = twolayer.train(x, y, hidden_size=8, learning_rate=0.1, epochs=50, activation="tanh", params=start)
    deep = {"W1": start["w_ih"], "b1": start["b_h"], "W2": start["w_ho"], "b2": start["b_o"]}
    res = mlp.train_sgd(x, y, params=deep, loss="mse", activation="tanh", learning_rate=0.1, epochs=50, batch_size=4, rng=0)
    np.testing.assert_allclose(res.params["W1"], ref.params["w_ih"], rtol=1e-12)
    np.testing.assert_allclose(res.params["b2"], ref.params["b_o"], rtol=1e-12)


def test_float32_stays_float32_and_learns() -> None:
    x, labels = digits()
    split = train_test_split(x, labels, rng=0)
    res = mlp.train_sgd(split.x_train, split.labels_train, rng=0, dtype=np.float32, **{**DIGITS_SETTINGS, "epochs": 10})
    ref = mlp.train_sgd(split.x_train, split.labels_train, rng=0, **{**DIGITS_SETTINGS, "epochs": 10})
    assert all(v.dtype == np.float32 for v in res.params.values())
    acc32 = mlp.accuracy(split.x_test, split.labels_test, res.params)
    assert acc32 > 0.9
    assert abs(acc32 - mlp.accuracy(split.x_test, split.labels_test, ref.params)) < 0.02


def test_digits_accuracy_with_the_books_settings() -> None:
    """The digits chapter's claim: at least 95% test accuracy with its settings."""
    x, labels = digits()
    split = train_test_split(x, labels, rng=0)
    res = mlp.train_sgd(split.x_train, split.labels_train, rng=0, **DIGITS_SETTINGS)
    assert mlp.accuracy(split.x_test, split.labels_test, res.params) >= 0.95
    assert res.losses[-1] < 0.2 * res.losses[0]


def test_momentum_and_weight_decay() -> None:
    x, labels = digits()
    plain = mlp.train_sgd(x[:300], labels[:300], layer_sizes=[64, 32, 10], learning_rate=0.02, epochs=5, rng=0)
    fast = mlp.train_sgd(x[:300], labels[:300], layer_sizes=[64, 32, 10], learning_rate=0.02, epochs=5, momentum=0.9, rng=0)
    assert fast.losses[-1] < plain.losses[-1]
    decayed = mlp.train_sgd(x[:300], labels[:300], layer_sizes=[64, 32, 10], learning_rate=0.02, epochs=5, weight_decay=0.5, rng=0)
    assert np.linalg.norm(decayed.params["W1"]) < np.linalg.norm(plain.params["W1"])


def test_training_does_not_modify_the_starting_params() -> None:
    start = mlp.init_mlp([64, 16, 10], rng=0)
    frozen = {k: v.copy() for k, v in start.items()}
    x, labels = digits()
    mlp.train_sgd(x[:100], labels[:100], params=start, learning_rate=0.1, epochs=2, rng=0)
    for k in start:
        np.testing.assert_array_equal(start[k], frozen[k])


def test_divergence_is_reported() -> None:
    x, labels = digits()
    with pytest.raises(TrainingDivergedError, match=r"SGD diverged. Try a smaller learning rate"):
        mlp.train_sgd(x[:200], np.eye(10)[labels[:200]], layer_sizes=[64, 64, 10], loss="mse",
                      learning_rate=50.0, epochs=20, rng=0)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: mlp.init_mlp([5]), ValueError, r"`layer_sizes` must list at least an input and an output size; got \[5\]"),
        (lambda: mlp.init_mlp([5, 0, 2]), ValueError, r"`layer_sizes\[1\]` must be a positive integer; got 0"),
        (lambda: mlp.init_mlp([5, 2], dtype=np.int32), ValueError, r"`dtype` must be float32 or float64; got int32"),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 5]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1),
         ValueError, r"`y` labels must be in \[0, 2\] for a network with 3 outputs; got values from 0 to 5"),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1),
         ValueError, r"`y` must be integer labels of shape \(3,\) for cross-entropy; got shape \(2,\)"),
        (lambda: mlp.train_sgd(np.full((3, 2), np.nan), np.array([0, 1, 2]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1),
         ValueError, r"`x` must contain only finite numbers"),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1, momentum=1.0),
         ValueError, r"`momentum` must be in \[0, 1\); got 1.0"),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), learning_rate=0.1, epochs=1),
         ValueError, r"Give exactly one of `layer_sizes`"),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), layer_sizes=[2, 3], loss="hinge", learning_rate=0.1, epochs=1),
         ValueError, r"`loss` must be one of \('mse', 'cross_entropy'\); got 'hinge'"),
        (lambda: mlp.forward(np.zeros((3, 4)), mlp.init_mlp([2, 3])), ValueError, r"`x` must have shape \(n_samples, 2\) to match `params\['W1'\]`; got \(3, 4\)"),
        (lambda: mlp.forward(np.zeros((3, 2)), {"W1": np.zeros((2, 3))}), ValueError, r"`params` must have keys W1, b1, ..., WL, bL; got \['W1'\]"),
    ],
)
def test_errors(call, error, match) -> None:  # noqa: ANN001
    with pytest.raises(error, match=match):
        call()
