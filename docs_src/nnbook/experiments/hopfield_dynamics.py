"""Energy, update order, 2-cycles and spurious states of the classical Hopfield network.

Used by the chapter "Hopfield networks" (``docs/hopfield.md``).

* :func:`async_updates` replays asynchronous updates one neuron at a time in a
  given order and records the energy after every single update, using
  $\\Delta E = -\\Delta s_i h_i$. With ``order = default_rng(seed).permutation(N)``
  it ends in exactly the state that ``nnmem.hopfield.update_async(W, s,
  rng=seed)`` returns (the tests check this), so it is the package's sweep,
  opened up so that we can watch it.
* :func:`run` computes the energy traces of asynchronous and synchronous
  recall from the same cue, the two-neuron 2-cycle, the symmetric
  3-mixture and reversed states at low load, and the end points of recall
  from random states at low and high load.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem.hopfield import (
    corrupt,
    energy,
    overlap,
    recall,
    sign_keep_ties,
    store,
    tie_tolerance,
    update_async,
    update_sync,
)


def async_updates(W: np.ndarray, state: np.ndarray, order: np.ndarray, *,
                  snapshots: tuple[int, ...] = ()) -> dict[str, Any]:
    """Update the neurons of one state in `order`, one at a time.

    Returns ``state`` (final), ``energies`` (``len(order) + 1`` values: the
    energy before any update and after each one) and ``snapshots`` (the state
    after the first ``n`` updates, for each ``n`` in `snapshots`).
    """
    s = np.asarray(state, dtype=float).copy()
    tol = tie_tolerance(W)  # the package's notion of a zero field
    e = energy(W, s)
    energies = [e]
    shots = {0: s.copy()} if 0 in snapshots else {}
    for t, i in enumerate(order, start=1):
        h = W[i] @ s  # local field h_i = sum_j w_ij s_j (as in update_async); w_ii = 0
        new = float(sign_keep_ties(h, s[i], tol=tol))  # the package's rule: a tie keeps the state
        e -= (new - s[i]) * h  # Delta E = -Delta s_i h_i
        s[i] = new
        energies.append(e)
        if t in snapshots:
            shots[t] = s.copy()
    return {"state": s, "energies": np.array(energies), "snapshots": [shots[n] for n in snapshots]}


def parallel_lyapunov(W: np.ndarray, previous: np.ndarray, current: np.ndarray) -> float:
    """Goles' function $L(t) = -s(t)^T W s(t-1)$, which synchronous updates never increase."""
    return float(-current @ W @ previous)


def energy_traces(*, n_neurons: int = 500, n_patterns: int = 60, fraction: float = 0.3,
                  sync_steps: int = 30, seed: int = 1) -> dict[str, Any]:
    """Asynchronous and synchronous recall from the same corrupted cue.

    The cue is the first one (pattern index 0, 1, ...) from which asynchronous
    recall retrieves its pattern while synchronous updates end in a 2-cycle.
    """
    rng = np.random.default_rng(seed)
    xi = rng.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_neurons))
    W = store(xi)
    for k in range(n_patterns):
        cue = corrupt(xi[k], fraction=fraction, rng=rng)
        sync_states = [cue]
        for _ in range(sync_steps):
            sync_states.append(update_sync(W, sync_states[-1][None, :])[0])
        two_cycle = (np.array_equal(sync_states[-1], sync_states[-3])
                     and not np.array_equal(sync_states[-1], sync_states[-2]))
        # asynchronous: one random order per sweep, as in update_async
        s = cue
        energies = [energy(W, cue)]
        n_sweeps = 0
        while True:
            order = np.random.default_rng(1000 + k + n_sweeps).permutation(n_neurons)
            out = async_updates(W, s, order)
            energies.extend(out["energies"][1:].tolist())
            n_sweeps += 1
            if np.array_equal(out["state"], s) or n_sweeps >= 30:
                s = out["state"]
                break
            s = out["state"]
        if two_cycle and overlap(s, xi[k]) > 0.99:
            pairs = zip(sync_states[:-1], sync_states[1:], strict=True)
            lyap = [parallel_lyapunov(W, a, b) / n_neurons for a, b in pairs]
            return {
                "n_neurons": n_neurons, "n_patterns": n_patterns, "fraction": fraction, "pattern": k,
                "async_energy": np.array(energies) / n_neurons,
                "async_sweeps": n_sweeps,
                "async_overlap": float(overlap(s, xi[k])),
                "sync_energy": np.array([energy(W, st) for st in sync_states]) / n_neurons,
                "sync_lyapunov": lyap,
                "sync_overlaps": overlap(np.array(sync_states), xi[k]).tolist(),
                "sync_two_cycle": bool(two_cycle),
                "sync_flips_last": int(np.sum(sync_states[-1] != sync_states[-2])),
            }
    raise RuntimeError("no cue with a synchronous 2-cycle found; change the seed or the load")


def spurious(*, n_neurons: int = 1000, n_patterns: int = 10, seed: int = 4) -> dict[str, Any]:
    """The symmetric 3-mixture and a reversed pattern at low load."""
    rng = np.random.default_rng(seed)
    xi = rng.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_neurons))
    W = store(xi)
    mix = np.sign(xi[0] + xi[1] + xi[2])  # never zero: a sum of three +-1
    fields = mix @ W
    unstable = int(np.sum(fields * mix < 0))
    settled = recall(W, mix, max_steps=50, rng=rng)
    rev = -xi[0]
    return {
        "n_neurons": n_neurons, "n_patterns": n_patterns,
        "mix_unstable_bits": unstable,
        "mix_overlaps": overlap(mix, xi),
        "settled_overlaps": overlap(settled.state, xi),
        "settled_changed_bits": int(np.sum(settled.state != mix)),
        "settled_converged": bool(settled.converged),
        "energy_pattern": energy(W, xi[0]) / n_neurons,
        "energy_mix": energy(W, settled.state) / n_neurons,
        "energy_reversed": energy(W, rev) / n_neurons,
        "reversed_fixed": bool(np.array_equal(update_async(W, rev, rng=0), rev)),
    }


def random_starts(*, n_neurons: int = 500, loads: tuple[float, ...] = (0.02, 0.2), starts: int = 20,
                  seed: int = 5) -> dict[str, Any]:
    """Recall from random states: the largest |overlap| of each end state with any stored pattern."""
    rng = np.random.default_rng(seed)
    out = []
    for load in loads:
        p = round(load * n_neurons)
        xi = rng.choice(np.array([-1.0, 1.0]), size=(p, n_neurons))
        W = store(xi)
        s0 = rng.choice(np.array([-1.0, 1.0]), size=(starts, n_neurons))
        final = recall(W, s0, max_steps=50, rng=rng).state
        best = np.max(np.abs(overlap(final, xi)), axis=1)
        out.append({"load": load, "n_patterns": p, "max_overlap": best,
                    "retrieved": int(np.sum(best > 0.95))})
    return {"n_neurons": n_neurons, "starts": starts, "loads": out}


def run() -> dict[str, Any]:
    """Everything the page shows about dynamics and spurious states."""
    W2 = np.array([[0.0, -1.0], [-1.0, 0.0]])
    s = np.array([1.0, 1.0])
    two = [s]
    for _ in range(4):
        two.append(update_sync(W2, two[-1][None, :])[0])
    return {
        "two_neuron_sync": np.array(two),
        "two_neuron_async": update_async(W2, s, rng=0),
        "traces": energy_traces(),
        "spurious": spurious(),
        "random_starts": random_starts(),
    }
