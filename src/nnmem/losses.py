r"""Loss functions and their gradients: mean squared error and softmax cross-entropy.

These are the package's only softmax, log-softmax and cross-entropy; `nnmem.mlp`,
`nnmem.continual`, `nnmem.recurrent` and `nnmem.modern_hopfield` call them.

dtype policy: float32 input gives float32 arrays back; any other real input
(int, bool, float64) is computed in float64. Losses are returned as Python floats.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import as_array, check_labels

__all__ = ["log_softmax", "mse_gradient", "mse_loss", "softmax", "softmax_cross_entropy"]


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y_true = as_array("y_true", y_true, ndim=2, shape_hint="(n_samples, n_outputs)", dtype=None)
    y_pred = as_array("y_pred", y_pred, ndim=2, shape_hint="(n_samples, n_outputs)", dtype=None)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"`y_true` and `y_pred` must have the same shape; got {y_true.shape} and {y_pred.shape}.")
    return y_true, y_pred


# --8<-- [start:mse]
def mse_loss(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    # --8<-- [end:mse]
    r"""Mean squared error over all elements.

    $$L = \frac{1}{N m} \sum_{n=1}^{N} \sum_{k=1}^{m} (\hat y_{nk} - y_{nk})^2$$

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples, n_outputs)
        Targets $y$ and predictions $\hat y$.

    Returns
    -------
    float
        The mean of the squared differences.

    Raises
    ------
    ValueError
        If the arrays are not 2-D, are empty, differ in shape, or hold NaN or infinity.
    TypeError
        If an array is not real-valued (complex, strings, None).

    Examples
    --------
    >>> import numpy as np
    >>> mse_loss(np.array([[1.0], [0.0]]), np.array([[0.5], [0.0]]))  # (0.25 + 0) / 2
    0.125
    """
    # --8<-- [start:mse-body]
    y_true, y_pred = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):  # errors beyond the float range give inf, not a warning
        return float(np.mean((y_pred - y_true) ** 2))


def mse_gradient(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    # --8<-- [end:mse-body]
    r"""Gradient of `mse_loss` with respect to `y_pred`.

    $$\frac{\partial L}{\partial \hat y_{nk}} = \frac{2}{N m} (\hat y_{nk} - y_{nk})$$

    The sign matters: the gradient points from the target towards the
    prediction, so subtracting it moves the prediction towards the target.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples, n_outputs)
        Targets $y$ and predictions $\hat y$.

    Returns
    -------
    ndarray of shape (n_samples, n_outputs)
        $\partial L / \partial \hat y$.

    Raises
    ------
    ValueError
        If the arrays are not 2-D, are empty, differ in shape, or hold NaN or infinity.
    TypeError
        If an array is not real-valued (complex, strings, None).

    Examples
    --------
    >>> import numpy as np
    >>> mse_gradient(np.array([[1.0], [0.0]]), np.array([[0.5], [0.0]]))  # 2/2 * (0.5 - 1)
    array([[-0.5],
           [ 0. ]])
    """
    # --8<-- [start:mse-body-2]
    y_true, y_pred = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):  # errors beyond the float range give inf, not a warning
        diff: np.ndarray = y_pred - y_true
        return 2.0 * diff / y_true.size
# --8<-- [end:mse-body-2]


def _logits(z: ArrayLike, axis: Any) -> tuple[np.ndarray, int]:
    z = as_array("z", z, ndim=None, shape_hint="(..., n_classes)", dtype=None)
    if z.ndim == 0:
        raise ValueError(f"`z` must have at least one dimension, shape (..., n_classes); got shape {z.shape}.")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"`axis` must be an int; got {axis!r} of type {type(axis).__name__}.")
    axis = int(axis)
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"`axis` must be an axis of `z`, from {-z.ndim} to {z.ndim - 1}; got {axis}.")
    return z, axis


# --8<-- [start:softmax]
def softmax(z: ArrayLike, *, axis: int = -1) -> np.ndarray:
    # --8<-- [end:softmax]
    r"""Softmax along `axis`: $\operatorname{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$.

    Computed as $e^{z_k - \max_j z_j} / \sum_j e^{z_j - \max_j z_j}$ (the same
    value), so no exponent is positive and nothing overflows.

    Parameters
    ----------
    z : ndarray of shape (..., n_classes)
        Scores (logits); finite.
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape as `z`
        Non-negative, summing to 1 along `axis`.

    Raises
    ------
    ValueError
        For empty input, NaN or infinity, or an axis `z` does not have.
    TypeError
        For non-real input or a non-integer `axis`.

    Examples
    --------
    >>> softmax(np.array([0.0, np.log(3.0)]))  # e^0 : e^log 3 = 1 : 3
    array([0.25, 0.75])
    """
    # --8<-- [start:softmax-body]
    z, axis = _logits(z, axis)
    with np.errstate(over="ignore"):  # z - max may overflow to -inf, whose exponential is exactly 0
        e: np.ndarray = np.exp(z - z.max(axis=axis, keepdims=True))
    p: np.ndarray = e / e.sum(axis=axis, keepdims=True)
    return p


def log_softmax(z: ArrayLike, *, axis: int = -1) -> np.ndarray:
    # --8<-- [end:softmax-body]
    r"""Logarithm of `softmax`: $z_k - \log \sum_j e^{z_j}$, by the log-sum-exp trick.

    Parameters
    ----------
    z : ndarray of shape (..., n_classes)
        Scores (logits); finite.
    axis : int, default -1
        The axis that holds the classes.

    Returns
    -------
    ndarray, same shape as `z`
        At most 0; finite even where `softmax` underflows to 0.

    Raises
    ------
    ValueError
        For empty input, NaN or infinity, or an axis `z` does not have.
    TypeError
        For non-real input or a non-integer `axis`.

    Examples
    --------
    >>> log_softmax(np.array([1000.0, 0.0]))  # softmax would give exactly [1, 0]
    array([    0., -1000.])
    """
    # --8<-- [start:softmax-body-2]
    z, axis = _logits(z, axis)
    with np.errstate(over="ignore"):  # z - max may overflow to -inf, the right log-probability to float precision
        shifted: np.ndarray = z - z.max(axis=axis, keepdims=True)  # log-sum-exp trick: every exponent <= 0
    log_p: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return log_p


# --8<-- [end:softmax-body-2]


# --8<-- [start:cross_entropy]
def softmax_cross_entropy(logits: ArrayLike, labels: ArrayLike) -> tuple[float, np.ndarray]:
    # --8<-- [end:cross_entropy]
    r"""Softmax cross-entropy averaged over samples, and its gradient with respect to the logits.

    $$L = -\frac{1}{N} \sum_{n=1}^{N} \log \operatorname{softmax}(z_n)_{y_n}, \qquad
    \frac{\partial L}{\partial z_{nk}} = \frac{1}{N}\big(\operatorname{softmax}(z_n)_k - [k = y_n]\big).$$

    Parameters
    ----------
    logits : ndarray of shape (n_samples, n_classes)
        Scores $z$, one row per sample.
    labels : ndarray of shape (n_samples,)
        The true classes $y_n$, integers in ``[0, n_classes - 1]``.

    Returns
    -------
    loss : float
        $L$.
    d_logits : ndarray of shape (n_samples, n_classes)
        $\partial L / \partial z$ (float32 for float32 logits).

    Raises
    ------
    ValueError
        For bad shapes, empty input, NaN or infinity, or labels out of range.
    TypeError
        For non-real input.

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
    >>> round(loss, 6), grad  # -log(1/2) = 0.693147; (1/2 - [0 = 1], 1/2 - [1 = 1])
    (0.693147, array([[ 0.5, -0.5]]))
    """
    # --8<-- [start:cross_entropy-body]
    logits = as_array("logits", logits, ndim=2, shape_hint="(n_samples, n_classes)", dtype=None)
    labels = check_labels("labels", labels, n_samples=logits.shape[0], n_classes=logits.shape[1])
    n, rows = logits.shape[0], np.arange(logits.shape[0])
    with np.errstate(over="ignore"):  # a gap beyond the float range gives -inf, and the loss inf
        shifted = logits - logits.max(axis=1, keepdims=True)  # log-sum-exp trick: exponents <= 0
    p = np.exp(shifted)
    total = p.sum(axis=1, keepdims=True)
    loss = float((np.log(total[:, 0]) - shifted[rows, labels]).sum()) / n  # mean of -log softmax(true class)
    p /= total  # softmax probabilities
    p[rows, labels] -= 1  # softmax - onehot: the fused gradient
    p /= n
    return loss, p
# --8<-- [end:cross_entropy-body]
