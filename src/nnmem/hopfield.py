r"""The Hopfield network: memories as fixed points of recurrent dynamics.

$N$ binary neurons with states $s_i \in \{-1, +1\}$ are connected by
symmetric weights. $p$ patterns $\xi^\mu \in \{-1, +1\}^N$ (the rows of
``patterns``, shape ``(p, N)``) are stored by the Hebbian outer-product rule

$$w_{ij} = \frac{1}{N} \sum_{\mu=1}^{p} \xi^\mu_i \xi^\mu_j, \qquad w_{ii} = 0,$$

and a neuron updates to the sign of its local field $h_i = \sum_j w_{ij} s_j$.
The energy $E(s) = -\tfrac12 s^\top W s$ never increases under asynchronous
updates, so the dynamics settle in a local minimum: ideally the stored pattern
closest to the cue.

Ties: when $h_i = 0$, the neuron keeps its current state. This keeps the
dynamics deterministic and the energy argument intact. A field that is zero
in exact arithmetic (common with an even number of patterns, since the
fields are multiples of $1/N$) may come out of floating point as $\pm 10^{-17}$,
so "zero" means $|h_i| \le 10^{-12} \max_i \sum_j |w_{ij}|$, far below the
smallest non-zero field of Hebbian weights.

References
----------
Hopfield (1982), *Neural networks and physical systems with emergent
collective computational abilities*, PNAS 79, 2554-2558.
Hertz, Krogh & Palmer (1991), *Introduction to the Theory of Neural
Computation*, Addison-Wesley, chapter 2.
Amit, Gutfreund & Sompolinsky (1985), *Storing infinite numbers of patterns in
a spin-glass model of neural networks*, Phys. Rev. Lett. 55, 1530-1533.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmem._checks import check_positive_int, make_rng

__all__ = [
    "RecallResult",
    "corrupt",
    "energy",
    "one_step_error_rate",
    "one_step_error_theory",
    "overlap",
    "recall",
    "store",
    "update_async",
    "update_sync",
]


def _as_pm1(name: str, value: Any, *, ndim: tuple[int, ...], shape_hint: str) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be an array of -1 and +1 with shape {shape_hint}; got {value!r}.")
    array = np.asarray(value)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"`{name}` must be an array of -1 and +1 with shape {shape_hint}; got dtype {array.dtype}.")
    if array.ndim not in ndim:
        raise ValueError(f"`{name}` must have shape {shape_hint}; got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {array.shape}.")
    bad = ~np.isin(array, (-1, 1))
    if bad.any():
        example = array[bad].flat[0].item()
        raise ValueError(f"`{name}` must contain only -1 and +1; got {int(bad.sum())} other value(s), e.g. {example!r}.")
    return array.astype(np.float64)


def _check_weights(W: Any) -> np.ndarray:
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"`W` must be a square matrix of shape (N, N); got shape {W.shape}.")
    if not np.all(np.isfinite(W)):
        raise ValueError("`W` must contain only finite numbers; got NaN or infinity.")
    return W


def _check_state(name: str, state: Any, n_neurons: int, *, batch: bool) -> np.ndarray:
    hint = f"(n_states, {n_neurons})" if batch else f"({n_neurons},) or (n_states, {n_neurons})"
    s = _as_pm1(name, state, ndim=(1, 2), shape_hint=hint)
    if s.shape[-1] != n_neurons:
        raise ValueError(f"`{name}` must have {n_neurons} neurons (last axis) to match `W`; got shape {s.shape}.")
    return s


# --8<-- [start:store]
def store(patterns: np.ndarray) -> np.ndarray:
    r"""Hebbian weights $W = \frac{1}{N} \Xi^\top \Xi$ with a zero diagonal.

    Parameters
    ----------
    patterns : ndarray of shape (p, N)
        One pattern per row, entries in $\{-1, +1\}$.

    Returns
    -------
    ndarray of shape (N, N)
        Symmetric weights, $w_{ii} = 0$.

    Raises
    ------
    ValueError
        If `patterns` is not 2-D or holds values other than -1 and +1.

    Examples
    --------
    >>> store(np.array([[1, -1, 1]]))  # w_ij = xi_i xi_j / 3 off the diagonal
    array([[ 0.        , -0.33333333,  0.33333333],
           [-0.33333333,  0.        , -0.33333333],
           [ 0.33333333, -0.33333333,  0.        ]])
    """
    xi = _as_pm1("patterns", patterns, ndim=(2,), shape_hint="(n_patterns, n_neurons)")
    n_neurons = xi.shape[1]
    W = xi.T @ xi / n_neurons
    np.fill_diagonal(W, 0.0)
    return W
# --8<-- [end:store]


def energy(W: np.ndarray, state: np.ndarray) -> np.ndarray | float:
    r"""Energy $E(s) = -\tfrac12 s^\top W s$ of one state or of each row of a batch.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Weights from `store`.
    state : ndarray of shape (N,) or (n_states, N)
        States in $\{-1, +1\}$.

    Returns
    -------
    float or ndarray of shape (n_states,)
        The energy of each state.

    Examples
    --------
    >>> W = store(np.array([[1, -1, 1]]))
    >>> round(energy(W, np.array([1, -1, 1])), 6)  # -(1/2) * 6 * (1/3)
    -1.0
    """
    W = _check_weights(W)
    s = _check_state("state", state, W.shape[0], batch=False)
    e = -0.5 * np.einsum("...i,ij,...j->...", s, W, s)
    return float(e) if s.ndim == 1 else e


def _tie_tolerance(W: np.ndarray) -> float:
    """Fields smaller than this are zero up to rounding (see the module notes on ties)."""
    return 1e-12 * float(np.abs(W).sum(axis=1).max(initial=0.0))


def _sign_keep_ties(field: np.ndarray, current: np.ndarray, tol: float) -> np.ndarray:
    return np.where(field > tol, 1.0, np.where(field < -tol, -1.0, current))


# --8<-- [start:async]
def update_async(W: np.ndarray, state: np.ndarray, *, rng: Any = None) -> np.ndarray:
    r"""One asynchronous sweep: every neuron, in a random order, takes the sign of its field.

    Each neuron sees the states its predecessors in the sweep have just
    taken. A flip of neuron $i$ changes the energy by
    $\Delta E = -\Delta s_i\, h_i \le 0$ (because $w_{ii} = 0$ and $W$ is
    symmetric), so the energy never increases.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Symmetric weights with zero diagonal.
    state : ndarray of shape (N,) or (n_states, N)
        Current state(s); a batch is updated with the same random order.
    rng : None, int or numpy.random.Generator
        Chooses the order of the updates.

    Returns
    -------
    ndarray of the shape of `state`
        The new state(s), as float arrays of -1.0 and +1.0.
    """
    W = _check_weights(W)
    s = _check_state("state", state, W.shape[0], batch=False).copy()
    order = make_rng(rng).permutation(W.shape[0])
    tol = _tie_tolerance(W)
    for i in order:
        field = s @ W[:, i]  # h_i for every state in the batch
        s[..., i] = _sign_keep_ties(field, s[..., i], tol)
    return s
# --8<-- [end:async]


# --8<-- [start:sync]
def update_sync(W: np.ndarray, states: np.ndarray) -> np.ndarray:
    r"""One synchronous step: all neurons update at once, $s \leftarrow \operatorname{sign}(W s)$.

    Parallel updates can end in a 2-cycle between two states instead of a
    fixed point; the energy argument covers only asynchronous updates.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Weights.
    states : ndarray of shape (n_states, N) or (N,)
        Current states.

    Returns
    -------
    ndarray of the shape of `states`
        The states after one parallel update (ties keep their value).

    Examples
    --------
    >>> W = np.array([[0.0, -1.0], [-1.0, 0.0]])
    >>> update_sync(W, np.array([[1, 1]]))  # both flip: a 2-cycle (1,1) <-> (-1,-1)
    array([[-1., -1.]])
    """
    W = _check_weights(W)
    s = _check_state("states", states, W.shape[0], batch=True)
    return _sign_keep_ties(s @ W, s, _tie_tolerance(W))  # W is symmetric, so s @ W = (W s^T)^T
# --8<-- [end:sync]


@dataclass(frozen=True)
class RecallResult:
    """Outcome of `recall`.

    Attributes
    ----------
    state : ndarray of shape (N,) or (n_states, N)
        The final state(s).
    converged : bool or ndarray of bool
        Whether a whole sweep left the state unchanged (a fixed point).
    steps : int
        Number of sweeps run (including the final sweep with no change).
    """

    state: np.ndarray
    converged: Any
    steps: int


def recall(W: np.ndarray, cue: np.ndarray, *, max_steps: int = 100, rng: Any = None) -> RecallResult:
    """Run asynchronous sweeps from `cue` until nothing changes or `max_steps` sweeps.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Weights from `store`.
    cue : ndarray of shape (N,) or (n_states, N)
        Starting state(s), e.g. a corrupted pattern.
    max_steps : int, default 100
        Maximum number of sweeps.
    rng : None, int or numpy.random.Generator
        Chooses the update order of each sweep.

    Returns
    -------
    RecallResult
        The settled state, whether it converged, and the number of sweeps.

    Examples
    --------
    >>> xi = np.array([[1, 1, 1, 1, -1, -1, -1, -1], [1, -1, 1, -1, 1, -1, 1, -1]])
    >>> W = store(xi)
    >>> cue = xi[0].copy(); cue[0] = -1  # one bit wrong
    >>> result = recall(W, cue, rng=0)
    >>> result.state.astype(int).tolist(), result.converged
    ([1, 1, 1, 1, -1, -1, -1, -1], True)
    """
    W = _check_weights(W)
    s = _check_state("cue", cue, W.shape[0], batch=False)
    max_steps = check_positive_int("max_steps", max_steps)
    gen = make_rng(rng)
    converged = np.zeros(s.shape[:-1], dtype=bool)
    steps = 0
    for steps in range(1, max_steps + 1):
        new = update_async(W, s, rng=gen)
        converged = np.all(new == s, axis=-1)
        s = new
        if np.all(converged):
            break
    return RecallResult(state=s, converged=bool(converged) if np.ndim(converged) == 0 else converged, steps=steps)


def corrupt(pattern: np.ndarray, *, fraction: float, rng: Any = None) -> np.ndarray:
    """Flip exactly ``round(fraction * N)`` randomly chosen bits of `pattern`.

    Parameters
    ----------
    pattern : ndarray of shape (N,)
        A pattern in $\\{-1, +1\\}$.
    fraction : float
        Fraction of bits to flip, in $[0, 1]$.
    rng : None, int or numpy.random.Generator
        Chooses the bits.

    Returns
    -------
    ndarray of shape (N,)
        A corrupted copy.

    Examples
    --------
    >>> p = np.ones(10)
    >>> int((corrupt(p, fraction=0.3, rng=0) == -1).sum())
    3
    """
    s = _as_pm1("pattern", pattern, ndim=(1,), shape_hint="(n_neurons,)").copy()
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
        raise ValueError(f"`fraction` must be a number in [0, 1]; got {fraction!r}.")
    n_flip = int(round(fraction * s.size))
    idx = make_rng(rng).choice(s.size, size=n_flip, replace=False)
    s[idx] *= -1
    return s


def overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    r"""Overlap $m = \frac{1}{N} \sum_i a_i b_i$, in $[-1, 1]$; 1 means identical.

    Parameters
    ----------
    a : ndarray of shape (N,) or (n, N)
        State(s) in $\{-1, +1\}$.
    b : ndarray of shape (N,) or (k, N)
        State(s) or patterns in $\{-1, +1\}$. With equal shapes the overlap is
        taken row by row; otherwise every row of `a` against every row of `b`.

    Returns
    -------
    float or ndarray
        The overlap(s).

    Examples
    --------
    >>> overlap(np.array([1, 1, -1, -1]), np.array([1, -1, -1, -1]))
    0.5
    """
    a = _as_pm1("a", a, ndim=(1, 2), shape_hint="(N,) or (n, N)")
    b = _as_pm1("b", b, ndim=(1, 2), shape_hint="(N,) or (n, N)")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"`a` and `b` must have the same number of neurons; got {a.shape[-1]} and {b.shape[-1]}.")
    m = (a * b).mean(axis=-1) if a.shape == b.shape else a @ b.T / a.shape[-1]
    return float(m) if np.ndim(m) == 0 else m


# --8<-- [start:capacity]
def one_step_error_theory(load: float) -> float:
    r"""Probability that a stored bit is unstable after one update, for load $\alpha = p/N$.

    The crosstalk from the other patterns is approximately Gaussian with
    variance $\alpha$, so

    $$P_\text{error} = \tfrac12\left(1 - \operatorname{erf}\sqrt{1 / (2\alpha)}\right).$$

    Parameters
    ----------
    load : float
        $\alpha = p / N > 0$.

    Returns
    -------
    float
        The predicted probability.

    Examples
    --------
    >>> round(one_step_error_theory(0.138), 4)  # Hertz, Krogh & Palmer (1991), table 2.1
    0.0036
    """
    if isinstance(load, bool) or not isinstance(load, (int, float)) or not load > 0:
        raise ValueError(f"`load` must be a positive number p/N; got {load!r}.")
    return 0.5 * (1.0 - math.erf(math.sqrt(1.0 / (2.0 * load))))


def one_step_error_rate(n_neurons: int, n_patterns: int, *, trials: int = 1, rng: Any = None) -> float:
    """Measured fraction of stored bits that flip when each pattern is updated once.

    Stores `n_patterns` random patterns in `n_neurons` neurons, computes every
    neuron's field for every stored pattern (one matrix product) and counts
    the bits whose sign disagrees with the pattern, averaged over `trials`
    independent sets of patterns.

    Parameters
    ----------
    n_neurons : int
        $N$.
    n_patterns : int
        $p$.
    trials : int, default 1
        Independent sets of random patterns to average over.
    rng : None, int or numpy.random.Generator
        Draws the patterns.

    Returns
    -------
    float
        Fraction of unstable bits.
    """
    n_neurons = check_positive_int("n_neurons", n_neurons)
    n_patterns = check_positive_int("n_patterns", n_patterns)
    trials = check_positive_int("trials", trials)
    gen = make_rng(rng)
    errors = 0
    for _ in range(trials):
        xi = gen.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_neurons))
        fields = xi @ store(xi)  # (p, N): h_i for each stored pattern
        errors += int(np.count_nonzero(fields * xi < 0))
    return errors / (trials * n_patterns * n_neurons)
# --8<-- [end:capacity]
