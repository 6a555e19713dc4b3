r"""The Hopfield network: memories as fixed points of recurrent dynamics.

$N$ binary neurons with states $s_i \in \{-1, +1\}$ are connected by
symmetric weights. $p$ patterns $\xi^\mu \in \{-1, +1\}^N$ (the rows of
``patterns``, shape ``(p, N)``) are stored by the Hebbian outer-product rule

$$w_{ij} = \frac{1}{N} \sum_{\mu=1}^{p} \xi^\mu_i \xi^\mu_j, \qquad w_{ii} = 0,$$

and a neuron updates to the sign of its local field $h_i = \sum_j w_{ij} s_j$.
The energy $E(s) = -\tfrac12 s^\top W s$ never increases under asynchronous
updates, so the dynamics settle in a local minimum: ideally the stored pattern
closest to the cue.

Every function that takes weights checks that $W$ is square, finite,
symmetric ($w_{ij} = w_{ji}$) and has a zero diagonal, up to rounding
($10^{-10}$ of the largest weight): the energy argument needs both, so
non-symmetric weights or self-couplings are rejected with a ``ValueError``.
Fields follow the book's index order, $h = W s$; for a batch of states in
the rows of $S$ that is $H = S W^\top$.

Ties: when $h_i = 0$, the neuron keeps its current state. This keeps the
dynamics deterministic and the energy argument intact. With Hebbian weights
$N h_i$ is a sum of $p(N - 1)$ terms $\pm 1$, so exact zero fields occur
whenever $p(N - 1)$ is even. Such a field may come out of floating point as
$\pm 10^{-17}$, so "zero" means $|h_i| \le 10^{-12} \max_i \sum_j |w_{ij}|$,
far below the smallest non-zero field of Hebbian weights. Weights count as
symmetric up to rounding; when they are not exactly symmetric, "zero" also
covers every field that their asymmetry and diagonal could move across zero
(`tie_tolerance`), so every asynchronous flip still lowers the energy of the
symmetric part and the updates cannot cycle. `update_async`, `update_sync`,
`recall` and `one_step_error_rate` all use this one rule.

All arrays returned are float64.

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

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import (
    Seed,
    as_array,
    as_pm1,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_real,
    make_rng,
)

#: `W` counts as symmetric with a zero diagonal when every |w_ij - w_ji| and
#: |w_ii| is at most this times max |w_ij| (room for rounding only).
_SYMMETRY_RTOL = 1e-10

__all__ = [
    "RecallResult",
    "corrupt",
    "energy",
    "one_step_error_rate",
    "one_step_error_theory",
    "overlap",
    "recall",
    "sign_keep_ties",
    "store",
    "tie_tolerance",
    "update_async",
    "update_sync",
]


def _check_weights(W: ArrayLike) -> np.ndarray:
    """`W` as a finite, square, symmetric float64 matrix with a zero diagonal."""
    W = as_array("W", W, ndim=2, shape_hint="(N, N)")
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"`W` must be a square matrix of shape (N, N); got shape {W.shape}.")
    tol = _SYMMETRY_RTOL * float(np.abs(W).max())  # rounding in a computed symmetric matrix
    asymmetry = float(np.abs(W - W.T).max())
    if asymmetry > tol:
        raise ValueError(f"`W` must be symmetric (w_ij = w_ji); got max |w_ij - w_ji| = {asymmetry:.3g}.")
    self_coupling = float(np.abs(np.diagonal(W)).max())
    if self_coupling > tol:
        raise ValueError(f"`W` must have a zero diagonal (w_ii = 0); got max |w_ii| = {self_coupling:.3g}.")
    return W


def _check_state(name: str, state: ArrayLike, n_neurons: int) -> np.ndarray:
    hint = f"({n_neurons},) or (n_states, {n_neurons})"
    s = as_pm1(name, state, ndim=(1, 2), shape_hint=hint)
    if s.shape[-1] != n_neurons:
        raise ValueError(f"`{name}` must have {n_neurons} neurons (last axis) to match `W`; got shape {s.shape}.")
    return s


# --8<-- [start:store]
def store(patterns: ArrayLike) -> np.ndarray:
    # --8<-- [end:store]
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
    # --8<-- [start:store-body]
    xi = as_pm1("patterns", patterns, ndim=(2,), shape_hint="(n_patterns, n_neurons)")
    n_neurons = xi.shape[1]
    W: np.ndarray = xi.T @ xi / n_neurons
    np.fill_diagonal(W, 0.0)
    return W
# --8<-- [end:store-body]


def energy(W: ArrayLike, state: ArrayLike) -> float:
    r"""Energy $E(s) = -\tfrac12 s^\top W s = -\tfrac12 \sum_{i,j} w_{ij} s_i s_j$ of one state.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Symmetric weights with a zero diagonal, e.g. from `store`.
    state : ndarray of shape (N,)
        One state in $\{-1, +1\}$.

    Returns
    -------
    float
        The energy.

    Raises
    ------
    ValueError
        If `W` is not square, symmetric with a zero diagonal and finite, or
        `state` is not a vector of -1 and +1 with N entries.

    Examples
    --------
    >>> W = store(np.array([[1, -1, 1]]))
    >>> energy(W, np.array([1, -1, 1]))  # -(1/2) * (6 off-diagonal terms of +1/3)
    -1.0
    """
    W = _check_weights(W)
    s = as_pm1("state", state, ndim=(1,), shape_hint=f"({W.shape[0]},)")
    if s.shape[0] != W.shape[0]:
        raise ValueError(f"`state` must have {W.shape[0]} neurons to match `W`; got shape {s.shape}.")
    return float(-0.5 * (s @ W @ s))


def _tie_tolerance(W: np.ndarray) -> float:
    """Fields smaller than this are zero up to rounding (see the module notes on ties)."""
    rounding = 1e-12 * float(np.abs(W).sum(axis=1).max(initial=0.0))
    # How far W's (rounding-level) asymmetry and diagonal can move a field away from the field of its
    # symmetric, zero-diagonal part: a flip on a larger field lowers that part's energy.
    slack = float((0.5 * np.abs(W - W.T).sum(axis=1) + np.abs(np.diagonal(W))).max(initial=0.0))
    return max(rounding, slack)


def _sign_keep_ties(field: np.ndarray, current: np.ndarray, tol: float) -> np.ndarray:
    return np.where(field > tol, 1.0, np.where(field < -tol, -1.0, current))


def tie_tolerance(W: ArrayLike) -> float:
    r"""The largest field that counts as zero (a tie) for weights `W`.

    $$\tau = \max\Big(10^{-12} \max_i \sum_j |w_{ij}|,\;
    \max_i \big(\tfrac12 \sum_j |w_{ij} - w_{ji}| + |w_{ii}|\big)\Big).$$

    The first term absorbs rounding in the fields; the second is zero for exactly
    symmetric weights with a zero diagonal, and otherwise bounds how far the
    rounding-level asymmetry and diagonal that `W` may have can move a field
    $h_i$ from the field of the symmetric, zero-diagonal part of `W`. A neuron
    that flips on a field $|h_i| > \tau$ therefore lowers that part's
    energy, so asynchronous updates cannot cycle.

    This is the one notion of a zero field that `update_async`,
    `update_sync`, `recall` and `one_step_error_rate` use (see the module
    notes on ties); pass it to `sign_keep_ties`.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Symmetric weights with zero diagonal.

    Returns
    -------
    float

    Examples
    --------
    >>> W = np.array([[0.0, 2.0, -1.0], [2.0, 0.0, 0.5], [-1.0, 0.5, 0.0]])
    >>> tie_tolerance(W)  # the row sums of |w_ij| are 3, 2.5 and 1.5: 1e-12 * 3
    3e-12
    """
    return _tie_tolerance(_check_weights(W))


def sign_keep_ties(field: ArrayLike, current: ArrayLike, *, tol: float) -> np.ndarray:
    r"""The update rule of a Hopfield neuron: the sign of its field, or its current state on a tie.

    The new state is $+1$ where $h > \text{tol}$, $-1$ where
    $h < -\text{tol}$ and the current state where $|h| \le \text{tol}$.

    Parameters
    ----------
    field : ndarray of any shape
        Local fields $h_i$.
    current : ndarray of the shape of `field`
        Current states, -1 or +1.
    tol : float
        Fields with $|h| \le$ `tol` are ties, $\ge 0$; `tie_tolerance` gives
        the package's value for given weights.

    Returns
    -------
    ndarray of the shape of `field`
        The new states, float64 -1.0 and +1.0.

    Examples
    --------
    >>> sign_keep_ties(np.array([0.5, -0.5, 1e-15, 1e-15]), np.array([-1, 1, -1, 1]), tol=1e-12)
    array([ 1., -1., -1.,  1.])
    """
    h = as_array("field", field, ndim=None, shape_hint="(any shape)")
    s = as_pm1("current", current, ndim=(h.ndim,), shape_hint=f"{h.shape} like `field`")
    if s.shape != h.shape:
        raise ValueError(f"`current` must have shape {h.shape} like `field`; got shape {s.shape}.")
    return _sign_keep_ties(h, s, check_nonnegative_float("tol", tol))


# --8<-- [start:async]
def update_async(W: ArrayLike, state: ArrayLike, *, rng: Seed = None) -> np.ndarray:
    # --8<-- [end:async]
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

    Examples
    --------
    >>> W = np.array([[0.0, -1.0], [-1.0, 0.0]])  # two neurons that disagree
    >>> update_async(W, np.array([1, 1]), rng=0).tolist()  # the first one updated flips; the second then stays
    [-1.0, 1.0]
    """
    # --8<-- [start:async-body]
    W = _check_weights(W)
    s = _check_state("state", state, W.shape[0]).copy()
    order = make_rng(rng).permutation(W.shape[0])
    tol = _tie_tolerance(W)
    for i in order:
        field = s @ W[i]  # h_i = sum_j w_ij s_j, for every state in the batch
        s[..., i] = _sign_keep_ties(field, s[..., i], tol)
    return s
