r"""Numerical gradients by central differences, to check backpropagation.

For a scalar function $L(\theta)$ the central difference

$$\frac{\partial L}{\partial \theta_k} \approx
\frac{L(\theta + \varepsilon e_k) - L(\theta - \varepsilon e_k)}{2 \varepsilon}$$

has an error of order $\varepsilon^2$ (against $\varepsilon$ for a one-sided
difference), so with $\varepsilon = 10^{-6}$ in float64 an exact gradient and
its estimate typically agree to about $10^{-9}$ in relative terms.

Parameter dicts are checked key by key (the key is named in any error) and
evaluated in float64; `loss` must return a finite real number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import as_array, check_array_dict, check_positive_float

__all__ = ["check_gradients", "numerical_gradient", "relative_error"]

Params = dict[str, np.ndarray]


def _check_loss(loss: Any) -> Callable[[Params], float]:
    if not callable(loss):
        raise TypeError(
            "`loss` must be a function of a parameter dict returning a float; "
            f"got {loss!r} of type {type(loss).__name__}."
        )
    return loss  # type: ignore[no-any-return]


def _loss_value(loss: Callable[[Params], float], params: Params, name: str, k: int) -> float:
    value = loss(params)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"`loss` must return a real number; got {value!r} of type {type(value).__name__}.") from None
    if not np.isfinite(number):
        raise ValueError(f"`loss` must return a finite number; got {number} with `params[{name!r}]` entry {k} nudged.")
    return number


# --8<-- [start:numerical]
def numerical_gradient(
    loss: Callable[[Params], float], params: Params, *, eps: float = 1e-6
) -> Params:
    # --8<-- [end:numerical]
    r"""Central-difference estimate of $\partial L / \partial \theta$ for every parameter.

    Parameters
    ----------
    loss : callable
        Maps a parameter dict to a float. It is called $2P$ times for $P$
        scalar parameters, each time with one entry nudged by $\pm\varepsilon$.
    params : dict of str to ndarray
        Where to evaluate the gradient; not modified.
    eps : float, default 1e-6
        Step $\varepsilon > 0$.

    Returns
    -------
    dict of str to ndarray
        Same keys and shapes as `params`.

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda p: float(np.sum(p["w"] ** 2)), {"w": np.array([1.0, -2.0])})
    >>> np.round(g["w"], 6)  # d/dw of w**2 is 2w
    array([ 2., -4.])
    """
    # --8<-- [start:numerical-body]
    loss = _check_loss(loss)
    eps = check_positive_float("eps", eps)
    work = {name: np.array(value, dtype=np.float64) for name, value in check_array_dict("params", params).items()}
    grads = {}
    for name, value in work.items():
        grad = np.zeros_like(value)
        flat, flat_grad = value.reshape(-1), grad.reshape(-1)
        for k in range(flat.size):
            original = flat[k]
            flat[k] = original + eps
            loss_plus = _loss_value(loss, work, name, k)
            flat[k] = original - eps
            loss_minus = _loss_value(loss, work, name, k)
            flat[k] = original
            flat_grad[k] = (loss_plus - loss_minus) / (2 * eps)
        grads[name] = grad
    return grads
# --8<-- [end:numerical-body]


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""Relative difference $\lVert a - b \rVert / \max(\lVert a \rVert + \lVert b \rVert, 10^{-300})$.

    Zero when the arrays are equal, at most one, and insensitive to the
    overall scale of the gradient.

    Parameters
    ----------
    a, b : ndarray
        Two arrays of the same shape, e.g. an analytic and a numerical gradient.

    Returns
    -------
    float
        The relative difference, in $[0, 1]$.

    Raises
    ------
    ValueError
        If the shapes differ or an array holds NaN or infinity.
    TypeError
        If an array is not real numbers.

    Examples
    --------
    >>> import numpy as np
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> relative_error(np.array([3.0, 0.0]), np.array([0.0, 4.0]))  # |(3, -4)| / (3 + 4) = 5/7
    0.7142857142857143
    """
    a = as_array("a", a, ndim=None, shape_hint="(any shape)", allow_empty=True)
    b = as_array("b", b, ndim=None, shape_hint=f"{a.shape} like `a`", allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"`a` and `b` must have the same shape; got {a.shape} and {b.shape}.")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1e-300)  # the ratio is scale-free:
    a, b = a / scale, b / scale  # dividing first keeps the norms of huge gradients finite
    denominator = max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-300)
    return float(np.linalg.norm(a - b) / denominator)


def check_gradients(
    loss: Callable[[Params], float], grads: Params, params: Params, *, eps: float = 1e-6
) -> dict[str, float]:
    """Relative error between analytic `grads` and central differences, per parameter.

    Parameters
    ----------
    loss : callable
        Maps a parameter dict to a float.
    grads : dict of str to ndarray
        The gradient to check (for example from backpropagation).
    params : dict of str to ndarray
        The point at which `grads` was computed.
    eps : float, default 1e-6
        Finite-difference step.

    Returns
    -------
    dict of str to float
        `relative_error` for each key of `params`.

    Raises
    ------
    ValueError
        If `grads` does not have the keys and shapes of `params`, or an array
        holds NaN or infinity.
    TypeError
        If `loss` is not callable or an argument is not a dict of arrays.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w": np.array([1.0, -2.0])}
    >>> loss = lambda p: float(np.sum(p["w"] ** 2))
    >>> check_gradients(loss, {"w": 2 * params["w"]}, params)["w"] < 1e-9
    True
    """
    loss = _check_loss(loss)
    params = check_array_dict("params", params)
    grads = check_array_dict("grads", grads, like=params)
    numeric = numerical_gradient(loss, params, eps=eps)
    return {name: relative_error(grads[name], numeric[name]) for name in params}
