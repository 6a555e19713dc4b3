r"""Optimisers as pure functions over parameter dicts: Adam and SGD with momentum.

Each step takes the parameters, their gradients (a dict with the same keys
and shapes) and the optimiser state, and returns *new* parameters and a new
state; nothing passed in is modified.

Adam (Kingma & Ba 2015) keeps running means of the gradient and of its
square and scales every coordinate's step by their ratio:

$$m \leftarrow \beta_1 m + (1 - \beta_1) g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2) g^2,$$

$$\theta \leftarrow \theta - \eta \, \frac{m / (1 - \beta_1^k)}{\sqrt{v / (1 - \beta_2^k)} + \epsilon},$$

where $k$ counts the steps. Because the step is (about) $\eta$ per coordinate
whatever the size of $g$, Adam keeps moving where gradients are tiny, as
they are for long-range dependencies in recurrent networks.

References
----------
Kingma, D. P., & Ba, J. (2015). Adam: A method for stochastic optimization.
*International Conference on Learning Representations (ICLR)*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmem._checks import check_nonnegative_float, check_positive_float

__all__ = ["AdamState", "adam_init", "adam_step", "momentum_init", "momentum_step"]

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class AdamState:
    """Adam's running moments.

    Attributes
    ----------
    m, v : dict of str to ndarray
        First and second moment estimates, same keys and shapes as the parameters.
    step : int
        Number of steps taken so far.
    """

    m: Params
    v: Params
    step: int


def _check_pair(params: Any, grads: Any) -> None:
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError("`params` and `grads` must be dicts of str to ndarray.")
    if set(params) != set(grads):
        raise ValueError(f"`grads` must have the keys of `params` {sorted(params)}; got {sorted(grads)}.")
    for name in params:
        if np.shape(params[name]) != np.shape(grads[name]):
            raise ValueError(
                f"`grads[{name!r}]` must have the shape of `params[{name!r}]` {np.shape(params[name])}; "
                f"got {np.shape(grads[name])}."
            )


def adam_init(params: Params) -> AdamState:
    """Zero moments for `params`.

    Parameters
    ----------
    params : dict of str to ndarray
        The parameters to be optimised.

    Returns
    -------
    AdamState
        With ``step = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> adam_init({"w": np.ones(3)}).step
    0
    """
    if not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict of str to ndarray; got {type(params).__name__}.")
    zeros = {name: np.zeros_like(np.asarray(value, dtype=np.float64)) for name, value in params.items()}
    return AdamState(m=zeros, v={name: z.copy() for name, z in zeros.items()}, step=0)


# --8<-- [start:adam]
def adam_step(
    params: Params,
    grads: Params,
    state: AdamState,
    *,
    learning_rate: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[Params, AdamState]:
    r"""One Adam step; returns new parameters and a new state.

    Parameters
    ----------
    params : dict of str to ndarray
        Current parameters $\theta$.
    grads : dict of str to ndarray
        $\nabla_\theta L$, same keys and shapes.
    state : AdamState
        From `adam_init` or the previous step.
    learning_rate : float
        $\eta > 0$.
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the moment estimates, in $[0, 1)$.
    eps : float, default 1e-8
        Added to the denominator.

    Returns
    -------
    params : dict of str to ndarray
    state : AdamState

    Examples
    --------
    >>> import numpy as np
    >>> p, s = adam_step({"w": np.array([1.0])}, {"w": np.array([0.5])}, adam_init({"w": np.zeros(1)}),
    ...                  learning_rate=0.1)
    >>> p["w"].round(6)  # the first step has size learning_rate whatever the gradient's size
    array([0.9])
    """
    _check_pair(params, grads)
    if not isinstance(state, AdamState):
        raise TypeError(f"`state` must be an AdamState from adam_init; got {type(state).__name__}.")
    learning_rate = check_positive_float("learning_rate", learning_rate)
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= check_nonnegative_float(name, beta) < 1.0:
            raise ValueError(f"`{name}` must be in [0, 1); got {beta}.")
    eps = check_positive_float("eps", eps)
    k = state.step + 1
    new_params, m, v = {}, {}, {}
    for name, g in grads.items():
        m[name] = beta1 * state.m[name] + (1.0 - beta1) * g
        v[name] = beta2 * state.v[name] + (1.0 - beta2) * (g * g)
        m_hat = m[name] / (1.0 - beta1**k)  # bias correction: the moments start at zero
        v_hat = v[name] / (1.0 - beta2**k)
        new_params[name] = params[name] - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return new_params, AdamState(m=m, v=v, step=k)
# --8<-- [end:adam]


def momentum_init(params: Params) -> Params:
    """Zero velocities for SGD with momentum, same keys and shapes as `params`.

    Parameters
    ----------
    params : dict of str to ndarray
        The parameters to be optimised.

    Returns
    -------
    dict of str to ndarray
    """
    if not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict of str to ndarray; got {type(params).__name__}.")
    return {name: np.zeros_like(np.asarray(value, dtype=np.float64)) for name, value in params.items()}


def momentum_step(
    params: Params, grads: Params, velocity: Params, *, learning_rate: float, momentum: float = 0.9
) -> tuple[Params, Params]:
    r"""One step of SGD with momentum: $v \leftarrow \mu v - \eta g$, $\theta \leftarrow \theta + v$.

    Parameters
    ----------
    params, grads, velocity : dict of str to ndarray
        Same keys and shapes.
    learning_rate : float
        $\eta > 0$.
    momentum : float, default 0.9
        $\mu \in [0, 1)$.

    Returns
    -------
    params, velocity : dict of str to ndarray

    Examples
    --------
    >>> import numpy as np
    >>> p, v = momentum_step({"w": np.array([1.0])}, {"w": np.array([2.0])}, {"w": np.array([0.5])},
    ...                      learning_rate=0.1, momentum=0.9)
    >>> float(v["w"][0]), float(p["w"][0])  # v = 0.9*0.5 - 0.1*2 = 0.25
    (0.25, 1.25)
    """
    _check_pair(params, grads)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    if not 0.0 <= check_nonnegative_float("momentum", momentum) < 1.0:
        raise ValueError(f"`momentum` must be in [0, 1); got {momentum}.")
    new_v = {name: momentum * velocity[name] - learning_rate * g for name, g in grads.items()}
    return {name: params[name] + new_v[name] for name in params}, new_v
