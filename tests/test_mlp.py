"""Networks of any depth (nnmem.mlp): gradients, agreement with twolayer, training, errors."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from nnmem import TrainingDivergedError, mlp, twolayer
from nnmem.datasets import digits, train_test_split
from nnmem.gradcheck import check_gradients

#: The digits chapter's settings (64-128-10, ReLU, batch 32, learning rate 0.1, 30 epochs, split seed 0).
DIGITS_SETTINGS = {"layer_sizes": [64, 128, 10], "learning_rate": 0.1, "epochs": 30, "batch_size": 32}


def test_forward_by_hand() -> None:
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([0.0, 0.5]), "W2": np.array([[2.0], [1.0]]),
              "b2": np.array([0.1])}
    out, cache = mlp.forward(np.array([[1.0]]), params)
    # z1 = [1, -0.5] -> relu [1, 0] -> 1*2 + 0*1 + 0.1
    np.testing.assert_allclose(out, [[2.1]])
    np.testing.assert_allclose(cache.pre_activations[0], [[1.0, -0.5]])


def test_cross_entropy_by_hand() -> None:
    # logits [0, ln 3]: softmax = [1/4, 3/4]; label 1 -> loss = -ln(3/4)
    out = np.array([[0.0, np.log(3.0)]])
    assert mlp.loss_value(out, np.array([1]), loss="cross_entropy") == pytest.approx(-np.log(0.75))
    # no overflow for huge logits: softmax of [1000, 0] puts everything on class 0
    big = np.array([[1000.0, 0.0]])
    assert mlp.loss_value(big, np.array([0]), loss="cross_entropy") == pytest.approx(0.0, abs=1e-12)
    assert mlp.loss_value(np.array([[1000.0, 0.0]]), np.array([1]), loss="cross_entropy") == pytest.approx(1000.0)


@pytest.mark.parametrize("loss", mlp.LOSSES)
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("sizes", [[3, 4], [3, 5, 4], [2, 6, 5, 3]])
def test_gradients_match_central_differences(loss: str, activation: str, sizes: list[int]) -> None:
    rng = np.random.default_rng(len(sizes) + len(activation))
    params = mlp.init_params(sizes, activation=activation, rng=rng)
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
    np.testing.assert_array_equal(mlp.init_params([3, 5, 2], activation=activation, rng=1)["W1"],
                                  twolayer.init_params(3, 5, 2, activation=activation, rng=1)["w_ih"])


def test_full_batch_sgd_equals_twolayer_training() -> None:
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    start = twolayer.init_params(2, 8, 1, activation="tanh", rng=3)
    ref = twolayer.train(x, y, hidden_size=8, learning_rate=0.1, epochs=50, activation="tanh", params=start)
    deep = {"W1": start["w_ih"], "b1": start["b_h"], "W2": start["w_ho"], "b2": start["b_o"]}
    res = mlp.train_sgd(x, y, params=deep, loss="mse", activation="tanh", learning_rate=0.1, epochs=50, batch_size=4,
                        rng=0)
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
    kw = {"layer_sizes": [64, 32, 10], "learning_rate": 0.02, "epochs": 5, "rng": 0}
    plain = mlp.train_sgd(x[:300], labels[:300], **kw)
    fast = mlp.train_sgd(x[:300], labels[:300], momentum=0.9, **kw)
    assert fast.losses[-1] < plain.losses[-1]
    decayed = mlp.train_sgd(x[:300], labels[:300], weight_decay=0.5, **kw)
    assert np.linalg.norm(decayed.params["W1"]) < np.linalg.norm(plain.params["W1"])


def test_training_does_not_modify_the_starting_params() -> None:
    start = mlp.init_params([64, 16, 10], rng=0)
    frozen = {k: v.copy() for k, v in start.items()}
    x, labels = digits()
    mlp.train_sgd(x[:100], labels[:100], params=start, learning_rate=0.1, epochs=2, rng=0)
    for k in start:
        np.testing.assert_array_equal(start[k], frozen[k])


def test_divergence_under_cross_entropy_names_the_learning_rate() -> None:
    """A learning rate 100 times the book's (0.1 -> 10) drives the batch loss to hundreds of times its start."""
    x, labels = digits()
    split = train_test_split(x, labels, rng=0)
    with pytest.raises(TrainingDivergedError, match=r"^Training diverged: the loss reached [0-9.e+]+, more than 100 "
                       r"times its starting value [0-9.]+ in epoch 1\. The setting responsible is "
                       r"`learning_rate` = 10: try a smaller learning_rate\.$"):
        mlp.train_sgd(split.x_train, split.labels_train, rng=0, **{**DIGITS_SETTINGS, "learning_rate": 10.0})


