r"""Loss functions and their gradients with respect to the prediction."""

from __future__ import annotations

import numpy as np

from nnmem._checks import as_array

__all__ = ["mse_gradient", "mse_loss"]


def _pair(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y_true = as_array("y_true", y_true, ndim=2, shape_hint="(n_samples, n_outputs)")
    y_pred = as_array("y_pred", y_pred, ndim=2, shape_hint="(n_samples, n_outputs)")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"`y_true` and `y_pred` must have the same shape; got {y_true.shape} and {y_pred.shape}.")
    return y_true, y_pred


# --8<-- [start:mse]
def mse_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
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
        If the arrays are not 2-D, differ in shape, or hold NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> mse_loss(np.array([[1.0], [0.0]]), np.array([[0.5], [0.0]]))  # (0.25 + 0) / 2
    0.125
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))


def mse_gradient(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
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
        If the arrays are not 2-D, differ in shape, or hold NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> mse_gradient(np.array([[1.0], [0.0]]), np.array([[0.5], [0.0]]))  # 2/2 * (0.5 - 1)
    array([[-0.5],
           [ 0. ]])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return 2.0 * (y_pred - y_true) / y_true.size
# --8<-- [end:mse]
