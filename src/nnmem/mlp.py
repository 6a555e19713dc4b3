r"""Fully connected networks of any depth, trained by mini-batch SGD.

A network with layer sizes $(n_0, n_1, \dots, n_L)$ has parameters
``W1, b1, ..., WL, bL`` with ``Wl`` of shape $(n_{l-1}, n_l)$ and ``bl`` of
shape $(n_l,)$, and computes, batch-first,

$$Z^{(l)} = A^{(l-1)} W^{(l)} + \mathbf{1} b^{(l)\top}, \qquad A^{(l)} = f(Z^{(l)}) \;(l < L), \qquad A^{(0)} = X.$$

The last layer is linear: its output $Z^{(L)}$ is the prediction for the
mean-squared-error loss and the *logits* for softmax cross-entropy. With
layer sizes ``[d, h, m]`` and MSE this is exactly `nnmem.twolayer` (``W1`` is
``w_ih``, ``b1`` is ``b_h``, ``W2`` is ``w_ho``, ``b2`` is ``b_o``).

Losses
------
``"mse"``: $L = \frac{1}{Nm}\sum_{n,k} (Z^{(L)}_{nk} - Y_{nk})^2$, targets of shape ``(N, m)``.

``"cross_entropy"``: softmax cross-entropy averaged over the batch, targets
are integer labels of shape ``(N,)``. Softmax and cross-entropy are fused:
the gradient with respect to the logits is $(\operatorname{softmax}(Z) - \text{onehot}(y)) / N$,
and the loss is computed with the log-sum-exp trick, so neither overflows
(`nnmem.losses.softmax_cross_entropy`).

Training is mini-batch SGD by the rule of `nnmem.optim.sgd_step`; `train_sgd`
raises `nnmem.TrainingDivergedError` by the package's divergence rules (see
`nnmem._checks.DivergenceGuard`): a mini-batch loss that is NaN, infinite or
more than 100 times the first mini-batch's loss, or epoch losses that surge
above 3 times the first epoch's and do not recover. `train_sgd` runs a loop
arranged for speed that trains as the plain loop the digits chapter shows
(`_sgd_epochs`), to floating-point rounding; see its Notes.

dtype policy: float32 in, float32 out. `init_params` and `train_sgd` take a
`dtype` (float32 or float64); the other functions compute in the dtype numpy
gives the inputs and parameters together (float32 only when both are
float32; never a silent cast down). Any other input dtype (int, bool) is
treated as float64.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnmem._checks import (
    DivergenceGuard,
    Seed,
    as_array,
    check_array_dict,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    make_rng,
)
from nnmem.activations import get_activation
from nnmem.losses import mse_gradient, mse_loss, softmax, softmax_cross_entropy
from nnmem.optim import is_bias, momentum_init, sgd_step

__all__ = [
    "LOSSES",
    "MLPCache",
    "MLPTrainResult",
    "accuracy",
    "backward",
    "forward",
    "init_params",
    "loss_and_gradients",
    "loss_value",
    "predict",
    "predict_proba",
    "train_sgd",
]

Params = dict[str, np.ndarray]
LOSSES = ("mse", "cross_entropy")
_DTYPES = (np.float32, np.float64)



def _check_dtype(dtype: Any) -> np.dtype[Any]:
    try:
        dt: np.dtype[Any] = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"`dtype` must be float32 or float64; got {dtype!r}.") from error
    if dt.type not in _DTYPES:
        raise ValueError(f"`dtype` must be float32 or float64; got {dt}.")
    return dt


def _check_loss(loss: Any) -> str:
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"`loss` must be one of {LOSSES}; got {loss!r}.")
    return loss


def init_params(
    layer_sizes: Sequence[int], *, activation: str = "relu", rng: Seed = None, dtype: DTypeLike = np.float64
) -> Params:
    r"""Random initial parameters for a network with the given layer sizes.

    Hidden layers use He initialisation ($\operatorname{Var} w = 2/n_\text{in}$)
    for ReLU and Glorot ($2/(n_\text{in} + n_\text{out})$) otherwise; the linear
    output layer uses Glorot. Biases start at zero. This is the rule of
    `nnmem.twolayer.init_params`, and for two layers with the same seed it draws
    the same numbers.

    Parameters
    ----------
    layer_sizes : sequence of int
        $(n_0, \dots, n_L)$: input size, hidden sizes, output size; at least two.
    activation : str, default "relu"
        Hidden activation (chooses the initialisation rule).
    rng : None, int or numpy.random.Generator
        Source of randomness.
    dtype : float32 or float64, default float64

    Returns
    -------
    dict of str to ndarray
        ``W1, b1, ..., WL, bL``.

    Examples
    --------
    >>> params = init_params([64, 32, 10], rng=0)
    >>> {k: v.shape for k, v in params.items()}
    {'W1': (64, 32), 'b1': (32,), 'W2': (32, 10), 'b2': (10,)}
    """
    sizes = _check_sizes(layer_sizes)
    act = get_activation(activation)
    dt = _check_dtype(dtype)
    gen = make_rng(rng)
    params: Params = {}
    n_layers = len(sizes) - 1
    for i in range(1, n_layers + 1):
        n_in, n_out = sizes[i - 1], sizes[i]
        hidden = i < n_layers
        var = 2.0 / n_in if (hidden and act.name == "relu") else 2.0 / (n_in + n_out)
        params[f"W{i}"] = gen.normal(0.0, np.sqrt(var), size=(n_in, n_out)).astype(dt)
        params[f"b{i}"] = np.zeros(n_out, dtype=dt)
    return params


def _check_sizes(layer_sizes: Any) -> list[int]:
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"`layer_sizes` must be a sequence of positive ints; "
            f"got {layer_sizes!r} of type {type(layer_sizes).__name__}."
        )
    if len(layer_sizes) < 2:
        raise ValueError(f"`layer_sizes` must list at least an input and an output size; got {list(layer_sizes)!r}.")
    return [check_positive_int(f"layer_sizes[{i}]", n) for i, n in enumerate(layer_sizes)]


def _layers(params: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    params = check_array_dict("params", params)
    n_layers = sum(1 for k in params if isinstance(k, str) and k.startswith("W"))
    expected = {f"{p}{i}" for i in range(1, n_layers + 1) for p in "Wb"}
    if n_layers == 0 or set(params) != expected:
        raise ValueError(f"`params` must have the keys W1, b1, ..., WL, bL; got {sorted(params, key=str)}.")
    Ws = [params[f"W{i}"] for i in range(1, n_layers + 1)]
    bs = [params[f"b{i}"] for i in range(1, n_layers + 1)]
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True), start=1):
        if W.ndim != 2:
            raise ValueError(f"`params['W{i}']` must have shape (n_in, n_out); got shape {W.shape}.")
        if i > 1 and W.shape[0] != Ws[i - 2].shape[1]:
            raise ValueError(
                f"`params['W{i}']` must have {Ws[i - 2].shape[1]} rows to follow `params['W{i - 1}']`; "
                f"got shape {W.shape}."
            )
        if b.shape != (W.shape[1],):
            raise ValueError(
                f"`params['b{i}']` must have shape ({W.shape[1]},) to match `params['W{i}']`; got {b.shape}."
            )
    return Ws, bs


@dataclass(frozen=True)
class MLPCache:
    """What `forward` keeps for `backward`.

    Attributes
    ----------
    inputs : list of ndarray
        $A^{(0)} = X, A^{(1)}, \\dots, A^{(L-1)}$: the input of every layer.
    pre_activations : list of ndarray
        $Z^{(1)}, \\dots, Z^{(L-1)}$ of the hidden layers.
    output : ndarray of shape (n_samples, n_L)
        $Z^{(L)}$, the linear output (logits for cross-entropy).
    activation : str
        Name of the hidden activation.
    """

    inputs: list[np.ndarray]
    pre_activations: list[np.ndarray]
    output: np.ndarray
    activation: str


# --8<-- [start:forward]
def _forward(x: np.ndarray, Ws: list[np.ndarray], bs: list[np.ndarray], activation: str) -> MLPCache:
    f = get_activation(activation)
    inputs, zs = [x], []
    a = x
    for W, b in zip(Ws[:-1], bs[:-1], strict=True):
        z = a @ W
        z += b  # in place: one array per layer, not two
        a = f(z)
        zs.append(z)
        inputs.append(a)
    out = a @ Ws[-1]
    out += bs[-1]
    return MLPCache(inputs, zs, out, f.name)
# --8<-- [end:forward]


# --8<-- [start:losses]
def _loss_and_output_grad(output: np.ndarray, target: np.ndarray, loss: str) -> tuple[float, np.ndarray]:
    if not np.isfinite(output).all():  # the network has diverged: report an infinite loss
        return math.inf, output
    if loss == "mse":
        return mse_loss(target, output), mse_gradient(target, output)
    return softmax_cross_entropy(output, target)  # log-sum-exp inside; gradient (softmax - onehot) / N
# --8<-- [end:losses]


# --8<-- [start:backward]
def _backward(d_out: np.ndarray, cache: MLPCache, Ws: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    f = get_activation(cache.activation)
    n_layers = len(Ws)
    gWs: list[np.ndarray] = [np.empty(0)] * n_layers
    gbs: list[np.ndarray] = [np.empty(0)] * n_layers
    delta = d_out  # dL/dZ of the current layer, shape (N, n_l)
    for i in range(n_layers - 1, -1, -1):
        gWs[i] = cache.inputs[i].T @ delta
        gbs[i] = delta.sum(axis=0)
        if i > 0:  # no gradient with respect to the input X is needed
            delta = delta @ Ws[i].T
            delta *= f.derivative(cache.pre_activations[i - 1])
    return gWs, gbs
# --8<-- [end:backward]


def _check_inputs(x_in: Any, Ws: list[np.ndarray]) -> np.ndarray:
    return _check_width(as_array("x", x_in, ndim=2, shape_hint=f"(n_samples, {Ws[0].shape[0]})", dtype=None), Ws)


def _check_width(x: np.ndarray, Ws: list[np.ndarray]) -> np.ndarray:
    if x.shape[1] != Ws[0].shape[0]:
        raise ValueError(
            f"`x` must have shape (n_samples, {Ws[0].shape[0]}) to match `params['W1']`; got shape {x.shape}."
        )
    return x


def _overflow_error(x: np.ndarray, Ws: list[np.ndarray], where: str) -> FloatingPointError:
    return FloatingPointError(
        f"The network's {where} overflowed to NaN or infinity for finite `x` and `params`; "
        f"got inputs up to {float(np.abs(x).max()):.3g} and weights up to "
        f"{max(float(np.abs(W).max()) for W in Ws):.3g}: scale them down."
    )


def _outputs(x: np.ndarray, Ws: list[np.ndarray], bs: list[np.ndarray], activation: str) -> MLPCache:
    """`_forward` on checked inputs; FloatingPointError if a layer overflows."""
    name = get_activation(activation).name
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            cache = _forward(x, Ws, bs, name)
    except ValueError as err:  # a hidden layer overflowed: the activation refuses non-finite pre-activations
        raise _overflow_error(x, Ws, "hidden layers") from err
    if not np.isfinite(cache.output).all():
        raise _overflow_error(x, Ws, "output")
    return cache


def _check_target(name: str, target: Any, n_samples: int, n_out: int, loss: str) -> np.ndarray:
    if _check_loss(loss) == "cross_entropy":
        return check_labels(name, target, n_samples=n_samples, n_classes=n_out)
    y = as_array(name, target, ndim=2, shape_hint=f"({n_samples}, {n_out})", dtype=None)
    if y.shape != (n_samples, n_out):
        raise ValueError(f"`{name}` must have shape ({n_samples}, {n_out}) for the mse loss; got shape {y.shape}.")
    return y


def forward(x: ArrayLike, params: Params, *, activation: str = "relu") -> tuple[np.ndarray, MLPCache]:
    """Run a batch through the network.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs, one per row.
    params : dict of str to ndarray
        ``W1, b1, ..., WL, bL`` as from `init_params`.
    activation : str, default "relu"
        Hidden activation.

    Returns
    -------
    output : ndarray of shape (n_samples, n_L)
        The linear output $Z^{(L)}$ (logits for cross-entropy).
    cache : MLPCache
        For `backward`.

    Raises
    ------
    FloatingPointError
        If a layer overflows to NaN or infinity although `x` and `params` are finite.

    Examples
    --------
    >>> params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([0.0, 0.5]),
    ...           "W2": np.array([[2.0], [1.0]]), "b2": np.array([0.1])}
    >>> forward(np.array([[1.0]]), params)[0]  # relu([1, -0.5]) = [1, 0]; 1*2 + 0*1 + 0.1
    array([[2.1]])
    """
    Ws, bs = _layers(params)
    x = np.array(_check_inputs(x, Ws))  # a copy: the cache must not be a view of the caller's array
    cache = _outputs(x, Ws, bs, activation)
    return cache.output, cache


def loss_value(output: ArrayLike, y: ArrayLike, *, loss: str) -> float:
    """The loss of a network output.

    Parameters
    ----------
    output : ndarray of shape (n_samples, n_outputs)
        The network's linear output (logits for cross-entropy).
    y : ndarray
        Targets (n_samples, n_outputs) for ``"mse"``, integer labels
        (n_samples,) for ``"cross_entropy"``.
    loss : {"mse", "cross_entropy"}

    Returns
    -------
    float

    Examples
    --------
    >>> round(loss_value(np.array([[0.0, np.log(3.0)]]), np.array([1]), loss="cross_entropy"), 6)  # -ln(3/4)
    0.287682
    """
    _check_loss(loss)
    output = as_array("output", output, ndim=2, shape_hint="(n_samples, n_outputs)", dtype=None)
    n_samples, n_out = output.shape
    return _loss_and_output_grad(output, _check_target("y", y, n_samples, n_out, loss), loss)[0]


def backward(y: ArrayLike, cache: MLPCache, params: Params, *, loss: str) -> Params:
    """Exact gradient of the loss with respect to every parameter.

    Parameters
    ----------
    y : ndarray
        Targets of shape (n_samples, n_L) for ``"mse"``, integer labels of shape
        (n_samples,) for ``"cross_entropy"``.
    cache : MLPCache
        From `forward` with the same `params`.
    params : dict of str to ndarray
        The parameters.
    loss : {"mse", "cross_entropy"}

    Returns
    -------
    dict of str to ndarray
        Same keys and shapes as `params`.
    """
    Ws, _ = _layers(params)
    if not isinstance(cache, MLPCache):
        raise TypeError(f"`cache` must be the MLPCache returned by forward; got {type(cache).__name__}.")
    if cache.output.shape[1] != Ws[-1].shape[1] or len(cache.inputs) != len(Ws):
        raise ValueError(
            f"`cache` must come from forward with a network of {len(Ws)} layers and {Ws[-1].shape[1]} outputs "
            f"like `params`; got {len(cache.inputs)} layers and {cache.output.shape[1]} outputs."
        )
    _check_loss(loss)
    n_samples, n_out = cache.output.shape
    target = _check_target("y", y, n_samples, n_out, loss)
    _, d_out = _loss_and_output_grad(cache.output, target, loss)
    gWs, gbs = _backward(d_out, cache, Ws)
    return _as_dict(gWs, gbs)


def _as_dict(Ws: list[np.ndarray], bs: list[np.ndarray]) -> Params:
    out: Params = {}
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True), start=1):
        out[f"W{i}"], out[f"b{i}"] = W, b
    return out


def _loss_and_grads(x: np.ndarray, y: np.ndarray, params: Params, activation: str, loss: str) -> tuple[float, Params]:
    n_layers = len(params) // 2  # params were checked by the caller
    Ws = [params[f"W{i}"] for i in range(1, n_layers + 1)]
    bs = [params[f"b{i}"] for i in range(1, n_layers + 1)]
    cache = _forward(x, Ws, bs, activation)
    value, d_out = _loss_and_output_grad(cache.output, y, loss)
    gWs, gbs = _backward(d_out, cache, Ws)
    return value, _as_dict(gWs, gbs)


def loss_and_gradients(
    x: ArrayLike, y: ArrayLike, params: Params, *, loss: str, activation: str = "relu"
) -> tuple[float, Params]:
    """Loss on a batch and its gradient; ``forward`` followed by ``backward``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
    y : ndarray
        Targets (N, n_L) for ``"mse"`` or labels (N,) for ``"cross_entropy"``.
    params : dict of str to ndarray
    loss : {"mse", "cross_entropy"}
    activation : str, default "relu"

    Returns
    -------
    loss : float
        Infinite if the output overflows (a diverged network; the trainers'
        divergence guard reports it); the gradients are then meaningless.
    grads : dict of str to ndarray

    Raises
    ------
    FloatingPointError
        If a hidden layer overflows to NaN or infinity although `x` and
        `params` are finite.
    """
    Ws, bs = _layers(params)
    _check_loss(loss)
    x = _check_inputs(x, Ws)
    target = _check_target("y", y, x.shape[0], Ws[-1].shape[1], loss)
    name = get_activation(activation).name
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            return _loss_and_grads(x, target, _as_dict(Ws, bs), name, loss)
    except ValueError as err:  # a hidden layer overflowed: the activation refuses non-finite pre-activations
        raise _overflow_error(x, Ws, "hidden layers") from err


def predict_proba(x: ArrayLike, params: Params, *, activation: str = "relu") -> np.ndarray:
    """Softmax class probabilities, shape (n_samples, n_classes).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs.
    params : dict of str to ndarray
        The network.
    activation : str, default "relu"
        Hidden activation.

    Examples
    --------
    >>> predict_proba(np.array([[0.0, np.log(3.0)]]), {"W1": np.eye(2), "b1": np.zeros(2)})  # 1 : 3
    array([[0.25, 0.75]])
    """
    Ws, bs = _layers(params)
    return softmax(_outputs(_check_inputs(x, Ws), Ws, bs, activation).output, axis=1)


def predict(x: ArrayLike, params: Params, *, activation: str = "relu") -> np.ndarray:
    """The most probable class of every sample, shape (n_samples,).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs.
    params : dict of str to ndarray
        The network.
    activation : str, default "relu"
        Hidden activation.

    Examples
    --------
    >>> predict(np.array([[1.0, 0.0], [0.0, 1.0]]), {"W1": np.eye(2), "b1": np.array([0.0, 0.5])})
    array([0, 1])
    """
    Ws, bs = _layers(params)
    classes: np.ndarray = np.argmax(_outputs(_check_inputs(x, Ws), Ws, bs, activation).output, axis=1)
    return classes


def accuracy(x: ArrayLike, labels: ArrayLike, params: Params, *, activation: str = "relu") -> float:
    """Fraction of samples whose predicted class equals `labels`.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs.
    labels : ndarray of shape (n_samples,)
        True classes.
    params : dict of str to ndarray
        The network.
    activation : str, default "relu"
        Hidden activation.

    Returns
    -------
    float
        Accuracy in [0, 1].

    Examples
    --------
    >>> params = {"W1": np.eye(2), "b1": np.zeros(2)}
    >>> accuracy(np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0]]), np.array([0, 1, 0]), params)  # 2 of 3
    0.6666666666666666
    """
    Ws, bs = _layers(params)
    x = _check_inputs(x, Ws)
    labels = check_labels("labels", labels, n_samples=x.shape[0], n_classes=Ws[-1].shape[1])
    return float(np.mean(np.argmax(_outputs(x, Ws, bs, activation).output, axis=1) == labels))


@dataclass(frozen=True)
class MLPTrainResult:
    """Outcome of `train_sgd`.

    Attributes
    ----------
    params : dict of str to ndarray
        The trained parameters.
    losses : ndarray of shape (epochs,)
        ``losses[k]``: the mean training loss of epoch ``k`` over its
        samples (the mini-batch losses weighted by batch size), each
        mini-batch's loss taken at its forward pass, before its update.
    """

    params: Params
    losses: np.ndarray


# --8<-- [start:sgd]
def _sgd_epochs(x: np.ndarray, y: np.ndarray, params: Params, *, activation: str, loss: str, learning_rate: float,
                epochs: int, batch_size: int, momentum: float, weight_decay: float,
                gen: np.random.Generator) -> tuple[Params, np.ndarray]:
    n = x.shape[0]
    velocity = momentum_init(params)
    guard = DivergenceGuard("learning_rate", "try a smaller learning_rate", value=learning_rate)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        order = gen.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            value, grads = _loss_and_grads(x[batch], y[batch], params, activation, loss)
            guard.check(value, epoch=epoch + 1)  # NaN, inf or 100x the first batch's loss: stop
            params, velocity = sgd_step(params, grads, velocity, learning_rate=learning_rate,
                                        momentum=momentum, weight_decay=weight_decay)
            total += value * batch.size
        losses[epoch] = total / n
    return params, losses
# --8<-- [end:sgd]


# The loop `train_sgd` runs: the same training as `_sgd_epochs` above (the plain loop the digits
# chapter shows), to floating-point rounding (tests/test_mlp.py compares the two), at a fraction
# of the cost per mini-batch; the Performance page measures both. Nothing is validated inside the
# loop (`train_sgd` checked every input once), nothing is allocated but the batch's inputs and
# targets after the first batch of each size, and
#
# * all parameters live in one flat vector (W1, b1, W2, b2, ... one after another, each array a
#   view into it), and all gradients in a second one: the SGD step with its weight decay and
#   momentum, and the finiteness check of the new parameters, are one call each, not one per array;
# * the hidden activation and its derivative, the bias, the loss and its gradient are computed in
#   place, with cross-entropy's labels as one-hot rows, so that its gradient is one subtraction;
# * the learning rate is folded into the output layer's Delta, so backpropagation delivers
#   eta * gradient and plain SGD subtracts it as it is.


class _InPlace(NamedTuple):
    """A hidden activation for the fast loop: f applied in place, and delta *= f'(z) from a = f(z)."""

    forward: Callable[[np.ndarray], Any]
    derivative_times: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]