def test_divergence_under_mse_to_infinity_is_reported() -> None:
    x, labels = digits()
    with pytest.raises(TrainingDivergedError, match="^Training diverged: .* `learning_rate` = 50: try a smaller "
                       "learning_rate.$"):
        mlp.train_sgd(x[:200], np.eye(10)[labels[:200]], layer_sizes=[64, 64, 10], loss="mse",
                      learning_rate=50.0, epochs=20, rng=0)


def reference_training(x, y, start, *, loss, learning_rate, momentum, weight_decay, epochs):  # type: ignore[no-untyped-def]
    """Full-batch SGD written out in the test: v = mu v - eta (g + lambda W) (no lambda for biases), p = p + v."""
    p = {k: v.copy() for k, v in start.items()}
    v = {k: np.zeros_like(a) for k, a in p.items()}
    losses = []
    for _ in range(epochs):
        value, g = mlp.loss_and_gradients(x, y, p, loss=loss)
        losses.append(value)
        for k in p:
            decay = weight_decay * p[k] if k.startswith("W") else 0.0
            v[k] = momentum * v[k] - learning_rate * (g[k] + decay)
            p[k] = p[k] + v[k]
    return p, losses


@pytest.mark.parametrize(("momentum", "weight_decay"), [(0.0, 0.0), (0.9, 0.0), (0.0, 0.3), (0.5, 0.2)])
@pytest.mark.parametrize("loss", mlp.LOSSES)
def test_full_batch_training_matches_a_loop_written_in_the_test(loss: str, momentum: float,
                                                                  weight_decay: float) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(7, 3))
    y = rng.normal(size=(7, 2)) if loss == "mse" else rng.integers(0, 2, size=7)
    start = mlp.init_params([3, 4, 2], rng=1)
    start["b1"] = rng.normal(size=4)  # non-zero biases, so decay on a bias would show
    res = mlp.train_sgd(x, y, params=start, loss=loss, learning_rate=0.3, epochs=4, batch_size=7,
                        momentum=momentum, weight_decay=weight_decay, rng=0)
    ref, ref_losses = reference_training(x, y, start, loss=loss, learning_rate=0.3, momentum=momentum,
                                         weight_decay=weight_decay, epochs=4)
    for k in ref:
        np.testing.assert_allclose(res.params[k], ref[k], rtol=1e-12, atol=1e-14)
    # each epoch's loss is taken at the forward pass, before that epoch's update
    np.testing.assert_allclose(res.losses, ref_losses, rtol=1e-12)


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses() -> None:
    # 5 samples in batches of 2: batch sizes 2, 2, 1. With a tiny learning rate the parameters
    # hardly move, so the epoch loss is close to the full-data loss at the start (sample-weighted).
    rng = np.random.default_rng(2)
    x, labels = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    start = mlp.init_params([3, 2], rng=0)
    res = mlp.train_sgd(x, labels, params=start, learning_rate=1e-9, epochs=1, batch_size=2, rng=0)
    assert res.losses[0] == pytest.approx(mlp.loss_value(mlp.forward(x, start)[0], labels, loss="cross_entropy"),
                                          rel=1e-7)


def test_float32_in_float32_out() -> None:
    rng = np.random.default_rng(0)
    x32 = rng.normal(size=(6, 3)).astype(np.float32)
    p32 = mlp.init_params([3, 4, 2], rng=0, dtype=np.float32)
    out, _ = mlp.forward(x32, p32)
    assert out.dtype == np.float32
    # float64 inputs are not cast down to the float32 parameters
    out64, _ = mlp.forward(x32.astype(np.float64), p32)
    assert out64.dtype == np.float64
    np.testing.assert_allclose(out64, out, rtol=1e-5)
    y32 = rng.normal(size=(6, 2)).astype(np.float32)
    _, g = mlp.loss_and_gradients(x32, y32, p32, loss="mse")
    assert all(v.dtype == np.float32 for v in g.values())
    assert mlp.predict_proba(x32, p32).dtype == np.float32
    # a new network follows the dtype of x
    res = mlp.train_sgd(x32, np.array([0, 1, 0, 1, 0, 1]), layer_sizes=[3, 2], learning_rate=0.1, epochs=1, rng=0)
    assert all(v.dtype == np.float32 for v in res.params.values())
    res = mlp.train_sgd(x32, np.array([0, 1, 0, 1, 0, 1]), layer_sizes=[3, 2], learning_rate=0.1, epochs=1, rng=0,
                        dtype=np.float64)
    assert all(v.dtype == np.float64 for v in res.params.values())


