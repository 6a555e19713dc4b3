r"""Activation functions, each defined together with its derivative.

An activation $f$ is applied elementwise to the pre-activation
$z = \sum_i w_{ij} x_i + b_j$. Backpropagation needs $f'(z)$, the derivative
*at the pre-activation*, so every entry of `ACTIVATIONS` holds both
functions side by side and they cannot drift apart.

Every function takes an array of real numbers `z` of any shape (empty too)
and returns a new array of the same shape: float32 stays float32, int, bool
and other floats become float64. Complex or non-numeric input raises
``TypeError`` and NaN or infinity raises ``ValueError``, both naming `z`.
`sigmoid` is the package's only logistic function (the LSTM gates use it too).

Examples
--------
>>> import numpy as np
>>> from nnmem.activations import get_activation
>>> act = get_activation("relu")
>>> act(np.array([-1.0, 0.0, 2.0]))
array([0., 0., 2.])
>>> act.derivative(np.array([-1.0, 0.0, 2.0]))
array([0., 0., 1.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import as_array

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "identity",
    "identity_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
]

ArrayFunction = Callable[[ArrayLike], np.ndarray]


def _as_z(z: ArrayLike) -> np.ndarray:
    """`z` as a finite float array of any shape (float32 stays float32, the rest becomes float64)."""
    return as_array("z", z, ndim=None, shape_hint="(any shape)", dtype=None, allow_empty=True)


def _elementwise(maths: Callable[[np.ndarray], np.ndarray]) -> ArrayFunction:
    """The public, checked version of an elementwise function; ``__wrapped__`` keeps the unchecked maths."""

    @functools.wraps(maths)
    def checked(z: ArrayLike) -> np.ndarray:
        return maths(_as_z(z))

    return checked


@dataclass(frozen=True)
class Activation:
    """An elementwise activation function and its derivative.

    Calling the object checks its input like the module's functions do.
    The attributes hold the unchecked maths, for code that has already
    checked its arrays: a trainer whose weights blow up then gets its own
    divergence error rather than a complaint about `z`.

    Attributes
    ----------
    name : str
        The name used to look it up, e.g. ``"relu"``.
    function : callable
        $f(z)$, elementwise on a float array; returns an array of the same shape.
    derivative : callable
        $f'(z)$, elementwise, evaluated at the pre-activation `z`.
    """

    name: str
    function: ArrayFunction
    derivative: ArrayFunction

    def __post_init__(self) -> None:
        for field in ("function", "derivative"):
            fn = getattr(self, field)
            object.__setattr__(self, field, getattr(fn, "__wrapped__", fn))

    def __call__(self, z: ArrayLike) -> np.ndarray:
        return self.function(_as_z(z))


# --8<-- [start:relu]
@_elementwise
def relu(z: np.ndarray) -> np.ndarray:
    r"""Rectified linear unit, $\mathrm{relu}(z) = \max(0, z)$."""
    out: np.ndarray = np.maximum(z, 0.0)
    return out


@_elementwise
def relu_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\mathrm{relu}'(z) = 1$ if $z > 0$ else $0$ (we take $0$ at the kink $z = 0$)."""
    return (z > 0).astype(z.dtype)
# --8<-- [end:relu]


# --8<-- [start:sigmoid]
@_elementwise
def sigmoid(z: np.ndarray) -> np.ndarray:
    # --8<-- [end:sigmoid]
    r"""Logistic sigmoid $\sigma(z) = 1 / (1 + e^{-z})$.

    Parameters
    ----------
    z : ndarray of any shape
        Pre-activations.

    Returns
    -------
    ndarray of the shape of `z`
        Values in $[0, 1]$. Computed as $\tfrac12(1 + \tanh(z/2))$, the same
        function, which never overflows for large $|z|$.
    """
    # --8<-- [start:sigmoid-body]
    out: np.ndarray = 0.5 * (1 + np.tanh(0.5 * z))
    return out


@_elementwise
def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$."""
    s = sigmoid(z)
    out: np.ndarray = s * (1 - s)
    return out
# --8<-- [end:sigmoid-body]


# --8<-- [start:tanh]
@_elementwise
def tanh(z: np.ndarray) -> np.ndarray:
    r"""Hyperbolic tangent, $\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})$."""
    out: np.ndarray = np.tanh(z)
    return out


@_elementwise
def tanh_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\tanh'(z) = 1 - \tanh^2(z)$."""
    out: np.ndarray = 1 - np.tanh(z) ** 2
    return out
# --8<-- [end:tanh]


@_elementwise
def identity(z: np.ndarray) -> np.ndarray:
    """The identity $f(z) = z$, used for a linear output layer; returns a new array, never `z` itself."""
    return z.copy()


@_elementwise
def identity_derivative(z: np.ndarray) -> np.ndarray:
    """$f'(z) = 1$."""
    return np.ones_like(z)


# --8<-- [start:table]
ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", relu, relu_derivative),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative),
    "tanh": Activation("tanh", tanh, tanh_derivative),
    "identity": Activation("identity", identity, identity_derivative),
}
# --8<-- [end:table]


def get_activation(name: str) -> Activation:
    """Look up an activation by name.

    Parameters
    ----------
    name : str
        One of the keys of `ACTIVATIONS`: ``"relu"``, ``"sigmoid"``,
        ``"tanh"`` or ``"identity"``.

    Returns
    -------
    Activation
        The function and its derivative.

    Raises
    ------
    TypeError
        If `name` is not a string.
    ValueError
        If `name` is not a known activation.

    Examples
    --------
    >>> get_activation("tanh").name
    'tanh'
    >>> get_activation("gelu")
    Traceback (most recent call last):
    ...
    ValueError: `activation` must be one of 'identity', 'relu', 'sigmoid', 'tanh'; got 'gelu'.
    """
    if not isinstance(name, str):
        got = f"{name!r} of type {type(name).__name__}"
        raise TypeError(f"`activation` must be a string naming an activation; got {got}.")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(repr(k) for k in sorted(ACTIVATIONS))
        raise ValueError(f"`activation` must be one of {known}; got {name!r}.") from None