def _relu_derivative_times(delta: np.ndarray, a: np.ndarray, tmp: np.ndarray) -> None:
    np.greater(a, 0.0, out=tmp)  # relu'(z) = 1 where z > 0, which is where a = relu(z) > 0
    delta *= tmp


def _tanh_derivative_times(delta: np.ndarray, a: np.ndarray, tmp: np.ndarray) -> None:
    np.multiply(a, a, out=tmp)  # tanh'(z) = 1 - tanh(z)^2 = 1 - a^2
    np.subtract(1, tmp, out=tmp)
    delta *= tmp


def _sigmoid_in_place(z: np.ndarray) -> None:
    z *= 0.5  # sigmoid(z) = (1 + tanh(z / 2)) / 2, as nnmem.activations.sigmoid computes it
    np.tanh(z, out=z)
    z += 1
    z *= 0.5


def _sigmoid_derivative_times(delta: np.ndarray, a: np.ndarray, tmp: np.ndarray) -> None:
    np.subtract(1, a, out=tmp)  # sigmoid'(z) = s (1 - s) with s = a
    tmp *= a
    delta *= tmp


def _no_op(*arrays: np.ndarray) -> None:
    """identity: f(z) = z and f'(z) = 1 leave their arrays as they are."""


# One entry per activation of nnmem.activations.ACTIVATIONS, the function next to its derivative.
_IN_PLACE = {
    "relu": _InPlace(lambda z: np.maximum(z, 0.0, out=z), _relu_derivative_times),
    "tanh": _InPlace(lambda z: np.tanh(z, out=z), _tanh_derivative_times),
    "sigmoid": _InPlace(_sigmoid_in_place, _sigmoid_derivative_times),
    "identity": _InPlace(_no_op, _no_op),
}