def test_predict_proba_is_the_softmax_of_the_output() -> None:
    params = {"W1": np.eye(2), "b1": np.zeros(2)}
    # logits [0, ln 3] -> [1/4, 3/4]; logits [ln 4, 0] -> [4/5, 1/5]
    x = np.array([[0.0, np.log(3.0)], [np.log(4.0), 0.0]])
    np.testing.assert_allclose(mlp.predict_proba(x, params), [[0.25, 0.75], [0.8, 0.2]], rtol=1e-14)
    assert mlp.predict(x, params).tolist() == [1, 0]


def full(message: str) -> str:
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: mlp.init_params([5]), ValueError,
         "`layer_sizes` must list at least an input and an output size; got [5]."),
        (lambda: mlp.init_params([5, 0, 2]), ValueError, "`layer_sizes[1]` must be a positive integer; got 0."),
        (lambda: mlp.init_params([5, 2], dtype=np.int32), ValueError, "`dtype` must be float32 or float64; got int32."),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 5]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1),
         ValueError, "`y` must be class labels in [0, 2]; got values from 0 to 5."),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1),
         ValueError, "`y` must have shape (3,), one label per sample; got shape (2,)."),
        (lambda: mlp.train_sgd(np.full((3, 2), np.nan), np.array([0, 1, 2]), layer_sizes=[2, 3], learning_rate=0.1,
                               epochs=1),
         ValueError, "`x` must contain only finite numbers; got 6 NaN or infinite value(s)."),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), layer_sizes=[2, 3], learning_rate=0.1, epochs=1,
                               momentum=1.0),
         ValueError, "`momentum` must be in [0, 1); got 1.0."),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), learning_rate=0.1, epochs=1),
         ValueError, "Give exactly one of `layer_sizes` (a new network) and `params` (a starting point); got neither."),
        (lambda: mlp.train_sgd(np.zeros((3, 2)), np.array([0, 1, 2]), layer_sizes=[2, 3], loss="hinge",
                               learning_rate=0.1, epochs=1),
         ValueError, "`loss` must be one of ('mse', 'cross_entropy'); got 'hinge'."),
        (lambda: mlp.forward(np.zeros((3, 4)), mlp.init_params([2, 3])), ValueError,
         "`x` must have shape (n_samples, 2) to match `params['W1']`; got shape (3, 4)."),
        (lambda: mlp.forward(np.zeros((3, 2)), {"W1": np.zeros((2, 3))}), ValueError,
         "`params` must have the keys W1, b1, ..., WL, bL; got ['W1']."),
        (lambda: mlp.accuracy(np.zeros((2, 2)), np.array([0.5, 1]), mlp.init_params([2, 3])), ValueError,
         "`labels` must hold whole-number class labels; got 0.5."),
    ],
    ids=["one-size", "zero-size", "int-dtype", "label-range", "label-count", "nan-x", "momentum-1", "neither",
         "loss-name", "x-width", "missing-keys", "accuracy-labels"],
)
def test_errors(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=full(message)):
        call()


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_initialisation_rule_drawn_by_hand(activation: str) -> None:
    """He (2 / n_in) for ReLU hidden layers, Glorot (2 / (n_in + n_out)) otherwise and for the linear output."""
    gen = np.random.default_rng(4)
    hidden_var = (lambda n_in, n_out: 2 / n_in) if activation == "relu" else (lambda n_in, n_out: 2 / (n_in + n_out))
    W1 = gen.normal(0.0, np.sqrt(hidden_var(3, 5)), size=(3, 5))
    W2 = gen.normal(0.0, np.sqrt(hidden_var(5, 4)), size=(5, 4))
    W3 = gen.normal(0.0, np.sqrt(2 / (4 + 2)), size=(4, 2))  # the output layer: Glorot whatever the activation
    params = mlp.init_params([3, 5, 4, 2], activation=activation, rng=4)
    for key, expected in (("W1", W1), ("W2", W2), ("W3", W3)):
        np.testing.assert_array_equal(params[key], expected)
    assert [params[f"b{i}"].tolist() for i in (1, 2, 3)] == [[0.0] * 5, [0.0] * 4, [0.0] * 2]
    assert all(v.dtype == np.float32 for v in mlp.init_params([3, 2], rng=0, dtype=np.float32).values())