# --8<-- [end:async-body]


# --8<-- [start:sync]
def update_sync(W: ArrayLike, states: ArrayLike) -> np.ndarray:
    # --8<-- [end:sync]
    r"""One synchronous step: all neurons update at once, $s \leftarrow \operatorname{sign}(W s)$.

    For a batch of row states $S$ the fields are $H = S W^\top$, i.e.
    $h_{ni} = \sum_j w_{ij} s_{nj}$. Parallel updates can end in a 2-cycle
    between two states instead of a fixed point; the energy argument covers
    only asynchronous updates.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Symmetric weights with zero diagonal.
    states : ndarray of shape (n_states, N) or (N,)
        Current states, one per row.

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
    # --8<-- [start:sync-body]
    W = _check_weights(W)
    s = _check_state("states", states, W.shape[0])
    return _sign_keep_ties(s @ W.T, s, _tie_tolerance(W))  # H = S W^T: row n holds W s_n
# --8<-- [end:sync-body]


@dataclass(frozen=True)
class RecallResult:
    """Outcome of `recall`.

    Attributes
    ----------
    state : ndarray of shape (N,) or (n_states, N)
        The final state(s), with the shape of the cue.
    converged : ndarray of bool, of shape () or (n_states,)
        Whether a whole sweep left each state unchanged (a fixed point);
        always an array (0-d for a single cue), so ``bool(result.converged)``
        and ``result.converged.all()`` both work.
    steps : int
        Number of sweeps run (including the final sweep with no change).
    """

    state: np.ndarray
    converged: np.ndarray
    steps: int


def recall(
    W: ArrayLike, cue: ArrayLike, *, max_steps: int = 100, rng: Seed = None
) -> RecallResult:
    """Run asynchronous sweeps from `cue` until nothing changes or `max_steps` sweeps.

    Parameters
    ----------
    W : ndarray of shape (N, N)
        Symmetric weights with zero diagonal, e.g. from `store`.
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
    >>> result.state.astype(int).tolist(), bool(result.converged), result.steps
    ([1, 1, 1, 1, -1, -1, -1, -1], True, 2)
    """
    W = _check_weights(W)
    s = _check_state("cue", cue, W.shape[0])
    max_steps = check_positive_int("max_steps", max_steps)
    gen = make_rng(rng)
    converged = np.zeros(s.shape[:-1], dtype=bool)
    steps = 0
    while steps < max_steps:
        steps += 1
        new = update_async(W, s, rng=gen)
        converged = np.all(new == s, axis=-1)
        s = new
        if np.all(converged):
            break
    return RecallResult(state=s, converged=np.asarray(converged), steps=steps)


def corrupt(pattern: ArrayLike, *, fraction: float, rng: Seed = None) -> np.ndarray:
    r"""Flip exactly ``round(fraction * N)`` randomly chosen bits of `pattern`.

    Parameters
    ----------
    pattern : ndarray of shape (N,)
        A pattern in $\{-1, +1\}$.
    fraction : float
        Fraction of bits to flip, in $[0, 1]$ (numpy scalars accepted).
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
    s = as_pm1("pattern", pattern, ndim=(1,), shape_hint="(n_neurons,)").copy()
    fraction = check_real("fraction", fraction)
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"`fraction` must be a number in [0, 1]; got {fraction}.")
    n_flip = int(round(fraction * s.size))
    idx = make_rng(rng).choice(s.size, size=n_flip, replace=False)
    s[idx] *= -1
    return s