def _all_finite(a: np.ndarray) -> bool:
    """Whether every entry is finite: the sum of squares (one BLAS call) is finite only then; if it overflows, look."""
    return math.isfinite(np.vdot(a, a)) or bool(np.isfinite(a).all())


def _cross_entropy_in_place(out: np.ndarray, onehot: np.ndarray, row: np.ndarray, scale: float) -> float:
    """Mean softmax cross-entropy of the logits `out`; leaves ``scale`` times its gradient in `out`.

    The arithmetic of `nnmem.losses.softmax_cross_entropy`, with one-hot targets; `row` is a
    buffer of one value per sample.
    """
    n, col = out.shape[0], row[:, np.newaxis]
    np.maximum.reduce(out, axis=1, out=row)
    out -= col  # log-sum-exp trick: exponents <= 0
    picked = float(np.vdot(out, onehot))  # the true classes' shifted logits, summed
    if not math.isfinite(picked):  # a shifted logit overflowed to -inf, and -inf * 0 is NaN
        picked = float(out[onehot > 0].sum())
    np.exp(out, out=out)
    np.add.reduce(out, axis=1, out=row)
    out /= col  # softmax
    out -= onehot  # softmax - onehot
    out *= scale / n
    np.log(row, out=row)
    value: float = (float(np.add.reduce(row)) - picked) / n  # mean of log(sum exp) - true logit
    return value