def test_backward_rejects_a_cache_from_a_network_of_another_depth() -> None:
    shallow = mlp.init_params([2, 2], rng=0)
    deep = mlp.init_params([2, 3, 2], rng=0)
    _, cache = mlp.forward(np.ones((1, 2)), shallow)  # same number of outputs, one layer fewer
    with pytest.raises(ValueError, match=full(
        "`cache` must come from forward with a network of 2 layers and 2 outputs like `params`; "
        "got 1 layers and 2 outputs."
    )):
        mlp.backward(np.array([0]), cache, deep, loss="cross_entropy")


def test_loss_and_gradients_of_an_overflowing_network_is_infinite_without_warnings() -> None:
    import warnings

    params = {"W1": np.full((2, 2), 1e200), "b1": np.zeros(2)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grads = mlp.loss_and_gradients(np.full((1, 2), 1e200), np.array([0]), params, loss="cross_entropy")
    assert value == np.inf and set(grads) == {"W1", "b1"}


def test_loss_and_gradients_of_an_overflowing_deep_network_is_infinite_without_warnings() -> None:
    """x = 1e10: the hidden layer is relu([1e10, -1e10]) = [1e10, 0] and the output 1e10 * 1e300 overflows.

    Backpropagating the infinite output meets inf * 0 (the second hidden unit is 0), which is NaN: no warning."""
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros(2), "W2": np.array([[1e300], [1.0]]), "b2": np.zeros(1)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grads = mlp.loss_and_gradients(np.array([[1e10]]), np.zeros((1, 1)), params, loss="mse")
    assert value == np.inf and set(grads) == {"W1", "b1", "W2", "b2"}


def test_an_output_that_overflows_to_nan_is_reported_without_warnings() -> None:
    """64 products of +-1e400 with alternating signs: a BLAS kernel that sums a row in several lanes gets
    inf + (-inf) = NaN. forward, predict and predict_proba raise their FloatingPointError, and no warning."""
    x = np.full((4, 64), 1e200)
    params = {"W1": np.tile([[1e200, 1e200], [-1e200, -1e200]], (32, 1)), "b1": np.zeros(2)}
    with np.errstate(all="ignore"):
        if not np.isnan(x @ params["W1"]).any():
            pytest.skip("this BLAS sums each row in one lane: the output is inf, not NaN")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for call in (mlp.forward, mlp.predict, mlp.predict_proba):
            with pytest.raises(FloatingPointError, match="^The network's output overflowed to NaN or infinity"):
                call(x, params)


@pytest.mark.parametrize("loss", mlp.LOSSES)
def test_backward_through_three_layers_matches_central_differences(loss: str) -> None:
    """backward itself (not through loss_and_gradients), on layers of three different widths: 2 -> 3 -> 4 -> 2."""
    rng = np.random.default_rng(4)
    params = mlp.init_params([2, 3, 4, 2], activation="tanh", rng=rng)
    x = rng.normal(size=(5, 2))
    y = rng.normal(size=(5, 2)) if loss == "mse" else rng.integers(0, 2, size=5)
    _, cache = mlp.forward(x, params, activation="tanh")
    grads = mlp.backward(y, cache, params, loss=loss)

    def value(p: dict[str, np.ndarray]) -> float:
        return mlp.loss_value(mlp.forward(x, p, activation="tanh")[0], y, loss=loss)

    errors = check_gradients(value, grads, params)
    assert max(errors.values()) < 1e-6, errors


def test_backward_names_the_depth_and_width_of_a_three_layer_network() -> None:
    deep = mlp.init_params([2, 3, 4, 2], rng=0)  # 3 layers, 2 outputs (the middle layer has 4)
    _, cache = mlp.forward(np.ones((1, 2)), mlp.init_params([2, 2], rng=0))
    with pytest.raises(ValueError, match=full(
        "`cache` must come from forward with a network of 3 layers and 2 outputs like `params`; "
        "got 1 layers and 2 outputs."
    )):
        mlp.backward(np.array([0]), cache, deep, loss="cross_entropy")


def test_loss_value_computes_in_float32_only_when_both_are_float32() -> None:
    """One output 1.1 against the target 0: the loss is 1.1 squared, in float32 (1.2100000381...) for a float32
    output and target, in float64 (1.2100000524...) as soon as one of them is float64 (the dtype policy)."""
    out32 = np.array([[1.1]], dtype=np.float32)
    in_float32 = float(np.float32(1.1) * np.float32(1.1))
    in_float64 = float(np.float64(np.float32(1.1)) ** 2)
    assert in_float32 != in_float64
    assert mlp.loss_value(out32, np.zeros((1, 1), dtype=np.float32), loss="mse") == in_float32
    assert mlp.loss_value(out32, np.zeros((1, 1)), loss="mse") == in_float64


@pytest.mark.parametrize(("activation", "x_dtype", "dtype"),
                         [("tanh", np.float64, None), ("relu", np.float32, np.float64)])
def test_a_new_network_is_init_params_drawn_from_rng(activation: str, x_dtype: type, dtype: type | None) -> None:
    """layer_sizes and rng=42 train the network init_params draws from that generator (with the activation's
    rule, in the dtype asked for), the sample order then coming from the same generator."""
    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(9, 3)).astype(x_dtype), rng.integers(0, 2, size=9)
    settings = {"activation": activation, "learning_rate": 0.1, "epochs": 2, "batch_size": 4, "dtype": dtype}
    new = mlp.train_sgd(x, labels, layer_sizes=[3, 5, 2], rng=42, **settings)
    gen = np.random.default_rng(42)
    start = mlp.init_params([3, 5, 2], activation=activation, rng=gen, dtype=x_dtype if dtype is None else dtype)
    given = mlp.train_sgd(x, labels, params=start, rng=gen, **settings)
    for key in start:
        np.testing.assert_array_equal(new.params[key], given.params[key])
    np.testing.assert_array_equal(new.losses, given.losses)


