r"""Hebbian plasticity: the plain Hebb rule, Oja's rule, and the STDP window.

A linear neuron $y = w \cdot x$ sees inputs $x \in \mathbb{R}^n$ one at a time.

* **Hebb** (1949): $\Delta w = \eta\, y\, x$. On average
  $\Delta w \propto C w$ with $C = \langle x x^\top \rangle$, so $w$ grows
  along the leading eigenvector of $C$ without bound.
* **Oja** (1982): $\Delta w = \eta\, y\,(x - y\, w)$. The decay term
  $-\eta y^2 w$ keeps $\lVert w \rVert \to 1$, and $w$ converges to $\pm$ the
  first principal component of zero-mean data.
* **STDP** (Bi & Poo 1998): the change of a synapse depends on the time
  $\Delta t = t_\text{post} - t_\text{pre}$ between spikes:
  potentiation when the input fires first, depression when it fires after.

References
----------
Hebb (1949), *The Organization of Behavior*, Wiley.
Oja (1982), *A simplified neuron model as a principal component analyzer*,
J. Math. Biol. 15, 267-273.
Bi & Poo (1998), *Synaptic modifications in cultured hippocampal neurons:
dependence on spike timing, synaptic strength, and postsynaptic cell type*,
J. Neurosci. 18, 10464-10472.

Arrays are float64. Divergence is reported by the package's one guard
(`nnmem.TrainingDivergedError`, rules in `nnmem._checks`): for Oja's rule the
monitored quantity is the mean reconstruction error
$\langle \lVert x - y\,w \rVert^2 \rangle$ over the data, checked after every
epoch; the plain Hebb rule grows without bound by design, so it is stopped
only when its weight norm overflows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import DivergenceGuard, Seed, as_array, check_positive_float, check_positive_int, make_rng

__all__ = ["HebbianResult", "hebb_update", "learn", "oja_update", "stdp_window"]


def _check_pair(w: Any, x: Any) -> tuple[np.ndarray, np.ndarray]:
    w = as_array("w", w, ndim=1, shape_hint="(n_inputs,)")
    x = as_array("x", x, ndim=1, shape_hint=f"({w.shape[0]},)")
    if x.shape != w.shape:
        raise ValueError(f"`x` must have shape {w.shape} like `w`; got {x.shape}.")
    return w, x


# --8<-- [start:rules]
def _hebb(w: np.ndarray, x: np.ndarray, eta: float) -> np.ndarray:
    y = w @ x  # postsynaptic activity of the linear neuron
    return w + eta * y * x  # type: ignore[no-any-return]  # grows along x whenever y and x agree


def _oja(w: np.ndarray, x: np.ndarray, eta: float) -> np.ndarray:
    y = w @ x
    return w + eta * y * (x - y * w)  # type: ignore[no-any-return]  # Hebb term minus a decay proportional to y^2 w
# --8<-- [end:rules]


def _finite_update(rule: Any, w: np.ndarray, x: np.ndarray, eta: float) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        new: np.ndarray = rule(w, x, eta)
    if not np.all(np.isfinite(new)):
        raise ValueError("`w` and `x` are finite but the update overflowed the range of float64 numbers; rescale them.")
    return new


def hebb_update(w: ArrayLike, x: ArrayLike, *, learning_rate: float) -> np.ndarray:
    r"""Plain Hebb rule: $w + \eta\, y\, x$ with $y = w \cdot x$.

    Parameters
    ----------
    w : ndarray of shape (n_inputs,)
        Current weights.
    x : ndarray of shape (n_inputs,)
        One input.
    learning_rate : float
        $\eta > 0$.

    Returns
    -------
    ndarray of shape (n_inputs,)
        The new weights.

    Examples
    --------
    >>> hebb_update(np.array([1.0, 0.0]), np.array([2.0, 1.0]), learning_rate=0.1)  # y = 2
    array([1.4, 0.2])
    """
    w, x = _check_pair(w, x)
    return _finite_update(_hebb, w, x, check_positive_float("learning_rate", learning_rate))


def oja_update(w: ArrayLike, x: ArrayLike, *, learning_rate: float) -> np.ndarray:
    r"""Oja's rule: $w + \eta\, y\,(x - y\, w)$ with $y = w \cdot x$.

    Parameters
    ----------
    w : ndarray of shape (n_inputs,)
        Current weights.
    x : ndarray of shape (n_inputs,)
        One input.
    learning_rate : float
        $\eta > 0$.

    Returns
    -------
    ndarray of shape (n_inputs,)
        The new weights.

    Examples
    --------
    >>> oja_update(np.array([1.0, 0.0]), np.array([2.0, 1.0]), learning_rate=0.1)  # y = 2
    array([1. , 0.2])
    """
    w, x = _check_pair(w, x)
    return _finite_update(_oja, w, x, check_positive_float("learning_rate", learning_rate))


@dataclass(frozen=True)
class HebbianResult:
    """Outcome of `learn`.

    Attributes
    ----------
    weights : ndarray of shape (n_inputs,)
        The final weights.
    history : ndarray of shape (epochs + 1, n_inputs)
        The weights before training and after each epoch.
    """

    weights: np.ndarray
    history: np.ndarray


_RULES = {"hebb": _hebb, "oja": _oja}


def _reconstruction_error(x: np.ndarray, w: np.ndarray) -> float:
    y = x @ w
    return float(np.mean(np.sum((x - np.outer(y, w)) ** 2, axis=1)))


def learn(
    x: ArrayLike,
    *,
    rule: str = "oja",
    learning_rate: float,
    epochs: int,
    w0: ArrayLike | None = None,
    rng: Seed = None,
) -> HebbianResult:
    r"""Apply a Hebbian rule to every sample of `x`, in a new random order each epoch.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_inputs)
        The inputs (centre them first if you want principal components); at
        least one sample and one input.
    rule : {"oja", "hebb"}
        Which update to use.
    learning_rate : float
        $\eta > 0$.
    epochs : int
        Passes over the data.
    w0 : ndarray of shape (n_inputs,), optional
        Initial weights; by default small random ones (standard deviation 0.1).
    rng : None, int or numpy.random.Generator
        Initial weights and the order of the samples.

    Returns
    -------
    HebbianResult
        Final weights and their history.

    Raises
    ------
    TrainingDivergedError
        Oja's rule: when its reconstruction error
        $\langle \lVert x - y\,w \rVert^2 \rangle$ becomes non-finite or
        exceeds 100 times its value at `w0`, or rises above 3 times that
        value and ends (mean of the last tenth of the epochs) above half of
        it (try a smaller `learning_rate`). Hebb's rule: when the weight norm
        overflows (it grows without bound).
    ValueError, TypeError
        For bad data, weights, rule names, rates, epoch counts or seeds.

    Examples
    --------
    >>> x = np.array([[1.0, 1.0], [-1.0, -1.0]])  # all variance along (1, 1)
    >>> w = learn(x, learning_rate=0.1, epochs=50, w0=np.array([0.3, 0.0]), rng=0).weights
    >>> np.round(w, 3)  # the unit vector (1, 1) / sqrt(2)
    array([0.707, 0.707])
    """
    x = as_array("x", x, ndim=2, shape_hint="(n_samples, n_inputs)")
    if not isinstance(rule, str):
        raise TypeError(f"`rule` must be one of {sorted(_RULES)}; got {rule!r} of type {type(rule).__name__}.")
    if rule not in _RULES:
        raise ValueError(f"`rule` must be one of {sorted(_RULES)}; got {rule!r}.")
    update = _RULES[rule]
    learning_rate = check_positive_float("learning_rate", learning_rate)
    epochs = check_positive_int("epochs", epochs)
    gen = make_rng(rng)
    w: np.ndarray
    if w0 is None:
        w = gen.normal(0.0, 0.1, size=(x.shape[1],))
    else:
        w = as_array("w0", w0, ndim=1, shape_hint=f"({x.shape[1]},)")
        if w.shape != (x.shape[1],):
            raise ValueError(f"`w0` must have shape ({x.shape[1]},) like a row of `x`; got {w.shape}.")
    if rule == "oja":
        guard = DivergenceGuard(value=learning_rate)  # names learning_rate and suggests a smaller one
    else:
        guard = DivergenceGuard(
            "learning_rate",
            "the plain Hebb rule grows without bound; use rule='oja', fewer epochs or a smaller learning_rate",
            value=learning_rate,
        )
    history = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        errors: list[float] = []  # Oja's reconstruction error before training and after each epoch
        if rule == "oja":
            errors.append(_reconstruction_error(x, w))
            if not np.isfinite(errors[0]):
                raise ValueError("`x` and `w0` are finite but the reconstruction error overflows; rescale them.")
            guard.check(errors[0], epoch=0, what="the reconstruction error")  # the reference of the rules
        for epoch in range(1, epochs + 1):
            for k in gen.permutation(x.shape[0]):
                w = update(w, x[k], learning_rate)
            if rule == "oja":
                errors.append(_reconstruction_error(x, w))
                guard.check(errors[-1], epoch=epoch, what="the reconstruction error")
            elif not np.all(np.isfinite(w)):
                guard.check(np.inf, epoch=epoch, what="the weight norm")  # it overflowed; Hebb has no loss
            history.append(w)
    if rule == "oja":
        guard.check_curve(errors, what="the reconstruction error")  # a surge that never recovered
    return HebbianResult(weights=w, history=np.array(history))


# --8<-- [start:stdp]
def stdp_window(
    delta_t: ArrayLike,
    *,
    a_plus: float = 0.777,
    tau_plus: float = 16.8,
    a_minus: float = 0.273,
    tau_minus: float = 33.7,
) -> np.ndarray:
    # --8<-- [end:stdp]
    r"""Relative change of synaptic strength for a spike pair separated by $\Delta t$ (ms).

    $$\frac{\Delta w}{w} = \begin{cases} A_+ e^{-\Delta t / \tau_+} & \Delta t > 0 \\
    -A_- e^{\Delta t / \tau_-} & \Delta t < 0 \end{cases}$$

    with $\Delta t = t_\text{post} - t_\text{pre}$, and $0$ at $\Delta t = 0$.
    The defaults are the exponential fits to the hippocampal data of Bi & Poo
    (1998) reported by Bi & Poo (2001): potentiation of up to about 78% with
    $\tau_+ = 16.8$ ms, depression of up to about 27% with $\tau_- = 33.7$ ms.

    Parameters
    ----------
    delta_t : ndarray
        Spike-time differences $t_\text{post} - t_\text{pre}$ in ms.
    a_plus, a_minus : float
        Amplitudes of potentiation and depression (fractions, > 0).
    tau_plus, tau_minus : float
        Time constants in ms (> 0).

    Returns
    -------
    ndarray of the shape of `delta_t`
        $\Delta w / w$.

    References
    ----------
    Bi & Poo (2001), *Synaptic modification by correlated activity: Hebb's
    postulate revisited*, Annu. Rev. Neurosci. 24, 139-166.

    Examples
    --------
    >>> stdp_window(np.array([-10.0, 0.0, 10.0])).round(3)
    array([-0.203,  0.   ,  0.428])
    """
    # --8<-- [start:stdp-body]
    dt = as_array("delta_t", delta_t, ndim=None, shape_hint="(any shape), in ms", allow_empty=True)
    a_plus, a_minus = check_positive_float("a_plus", a_plus), check_positive_float("a_minus", a_minus)
    tau_plus, tau_minus = check_positive_float("tau_plus", tau_plus), check_positive_float("tau_minus", tau_minus)
    ltp = a_plus * np.exp(-np.abs(dt) / tau_plus)  # exponents are <= 0: no overflow
    ltd = -a_minus * np.exp(-np.abs(dt) / tau_minus)
    return np.where(dt > 0, ltp, np.where(dt < 0, ltd, 0.0))
# --8<-- [end:stdp-body]
