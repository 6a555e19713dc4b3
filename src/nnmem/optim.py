r"""Optimisers as pure functions over parameter dicts: SGD with momentum and weight decay, and Adam.

Each step takes the parameters, their gradients (a dict with the same keys
and shapes) and the optimiser state, and returns *new* parameters and a new
state; nothing passed in is modified. Every dict is checked key by key
against `params` (same keys, same shapes, finite values).

SGD with momentum $\mu$ and weight decay $\lambda$ keeps a velocity per parameter:

$$v \leftarrow \mu v - \eta \, (g + \lambda \theta), \qquad \theta \leftarrow \theta + v,$$

where the decay term $\lambda \theta$ is added for weights only, never for
biases. A key names a bias when it starts with a lowercase ``b`` (``b1``,
``b_h``, ``b_o``, ``b_y``, ``b``); every other key (``W1``, ``w_ih``,
``W_hh``, ...) is a weight. With $\mu = 0$ and $\lambda = 0$ this is plain
gradient descent, $\theta \leftarrow \theta - \eta g$.

Adam (Kingma & Ba 2015) keeps running means of the gradient and of its
square and scales every coordinate's step by their ratio:

$$m \leftarrow \beta_1 m + (1 - \beta_1) g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2) g^2,$$

$$\theta \leftarrow \theta - \eta \, \frac{m / (1 - \beta_1^k)}{\sqrt{v / (1 - \beta_2^k)} + \epsilon},$$

where $k$ counts the steps. Because the step is (about) $\eta$ per coordinate
whatever the size of $g$, Adam keeps moving where gradients are tiny, as
they are for long-range dependencies in recurrent networks.

dtype policy: the new parameters, velocities and moments have the dtype of
`params` (float32 parameters stay float32, whatever the gradients' dtype);
integer or bool parameters are treated as float64.

References
----------
Kingma, D. P., & Ba, J. (2015). Adam: A method for stochastic optimization.
*International Conference on Learning Representations (ICLR)*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmem._checks import DivergenceGuard, all_finite, check_array_dict, check_nonnegative_float, check_positive_float

__all__ = ["AdamState", "adam_init", "adam_step", "is_bias", "momentum_init", "sgd_step"]

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


def is_bias(key: str) -> bool:
    """Whether the parameter called `key` is a bias (its name starts with a lowercase ``b``).

    Weight decay skips the parameters for which this is true.

    Parameters
    ----------
    key : str
        A parameter's name in a params dict, e.g. ``"b_h"`` or ``"w_ih"``.

    Returns
    -------
    bool
        True for ``"b1"``, ``"b_h"``, ``"b"``; False for ``"W1"``, ``"w_ih"``.

    Raises
    ------
    TypeError
        If `key` is not a str.

    Examples
    --------
    >>> [is_bias(k) for k in ("b1", "b_h", "W1", "w_ih")]
    [True, True, False, False]
    """
    if not isinstance(key, str):
        raise TypeError(f"`key` must be a str naming a parameter; got {key!r} of type {type(key).__name__}.")
    return key.startswith("b")


def _params(params: Any) -> Params:
    return check_array_dict("params", params)


def _unit_interval(name: str, value: Any) -> float:
    number = check_nonnegative_float(name, value)
    if number >= 1.0:
        raise ValueError(f"`{name}` must be in [0, 1); got {number}.")
    return number


def _check_update(new_params: Params, learning_rate: float) -> Params:
    """Raise `TrainingDivergedError` (naming `learning_rate`) if a step overflowed to NaN or infinity."""
    for value in new_params.values():
        if not all_finite(value):
            guard = DivergenceGuard("learning_rate", "try a smaller learning_rate", value=learning_rate)
            guard.check(math.inf, epoch=None, what="the updated parameters")
    return new_params


def _zeros(params: Any) -> Params:
    return {name: np.zeros_like(p) for name, p in _params(params).items()}


def momentum_init(params: Params) -> Params:
    """Zero velocities for `sgd_step`, same keys, shapes and dtypes as `params`.

    Parameters
    ----------
    params : dict of str to ndarray
        The parameters to be optimised.

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> momentum_init({"w": np.ones(2, dtype=np.float32)})["w"]
    array([0., 0.], dtype=float32)
    """
    return _zeros(params)


# --8<-- [start:sgd]
def sgd_step(
    params: Params,
    grads: Params,
    velocity: Params,
    *,
    learning_rate: float,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
) -> tuple[Params, Params]:
    r"""One step of SGD with momentum and weight decay; returns new parameters and velocities.

    $v \leftarrow \mu v - \eta (g + \lambda \theta)$ (the $\lambda \theta$ term
    for weights only, see `is_bias`), then $\theta \leftarrow \theta + v$.

    Parameters
    ----------
    params, grads, velocity : dict of str to ndarray
        $\theta$, $g = \nabla_\theta L$ and $v$ (from `momentum_init` or the
        previous step); same keys and shapes.
    learning_rate : float
        $\eta > 0$.
    momentum : float, default 0.0
        $\mu \in [0, 1)$.
    weight_decay : float, default 0.0
        $\lambda \ge 0$, applied to weights, never to biases.

    Returns
    -------
    params, velocity : dict of str to ndarray
        New dicts, in the dtype of `params`.

    Raises
    ------
    TrainingDivergedError
        If the step overflows to NaN or infinity (the message names `learning_rate`).

    Examples
    --------
    >>> p, v = sgd_step({"w": np.array([1.0])}, {"w": np.array([2.0])}, {"w": np.array([0.5])},
    ...                 learning_rate=0.1, momentum=0.9)
    >>> float(v["w"][0]), float(p["w"][0])  # v = 0.9*0.5 - 0.1*2 = 0.25; w = 1 + 0.25
    (0.25, 1.25)
    """
    params = _params(params)
    grads = check_array_dict("grads", grads, like=params)
    velocity = check_array_dict("velocity", velocity, like=params)
    eta = check_positive_float("learning_rate", learning_rate)
    mu = _unit_interval("momentum", momentum)
    decay = check_nonnegative_float("weight_decay", weight_decay)
    new_params, new_velocity = {}, {}
    with np.errstate(over="ignore"):  # an overflowing step is reported below
        for key, theta in params.items():
            g = grads[key]
            if not is_bias(key):
                g = g + decay * theta  # L2 weight decay: weights only
            v = np.asarray(mu * velocity[key] - eta * g, dtype=theta.dtype)
            new_velocity[key] = v
            new_params[key] = theta + v
    return _check_update(new_params, eta), new_velocity
# --8<-- [end:sgd]


def adam_init(params: Params) -> AdamState:
    """Zero moments for `params`, same keys, shapes and dtypes.

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
    >>> adam_init({"w": np.ones(3)}).step
    0
    """
    return AdamState(m=_zeros(params), v=_zeros(params), step=0)


def _check_state(state: Any, params: Params) -> AdamState:
    if not isinstance(state, AdamState):
        raise TypeError(f"`state` must be an AdamState from adam_init; got {state!r} of type {type(state).__name__}.")
    m = check_array_dict("state.m", state.m, like=params)
    v = check_array_dict("state.v", state.v, like=params)
    if any(np.any(a < 0) for a in v.values()):
        raise ValueError("`state.v` must hold second moments >= 0; got a negative value.")
    step = state.step
    if isinstance(step, (bool, np.bool_)) or not isinstance(step, (int, np.integer)) or step < 0:
        raise ValueError(f"`state.step` must be an int >= 0; got {step!r}.")
    return AdamState(m=m, v=v, step=int(step))


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
    >>> p, s = adam_step({"w": np.array([1.0])}, {"w": np.array([0.5])}, adam_init({"w": np.zeros(1)}),
    ...                  learning_rate=0.1)
    >>> p["w"].round(6)  # the first step has size learning_rate whatever the gradient's size
    array([0.9])
    """
    params = _params(params)
    grads = check_array_dict("grads", grads, like=params)
    state = _check_state(state, params)
    eta = check_positive_float("learning_rate", learning_rate)
    beta1 = _unit_interval("beta1", beta1)
    beta2 = _unit_interval("beta2", beta2)
    eps = check_positive_float("eps", eps)
    k = state.step + 1
    new_params, m, v = {}, {}, {}
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing step is reported below
        for name, theta in params.items():
            g = np.asarray(grads[name], dtype=theta.dtype)
            m[name] = beta1 * state.m[name] + (1 - beta1) * g
            v[name] = beta2 * state.v[name] + (1 - beta2) * (g * g)
            m_hat = m[name] / (1 - beta1**k)  # bias correction: the moments start at zero
            v_hat = v[name] / (1 - beta2**k)
            new_params[name] = np.asarray(theta - eta * m_hat / (np.sqrt(v_hat) + eps), dtype=theta.dtype)
    return _check_update(new_params, eta), AdamState(m=m, v=v, step=k)
# --8<-- [end:adam]