def test_a_loss_that_grows_for_ten_epochs_is_divergence_naming_the_learning_rate() -> None:
    """One sample x = 1 with target 0 and a linear unit w = 1, b = 0: the error e = w x + b starts at 1 and each
    step multiplies it by 1 - 2 eta (x^2 + 1) = 1 - 4 * 0.55 = -1.2, so the loss e^2 grows by 1.44 an epoch:
    1, 1.44, ..., 1.44^9 = 26.6. Never 100 times the first (rule 1 stays quiet), but 26.6 > 3 at the end (rule 2)."""
    params = {"W1": np.array([[1.0]]), "b1": np.zeros(1)}
    with pytest.raises(TrainingDivergedError, match=full(
        "Training diverged: the loss curve rose to 26.6, more than 3 times its first value 1, and did not recover: "
        "its mean over the last 1 epoch was 26.6, more than 0.5 times its first value. The setting responsible is "
        "`learning_rate` = 0.55: try a smaller learning_rate."
    )):
        mlp.train_sgd(np.ones((1, 1)), np.zeros((1, 1)), params=params, loss="mse", learning_rate=0.55, epochs=10,
                      rng=0)


# ---------------------------------------------------------------------------
# train_sgd runs a fast loop (mlp._sgd_epochs_fast); the digits chapter shows the plain one
# (mlp._sgd_epochs, which calls nnmem.losses and nnmem.optim.sgd_step). Both must train alike.


def plain_training(x, y, params, *, rng, dtype, **settings):  # type: ignore[no-untyped-def]
    """The plain loop on the inputs as train_sgd prepares them (x and mse targets in `dtype`, copied params)."""
    x = np.asarray(x, dtype=dtype)
    if settings["loss"] == "mse":
        y = np.asarray(y, dtype=dtype)
    start = {k: v.astype(dtype) for k, v in params.items()}
    with np.errstate(over="ignore", invalid="ignore"):  # as in train_sgd: divergence is reported, not warned about
        return mlp._sgd_epochs(x, y, start, gen=np.random.default_rng(rng), **settings)