def overlap(states: ArrayLike, patterns: ArrayLike) -> np.ndarray:
    r"""Overlaps $m^\mu = \frac{1}{N} \sum_i s_i \xi^\mu_i$ of each state with each pattern, in $[-1, 1]$.

    1 means identical, -1 the reversed pattern, about 0 unrelated.

    Parameters
    ----------
    states : ndarray of shape (N,) or (n_states, N)
        State(s) $s$ in $\{-1, +1\}$.
    patterns : ndarray of shape (N,) or (n_patterns, N)
        Pattern(s) $\xi^\mu$ in $\{-1, +1\}$.

    Returns
    -------
    ndarray of shape ``states.shape[:-1] + patterns.shape[:-1]``
        Always an array: 0-d for one state and one pattern (use ``float(m)``),
        ``(n_patterns,)`` for one state against many patterns, ``(n_states,)``
        for many states against one pattern, and ``(n_states, n_patterns)``
        (every state against every pattern) for two batches; the overlaps of
        matching rows are its diagonal.

    Examples
    --------
    >>> overlap(np.array([1, 1, -1, -1]), np.array([1, -1, -1, -1]))  # (1 - 1 + 1 + 1) / 4
    array(0.5)
    >>> overlap(np.array([1, 1, -1, -1]), np.array([[1, 1, -1, -1], [-1, -1, 1, 1]]))
    array([ 1., -1.])
    """
    s = as_pm1("states", states, ndim=(1, 2), shape_hint="(N,) or (n_states, N)")
    xi = as_pm1("patterns", patterns, ndim=(1, 2), shape_hint="(N,) or (n_patterns, N)")
    if s.shape[-1] != xi.shape[-1]:
        raise ValueError(
            f"`states` and `patterns` must have the same number of neurons (last axis); "
            f"got {s.shape[-1]} and {xi.shape[-1]}."
        )
    return np.asarray(s @ xi.T / s.shape[-1])


