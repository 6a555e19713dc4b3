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
and the loss is computed with the log-sum-exp trick, so neither overflows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmem._checks import (
    TrainingDivergedError,
    as_array,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_same_n_samples,
    make_rng,
)
from nnmem.activations import get_activation

__all__ = [
    "LOSSES",
    "MLPCache",
    "MLPTrainResult",
    "accuracy",
    "backward",
    "forward",
    "init_mlp",
    "loss_and_gradients",
    "loss_value",
    "predict",
    "predict_proba",
    "train_sgd",
]

Params = dict[str, np.ndarray]
LOSSES = ("mse", "cross_entropy")
_DTYPES = (np.float32, np.float64)


def _check_dtype(dtype: Any) -> np.dtype:
    dt = np.dtype(dtype)
    if dt.type not in _DTYPES:
        raise ValueError(f"`dtype` must be float32 or float64; got {dt}.")
    return dt


def init_mlp(layer_sizes: Any, *, activation: str = "relu", rng: Any = None, dtype: Any = np.float64) -> Params:
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
    >>> params = init_mlp([64, 32, 10], rng=0)
    >>> {k: v.shape for k, v in params.items()}
    {'W1': (64, 32), 'b1': (32,), 'W2': (32, 10), 'b2': (10,)}
    """
    sizes = _check_sizes(layer_sizes)
    act = get_activation(activation)
    dt = _check_dtype(dtype)
    gen = make_rng(rng)
    params: Params = {}
    n_layers = len(sizes) - 1
    for l in range(1, n_layers + 1):
        n_in, n_out = sizes[l - 1], sizes[l]
        hidden = l < n_layers
        var = 2.0 / n_in if (hidden and act.name == "relu") else 2.0 / (n_in + n_out)
        params[f"W{l}"] = gen.normal(0.0, np.sqrt(var), size=(n_in, n_out)).astype(dt)
        params[f"b{l}"] = np.zeros(n_out, dtype=dt)
    return params


def _check_sizes(layer_sizes: Any) -> list[int]:
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"`layer_sizes` must be a sequence of positive ints; got {layer_sizes!r}.")
    if len(layer_sizes) < 2:
        raise ValueError(f"`layer_sizes` must list at least an input and an output size; got {list(layer_sizes)!r}.")
    return [check_positive_int(f"layer_sizes[{i}]", n) for i, n in enumerate(layer_sizes)]


def _layers(params: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    if not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict with keys W1, b1, W2, b2, ...; got {type(params).__name__}.")
    n_layers = sum(1 for k in params if k.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, n_layers + 1) for p in "Wb"}
    if n_layers == 0 or set(params) != expected:
        raise ValueError(f"`params` must have keys W1, b1, ..., WL, bL; got {sorted(params)}.")
    Ws = [np.asarray(params[f"W{l}"]) for l in range(1, n_layers + 1)]
    bs = [np.asarray(params[f"b{l}"]) for l in range(1, n_layers + 1)]
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"`params['W{l}']` must be 2-D and `params['b{l}']` have shape (n_out,); got {W.shape} and {b.shape}.")
        if l > 1 and W.shape[0] != Ws[l - 2].shape[1]:
            raise ValueError(f"`params['W{l}']` must have {Ws[l - 2].shape[1]} rows to follow W{l - 1}; got {W.shape}.")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"`params['W{l}']` and `params['b{l}']` must contain only finite numbers.")
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
    for W, b in zip(Ws[:-1], bs[:-1]):
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
def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)  # log-sum-exp trick: every exponent <= 0
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _loss_and_output_grad(output: np.ndarray, target: np.ndarray, loss: str) -> tuple[float, np.ndarray]:
    if loss == "mse":
        diff = output - target
        return float(np.mean(diff * diff)), (2.0 / diff.size) * diff
    n = output.shape[0]
    rows = np.arange(n)
    shifted = output - output.max(axis=1, keepdims=True)  # log-sum-exp trick: exponents <= 0
    grad = np.exp(shifted)
    total = grad.sum(axis=1, keepdims=True)
    value = float((np.log(total[:, 0]) - shifted[rows, target]).sum()) / n  # mean of -log softmax(true class)
    grad /= total  # softmax probabilities
    grad[rows, target] -= 1.0  # softmax - onehot: the fused gradient
    grad /= n
    return value, grad
# --8<-- [end:losses]


# --8<-- [start:backward]
def _backward(d_out: np.ndarray, cache: MLPCache, Ws: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    f = get_activation(cache.activation)
    n_layers = len(Ws)
    gWs: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
    gbs: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
    delta = d_out  # dL/dZ of the current layer, shape (N, n_l)
    for l in range(n_layers - 1, -1, -1):
        gWs[l] = cache.inputs[l].T @ delta
        gbs[l] = delta.sum(axis=0)
        if l > 0:  # no gradient with respect to the input X is needed
            delta = delta @ Ws[l].T
            delta *= f.derivative(cache.pre_activations[l - 1])
    return gWs, gbs
# --8<-- [end:backward]


def _check_inputs(x: Any, Ws: list[np.ndarray]) -> np.ndarray:
    dtype = Ws[0].dtype if Ws[0].dtype.kind == "f" else np.float64
    x = as_array("x", x, ndim=2, shape_hint=f"(n_samples, {Ws[0].shape[0]})", dtype=dtype)
    if x.shape[1] != Ws[0].shape[0]:
        raise ValueError(f"`x` must have shape (n_samples, {Ws[0].shape[0]}) to match `params['W1']`; got {x.shape}.")
    return x


def _check_target(target: Any, n_samples: int, n_out: int, loss: str) -> np.ndarray:
    if loss not in LOSSES:
        raise ValueError(f"`loss` must be one of {LOSSES}; got {loss!r}.")
    if loss == "mse":
        y = as_array("y", target, ndim=2, shape_hint=f"(n_samples, {n_out})")
        if y.shape != (n_samples, n_out):
            raise ValueError(f"`y` must have shape ({n_samples}, {n_out}); got {y.shape}.")
        return y
    labels = np.asarray(target)
    if labels.ndim != 1 or labels.shape[0] != n_samples:
        raise ValueError(f"`y` must be integer labels of shape ({n_samples},) for cross-entropy; got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError("`y` must hold integer class labels for cross-entropy; got non-integer values.")
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_out):
        raise ValueError(
            f"`y` labels must be in [0, {n_out - 1}] for a network with {n_out} outputs; got values from {labels.min()} to {labels.max()}."
        )
    return labels.astype(np.int64, copy=False)


def forward(x: np.ndarray, params: Params, *, activation: str = "relu") -> tuple[np.ndarray, MLPCache]:
    """Run a batch through the network.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs, one per row.
    params : dict of str to ndarray
        ``W1, b1, ..., WL, bL`` as from `init_mlp`.
    activation : str, default "relu"
        Hidden activation.

    Returns
    -------
    output : ndarray of shape (n_samples, n_L)
        The linear output $Z^{(L)}$ (logits for cross-entropy).
    cache : MLPCache
        For `backward`.
    """
    Ws, bs = _layers(params)
    cache = _forward(_check_inputs(x, Ws), Ws, bs, get_activation(activation).name)
    return cache.output, cache


def loss_value(output: np.ndarray, y: np.ndarray, *, loss: str) -> float:
    """The loss of a network output.

    Parameters
    ----------
    output : ndarray of shape (n_samples, n_outputs)
        The network's linear output (logits for cross-entropy).
    y : ndarray
        Targets (n_samples, n_outputs) for ``"mse"``, labels (n_samples,) for ``"cross_entropy"``.
    loss : {"mse", "cross_entropy"}

    Returns
    -------
    float
    """
    output = as_array("output", output, ndim=2, shape_hint="(n_samples, n_outputs)")
    return _loss_and_output_grad(output, _check_target(y, *output.shape, loss), loss)[0]


def backward(y: np.ndarray, cache: MLPCache, params: Params, *, loss: str) -> Params:
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
    target = _check_target(y, *cache.output.shape, loss)
    _, d_out = _loss_and_output_grad(cache.output, target, loss)
    gWs, gbs = _backward(d_out, cache, Ws)
    return _as_dict(gWs, gbs)


def _as_dict(Ws: list[np.ndarray], bs: list[np.ndarray]) -> Params:
    out: Params = {}
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        out[f"W{l}"], out[f"b{l}"] = W, b
    return out


def loss_and_gradients(
    x: np.ndarray, y: np.ndarray, params: Params, *, loss: str, activation: str = "relu"
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
    grads : dict of str to ndarray
    """
    Ws, bs = _layers(params)
    x = _check_inputs(x, Ws)
    cache = _forward(x, Ws, bs, get_activation(activation).name)
    value, d_out = _loss_and_output_grad(cache.output, _check_target(y, *cache.output.shape, loss), loss)
    gWs, gbs = _backward(d_out, cache, Ws)
    return value, _as_dict(gWs, gbs)