#: (layer sizes, batch size, momentum, weight decay, dtype); 23 samples, so the last batch is partial
#: (23 = 4*5 + 3 = 5*4 + 3 = 2*10 + 3 = 3*6 + 5) except in the full-batch case.
FAST_CASES = [
    ([5, 7, 3], 5, 0.0, 0.0, np.float64),
    ([5, 6, 4, 3], 4, 0.9, 0.1, np.float64),
    ([5, 3], 23, 0.5, 0.2, np.float64),
    ([5, 3], 10, 0.5, 0.0, np.float32),
    ([5, 8, 3], 6, 0.0, 0.2, np.float32),
    ([5, 4, 6, 3], 5, 0.9, 0.05, np.float32),
]


@pytest.mark.parametrize("loss", mlp.LOSSES)
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize(("sizes", "batch_size", "momentum", "weight_decay", "dtype"), FAST_CASES,
                         ids=[f"{'-'.join(map(str, c[0]))}-b{c[1]}-mu{c[2]}-wd{c[3]}-{np.dtype(c[4]).name}"
                              for c in FAST_CASES])
def test_train_sgd_trains_as_the_plain_loop(activation: str, loss: str, sizes: list[int], batch_size: int,
                                             momentum: float, weight_decay: float, dtype: type) -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(23, sizes[0]))
    y = rng.normal(size=(23, sizes[-1])) if loss == "mse" else rng.integers(0, sizes[-1], size=23)
    start = mlp.init_params(sizes, activation=activation, rng=3)
    start = {k: v + 0.1 * rng.normal(size=v.shape) if k.startswith("b") else v for k, v in start.items()}
    settings = {"loss": loss, "activation": activation, "learning_rate": 0.05, "epochs": 4, "batch_size": batch_size,
                "momentum": momentum, "weight_decay": weight_decay}
    fast = mlp.train_sgd(x, y, params=start, dtype=dtype, rng=7, **settings)
    ref_params, ref_losses = plain_training(x, y, start, rng=7, dtype=dtype, **settings)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    for key, ref in ref_params.items():
        assert fast.params[key].dtype == dtype and fast.params[key].shape == ref.shape
        # atol: entries near 0 (a bias that crossed zero) are compared on the scale of the whole array
        np.testing.assert_allclose(fast.params[key], ref, rtol=rtol, atol=rtol * float(np.abs(ref).max()))
    np.testing.assert_allclose(fast.losses, ref_losses, rtol=rtol)
    assert not np.array_equal(ref_params["W1"], start["W1"])  # the networks did train


def test_train_sgd_trains_digits_as_the_plain_loop() -> None:
    """The book's settings for 3 epochs: 1347 samples in 43 batches (the last of 3), float64 and float32."""
    x, labels = digits()
    split = train_test_split(x, labels, rng=0)
    settings = {"loss": "cross_entropy", "activation": "relu", "learning_rate": 0.1, "epochs": 3, "batch_size": 32,
                "momentum": 0.0, "weight_decay": 0.0}
    start = mlp.init_params([64, 128, 10], rng=0)
    for dtype, rtol in ((np.float64, 1e-10), (np.float32, 1e-4)):
        fast = mlp.train_sgd(split.x_train, split.labels_train, params=start, dtype=dtype, rng=0, **settings)
        ref_params, ref_losses = plain_training(split.x_train, split.labels_train, start, rng=0, dtype=dtype,
                                                **settings)
        for key, ref in ref_params.items():
            np.testing.assert_allclose(fast.params[key], ref, rtol=rtol, atol=rtol * float(np.abs(ref).max()))
        np.testing.assert_allclose(fast.losses, ref_losses, rtol=rtol)