# --8<-- [start:capacity]
def one_step_error_theory(load: float) -> float:
    # --8<-- [end:capacity]
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
    # --8<-- [start:capacity-body]
    load = check_positive_float("load", load)
    return 0.5 * (1.0 - math.erf(math.sqrt(1.0 / (2.0 * load))))


def one_step_error_rate(
    n_neurons: int, n_patterns: int, *, trials: int = 1, rng: Seed = None
) -> float:
    # --8<-- [end:capacity-body]
    """Measured fraction of stored bits that flip when each pattern is updated once.

    Stores `n_patterns` random patterns in `n_neurons` neurons, computes every
    neuron's field for every stored pattern (one matrix product) and counts
    the bits that the update rule would change (with the tie rule of
    `update_sync`: a zero field keeps the bit), averaged over `trials`
    independent sets of patterns. Each set is drawn as
    ``rng.choice([-1.0, 1.0], size=(n_patterns, n_neurons))``.

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
    # --8<-- [start:capacity-body-2]
    n_neurons = check_positive_int("n_neurons", n_neurons)
    n_patterns = check_positive_int("n_patterns", n_patterns)
    trials = check_positive_int("trials", trials)
    gen = make_rng(rng)
    errors = 0
    for _ in range(trials):
        xi = gen.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_neurons))
        W = store(xi)
        updated = _sign_keep_ties(xi @ W.T, xi, _tie_tolerance(W))  # one update of each stored pattern
        errors += int(np.count_nonzero(updated != xi))
    return errors / (trials * n_patterns * n_neurons)
# --8<-- [end:capacity-body-2]
