r"""Modern Hopfield networks: dense associative memory and its link to attention.

Two families are implemented.

* **Dense associative memory** (Krotov & Hopfield 2016) for binary states:
  the energy $E(s) = -\sum_\mu F(\xi^\mu \cdot s)$ with a rapidly growing
  interaction function $F$ (a polynomial $F(x) = x^n$ for $n \ge 2$, or
  $F(x) = e^{x}$) stores far more than the $0.138N$ patterns of the classical
  network ($n = 2$ recovers it).
* **Continuous modern Hopfield network** (Ramsauer et al. 2021), whose update
  is exactly softmax attention with queries $\xi$, keys and values $X$ and
  scale $\beta$.

The continuous update, with the stored patterns as the rows of $X$ (shape
``(p, N)``), is

$$\xi^\text{new} = X^\top \operatorname{softmax}(\beta X \xi).$$

References
----------
Krotov & Hopfield (2016), *Dense associative memory for pattern recognition*,
NeurIPS 29.
Ramsauer et al. (2021), *Hopfield networks is all you need*, ICLR.
Demircigil et al. (2017), *On a model of associative memory with huge storage
capacity*, J. Stat. Phys. 168, 288-299.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import Seed, as_array, as_pm1, check_positive_float, check_positive_int, make_rng
from nnmem.losses import softmax

__all__ = ["attention", "dense_energy", "dense_update_async", "retrieve"]


# --8<-- [start:retrieve]
def retrieve(patterns: ArrayLike, query: ArrayLike, *, beta: float, steps: int = 1) -> np.ndarray:
    # --8<-- [end:retrieve]
    r"""Continuous modern Hopfield update $\xi \leftarrow X^\top \operatorname{softmax}(\beta X \xi)$.

    Parameters
    ----------
    patterns : ndarray of shape (p, N)
        Stored patterns $X$, one per row (any real values).
    query : ndarray of shape (N,) or (n_queries, N)
        State(s) $\xi$ to update.
    beta : float
        Inverse temperature $\beta > 0$. Small $\beta$ returns nearly the
        mean of all patterns; large $\beta$ the single most similar one.
    steps : int, default 1
        Number of updates (one usually suffices; Ramsauer et al. 2021).

    Returns
    -------
    ndarray of the shape of `query`
        The retrieved state(s).

    Raises
    ------
    ValueError
        For shape mismatches, non-finite values, or $\beta \le 0$.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> retrieve(X, np.array([0.9, 0.1]), beta=100.0).round(6)
    array([1., 0.])
    """
    # --8<-- [start:retrieve-body]
    X = as_array("patterns", patterns, ndim=2, shape_hint="(n_patterns, n_dims)")
    hint = f"({X.shape[1]},) or (n_queries, {X.shape[1]})"
    q = as_array("query", query, ndim=None, shape_hint=hint)
    if q.ndim not in (1, 2) or q.shape[-1] != X.shape[1]:
        raise ValueError(f"`query` must have shape {hint}; got shape {q.shape}.")
    beta = check_positive_float("beta", beta)
    steps = check_positive_int("steps", steps)
    _check_scores_finite("beta", beta, np.abs(q).sum(axis=-1).max() * np.abs(X).max())
    for _ in range(steps):
        weights = softmax(beta * (q @ X.T))  # (..., p): how much each pattern is recalled (nnmem.losses.softmax)
        q = weights @ X
    return q
# --8<-- [end:retrieve-body]


def attention(queries: ArrayLike, keys: ArrayLike, values: ArrayLike, *, scale: float) -> np.ndarray:
    r"""Softmax attention $\operatorname{softmax}(s\, Q K^\top) V$ for one head.

    Parameters
    ----------
    queries : ndarray of shape (n_queries, d)
    keys : ndarray of shape (n_keys, d)
    values : ndarray of shape (n_keys, d_v)
    scale : float
        The factor $s$; transformers use $1/\sqrt{d}$.

    Returns
    -------
    ndarray of shape (n_queries, d_v)

    Raises
    ------
    ValueError
        For shape mismatches, empty or non-finite input, or a scale $\le 0$.

    Examples
    --------
    >>> # scores ln 3 * (1, 0): weights (3, 1) / 4, so the output is (3 * 10 + 1 * 20) / 4
    >>> attention(np.array([[1.0, 0.0]]), np.eye(2), np.array([[10.0], [20.0]]), scale=np.log(3.0))
    array([[12.5]])
    """
    Q = as_array("queries", queries, ndim=2, shape_hint="(n_queries, d)")
    K = as_array("keys", keys, ndim=2, shape_hint=f"(n_keys, {Q.shape[1]})")
    V = as_array("values", values, ndim=2, shape_hint=f"({K.shape[0]}, d_v)")
    if K.shape[1] != Q.shape[1]:
        raise ValueError(f"`keys` must have shape (n_keys, {Q.shape[1]}) like `queries`; got {K.shape}.")
    if V.shape[0] != K.shape[0]:
        raise ValueError(f"`values` must have {K.shape[0]} rows, one per key; got {V.shape[0]}.")
    scale = check_positive_float("scale", scale)
    _check_scores_finite("scale", scale, np.abs(Q).sum(axis=1).max() * np.abs(K).max())
    out: np.ndarray = softmax(scale * Q @ K.T) @ V
    return out


def _check_scores_finite(name: str, factor: float, largest_dot: float) -> None:
    """Refuse a `factor` so large that `factor` times a dot product (at most `largest_dot`) overflows float64."""
    with np.errstate(over="ignore"):
        bound = factor * float(largest_dot)
    if not np.isfinite(bound):
        raise ValueError(
            f"`{name}` times the largest possible dot product ({float(largest_dot):.3g}) must be finite; "
            f"got {name}={factor:g}."
        )


def _interaction(kind: str, degree: int, n_neurons: int) -> Callable[[np.ndarray], np.ndarray]:
    if kind == "polynomial":
        degree = check_positive_int("degree", degree)
        if degree < 2:
            raise ValueError(f"`degree` must be at least 2 for a polynomial interaction; got {degree}.")
        if degree * np.log10(n_neurons + 1.0) > 300:  # overlaps reach N + 1 inside the update
            raise ValueError(
                f"`degree` must keep (N + 1)^degree below 1e300 with N = {n_neurons} neurons; got {degree}. "
                "Use a lower degree or the exponential interaction."
            )
        if degree % 2:
            return lambda x: np.asarray(np.where(x > 0, x, 0.0) ** degree)  # rectified: max(x, 0)^n
        return lambda x: np.asarray(x**degree)
    if kind == "exponential":
        return np.exp
    raise ValueError(f"`interaction` must be 'polynomial' or 'exponential'; got {kind!r}.")


def _patterns_and_state(patterns: ArrayLike, state: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    xi = as_pm1("patterns", patterns, ndim=(2,), shape_hint="(n_patterns, n_neurons)")
    s = as_pm1("state", state, ndim=(1,), shape_hint=f"({xi.shape[1]},)")
    if s.shape[0] != xi.shape[1]:
        raise ValueError(f"`state` must have {xi.shape[1]} neurons like `patterns`; got shape {s.shape}.")
    return xi, s


def dense_energy(patterns: ArrayLike, state: ArrayLike, *, interaction: str = "polynomial", degree: int = 3) -> float:
    r"""Energy $E(s) = -\sum_\mu F(\xi^\mu \cdot s)$ of a dense associative memory.

    For the polynomial interaction, odd degrees use the rectified
    $F(x) = \max(x, 0)^n$ of Krotov & Hopfield (2016); even degrees use $x^n$.

    Parameters
    ----------
    patterns : ndarray of shape (p, N)
        Stored patterns in $\{-1, +1\}$.
    state : ndarray of shape (N,)
        A state in $\{-1, +1\}$.
    interaction : {"polynomial", "exponential"}
        The function $F$.
    degree : int, default 3
        Degree $n$ of the polynomial.

    Returns
    -------
    float
        The energy (may be ``-inf`` if the exponential overflows).
    """
    xi, s = _patterns_and_state(patterns, state)
    F = _interaction(interaction, degree, xi.shape[1])
    with np.errstate(over="ignore"):
        return float(-np.sum(F(xi @ s)))


# --8<-- [start:dense]
def dense_update_async(
    patterns: ArrayLike,
    state: ArrayLike,
    *,
    interaction: str = "polynomial",
    degree: int = 3,
    rng: Seed = None,
) -> np.ndarray:
    # --8<-- [end:dense]
    r"""One asynchronous sweep of the dense associative memory.

    Neuron $i$ takes whichever sign gives the lower energy:

    $$s_i \leftarrow \operatorname{sign} \sum_\mu \Big[F\big(\xi^\mu_i + \textstyle\sum_{j \ne i} \xi^\mu_j s_j\big)
    - F\big(-\xi^\mu_i + \textstyle\sum_{j \ne i} \xi^\mu_j s_j\big)\Big],$$

    keeping its state on a tie. With $F(x) = x^2$ this is the classical
    Hopfield update. For the exponential interaction the two terms are
    computed relative to their largest exponent, so large $N$ does not overflow.

    Parameters
    ----------
    patterns : ndarray of shape (p, N)
        Stored patterns in $\{-1, +1\}$.
    state : ndarray of shape (N,)
        Current state in $\{-1, +1\}$.
    interaction : {"polynomial", "exponential"}
        The function $F$.
    degree : int, default 3
        Degree $n$ of the polynomial interaction.
    rng : None, int or numpy.random.Generator
        Chooses the update order.

    Returns
    -------
    ndarray of shape (N,)
        The state after one sweep.
    """
    # --8<-- [start:dense-body]
    xi, s = _patterns_and_state(patterns, state)
    F = _interaction(interaction, degree, xi.shape[1])
    overlaps = xi @ s  # (p,): xi^mu . s, kept up to date as neurons flip
    for i in make_rng(rng).permutation(s.size):
        rest = overlaps - xi[:, i] * s[i]  # sum over j != i
        plus, minus = rest + xi[:, i], rest - xi[:, i]
        if interaction == "exponential":
            top = max(plus.max(), minus.max())
            diff = np.sum(np.exp(plus - top) - np.exp(minus - top))
        else:
            diff = np.sum(F(plus) - F(minus))
        new = 1.0 if diff > 0 else -1.0 if diff < 0 else s[i]
        if new != s[i]:
            overlaps = rest + xi[:, i] * new
            s[i] = new
    return s
# --8<-- [end:dense-body]