@pytest.mark.parametrize(
    "settings",
    [
        # a batch loss more than 100 times the first batch's, in epoch 1
        {"loss": "cross_entropy", "learning_rate": 10.0},
        {"loss": "mse", "learning_rate": 50.0},
        # the first step makes the parameters infinite (inputs ~1e100, steps ~1e350): sgd_step's check
        {"loss": "cross_entropy", "learning_rate": 1e250, "x_scale": 1e100},
        # weights ~1e200: the first output overflows, an infinite loss
        {"loss": "cross_entropy", "learning_rate": 0.1, "w_scale": 1e200},
    ],
    ids=["loss-100x", "mse-100x", "step-overflows", "output-overflows"],
)
def test_train_sgd_diverges_as_the_plain_loop(settings: dict) -> None:  # type: ignore[type-arg]
    x, labels = digits()
    x, labels = x[:200] * settings.get("x_scale", 1.0), labels[:200]
    y = np.eye(10)[labels] if settings["loss"] == "mse" else labels
    start = {k: v * settings.get("w_scale", 1.0) for k, v in mlp.init_params([64, 32, 10], rng=0).items()}
    kw = {"loss": settings["loss"], "activation": "relu", "learning_rate": settings["learning_rate"], "epochs": 3,
          "batch_size": 32, "momentum": 0.0, "weight_decay": 0.0}
    with pytest.raises(TrainingDivergedError) as plain:
        plain_training(x, y, start, rng=0, dtype=np.float64, **kw)
    with warnings.catch_warnings():  # overflow on the way is reported by the guard, never warned about
        warnings.simplefilter("error")
        with pytest.raises(TrainingDivergedError, match=full(str(plain.value))):  # the same message: the same moment
            mlp.train_sgd(x, y, params=start, rng=0, **kw)


def test_a_gradient_that_overflows_under_a_finite_loss_is_divergence() -> None:
    """mse: hidden value 1e300, output 1e100, loss 1e200 (finite); dL/dW2 = 1e300 * 2e100 overflows.

    The plain loop passes the infinite gradient to nnmem.optim.sgd_step, which refuses it as an input
    (ValueError naming `grads['W2']`); train_sgd reports it as what it is, the step diverging."""
    params = {"W1": np.array([[1e300]]), "b1": np.zeros(1), "W2": np.array([[1e-200]]), "b2": np.zeros(1)}
    with pytest.raises(TrainingDivergedError, match=full(
        "Training diverged: the updated parameters became inf. The setting responsible is `learning_rate` = 0.1: "
        "try a smaller learning_rate."
    )):
        mlp.train_sgd(np.ones((1, 1)), np.zeros((1, 1)), params=params, loss="mse", learning_rate=0.1, epochs=1, rng=0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_in_place_activations_match_nnmem_activations(activation: str) -> None:
    from nnmem.activations import ACTIVATIONS

    assert set(mlp._IN_PLACE) == set(ACTIVATIONS)  # every activation has its in-place form
    z = np.array([[-3.0, -0.5, 0.0], [0.25, 2.0, 40.0]])
    f = ACTIVATIONS[activation]
    a = z.copy()
    mlp._IN_PLACE[activation].forward(a)
    np.testing.assert_allclose(a, f.function(z), rtol=1e-15)
    delta = np.array([[1.0, -2.0, 3.0], [0.5, -1.5, 2.5]])
    expected = delta * f.derivative(z)
    mlp._IN_PLACE[activation].derivative_times(delta, a, np.empty_like(z))
    np.testing.assert_allclose(delta, expected, rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize(
    ("logits", "labels"),
    [
        (np.array([[0.0, np.log(3.0)], [2.0, -1.0]]), np.array([1, 1])),
        # the shifted logits overflow to -inf ([0, -inf] in row 0): -inf * 0 would be NaN in a dot product
        (np.array([[1e308, -1e308], [0.0, 1.0]]), np.array([0, 1])),
        (np.array([[1e308, -1e308], [0.0, 1.0]]), np.array([1, 1])),  # the true class at -inf: an infinite loss
    ],
)
def test_in_place_cross_entropy_matches_nnmem_losses(logits: np.ndarray, labels: np.ndarray) -> None:
    from nnmem.losses import softmax_cross_entropy

    expected_loss, expected_grad = softmax_cross_entropy(logits, labels)
    out = logits.copy()
    with np.errstate(over="ignore"):
        value = mlp._cross_entropy_in_place(out, np.eye(2)[labels], np.empty(2), 0.5)
    assert value == pytest.approx(expected_loss, rel=1e-15)
    np.testing.assert_allclose(out, 0.5 * expected_grad, rtol=1e-15)  # the gradient, times the scale given


def test_all_finite_looks_when_the_sum_of_squares_overflows() -> None:
    assert mlp._all_finite(np.array([1.0, -2.0]))
    assert mlp._all_finite(np.array([1e200, -1e200]))  # finite although their squares overflow
    assert not mlp._all_finite(np.array([1e200, np.inf]))
    assert not mlp._all_finite(np.array([np.nan, 1.0]))
    assert not mlp._all_finite(np.array([-np.inf, 1.0]))
