r"""Recurrent networks (a tanh RNN and an LSTM) with backpropagation through time.

Sequences are batch-first: ``x`` has shape ``(n_samples, T, n_in)`` and
holds the inputs $x_1, \dots, x_T$. The hidden state starts at $h_0 = 0$
(and the LSTM's cell at $c_0 = 0$); the class scores are read from the last
hidden state, $y = h_T W_{hy} + b_y$, and trained with softmax cross-entropy
against integer labels of shape ``(n_samples,)``.

Vanilla RNN (keys ``W_xh (n_in, H), W_hh (H, H), b_h (H,), W_hy (H, K), b_y (K,)``):

$$h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b_h).$$

LSTM (keys ``W_x (n_in, 4H), W_h (H, 4H), b (4H,), W_hy, b_y``; the four
column blocks are the input gate, forget gate, output gate and candidate):

$$[\tilde\imath_t, \tilde f_t, \tilde o_t, \tilde g_t] = x_t W_x + h_{t-1} W_h + b,$$

$$i_t = \sigma(\tilde\imath_t),\; f_t = \sigma(\tilde f_t),\; o_t = \sigma(\tilde o_t),\; g_t = \tanh(\tilde g_t),$$

$$c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t).$$

The cell type is read from the keys of ``params``. Both backward passes are
written out by hand and checked against central differences in the tests.

Initialisation (`init_params`): input weights Glorot-normal,
$\operatorname{Var} w = 2/(n_\text{in} + H)$ (Glorot & Bengio 2010);
recurrent weights random orthogonal (every singular value 1; Saxe, McClelland
& Ganguli 2014), one $H \times H$ block per LSTM gate; readout Glorot-normal;
biases zero except the LSTM forget gate, whose bias starts at 1 so that
$f \approx 0.73$ and the cell keeps most of its content from the start
(Gers, Schmidhuber & Cummins 2000; Jozefowicz, Zaremba & Sutskever 2015).

dtype: the arithmetic runs in the dtype of ``params``: float32 when every
parameter is float32 (``x`` is then converted to float32, and `train`
returns float32 parameters), float64 otherwise. Inputs are checked by name
(``x``, ``labels``, ``params['W_hh']``, ...); complex or non-numeric values,
NaN, infinity and empty arrays are refused.

References
----------
Hochreiter, S., & Schmidhuber, J. (1997). Long short-term memory.
*Neural Computation*, 9(8), 1735-1780.

Gers, F. A., Schmidhuber, J., & Cummins, F. (2000). Learning to forget:
Continual prediction with LSTM. *Neural Computation*, 12(10), 2451-2471.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import (
    DivergenceGuard,
    Seed,
    as_array,
    check_array_dict,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_real,
    make_rng,
)
from nnmem.activations import get_activation
from nnmem.losses import softmax_cross_entropy
from nnmem.optim import adam_init, adam_step, momentum_init, sgd_step

__all__ = [
    "CELLS",
    "RecurrentCache",
    "RecurrentTrainResult",
    "accuracy",
    "cell_type",
    "clip_by_global_norm",
    "delayed_recall",
    "forward",
    "hidden_gradient_norms",
    "init_params",
    "loss_and_gradients",
    "predict",
    "train",
]

Params = dict[str, np.ndarray]
sigmoid = get_activation("sigmoid").function  # the package's one logistic function (unchecked: inputs are checked here)
CELLS = ("rnn", "lstm")
_KEYS = {"rnn": ("W_xh", "W_hh", "b_h", "W_hy", "b_y"), "lstm": ("W_x", "W_h", "b", "W_hy", "b_y")}


# ---------------------------------------------------------------- parameters
def _orthogonal(n: int, gen: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(gen.normal(size=(n, n)))
    return q * np.sign(np.diag(r))  # sign fix: uniformly distributed over the orthogonal group


def init_params(
    n_in: int, n_hidden: int, n_out: int, *, cell: str = "lstm", forget_bias: float = 1.0, rng: Seed = None
) -> Params:
    r"""Random initial parameters of a tanh RNN or an LSTM with a linear readout.

    Parameters
    ----------
    n_in : int
        Input size per time step.
    n_hidden : int
        Hidden size $H$.
    n_out : int
        Number of classes $K$.
    cell : {"lstm", "rnn"}, default "lstm"
    forget_bias : float, default 1.0
        Initial bias of the LSTM forget gate; an RNN has no gates, so for
        ``"rnn"`` it must stay at its default.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    dict of str to ndarray
        RNN: ``W_xh, W_hh, b_h, W_hy, b_y``; LSTM: ``W_x, W_h, b, W_hy, b_y``
        (gate blocks in the order input, forget, output, candidate).

    Examples
    --------
    >>> p = init_params(3, 4, 2, cell="lstm", rng=0)
    >>> p["W_x"].shape, p["W_h"].shape, p["b"][4:8]  # forget-gate block of the bias
    ((3, 16), (4, 16), array([1., 1., 1., 1.]))
    >>> p = init_params(3, 4, 2, cell="rnn", rng=0)
    >>> np.allclose(p["W_hh"] @ p["W_hh"].T, np.eye(4))  # orthogonal
    True
    """
    n_in, n_hidden, n_out = (
        check_positive_int(k, v) for k, v in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out))
    )
    if not isinstance(cell, str):
        raise TypeError(f"`cell` must be one of {CELLS}; got {cell!r} of type {type(cell).__name__}.")
    if cell not in CELLS:
        raise ValueError(f"`cell` must be one of {CELLS}; got {cell!r}.")
    forget_bias = check_real("forget_bias", forget_bias)
    if cell == "rnn" and forget_bias != 1.0:
        raise ValueError(f"`forget_bias` applies to the LSTM only; got {forget_bias} with cell='rnn'.")
    gen = make_rng(rng)
    n_gates = 4 if cell == "lstm" else 1
    W_x = gen.normal(0.0, np.sqrt(2.0 / (n_in + n_hidden)), size=(n_in, n_gates * n_hidden))
    W_h = np.concatenate([_orthogonal(n_hidden, gen) for _ in range(n_gates)], axis=1)
    b = np.zeros(n_gates * n_hidden)
    W_hy = gen.normal(0.0, np.sqrt(2.0 / (n_hidden + n_out)), size=(n_hidden, n_out))
    b_y = np.zeros(n_out)
    if cell == "rnn":
        return {"W_xh": W_x, "W_hh": W_h, "b_h": b, "W_hy": W_hy, "b_y": b_y}
    b[n_hidden : 2 * n_hidden] = forget_bias
    return {"W_x": W_x, "W_h": W_h, "b": b, "W_hy": W_hy, "b_y": b_y}


def cell_type(params: Any) -> str:
    """``"rnn"`` or ``"lstm"``, read from the keys of `params`, after checking every shape.

    Parameters
    ----------
    params : dict of str to ndarray
        As from `init_params`.

    Returns
    -------
    str

    Examples
    --------
    >>> cell_type(init_params(2, 3, 2, cell="rnn", rng=0))
    'rnn'
    """
    if not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict of str to ndarray; got {type(params).__name__}.")
    keys = set(params)
    cell = next((c for c, k in _KEYS.items() if keys == set(k)), None)
    if cell is None:
        raise ValueError(
            f"`params` must have the keys {sorted(_KEYS['rnn'])} (RNN) or {sorted(_KEYS['lstm'])} (LSTM); "
            f"got {sorted(keys, key=str)}."
        )
    checked = check_array_dict("params", params)
    W_x, W_h, b, W_hy, b_y = (checked[k] for k in _KEYS[cell])
    n_gates = 4 if cell == "lstm" else 1
    if W_hy.ndim != 2:
        raise ValueError(f"`params['W_hy']` must have shape (n_hidden, n_out); got {W_hy.shape}.")
    H = W_hy.shape[0]
    expected = {
        _KEYS[cell][0]: (f"(n_in, {n_gates * H})", W_x.ndim == 2 and W_x.shape[1] == n_gates * H),
        _KEYS[cell][1]: (f"({H}, {n_gates * H})", W_h.shape == (H, n_gates * H)),
        _KEYS[cell][2]: (f"({n_gates * H},)", b.shape == (n_gates * H,)),
        "b_y": (f"({W_hy.shape[-1]},)", b_y.shape == (W_hy.shape[-1],)),
    }
    for name, (shape, ok) in expected.items():
        if not ok:
            raise ValueError(f"`params[{name!r}]` must have shape {shape}; got {checked[name].shape}.")
    return cell


# ---------------------------------------------------------------- forward / backward
@dataclass(frozen=True)
class RecurrentCache:
    """What the forward pass keeps for backpropagation through time (time-major arrays).

    Attributes
    ----------
    cell : str
        ``"rnn"`` or ``"lstm"``.
    x : ndarray of shape (T, n_samples, n_in)
        The inputs, time-major.
    h : ndarray of shape (T + 1, n_samples, H)
        Hidden states $h_0 = 0, h_1, \\dots, h_T$.
    c : ndarray of shape (T + 1, n_samples, H) or None
        LSTM cell states $c_0 = 0, \\dots, c_T$.
    gates : ndarray of shape (T, n_samples, 4H) or None
        LSTM $[i_t, f_t, o_t, g_t]$ after their nonlinearities.
    logits : ndarray of shape (n_samples, K)
        $y = h_T W_{hy} + b_y$.
    """

    cell: str
    x: np.ndarray
    h: np.ndarray
    c: np.ndarray | None
    gates: np.ndarray | None
    logits: np.ndarray


# --8<-- [start:rnn-forward]
def _rnn_forward(xs: np.ndarray, p: Params) -> RecurrentCache:
    T, n, _ = xs.shape
    H = p["W_hh"].shape[0]
    h = np.zeros((T + 1, n, H), dtype=xs.dtype)  # h[0] = 0; preallocated, filled step by step
    a = xs @ p["W_xh"] + p["b_h"]  # input part of every step in one matrix product, (T, n, H)
    for t in range(T):
        a[t] += h[t] @ p["W_hh"]
        np.tanh(a[t], out=h[t + 1])  # h_{t+1} = tanh(x_{t+1} W_xh + h_t W_hh + b_h)
    logits = h[T] @ p["W_hy"] + p["b_y"]
    return RecurrentCache("rnn", xs, h, None, None, logits)
# --8<-- [end:rnn-forward]


# --8<-- [start:rnn-backward]
def _rnn_backward(d_logits: np.ndarray, cache: RecurrentCache, p: Params) -> tuple[Params, np.ndarray]:
    xs, h = cache.x, cache.h
    T = xs.shape[0]
    grads = {"W_hy": h[T].T @ d_logits, "b_y": d_logits.sum(axis=0)}
    dh = d_logits @ p["W_hy"].T  # dL/dh_T
    da = np.empty_like(h[1:])  # dL/da_t for every step, (T, n, H)
    dh_norms = np.empty(T + 1)
    for t in range(T, 0, -1):
        dh_norms[t] = np.linalg.norm(dh, axis=1).mean()
        da[t - 1] = dh * (1.0 - h[t] ** 2)  # through tanh: diag(1 - h_t^2)
        dh = da[t - 1] @ p["W_hh"].T  # to h_{t-1}: one factor of the Jacobian product
    dh_norms[0] = np.linalg.norm(dh, axis=1).mean()
    H = h.shape[2]
    grads["W_xh"] = xs.reshape(-1, xs.shape[2]).T @ da.reshape(-1, H)  # sum over steps and samples
    grads["W_hh"] = h[:-1].reshape(-1, H).T @ da.reshape(-1, H)
    grads["b_h"] = da.sum(axis=(0, 1))
    return grads, dh_norms
# --8<-- [end:rnn-backward]


# --8<-- [start:lstm-forward]
def _lstm_forward(xs: np.ndarray, p: Params) -> RecurrentCache:
    T, n, _ = xs.shape
    H = p["W_h"].shape[0]
    h = np.zeros((T + 1, n, H), dtype=xs.dtype)
    c = np.zeros((T + 1, n, H), dtype=xs.dtype)
    z = xs @ p["W_x"] + p["b"]  # input part of all four gates at every step, (T, n, 4H)
    for t in range(T):
        z[t] += h[t] @ p["W_h"]
        gate = z[t]  # overwritten in place by the activated gates, kept for the backward pass
        gate[:, : 3 * H] = sigmoid(gate[:, : 3 * H])  # i, f, o
        np.tanh(gate[:, 3 * H :], out=gate[:, 3 * H :])  # candidate g
        i, f, o, g = gate[:, :H], gate[:, H : 2 * H], gate[:, 2 * H : 3 * H], gate[:, 3 * H :]
        c[t + 1] = f * c[t] + i * g  # the cell: forget a little, write a little
        h[t + 1] = o * np.tanh(c[t + 1])  # the output gate decides what the rest of the network sees
    logits = h[T] @ p["W_hy"] + p["b_y"]
    return RecurrentCache("lstm", xs, h, c, z, logits)
# --8<-- [end:lstm-forward]


# --8<-- [start:lstm-backward]
def _lstm_backward(d_logits: np.ndarray, cache: RecurrentCache, p: Params) -> tuple[Params, np.ndarray]:
    xs, h, c, gates = cache.x, cache.h, cache.c, cache.gates
    assert c is not None and gates is not None  # an LSTM cache always has them
    T, H = xs.shape[0], h.shape[2]
    grads = {"W_hy": h[T].T @ d_logits, "b_y": d_logits.sum(axis=0)}
    dh = d_logits @ p["W_hy"].T  # dL/dh_T
    dc = np.zeros_like(dh)  # dL/dc_T from later steps: none
    dz = np.empty_like(gates)  # dL/d(pre-activations) of the four gates, (T, n, 4H)
    dh_norms = np.empty(T + 1)
    for t in range(T, 0, -1):
        dh_norms[t] = np.linalg.norm(dh, axis=1).mean()
        gate = gates[t - 1]
        i, f, o, g = gate[:, :H], gate[:, H : 2 * H], gate[:, 2 * H : 3 * H], gate[:, 3 * H :]
        tc = np.tanh(c[t])
        dc = dc + dh * o * (1.0 - tc**2)  # h_t = o_t tanh(c_t)
        d = dz[t - 1]
        d[:, :H] = dc * g * i * (1.0 - i)  # input gate
        d[:, H : 2 * H] = dc * c[t - 1] * f * (1.0 - f)  # forget gate
        d[:, 2 * H : 3 * H] = dh * tc * o * (1.0 - o)  # output gate
        d[:, 3 * H :] = dc * i * (1.0 - g**2)  # candidate
        dc = dc * f  # the constant error carousel: dc_{t-1} = f_t dc_t (+ what arrives via h_{t-1})
        dh = d @ p["W_h"].T
    dh_norms[0] = np.linalg.norm(dh, axis=1).mean()
    grads["W_x"] = xs.reshape(-1, xs.shape[2]).T @ dz.reshape(-1, 4 * H)
    grads["W_h"] = h[:-1].reshape(-1, H).T @ dz.reshape(-1, 4 * H)
    grads["b"] = dz.sum(axis=(0, 1))
    return grads, dh_norms
# --8<-- [end:lstm-backward]


_FORWARD = {"rnn": _rnn_forward, "lstm": _lstm_forward}
_BACKWARD = {"rnn": _rnn_backward, "lstm": _lstm_backward}


def _check_x(x: ArrayLike, params: Params, cell: str) -> np.ndarray:
    n_in = params[_KEYS[cell][0]].shape[0]
    dtype = params["W_hy"].dtype
    x = as_array("x", x, ndim=3, shape_hint=f"(n_samples, T, {n_in})", dtype=dtype, allow_empty=True)
    if x.shape[2] != n_in:
        raise ValueError(f"`x` must have shape (n_samples, T, {n_in}) to match the input weights; got {x.shape}.")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"`x` must hold at least one sample and one time step; got shape {x.shape}.")
    _check_bounded(x, params, cell)
    return x.transpose(1, 0, 2).copy()  # time-major: x[t] is one contiguous step (and never a view of x)


def _check_bounded(x: np.ndarray, params: Params, cell: str) -> None:
    """Refuse `x` and `params` whose pre-activations or logits could overflow.

    Both cells keep |h| <= 1, so |x W_x + h W_h + b| is at most
    max|x| * max_j sum_i |W_x[i, j]| + max_j sum_i |W_h[i, j]| + max|b|, and
    |h W_hy + b_y| at most max_j sum_i |W_hy[i, j]| + max|b_y|. An overflowing
    product is not reliably NaN (the BLAS may return an infinity of either
    sign, which the gates then saturate silently), so it is refused up front.
    """
    w_x, w_h, b, w_hy, b_y = (params[k] for k in _KEYS[cell])
    with np.errstate(over="ignore"):
        col = [float(np.abs(w).sum(axis=0, dtype=np.float64).max()) for w in (w_x, w_h, w_hy)]
        big = [float(np.abs(a).max(initial=0.0)) for a in (x, b, b_y)]
        bounds = (big[0] * col[0] + col[1] + big[1], col[2] + big[2])
    if not max(bounds) < float(np.finfo(x.dtype).max):
        raise _overflow_error()


def _check_labels(labels: ArrayLike, n_samples: int, n_out: int) -> np.ndarray:
    return check_labels("labels", labels, n_samples=n_samples, n_classes=n_out)


def _working_params(params: Params) -> Params:
    """The checked parameters in one dtype: float32 if every one is float32, else float64."""
    checked = check_array_dict("params", params)
    dtype = np.float32 if all(v.dtype == np.float32 for v in checked.values()) else np.float64
    return {k: v.astype(dtype, copy=False) for k, v in checked.items()}


def forward(x: ArrayLike, params: Params) -> tuple[np.ndarray, RecurrentCache]:
    """Run a batch of sequences through the network.

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
        Input sequences, batch-first.
    params : dict of str to ndarray
        RNN or LSTM parameters from `init_params`.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_out)
        Class scores read from the last hidden state.
    cache : RecurrentCache
        The states of every step, time-major.

    Examples
    --------
    >>> p = init_params(2, 5, 3, cell="rnn", rng=0)
    >>> logits, cache = forward(np.zeros((4, 7, 2)), p)
    >>> logits.shape, cache.h.shape
    ((4, 3), (8, 4, 5))
    """
    cell = cell_type(params)
    p = _working_params(params)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = _FORWARD[cell](_check_x(x, p, cell), p)
    _check_no_overflow(cache.logits)
    return cache.logits, cache


def _overflow_error() -> ValueError:
    return ValueError(
        "`x` and `params` are finite but the computation overflowed the range of floating point numbers; "
        "rescale them."
    )


def _check_no_overflow(*arrays: np.ndarray) -> None:
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise _overflow_error()


def _loss_grads_norms(xs: np.ndarray, labels: np.ndarray, p: Params, cell: str) -> tuple[float, Params, np.ndarray]:
    with np.errstate(over="ignore", invalid="ignore"):
        cache = _FORWARD[cell](xs, p)
    _check_no_overflow(cache.logits)
    value, d_logits = softmax_cross_entropy(cache.logits, labels)
    with np.errstate(over="ignore", invalid="ignore"):
        grads, dh_norms = _BACKWARD[cell](d_logits, cache, p)
    return value, {k: grads[k] for k in p}, dh_norms


def loss_and_gradients(x: ArrayLike, labels: ArrayLike, params: Params) -> tuple[float, Params]:
    r"""Mean softmax cross-entropy on a batch and its exact gradient by backpropagation through time.

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
    labels : ndarray of int, shape (n_samples,)
        Classes in $[0, K-1]$.
    params : dict of str to ndarray
        RNN or LSTM parameters.

    Returns
    -------
    loss : float
    grads : dict of str to ndarray
        Same keys and shapes as `params`.

    Examples
    --------
    >>> p = init_params(1, 3, 2, cell="lstm", rng=0)
    >>> loss, g = loss_and_gradients(np.ones((2, 4, 1)), np.array([0, 1]), p)
    >>> sorted(g) == sorted(p) and g["W_h"].shape == p["W_h"].shape
    True
    """
    cell = cell_type(params)
    p = _working_params(params)
    xs = _check_x(x, p, cell)
    value, grads, _ = _loss_grads_norms(xs, _check_labels(labels, xs.shape[1], p["b_y"].shape[0]), p, cell)
    _check_no_overflow(*grads.values())
    return value, grads


def hidden_gradient_norms(x: ArrayLike, labels: ArrayLike, params: Params) -> np.ndarray:
    r"""Size of $\partial L / \partial h_t$ for $t = 0, \dots, T$: how much error reaches each step.

    The value at $t$ is the mean over the samples of
    $\lVert \partial L_n / \partial h_t \rVert$, where $L_n$ is sample
    $n$'s share of the batch loss; $h_0$ is treated as an input. For the RNN

    $$\frac{\partial L}{\partial h_{t-1}} =
    \frac{\partial L}{\partial h_t}\,\operatorname{diag}(1 - h_t^2)\, W_{hh}^\top,$$

    so the ratio ``norms[0] / norms[T]`` is the size of a product of $T$ such
    factors. For the LSTM the gradient also travels through the cell
    ($\partial L/\partial c_{t-1} \ni f_t \odot \partial L/\partial c_t$).

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
    labels : ndarray of int, shape (n_samples,)
    params : dict of str to ndarray

    Returns
    -------
    ndarray of shape (T + 1,)

    Examples
    --------
    >>> x, y = delayed_recall(8, delay=9, rng=0)
    >>> hidden_gradient_norms(x, y, init_params(x.shape[2], 4, 2, cell="rnn", rng=0)).shape
    (11,)
    """
    cell = cell_type(params)
    p = _working_params(params)
    xs = _check_x(x, p, cell)
    norms = _loss_grads_norms(xs, _check_labels(labels, xs.shape[1], p["b_y"].shape[0]), p, cell)[2]
    _check_no_overflow(norms)
    return norms


def predict(x: ArrayLike, params: Params) -> np.ndarray:
    """The most probable class of every sequence, shape (n_samples,).

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
    params : dict of str to ndarray
    """
    logits, _ = forward(x, params)
    labels: np.ndarray = np.argmax(logits, axis=1).astype(np.int64)
    return labels


def accuracy(x: ArrayLike, labels: ArrayLike, params: Params) -> float:
    """Fraction of sequences whose predicted class equals `labels`.

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
    labels : ndarray of int, shape (n_samples,)
    params : dict of str to ndarray
    """
    logits, _ = forward(x, params)
    labels = _check_labels(labels, logits.shape[0], logits.shape[1])
    return float(np.mean(np.argmax(logits, axis=1) == labels))


# ---------------------------------------------------------------- clipping and training
# --8<-- [start:clip]
def _global_norm(grads: Params) -> float:
    with np.errstate(over="ignore"):  # an overflowing norm is reported by the caller
        return math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values()))


def clip_by_global_norm(grads: Params, max_norm: float) -> tuple[Params, float]:
    # --8<-- [end:clip]
    r"""Rescale all gradients together so that their joint norm is at most `max_norm`.

    With $\lVert g \rVert = \sqrt{\sum_k \lVert g_k \rVert^2}$ over every array,
    each $g_k$ becomes $g_k \cdot \min(1, \text{max\_norm} / \lVert g \rVert)$:
    the direction is kept, only the length is capped (Pascanu, Mikolov & Bengio 2013).

    Parameters
    ----------
    grads : dict of str to ndarray
        Gradients; not modified.
    max_norm : float
        Largest allowed global norm, $> 0$.

    Returns
    -------
    clipped : dict of str to ndarray
    norm : float
        The global norm before clipping.

    Examples
    --------
    >>> clipped, norm = clip_by_global_norm({"a": np.array([3.0]), "b": np.array([4.0])}, 1.0)
    >>> norm, clipped["a"], clipped["b"]  # norm 5 -> scaled by 1/5
    (5.0, array([0.6]), array([0.8]))
    """
    # --8<-- [start:clip-body]
    grads = check_array_dict("grads", grads)
    max_norm = check_positive_float("max_norm", max_norm)
    norm = _global_norm(grads)
    if not np.isfinite(norm):  # finite entries whose squares overflow
        raise ValueError(f"`grads` must have a finite global norm; got {norm}.")
    scale = max_norm / max(norm, max_norm)  # min(1, max_norm / norm), and 1 for zero gradients
    return {k: g * g.dtype.type(scale) for k, g in grads.items()}, norm
# --8<-- [end:clip-body]


@dataclass(frozen=True)
class RecurrentTrainResult:
    """Outcome of `train`.

    Attributes
    ----------
    params : dict of str to ndarray
        The trained parameters.
    losses : ndarray of shape (steps,)
        ``losses[k]`` is the loss of the mini-batch of step ``k + 1``, measured
        in its forward pass, before its update.
    accuracies : ndarray of shape (steps,)
        Mini-batch accuracy before each update.
    grad_norms : ndarray of shape (steps,)
        Global gradient norm before clipping.
    """

    params: Params
    losses: np.ndarray
    accuracies: np.ndarray
    grad_norms: np.ndarray


def train(
    x: ArrayLike,
    labels: ArrayLike,
    *,
    params: Params,
    steps: int,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    optimizer: str = "adam",
    momentum: float = 0.9,
    max_norm: float | None = 1.0,
    rng: Seed = None,
) -> RecurrentTrainResult:
    r"""Train an RNN or LSTM by mini-batch gradient descent with BPTT and gradient clipping.

    Every step draws `batch_size` sequences (the next slice of a random
    permutation, reshuffled after each pass over the data), computes the loss
    and gradient, clips the gradient to global norm `max_norm` and takes one
    step of Adam or of SGD with momentum (`nnmem.optim`).

    Parameters
    ----------
    x : ndarray of shape (n_samples, T, n_in)
        Training sequences.
    labels : ndarray of int, shape (n_samples,)
    params : dict of str to ndarray
        Starting point (from `init_params`); not modified.
    steps : int
        Number of parameter updates, one mini-batch each.
    batch_size : int, default 32
        At most `n_samples`.
    learning_rate : float, default 0.01
    optimizer : {"adam", "sgd"}, default "adam"
        ``"sgd"`` is SGD with momentum `momentum`.
    momentum : float, default 0.9
        Used by ``"sgd"`` only; in $[0, 1)$.
    max_norm : float or None, default 1.0
        Global-norm clipping threshold; None switches clipping off.
    rng : None, int or numpy.random.Generator
        Order of the mini-batches.

    Returns
    -------
    RecurrentTrainResult

    Raises
    ------
    TrainingDivergedError
        If a mini-batch loss, the gradient or the parameters stop being
        finite, or the loss exceeds 100 times the first mini-batch's loss,
        or rises above 3 times it and the last tenth of the steps ends above
        half of it on average (the package's divergence rules,
        `nnmem._checks`). The message names `learning_rate` and, when
        clipping is off, suggests `max_norm`.

    Examples
    --------
    >>> x, y = delayed_recall(64, delay=3, rng=0)
    >>> res = train(x, y, params=init_params(x.shape[2], 8, 2, rng=0), steps=5, rng=0)
    >>> res.losses.shape, res.accuracies.shape
    ((5,), (5,))
    """
    cell = cell_type(params)
    p = _working_params(params)
    xs = _check_x(x, p, cell)
    n = xs.shape[1]
    labels = _check_labels(labels, n, p["b_y"].shape[0])
    steps = check_positive_int("steps", steps)
    batch_size = check_positive_int("batch_size", batch_size)
    if batch_size > n:
        raise ValueError(f"`batch_size` must be at most the number of samples ({n}); got {batch_size}.")
    learning_rate = check_positive_float("learning_rate", learning_rate)
    if not isinstance(optimizer, str) or optimizer not in ("adam", "sgd"):
        raise ValueError(f"`optimizer` must be 'adam' or 'sgd'; got {optimizer!r}.")
    momentum = check_nonnegative_float("momentum", momentum)
    if momentum >= 1.0:
        raise ValueError(f"`momentum` must be in [0, 1); got {momentum}.")
    if max_norm is not None:
        max_norm = check_positive_float("max_norm", max_norm)
    gen = make_rng(rng)
    hint = "try a smaller learning_rate" + ("" if max_norm is not None else ", or clip gradients with max_norm")
    guard = DivergenceGuard("learning_rate", hint, value=learning_rate, unit="step")
    state: Any = adam_init(p) if optimizer == "adam" else momentum_init(p)
    losses, accs, norms = np.empty(steps), np.empty(steps), np.empty(steps)
    order, pos = gen.permutation(n), 0
    for step in range(1, steps + 1):
        if pos + batch_size > n:
            order, pos = gen.permutation(n), 0
        idx = order[pos : pos + batch_size]
        pos += batch_size
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught by the guard below
            cache = _FORWARD[cell](xs[:, idx], p)
            if not np.all(np.isfinite(cache.logits)):
                guard.check(math.inf, epoch=step)
            value, d_logits = softmax_cross_entropy(cache.logits, labels[idx])
            guard.check(value, epoch=step)
            grads, _ = _BACKWARD[cell](d_logits, cache, p)
            norm = _global_norm(grads)
        if not math.isfinite(norm):  # a NaN or infinite gradient, or one whose norm overflows
            guard.check(math.inf, epoch=step)
        losses[step - 1] = value
        accs[step - 1] = np.mean(np.argmax(cache.logits, axis=1) == labels[idx])
        norms[step - 1] = norm
        if max_norm is not None:
            grads, _ = clip_by_global_norm(grads, max_norm)
        with np.errstate(over="ignore", invalid="ignore"):  # both steps raise if the new parameters overflow
            if optimizer == "adam":
                p, state = adam_step(p, grads, state, learning_rate=learning_rate)
            else:
                p, state = sgd_step(p, grads, state, learning_rate=learning_rate, momentum=momentum)
    guard.check_curve(losses)  # a surge that never recovered
    return RecurrentTrainResult(p, losses, accs, norms)


# ---------------------------------------------------------------- the task
def delayed_recall(
    n_samples: int, *, delay: int, n_distractors: int = 4, noise: float = 1.0, rng: Seed = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""A bit shown once, then `delay` steps of distractors; the label is the bit.

    Channel 0 is the signal: $\pm 1$ at the first step (the bit), 0 afterwards.
    Channels $1, \dots,$ `n_distractors` carry Gaussian noise of standard
    deviation `noise` at every step, including the first. A network that reads
    its answer from $h_T$ after the last step must hold the bit for `delay` steps.

    Parameters
    ----------
    n_samples : int
    delay : int
        Steps after the cue, $\ge 1$; sequences have $T = $ `delay` $+ 1$ steps.
    n_distractors : int, default 4
        Number of noise channels, $\ge 0$.
    noise : float, default 1.0
        Standard deviation of the distractors, $\ge 0$.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    x : ndarray of shape (n_samples, delay + 1, 1 + n_distractors)
    labels : ndarray of int, shape (n_samples,)
        0 for a cue of $-1$, 1 for $+1$.

    Examples
    --------
    >>> x, y = delayed_recall(3, delay=5, n_distractors=2, rng=0)
    >>> x.shape, bool(np.all(x[:, 1:, 0] == 0)), bool(np.all(x[:, 0, 0] == 2 * y - 1))
    ((3, 6, 3), True, True)
    """
    n_samples = check_positive_int("n_samples", n_samples)
    delay = check_positive_int("delay", delay)
    if isinstance(n_distractors, (bool, np.bool_)) or not isinstance(n_distractors, (int, np.integer)):
        raise TypeError(f"`n_distractors` must be an integer >= 0; got {n_distractors!r}.")
    if n_distractors < 0:
        raise ValueError(f"`n_distractors` must be an integer >= 0; got {n_distractors!r}.")
    noise = check_nonnegative_float("noise", noise)
    gen = make_rng(rng)
    labels = gen.integers(0, 2, size=n_samples)
    x = np.zeros((n_samples, delay + 1, 1 + int(n_distractors)))
    x[:, 0, 0] = 2.0 * labels - 1.0
    if n_distractors:
        x[:, :, 1:] = noise * gen.normal(size=(n_samples, delay + 1, int(n_distractors)))
    return x, labels.astype(np.int64)