def predict_proba(x: np.ndarray, params: Params, *, activation: str = "relu") -> np.ndarray:
    """Softmax class probabilities, shape (n_samples, n_classes).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs.
    params : dict of str to ndarray
        The network.
    activation : str, default "relu"
        Hidden activation.
    """
    output, _ = forward(x, params, activation=activation)
    return np.exp(_log_softmax(output))


def predict(x: np.ndarray, params: Params, *, activation: str = "relu") -> np.ndarray:
    """The most probable class of every sample, shape (n_samples,).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs.
    params : dict of str to ndarray
        The network.
    activation : str, default "relu"
        Hidden activation.
    """
    output, _ = forward(x, params, activation=activation)
    return np.argmax(output, axis=1)


def accuracy(x: np.ndarray, labels: np.ndarray, params: Params, *, activation: str = "relu") -> float:
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
    Ws, _ = _layers(params)
    labels = _check_target(labels, np.shape(x)[0], Ws[-1].shape[1], "cross_entropy")
    return float(np.mean(predict(x, params, activation=activation) == labels))


@dataclass(frozen=True)
class MLPTrainResult:
    """Outcome of `train_sgd`.

    Attributes
    ----------
    params : dict of str to ndarray
        The trained parameters.
    losses : ndarray of shape (epochs,)
        Mean training loss over the mini-batches of each epoch.
    """

    params: Params
    losses: np.ndarray