def _mse_in_place(out: np.ndarray, target: np.ndarray, scale: float) -> float:
    """Mean squared error of `out`; leaves ``scale`` times its gradient in `out` (`nnmem.losses.mse_loss`)."""
    out -= target
    value: float = float(np.vdot(out, out)) / out.size  # overflows to inf as the mean of squares does
    out *= 2.0 * scale / out.size
    return value


class _BatchBuffers:
    """The arrays one mini-batch of `size` samples needs, allocated once and reused."""

    def __init__(self, size: int, Ws: list[np.ndarray]) -> None:
        dtype = Ws[0].dtype
        self.x1 = np.ones((size, Ws[0].shape[0] + 1), dtype=dtype)  # [X, 1]: the inputs and a column of ones
        self.outputs = [np.empty((size, W.shape[1]), dtype=dtype) for W in Ws]  # Z(1), ..., Z(L); A = f(Z) in place
        self.deltas = [np.empty_like(z) for z in self.outputs[:-1]]  # eta * dL/dZ(l) of the hidden layers
        self.derivs = [np.empty_like(z) for z in self.outputs[:-1]]  # f'(Z(l))
        self.row = np.empty(size, dtype=dtype)  # one value per sample, for the loss


def _sgd_epochs_fast(x: np.ndarray, y: np.ndarray, params: Params, *, activation: str, loss: str,
                     learning_rate: float, epochs: int, batch_size: int, momentum: float, weight_decay: float,
                     gen: np.random.Generator) -> tuple[Params, np.ndarray]:
    n, n_layers = x.shape[0], len(params) // 2
    keys = [f"{p}{i}" for i in range(1, n_layers + 1) for p in "Wb"]  # W1, b1, W2, b2, ...
    theta = np.concatenate([params[k].ravel() for k in keys])  # a new array: `params` stay as they are
    grad = np.empty_like(theta)
    ends = np.cumsum([params[k].size for k in keys]).tolist()

    def views(flat: np.ndarray) -> dict[str, np.ndarray]:
        return {k: flat[s:e].reshape(params[k].shape) for k, s, e in zip(keys, [0, *ends[:-1]], ends, strict=True)}

    p, g = views(theta), views(grad)
    Ws, bs = [p[f"W{i}"] for i in range(1, n_layers + 1)], [p[f"b{i}"] for i in range(1, n_layers + 1)]
    gWs, gbs = [g[f"W{i}"] for i in range(1, n_layers + 1)], [g[f"b{i}"] for i in range(1, n_layers + 1)]
    # W1 and b1 lie one after the other: together they are the (n_0 + 1, n_1) matrix [W1; b1]
    Wb1, gWb1 = theta[: ends[1]].reshape(-1, Ws[0].shape[1]), grad[: ends[1]].reshape(-1, Ws[0].shape[1])
    if weight_decay:  # eta * lambda for the weights, 0 for the biases
        decay = np.concatenate([np.full(params[k].size, 0.0 if is_bias(k) else learning_rate * weight_decay,
                                        dtype=theta.dtype) for k in keys])
        decay_term = np.empty_like(theta)
    velocity = np.zeros_like(theta) if momentum else None
    targets = np.eye(Ws[-1].shape[1], dtype=theta.dtype)[y] if loss == "cross_entropy" else y  # one-hot rows, or y
    f = _IN_PLACE[activation]
    buffers: dict[int, _BatchBuffers] = {}
    guard = DivergenceGuard("learning_rate", "try a smaller learning_rate", value=learning_rate)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        order = gen.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            size = batch.size
            buf = buffers.get(size)
            if buf is None:
                buf = buffers[size] = _BatchBuffers(size, Ws)
            x1 = buf.x1
            x1[:, :-1] = x.take(batch, axis=0)
            z = buf.outputs[0]
            np.dot(x1, Wb1, out=z)  # Z(1) = X W1 + b1 = [X, 1] [W1; b1]: the bias comes with the product
            for W, b, z_next in zip(Ws[1:], bs[1:], buf.outputs[1:], strict=True):
                f.forward(z)  # A = f(Z), in place: Z itself is not needed again
                np.dot(z, W, out=z_next)
                z_next += b
                z = z_next
            out = z
            if not _all_finite(out):  # the network has diverged: an infinite loss, as in _loss_and_output_grad
                value = math.inf
            elif loss == "mse":
                value = _mse_in_place(out, y.take(batch, axis=0), learning_rate)
            else:
                value = _cross_entropy_in_place(out, targets.take(batch, axis=0), buf.row, learning_rate)
            guard.check(value, epoch=epoch + 1)  # NaN, inf or 100x the first batch's loss: stop
            delta = out  # eta * dL/dZ(L), so that backpropagation delivers eta times the gradient
            for i in range(n_layers - 1, 0, -1):
                a = buf.outputs[i - 1]  # A(i) = f(Z(i)), the input of layer i + 1
                np.dot(a.T, delta, out=gWs[i])
                np.add.reduce(delta, axis=0, out=gbs[i])
                np.dot(delta, Ws[i].T, out=buf.deltas[i - 1])
                delta = buf.deltas[i - 1]
                f.derivative_times(delta, a, buf.derivs[i - 1])
            np.dot(x1.T, delta, out=gWb1)  # [X, 1]^T Delta(1): the gradients of W1 and b1 in one product
            if weight_decay:  # the step of nnmem.optim.sgd_step, on all parameters at once
                np.multiply(theta, decay, out=decay_term)
                grad += decay_term  # eta * (g + lambda W)
            if velocity is None:
                theta -= grad
            else:
                velocity *= momentum
                velocity -= grad
                theta += velocity
            if not _all_finite(theta):  # sgd_step's check of the updated parameters, by the same rule
                DivergenceGuard("learning_rate", "try a smaller learning_rate", value=learning_rate).check(
                    math.inf, epoch=None, what="the updated parameters")
            total += value * size
        losses[epoch] = total / n
    return {k: v.copy() for k, v in p.items()}, losses


