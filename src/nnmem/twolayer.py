r"""The two-layer network of the book's running example, written out by hand.

The network maps an input row $x \in \mathbb{R}^{d}$ to a hidden layer of
$h$ units and a linear output layer of $m$ units:

$$
z^{(1)} = x W^{(1)} + b^{(1)}, \quad a^{(1)} = f(z^{(1)}), \quad
\hat y = a^{(1)} W^{(2)} + b^{(2)}.
$$

The parameter names follow the source article so readers can map them:
``w_ih`` is $W^{(1)}$ (input to hidden, shape ``(input_size, hidden_size)``),
``b_h`` is $b^{(1)}$, ``w_ho`` is $W^{(2)}$ (hidden to output, shape
``(hidden_size, output_size)``) and ``b_o`` is $b^{(2)}$. Shapes are
batch-first: a batch ``x`` has one sample per row.

Arrays are float64 (int and bool input is converted, float32 too); complex
or non-numeric input, NaN, infinity and empty arrays are refused with the
argument's name. `predict` returns the network's output values (this is a
regression network), and `train` reports divergence through the package's
one guard (`nnmem._checks.DivergenceGuard`), `nnmem.TrainingDivergedError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import (
    DivergenceGuard,
    Seed,
    as_array,
    check_positive_float,
    check_positive_int,
    check_same_n_samples,
    make_rng,
)
from nnmem.activations import get_activation

__all__ = [
    "ForwardCache",
    "PARAM_NAMES",
    "TrainResult",
    "backward_propagation",
    "forward_propagation",
    "init_params",
    "predict",
    "train",
]

Params = dict[str, np.ndarray]

#: The keys of a parameter dict, in the order the layers use them.
PARAM_NAMES = ("w_ih", "b_h", "w_ho", "b_o")



# --8<-- [start:init]
def init_params(
    input_size: int,
    hidden_size: int,
    output_size: int,
    *,
    activation: str = "relu",
    rng: Seed = None,
) -> Params:
    # --8<-- [end:init]
    r"""Random initial parameters for the two-layer network.

    Biases start at zero. Weights are drawn from a normal distribution whose
    variance keeps the size of the signal roughly constant from layer to
    layer:

    * hidden layer with ReLU: He initialisation, $\operatorname{Var} w = 2 / n_\text{in}$,
      because ReLU zeroes about half of its inputs and so halves the variance;
    * hidden layer with tanh or sigmoid, and the linear output layer: Glorot
      initialisation, $\operatorname{Var} w = 2 / (n_\text{in} + n_\text{out})$.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        Layer widths $d$, $h$ and $m$; each must be positive.
    activation : str, default "relu"
        The hidden activation the weights will be used with (chooses the rule).
    rng : None, int or numpy.random.Generator
        Source of randomness; an int is a seed.

    Returns
    -------
    dict of str to ndarray
        ``w_ih`` of shape ``(input_size, hidden_size)``, ``b_h`` of shape
        ``(hidden_size,)``, ``w_ho`` of shape ``(hidden_size, output_size)``
        and ``b_o`` of shape ``(output_size,)``.

    References
    ----------
    He, Zhang, Ren & Sun (2015), *Delving deep into rectifiers*, ICCV.
    Glorot & Bengio (2010), *Understanding the difficulty of training deep
    feedforward neural networks*, AISTATS.

    Examples
    --------
    >>> params = init_params(2, 3, 1, rng=0)
    >>> {name: value.shape for name, value in params.items()}
    {'w_ih': (2, 3), 'b_h': (3,), 'w_ho': (3, 1), 'b_o': (1,)}
    """
    # --8<-- [start:init-body]
    input_size = check_positive_int("input_size", input_size)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    output_size = check_positive_int("output_size", output_size)
    act = get_activation(activation)
    gen = make_rng(rng)
    if act.name == "relu":  # He: ReLU zeroes about half of its inputs
        std_ih = np.sqrt(2.0 / input_size)
    else:  # Glorot
        std_ih = np.sqrt(2.0 / (input_size + hidden_size))
    std_ho = np.sqrt(2.0 / (hidden_size + output_size))
    return {
        "w_ih": gen.normal(0.0, std_ih, size=(input_size, hidden_size)),
        "b_h": np.zeros(hidden_size),
        "w_ho": gen.normal(0.0, std_ho, size=(hidden_size, output_size)),
        "b_o": np.zeros(output_size),
    }
# --8<-- [end:init-body]


# --8<-- [start:cache]
@dataclass(frozen=True)
class ForwardCache:
    r"""What the forward pass remembers for the backward pass.

    Attributes
    ----------
    x : ndarray of shape (n_samples, input_size)
        The input batch.
    z_h : ndarray of shape (n_samples, hidden_size)
        Hidden pre-activations $z^{(1)}$.
    a_h : ndarray of shape (n_samples, hidden_size)
        Hidden activations $a^{(1)} = f(z^{(1)})$.
    y_pred : ndarray of shape (n_samples, output_size)
        The network's output $\hat y$.
    activation : str
        Name of the hidden activation $f$.
    """

    x: np.ndarray
    z_h: np.ndarray
    a_h: np.ndarray
    y_pred: np.ndarray
    activation: str
# --8<-- [end:cache]


def _check_params(params: Any) -> Params:
    if not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict with keys {PARAM_NAMES}; got {type(params).__name__}.")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"`params` must have keys {PARAM_NAMES}; missing {tuple(missing)}.")
    extra = sorted(str(k) for k in params if k not in PARAM_NAMES)
    if extra:
        raise ValueError(f"`params` must have keys {PARAM_NAMES}; got unexpected {extra}.")
    w_ih = as_array("params['w_ih']", params["w_ih"], ndim=2, shape_hint="(input_size, hidden_size)")
    w_ho = as_array("params['w_ho']", params["w_ho"], ndim=2, shape_hint="(hidden_size, output_size)")
    b_h = as_array("params['b_h']", params["b_h"], ndim=1, shape_hint="(hidden_size,)")
    b_o = as_array("params['b_o']", params["b_o"], ndim=1, shape_hint="(output_size,)")
    hidden, output = w_ih.shape[1], w_ho.shape[1]
    if w_ho.shape[0] != hidden:
        raise ValueError(
            f"`params['w_ho']` must have shape ({hidden}, output_size) to follow `w_ih`; got {w_ho.shape}."
        )
    if b_h.shape != (hidden,):
        raise ValueError(f"`params['b_h']` must have shape ({hidden},); got {b_h.shape}.")
    if b_o.shape != (output,):
        raise ValueError(f"`params['b_o']` must have shape ({output},); got {b_o.shape}.")
    return {"w_ih": w_ih, "b_h": b_h, "w_ho": w_ho, "b_o": b_o}


def _check_no_overflow(names: str, *arrays: np.ndarray) -> None:
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError(
            f"{names} are finite but the computation overflowed the range of float64 numbers; rescale them."
        )


def _check_x(x: ArrayLike, params: Params) -> np.ndarray:
    input_size = params["w_ih"].shape[0]
    x = as_array("x", x, ndim=2, shape_hint=f"(n_samples, {input_size})")
    if x.shape[1] != input_size:
        raise ValueError(f"`x` must have shape (n_samples, {input_size}) to match `params['w_ih']`; got {x.shape}.")
    return x


# --8<-- [start:forward]
def _forward(x: np.ndarray, params: Params, activation: str) -> ForwardCache:
    f = get_activation(activation)
    z_h = x @ params["w_ih"] + params["b_h"]  # (n, d) @ (d, h) + (h,) -> (n, h)
    a_h = f.function(z_h)
    y_pred = a_h @ params["w_ho"] + params["b_o"]  # (n, h) @ (h, m) + (m,) -> (n, m)
    return ForwardCache(x=x, z_h=z_h, a_h=a_h, y_pred=y_pred, activation=f.name)
# --8<-- [end:forward]


def forward_propagation(
    x: ArrayLike, params: Params, *, activation: str = "relu"
) -> tuple[np.ndarray, ForwardCache]:
    r"""Run a batch through the network.

    $$Z^{(1)} = X W^{(1)} + \mathbf{1} b^{(1)\top}, \quad A^{(1)} = f(Z^{(1)}), \quad
    \hat Y = A^{(1)} W^{(2)} + \mathbf{1} b^{(2)\top}$$

    Parameters
    ----------
    x : ndarray of shape (n_samples, input_size)
        One sample per row.
    params : dict of str to ndarray
        As returned by `init_params`.
    activation : str, default "relu"
        Hidden activation; the output layer is linear.

    Returns
    -------
    y_pred : ndarray of shape (n_samples, output_size)
        The network's output $\hat Y$.
    cache : ForwardCache
        The intermediate values `backward_propagation` needs.

    Raises
    ------
    ValueError
        If shapes disagree or an input holds NaN or infinity.
    TypeError
        If `params` is not a dict or `activation` is not a string.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w_ih": np.array([[1.0, -1.0]]), "b_h": np.array([0.0, 0.5]),
    ...           "w_ho": np.array([[2.0], [1.0]]), "b_o": np.array([0.1])}
    >>> y_pred, cache = forward_propagation(np.array([[1.0]]), params)
    >>> y_pred  # relu(1) * 2 + relu(-0.5) * 1 + 0.1
    array([[2.1]])
    """
    params = _check_params(params)
    x = _check_x(x, params)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = _forward(x.copy(), params, activation)  # the cache keeps its own copy of x
    _check_no_overflow("`x` and `params`", cache.y_pred)
    return cache.y_pred, cache


# --8<-- [start:backward]
def _backward(y_true: np.ndarray, cache: ForwardCache, params: Params) -> Params:
    f = get_activation(cache.activation)
    n_elements = y_true.size
    d_y = 2.0 * (cache.y_pred - y_true) / n_elements  # dL/dY_hat, shape (n, m)
    grad_w_ho = cache.a_h.T @ d_y  # (h, n) @ (n, m) -> (h, m)
    grad_b_o = d_y.sum(axis=0)  # (m,)
    d_a_h = d_y @ params["w_ho"].T  # (n, m) @ (m, h) -> (n, h)
    delta_h = d_a_h * f.derivative(cache.z_h)  # f' at the pre-activation z
    grad_w_ih = cache.x.T @ delta_h  # (d, n) @ (n, h) -> (d, h)
    grad_b_h = delta_h.sum(axis=0)  # (h,)
    return {"w_ih": grad_w_ih, "b_h": grad_b_h, "w_ho": grad_w_ho, "b_o": grad_b_o}
# --8<-- [end:backward]


def backward_propagation(y_true: ArrayLike, cache: ForwardCache, params: Params) -> Params:
    r"""Exact gradient of `mse_loss` for every parameter.

    With $\Delta^{(2)} = \partial L / \partial \hat Y = \tfrac{2}{Nm}(\hat Y - Y)$:

    $$
    \frac{\partial L}{\partial W^{(2)}} = A^{(1)\top} \Delta^{(2)}, \quad
    \Delta^{(1)} = \big(\Delta^{(2)} W^{(2)\top}\big) \odot f'(Z^{(1)}), \quad
    \frac{\partial L}{\partial W^{(1)}} = X^\top \Delta^{(1)},
    $$

    and the bias gradients are the column sums of $\Delta^{(2)}$ and $\Delta^{(1)}$.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, output_size)
        Targets for the batch the cache came from.
    cache : ForwardCache
        From `forward_propagation` on the same `params`.
    params : dict of str to ndarray
        The parameters used in the forward pass.

    Returns
    -------
    dict of str to ndarray
        Gradients with the same keys and shapes as `params`.

    Raises
    ------
    TypeError
        If `cache` is not a `ForwardCache`.
    ValueError
        If `y_true` does not have the shape of the cached prediction, or the
        cache's layer sizes are not those of `params`.
    """
    params = _check_params(params)
    if not isinstance(cache, ForwardCache):
        raise TypeError(
            f"`cache` must be the ForwardCache returned by forward_propagation; got {type(cache).__name__}."
        )
    sizes = (cache.x.shape[1], cache.a_h.shape[1], cache.y_pred.shape[1])
    expected = (params["w_ih"].shape[0], params["w_ih"].shape[1], params["w_ho"].shape[1])
    if sizes != expected:
        raise ValueError(
            f"`cache` must come from forward_propagation with these `params`: layer sizes {expected}; got {sizes}."
        )
    y_true = as_array("y_true", y_true, ndim=2, shape_hint=str(cache.y_pred.shape))
    if y_true.shape != cache.y_pred.shape:
        raise ValueError(
            f"`y_true` must have shape {cache.y_pred.shape} like the cached prediction; got {y_true.shape}."
        )
    with np.errstate(over="ignore", invalid="ignore"):
        grads = _backward(y_true, cache, params)
    _check_no_overflow("`y_true`, `cache` and `params`", *grads.values())
    return grads


def predict(x: ArrayLike, params: Params, *, activation: str = "relu") -> np.ndarray:
    r"""The network's output values for `x`, shape (n_samples, output_size).

    This is a regression network, so `predict` returns $\hat Y$ itself;
    shorthand for ``forward_propagation(...)[0]``.

    Parameters
    ----------
    x : array_like, shape (n_samples, input_size)
        The inputs, one sample per row.
    params : dict of str to ndarray
        The parameters ``w_ih``, ``b_h``, ``w_ho``, ``b_o`` (see `init_params`).
    activation : str, default "relu"
        The hidden layer's activation.

    Returns
    -------
    ndarray, shape (n_samples, output_size)
        The output layer's values $\hat Y$.
    """
    return forward_propagation(x, params, activation=activation)[0]


@dataclass(frozen=True)
class TrainResult:
    """Outcome of `train`.

    Attributes
    ----------
    params : dict of str to ndarray
        The trained parameters.
    losses : ndarray of shape (epochs,)
        ``losses[k]`` is the training loss at the start of epoch ``k + 1``,
        measured in the forward pass that epoch's update starts from (so
        ``losses[0]`` is the loss of the initial parameters).
    initial_loss : float
        The loss of the initial parameters, ``losses[0]``.
    final_loss : float
        The loss of the returned parameters, after the last update.
    """

    params: Params
    losses: np.ndarray
    initial_loss: float
    final_loss: float


# --8<-- [start:train]
def _train_loop(
    x: np.ndarray, y: np.ndarray, params: Params, activation: str, learning_rate: float, epochs: int,
    guard: DivergenceGuard,
) -> tuple[Params, np.ndarray, float]:
    losses = np.empty(epochs)
    for epoch in range(epochs):
        cache = _forward(x, params, activation)
        losses[epoch] = np.mean((cache.y_pred - y) ** 2)  # the loss this epoch starts from
        guard.check(losses[epoch], epoch=epoch + 1)  # raises if it is NaN or has blown up
        grads = _backward(y, cache, params)
        params = {name: params[name] - learning_rate * grads[name] for name in params}
    final_loss = float(np.mean((_forward(x, params, activation).y_pred - y) ** 2))
    guard.check(final_loss, epoch=epochs)
    return params, losses, final_loss
# --8<-- [end:train]


def train(
    x: ArrayLike,
    y: ArrayLike,
    *,
    hidden_size: int | None = None,
    learning_rate: float,
    epochs: int,
    activation: str = "relu",
    rng: Seed = None,
    params: Params | None = None,
) -> TrainResult:
    r"""Fit the network by full-batch gradient descent on the mean squared error.

    Each epoch computes the loss and its gradient on the whole data set and
    takes one step $\theta \leftarrow \theta - \eta\, \partial L / \partial \theta$.

    Parameters
    ----------
    x : ndarray of shape (n_samples, input_size)
        Training inputs.
    y : ndarray of shape (n_samples, output_size)
        Training targets.
    hidden_size : int, optional
        Number of hidden units of a new network; required unless `params` is
        given, and if both are given it must match ``params['w_ih']``.
    learning_rate : float
        Step size $\eta > 0$.
    epochs : int
        Number of gradient steps (each a pass over the whole data set).
    activation : str, default "relu"
        Hidden activation.
    rng : None, int or numpy.random.Generator
        Seed or generator for `init_params` (unused when `params` is given).
    params : dict of str to ndarray, optional
        Start from these parameters instead of a random initialisation
        (they are not modified).

    Returns
    -------
    TrainResult
        The trained parameters, the loss at the start of every epoch and the
        final loss.

    Raises
    ------
    ValueError, TypeError
        For bad shapes, sample counts, sizes, rates or activation names.
    TrainingDivergedError
        If the loss becomes NaN or infinite, or exceeds 100 times its
        initial value, or rises above 3 times it and ends the run (mean of
        the last tenth of the epochs, final loss included) above half of it
        (the package's divergence rules, `nnmem._checks`); the message names
        `learning_rate`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([[0.0], [1.0], [1.0], [0.0]])
    >>> result = train(x, y, hidden_size=8, learning_rate=0.1, epochs=2000,
    ...                activation="tanh", rng=0)
    >>> bool(result.final_loss < 0.01 * result.initial_loss)
    True
    """
    x = as_array("x", x, ndim=2, shape_hint="(n_samples, input_size)")
    y = as_array("y", y, ndim=2, shape_hint="(n_samples, output_size)")
    check_same_n_samples("x", x, "y", y)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    epochs = check_positive_int("epochs", epochs)
    act = get_activation(activation)
    if params is None:
        if hidden_size is None:
            raise TypeError("`hidden_size` must be given (a positive integer) when `params` is not.")
        hidden_size = check_positive_int("hidden_size", hidden_size)
        params = init_params(x.shape[1], hidden_size, y.shape[1], activation=act.name, rng=rng)
    else:
        params = _check_params(params)
        _check_x(x, params)
        if hidden_size is not None and check_positive_int("hidden_size", hidden_size) != params["w_ih"].shape[1]:
            raise ValueError(
                f"`hidden_size` must match `params['w_ih']`, which has {params['w_ih'].shape[1]} hidden units; "
                f"got {hidden_size}."
            )
        if params["w_ho"].shape[1] != y.shape[1]:
            raise ValueError(
                f"`y` must have shape (n_samples, {params['w_ho'].shape[1]}) to match `params['w_ho']`; got {y.shape}."
            )
    guard = DivergenceGuard(value=learning_rate)  # names learning_rate and suggests a smaller one
    with np.errstate(over="ignore", invalid="ignore"):
        trained, losses, final_loss = _train_loop(x, y, dict(params), act.name, learning_rate, epochs, guard)
    guard.check_curve(np.append(losses, final_loss))  # a surge that never recovered
    return TrainResult(params=trained, losses=losses, initial_loss=float(losses[0]), final_loss=final_loss)