# --8<-- [start:sgd]
def _sgd_epochs(x, y, Ws, bs, *, activation, loss, learning_rate, epochs, batch_size, momentum, weight_decay, gen):  # type: ignore[no-untyped-def]
    n = x.shape[0]
    vWs = [np.zeros_like(W) for W in Ws]
    vbs = [np.zeros_like(b) for b in bs]
    losses = np.empty(epochs)
    for epoch in range(epochs):
        order = gen.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            xb, yb = x[batch], y[batch]  # gather one batch: small, cache-friendly copies
            cache = _forward(xb, Ws, bs, activation)
            value, d_out = _loss_and_output_grad(cache.output, yb, loss)
            d_out *= learning_rate  # backprop is linear in d_out: every gradient comes out times eta
            steps_W, steps_b = _backward(d_out, cache, Ws)
            for l in range(len(Ws)):
                if weight_decay:
                    steps_W[l] += (learning_rate * weight_decay) * Ws[l]  # L2 on the weights, not the biases
                if momentum:
                    vWs[l] *= momentum
                    vWs[l] -= steps_W[l]
                    vbs[l] *= momentum
                    vbs[l] -= steps_b[l]
                    Ws[l] += vWs[l]
                    bs[l] += vbs[l]
                else:
                    Ws[l] -= steps_W[l]
                    bs[l] -= steps_b[l]
            total += value * xb.shape[0]
        losses[epoch] = total / n
        if not np.isfinite(losses[epoch]):
            raise TrainingDivergedError(
                f"The training loss became {losses[epoch]} in epoch {epoch + 1} with "
                f"learning_rate={learning_rate}; SGD diverged. Try a smaller learning rate."
            )
    return losses
# --8<-- [end:sgd]


def train_sgd(
    x: np.ndarray,
    y: np.ndarray,
    *,
    layer_sizes: Any = None,
    params: Params | None = None,
    loss: str = "cross_entropy",
    activation: str = "relu",
    learning_rate: float,
    epochs: int,
    batch_size: int = 32,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    dtype: Any = None,
    rng: Any = None,
) -> MLPTrainResult:
    r"""Mini-batch stochastic gradient descent with optional momentum and weight decay.

    Each epoch shuffles the samples and visits them in batches of
    `batch_size` (the last batch may be smaller). With momentum $\mu$:
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
        Build a new network (needs `rng`); give either this or `params`.
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
        Arithmetic precision; defaults to the dtype of `params`, or float64.
    rng : None, int or numpy.random.Generator
        Initialisation (with `layer_sizes`) and the order of the samples.

    Returns
    -------
    MLPTrainResult

    Raises
    ------
    ValueError, TypeError
        For bad shapes, labels out of range, non-finite data or bad settings.
    TrainingDivergedError
        If the loss becomes NaN or infinite.
    """
    gen = make_rng(rng)
    if (layer_sizes is None) == (params is None):
        raise ValueError("Give exactly one of `layer_sizes` (a new network) and `params` (a starting point).")
    if params is None:
        params = init_mlp(layer_sizes, activation=activation, rng=gen, dtype=dtype or np.float64)
    Ws, bs = _layers(params)
    dt = _check_dtype(dtype or Ws[0].dtype)
    Ws = [W.astype(dt, copy=True) for W in Ws]
    bs = [b.astype(dt, copy=True) for b in bs]
    x = _check_inputs(x, Ws)
    target = _check_target(y, x.shape[0], Ws[-1].shape[1], loss)
    check_same_n_samples("x", x, "y", target)
    if loss == "mse":
        target = target.astype(dt, copy=False)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    momentum = check_nonnegative_float("momentum", momentum)
    if momentum >= 1:
        raise ValueError(f"`momentum` must be in [0, 1); got {momentum}.")
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below, not warned about
        losses = _sgd_epochs(
            x,
            target,
            Ws,
            bs,
            activation=get_activation(activation).name,
            loss=loss,
            learning_rate=dt.type(learning_rate),
            epochs=check_positive_int("epochs", epochs),
            batch_size=check_positive_int("batch_size", batch_size),
            momentum=dt.type(momentum),
            weight_decay=dt.type(check_nonnegative_float("weight_decay", weight_decay)),
            gen=gen,
        )
    return MLPTrainResult(params=_as_dict(Ws, bs), losses=losses)