def _in_dtype(name: str, a: np.ndarray, dt: np.dtype[Any]) -> np.ndarray:
    """The checked (finite) array `a` in the training dtype; a ValueError if a value is beyond its range."""
    with np.errstate(over="ignore"):  # float64 beyond float32's range casts to inf: reported below, not warned about
        cast = np.asarray(a, dtype=dt)
    if not np.isfinite(cast).all():
        raise ValueError(
            f"`{name}` must lie within {dt}'s range (magnitudes up to {float(np.finfo(dt).max):.3g}) to train in "
            f"{dt}; got values up to {float(np.abs(a).max()):.3g}: scale them down or train in float64."
        )
    return cast


def train_sgd(
    x: ArrayLike,
    y: ArrayLike,
    *,
    layer_sizes: Sequence[int] | None = None,
    params: Params | None = None,
    loss: str = "cross_entropy",
    activation: str = "relu",
    learning_rate: float,
    epochs: int,
    batch_size: int = 32,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    dtype: DTypeLike | None = None,
    rng: Seed = None,
) -> MLPTrainResult:
    r"""Mini-batch stochastic gradient descent with optional momentum and weight decay.

    Each epoch shuffles the samples and visits them in batches of
    `batch_size` (the last batch may be smaller); every batch makes one step
    by the rule of `nnmem.optim.sgd_step`. With momentum $\mu$:
    $v \leftarrow \mu v - \eta(\nabla L + \lambda W)$, $W \leftarrow W + v$
    (weight decay $\lambda$ applies to weights, not biases).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Training inputs.
    y : ndarray
        Targets (n_samples, n_L) for ``"mse"`` or integer labels (n_samples,)
        for ``"cross_entropy"``.
    layer_sizes : sequence of int, optional
        Build a new network (drawn from `rng`); give either this or `params`.
    params : dict of str to ndarray, optional
        Start from these parameters (they are copied, not modified).
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
    activation : str, default "relu"
    learning_rate : float
        $\eta > 0$.
    epochs : int
        Passes over the data.
    batch_size : int, default 32
    momentum : float, default 0.0
        $\mu \in [0, 1)$.
    weight_decay : float, default 0.0
        $\lambda \ge 0$.
    dtype : float32 or float64, optional
        Arithmetic precision; defaults to the dtype of `params`, or with
        `layer_sizes` to float32 for float32 `x` and float64 otherwise.
    rng : None, int or numpy.random.Generator
        Initialisation (with `layer_sizes`) and the order of the samples.

    Returns
    -------
    MLPTrainResult

    Raises
    ------
    ValueError, TypeError
        For bad shapes, labels out of range, non-finite data, data beyond
        float32's range when training in float32, or bad settings.
    TrainingDivergedError
        If a mini-batch loss is NaN, infinite or more than 100 times the
        first mini-batch's loss, or a step makes the parameters infinite, or
        if the epoch losses rise above 3 times the first epoch's and the last
        tenth of the epochs ends above half of it (the package's divergence
        rules, `nnmem._checks`); the message names `learning_rate`.

    Notes
    -----
    The loop that runs is arranged for speed: all parameters in one flat
    vector, every array of a batch allocated once and reused, the bias, the
    activation, the loss and the update computed in place, the learning rate
    folded into backpropagation, and no checks inside the loop (the inputs
    are checked once, before it). It gives the parameters and losses of the
    plain loop the digits chapter shows, which calls `nnmem.losses` and
    `nnmem.optim.sgd_step` for every batch, up to floating-point rounding;
    the package's tests compare the two, and the Performance page times them.

    Examples
    --------
    >>> x, labels = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([1, 0])
    >>> res = train_sgd(x, labels, layer_sizes=[2, 2], learning_rate=0.5, epochs=20, rng=0)
    >>> predict(x, res.params), bool(res.losses[-1] < res.losses[0])
    (array([1, 0]), True)
    """
    gen = make_rng(rng)
    if (layer_sizes is None) == (params is None):
        raise ValueError(
            "Give exactly one of `layer_sizes` (a new network) and `params` (a starting point); "
            f"got {'both' if params is not None else 'neither'}."
        )
    _check_loss(loss)
    act = get_activation(activation).name
    checked = None
    if params is None:
        checked = as_array("x", x, ndim=2, shape_hint="(n_samples, n_features)", dtype=None)
        params = init_params(layer_sizes, activation=act, rng=gen, dtype=checked.dtype if dtype is None else dtype)  # type: ignore[arg-type]
    Ws, bs = _layers(params)
    dt = _check_dtype(Ws[0].dtype if dtype is None else dtype)
    start = {k: v.astype(dt) for k, v in _as_dict(Ws, bs).items()}  # a copy: the caller's params stay as they are
    x = _in_dtype("x", _check_inputs(x, Ws) if checked is None else _check_width(checked, Ws), dt)  # checked once
    target = _check_target("y", y, x.shape[0], Ws[-1].shape[1], loss)
    if loss == "mse":
        target = _in_dtype("y", target, dt)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    momentum = check_nonnegative_float("momentum", momentum)
    if momentum >= 1:
        raise ValueError(f"`momentum` must be in [0, 1); got {momentum}.")
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the guard, not warned about
        trained, losses = _sgd_epochs_fast(
            x,
            target,
            start,
            activation=act,
            loss=loss,
            learning_rate=learning_rate,
            epochs=check_positive_int("epochs", epochs),
            batch_size=check_positive_int("batch_size", batch_size),
            momentum=momentum,
            weight_decay=check_nonnegative_float("weight_decay", weight_decay),
            gen=gen,
        )
    DivergenceGuard(value=learning_rate).check_curve(losses)  # a surge that never recovered
    return MLPTrainResult(params=trained, losses=losses)
