"""The book's two-layer network (nnmem.twolayer): forward, backward, training, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem._checks import DIVERGENCE_FACTOR
from nnmem.gradcheck import check_gradients
from nnmem.losses import mse_loss
from nnmem.twolayer import ForwardCache, backward_propagation, forward_propagation, init_params, predict, train

#: The settings the training chapter recommends for XOR.
RECOMMENDED = {"hidden_size": 8, "learning_rate": 0.1, "epochs": 1000, "activation": "tanh"}


@pytest.fixture
def hand_params() -> dict[str, np.ndarray]:
    return {
        "w_ih": np.array([[1.0, -1.0, 0.5], [0.0, 1.0, -1.0]]),
        "b_h": np.array([0.0, 0.5, 1.0]),
        "w_ho": np.array([[2.0], [-1.0], [3.0]]),
        "b_o": np.array([0.25]),
    }


def test_forward_by_hand(hand_params: dict[str, np.ndarray]) -> None:
    x = np.array([[1.0, 2.0]])
    y_pred, cache = forward_propagation(x, hand_params)
    # z_h = [1*1 + 2*0 + 0, 1*(-1) + 2*1 + 0.5, 1*0.5 + 2*(-1) + 1] = [1, 1.5, -0.5]
    np.testing.assert_allclose(cache.z_h, [[1.0, 1.5, -0.5]])
    # relu(z_h) = [1, 1.5, 0]
    np.testing.assert_allclose(cache.a_h, [[1.0, 1.5, 0.0]])
    # y = 1*2 + 1.5*(-1) + 0*3 + 0.25 = 0.75
    np.testing.assert_allclose(y_pred, [[0.75]])


def test_backward_by_hand(hand_params: dict[str, np.ndarray]) -> None:
    x, y = np.array([[1.0, 2.0]]), np.array([[1.0]])
    _, cache = forward_propagation(x, hand_params)
    grads = backward_propagation(y, cache, hand_params)
    # dL/dy_hat = 2 (0.75 - 1) / 1 = -0.5
    # dL/dw_ho = a_h^T (-0.5) = [-0.5, -0.75, 0];  dL/db_o = -0.5
    np.testing.assert_allclose(grads["w_ho"], [[-0.5], [-0.75], [0.0]])
    np.testing.assert_allclose(grads["b_o"], [-0.5])
    # dL/da_h = -0.5 * w_ho^T = [-1, 0.5, -1.5]; relu'(z_h) = [1, 1, 0] -> delta_h = [-1, 0.5, 0]
    np.testing.assert_allclose(grads["b_h"], [-1.0, 0.5, 0.0])
    # dL/dw_ih = x^T delta_h = [[1], [2]] @ [[-1, 0.5, 0]]
    np.testing.assert_allclose(grads["w_ih"], [[-1.0, 0.5, 0.0], [-2.0, 1.0, 0.0]])


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "identity"])
@pytest.mark.parametrize(("n", "d", "h", "m"), [(1, 1, 1, 1), (4, 2, 3, 1), (7, 5, 8, 3)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_matches_central_differences(activation: str, n: int, d: int, h: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.normal(size=(n, m))
    params = init_params(d, h, m, activation=activation, rng=rng)
    params["b_h"] = rng.normal(size=h)  # non-zero biases exercise every term
    _, cache = forward_propagation(x, params, activation=activation)
    grads = backward_propagation(y, cache, params)

    def loss(p: dict[str, np.ndarray]) -> float:
        return mse_loss(y, forward_propagation(x, p, activation=activation)[0])

    errors = check_gradients(loss, grads, params)
    assert set(errors) == set(params)
    assert max(errors.values()) < 1e-6, errors
    for name in params:
        assert grads[name].shape == params[name].shape


def _assert_variance(w: np.ndarray, expected: float) -> None:
    """The sample variance of `w` (mean known to be 0) is `expected` within 5 standard errors.

    For N independent normal draws of variance s2, mean(w**2) has standard
    deviation s2 * sqrt(2 / N); five of those is a tolerance a correct
    initialiser fails with probability below 1e-6.
    """
    n = w.size
    assert abs(float(np.mean(w**2)) - expected) < 5 * expected * np.sqrt(2 / n), (float(np.mean(w**2)), expected)


def test_init_shapes_and_seeds() -> None:
    p = init_params(4, 3, 2, rng=0)
    assert {k: v.shape for k, v in p.items()} == {"w_ih": (4, 3), "b_h": (3,), "w_ho": (3, 2), "b_o": (2,)}
    np.testing.assert_array_equal(p["b_h"], 0.0)
    np.testing.assert_array_equal(p["b_o"], 0.0)
    np.testing.assert_array_equal(init_params(2, 3, 1, rng=5)["w_ih"], init_params(2, 3, 1, rng=5)["w_ih"])
    assert all(v.dtype == np.float64 for v in p.values())


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_init_variances_are_he_or_glorot(activation: str) -> None:
    """He (2 / n_in) for a ReLU hidden layer, Glorot (2 / (n_in + n_out)) otherwise and for the linear output.

    The layer sizes are chosen so that the candidate rules differ by a factor of
    at least 1.5 while 5 standard errors of the variance estimate are below 5 %:
    hidden 200 -> output 400 gives Glorot 2/600 against He 2/200.
    """
    p = init_params(600, 200, 400, activation=activation, rng=1)
    _assert_variance(p["w_ih"], 2 / 600 if activation == "relu" else 2 / 800)
    _assert_variance(p["w_ho"], 2 / 600)


def test_training_lowers_the_loss_and_keeps_inputs(xor: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = xor
    start = init_params(2, 8, 1, activation="tanh", rng=3)
    frozen = {k: v.copy() for k, v in start.items()}
    result = train(x, y, learning_rate=0.1, epochs=500, activation="tanh", params=start)
    assert result.losses.shape == (500,)
    assert result.final_loss < 0.5 * result.initial_loss
    assert result.initial_loss == result.losses[0] == pytest.approx(mse_loss(y, predict(x, frozen, activation="tanh")))
    assert result.final_loss == pytest.approx(mse_loss(y, predict(x, result.params, activation="tanh")))
    for name in frozen:
        np.testing.assert_array_equal(start[name], frozen[name])
        assert not np.shares_memory(result.params[name], start[name])


def test_loss_curve_is_measured_before_each_update(xor: tuple[np.ndarray, np.ndarray]) -> None:
    """losses[k] is the loss of the parameters epoch k + 1 starts from (the package's loss-curve convention)."""
    x, y = xor
    p = init_params(2, 3, 1, activation="tanh", rng=4)
    result = train(x, y, learning_rate=0.2, epochs=3, activation="tanh", params=p)
    expected = []
    for _ in range(4):  # an independent gradient-descent loop over the public functions
        y_pred, cache = forward_propagation(x, p, activation="tanh")
        expected.append(mse_loss(y, y_pred))
        g = backward_propagation(y, cache, p)
        p = {k: p[k] - 0.2 * g[k] for k in p}
    np.testing.assert_allclose(result.losses, expected[:3], rtol=1e-12)
    assert result.final_loss == pytest.approx(expected[3], rel=1e-12)
    assert result.initial_loss == expected[0]


def test_one_step_is_one_gradient_step(xor: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = xor
    p0 = init_params(2, 3, 1, rng=0)
    _, cache = forward_propagation(x, p0)
    g = backward_propagation(y, cache, p0)
    result = train(x, y, hidden_size=3, learning_rate=0.05, epochs=1, params=p0)
    for name in p0:
        np.testing.assert_allclose(result.params[name], p0[name] - 0.05 * g[name], rtol=1e-12)


def test_recommended_settings_solve_xor(xor: tuple[np.ndarray, np.ndarray]) -> None:
    """The training chapter's claim: these settings solve XOR for at least 9 of 10 seeds."""
    x, y = xor
    solved = 0
    for seed in range(10):
        result = train(x, y, rng=seed, **RECOMMENDED)
        solved += bool(np.all((predict(x, result.params, activation="tanh") > 0.5) == (y > 0.5)))
    assert solved >= 9


def test_divergence_is_an_error_with_a_hint(xor: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = xor
    with pytest.raises(
        TrainingDivergedError,
        match=rf"^Training diverged: the loss reached \S+, more than {DIVERGENCE_FACTOR:g} times its starting "
        r"value \S+ "
        r"in epoch \d+\. "
        r"The setting responsible is `learning_rate` = 50: try a smaller learning_rate\.$",
    ):
        train(x, y, hidden_size=8, learning_rate=50.0, epochs=200, rng=0)


def test_a_finite_but_exploding_loss_is_reported_at_the_epoch_it_passes_the_limit() -> None:
    """One linear unit (identity hidden layer) on one sample: every quantity can be followed by hand.

    x = 1, y = 0, w_ih = 1, b_h = 0, w_ho = 1, b_o = 0, learning rate 0.6. With a = w_ih + b_h, c = w_ho:
    out = a c + b_o, L = out^2, d = 2 out; grad w_ih = grad b_h = d c, grad w_ho = d a, grad b_o = d.
    epoch 1 starts at out = 1, L = 1 (the reference) -> (w_ih, b_h, w_ho, b_o) = (-0.2, -1.2, -0.2, -1.2);
    epoch 2 starts at a = -1.4, out = 0.28 - 1.2 = -0.92, L = 0.8464 -> d = -1.84 ->
        (-0.4208, -1.4208, -1.7456, -0.096);
    epoch 3 starts at a = -1.8416, out = 3.21469696 - 0.096 = 3.11869696, L = 9.726;
    epoch 4 starts at L = 2908, above 100 (and 1000) times the reference: diverged in epoch 4.
    """
    x, y = np.array([[1.0]]), np.array([[0.0]])
    p = {"w_ih": np.array([[1.0]]), "b_h": np.zeros(1), "w_ho": np.array([[1.0]]), "b_o": np.zeros(1)}
    assert 9.726 < DIVERGENCE_FACTOR < 2908  # the rule under test sits between epochs 3 and 4
    with pytest.raises(
        TrainingDivergedError,
        match=rf"^Training diverged: the loss reached 2\.91e\+03, more than {DIVERGENCE_FACTOR:g} times its starting "
        r"value 1 in epoch 4\. The setting responsible is `learning_rate` = 0\.6: try a smaller learning_rate\.$",
    ):
        train(x, y, learning_rate=0.6, epochs=6, activation="identity", params=p)
    # two epochs: the curve is (1, 0.8464) and the returned parameters have loss 9.726, below the limit
    result = train(x, y, learning_rate=0.6, epochs=2, activation="identity", params=p)
    np.testing.assert_allclose(result.losses, [1.0, 0.8464], rtol=1e-12)
    assert result.final_loss == pytest.approx(3.11869696**2, rel=1e-12)  # (-1.8416)(-1.7456) - 0.096
    # three epochs: the returned parameters' loss (2908) is checked too, so they are never handed back
    with pytest.raises(TrainingDivergedError, match=r"loss reached 2\.91e\+03, .* in epoch 3\. "):
        train(x, y, learning_rate=0.6, epochs=3, activation="identity", params=p)


def test_hidden_size_is_required_only_without_params(xor: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = xor
    p = init_params(2, 5, 1, rng=0)
    assert train(x, y, learning_rate=0.1, epochs=1, params=p).params["w_ih"].shape == (2, 5)
    assert train(x, y, hidden_size=5, learning_rate=0.1, epochs=1, params=p).params["w_ih"].shape == (2, 5)
    with pytest.raises(
        ValueError,
        match=r"^`hidden_size` must match `params\['w_ih'\]`, which has 5 hidden units; got 4\.$",
    ):
        train(x, y, hidden_size=4, learning_rate=0.1, epochs=1, params=p)
    with pytest.raises(TypeError, match=r"^`hidden_size` must be given \(a positive integer\) when `params` is not\.$"):
        train(x, y, learning_rate=0.1, epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"hidden_size": 0}, ValueError, r"`hidden_size` must be a positive integer; got 0"),
        ({"hidden_size": 2.5}, TypeError, r"`hidden_size` must be a positive integer; got 2.5 of type float"),
        ({"learning_rate": -0.1}, ValueError, r"`learning_rate` must be a finite positive number; got -0.1"),
        ({"learning_rate": float("nan")}, ValueError, r"`learning_rate` must be a finite positive number; got nan"),
        ({"epochs": 0}, ValueError, r"`epochs` must be a positive integer; got 0"),
        ({"activation": "swish"}, ValueError, r"`activation` must be one of .*; got 'swish'"),
        ({"rng": "seed"}, TypeError,
         r"`rng` must be None, a non-negative int seed or a numpy.random.Generator; got 'seed'"),
    ],
)
def test_train_rejects_bad_hyper_parameters(xor, kwargs, error, match) -> None:  # noqa: ANN001
    x, y = xor
    settings = {"hidden_size": 3, "learning_rate": 0.1, "epochs": 5, **kwargs}
    with pytest.raises(error, match=match):
        train(x, y, **settings)


def test_train_rejects_bad_data(xor: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = xor
    with pytest.raises(ValueError, match=r"`x` and `y` must have the same number of samples \(rows\); got 4 and 3"):
        train(x, y[:3], hidden_size=3, learning_rate=0.1, epochs=5)
    with pytest.raises(ValueError, match=r"`y` must have shape \(n_samples, output_size\); got shape \(4,\)"):
        train(x, y.ravel(), hidden_size=3, learning_rate=0.1, epochs=5)
    with pytest.raises(ValueError, match=r"`x` must contain only finite numbers; got 1 NaN or infinite value"):
        train(np.vstack([x[:3], [[np.nan, 0.0]]]), y, hidden_size=3, learning_rate=0.1, epochs=5)
    with pytest.raises(
        TypeError,
        match=r"`x` must be an array of numbers with shape \(n_samples, input_size\); got 'abc'",
    ):
        train("abc", y, hidden_size=3, learning_rate=0.1, epochs=5)  # type: ignore[arg-type]


def test_forward_rejects_mismatched_shapes(hand_params: dict[str, np.ndarray]) -> None:
    with pytest.raises(
        ValueError,
        match=r"`x` must have shape \(n_samples, 2\) to match `params\['w_ih'\]`; got \(4, 3\)",
    ):
        forward_propagation(np.zeros((4, 3)), hand_params)
    bad = {**hand_params, "b_h": np.zeros(4)}
    with pytest.raises(ValueError, match=r"`params\['b_h'\]` must have shape \(3,\); got \(4,\)"):
        forward_propagation(np.zeros((1, 2)), bad)
    with pytest.raises(ValueError, match=r"`params` must have keys .*; missing \('b_o',\)"):
        forward_propagation(np.zeros((1, 2)), {k: v for k, v in hand_params.items() if k != "b_o"})
    with pytest.raises(TypeError, match=r"`params` must be a dict"):
        forward_propagation(np.zeros((1, 2)), [1, 2])  # type: ignore[arg-type]


def test_backward_rejects_a_wrong_target_or_cache(hand_params: dict[str, np.ndarray]) -> None:
    _, cache = forward_propagation(np.zeros((2, 2)), hand_params)
    assert isinstance(cache, ForwardCache)
    with pytest.raises(ValueError, match=r"`y_true` must have shape \(2, 1\) like the cached prediction; got \(3, 1\)"):
        backward_propagation(np.zeros((3, 1)), cache, hand_params)
    with pytest.raises(TypeError, match=r"`cache` must be the ForwardCache returned by forward_propagation; got dict"):
        backward_propagation(np.zeros((2, 1)), {}, hand_params)  # type: ignore[arg-type]


def test_init_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match=r"`input_size` must be a positive integer; got -2"):
        init_params(-2, 3, 1)
    with pytest.raises(TypeError, match=r"`output_size` must be a positive integer; got True of type bool"):
        init_params(2, 3, True)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_train_initialises_for_its_activation(xor: tuple[np.ndarray, np.ndarray], activation: str) -> None:
    """Without `params`, train starts from init_params(..., activation=activation, rng=rng): Glorot for tanh."""
    x, y = xor
    a = train(x, y, hidden_size=4, learning_rate=0.1, epochs=1, activation=activation, rng=3)
    start = init_params(2, 4, 1, activation=activation, rng=3)
    b = train(x, y, learning_rate=0.1, epochs=1, activation=activation, params=start)
    assert a.initial_loss == b.initial_loss
    for k in start:
        np.testing.assert_array_equal(a.params[k], b.params[k])
