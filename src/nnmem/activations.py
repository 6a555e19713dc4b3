r"""Activation functions, each defined together with its derivative.

An activation $f$ is applied elementwise to the pre-activation
$z = \sum_i w_{ij} x_i + b_j$. Backpropagation needs $f'(z)$, the derivative
*at the pre-activation*, so every entry of `ACTIVATIONS` holds both
functions side by side and they cannot drift apart.

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

from dataclasses import dataclass
from typing import Callable

import numpy as np

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

ArrayFunction = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Activation:
    """An elementwise activation function and its derivative.

    Attributes
    ----------
    name : str
        The name used to look it up, e.g. ``"relu"``.
    function : callable
        $f(z)$, elementwise; returns an array of the same shape as `z`.
    derivative : callable
        $f'(z)$, elementwise, evaluated at the pre-activation `z`.
    """

    name: str
    function: ArrayFunction
    derivative: ArrayFunction

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.function(z)


# --8<-- [start:relu]
def relu(z: np.ndarray) -> np.ndarray:
    r"""Rectified linear unit, $\mathrm{relu}(z) = \max(0, z)$."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\mathrm{relu}'(z) = 1$ if $z > 0$ else $0$ (we take $0$ at the kink $z = 0$)."""
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)
# --8<-- [end:relu]


# --8<-- [start:sigmoid]
def sigmoid(z: np.ndarray) -> np.ndarray:
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
    z = np.asarray(z)
    half = z.dtype.type(0.5) if z.dtype.kind == "f" else 0.5
    return half * (1 + np.tanh(half * z))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$."""
    s = sigmoid(z)
    return s * (1.0 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(z: np.ndarray) -> np.ndarray:
    r"""Hyperbolic tangent, $\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})$."""
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    r"""$\tanh'(z) = 1 - \tanh^2(z)$."""
    return 1.0 - np.tanh(z) ** 2
# --8<-- [end:tanh]


def identity(z: np.ndarray) -> np.ndarray:
    """The identity $f(z) = z$, used for a linear output layer."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def identity_derivative(z: np.ndarray) -> np.ndarray:
    """$f'(z) = 1$."""
    z = np.asarray(z)
    return np.ones_like(z, dtype=z.dtype if z.dtype.kind == "f" else np.float64)


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
        raise TypeError(f"`activation` must be a string naming an activation; got {name!r} of type {type(name).__name__}.")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(repr(k) for k in sorted(ACTIVATIONS))
        raise ValueError(f"`activation` must be one of {known}; got {name!r}.") from None
