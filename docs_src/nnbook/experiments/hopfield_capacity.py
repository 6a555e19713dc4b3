"""Storage capacity of the classical Hopfield network with random patterns.

Used by the chapter "Hopfield networks" (``docs/hopfield.md``).

* ``one_step``: the fraction of stored bits that are unstable after one
  update, measured with :func:`nnmem.hopfield.one_step_error_rate` at the
  loads of Hertz, Krogh & Palmer (1991, table 2.1), next to the Gaussian
  crosstalk prediction :func:`nnmem.hopfield.one_step_error_theory` and the
  published values.
* ``retrieval``: for each load $\\alpha = p/N$, store $p$ random patterns,
  start recall from every stored pattern itself (the whole batch at once) and
  count the patterns whose final overlap with the start exceeds 0.95; also
  the mean fraction of wrong bits in the patterns that count as retrieved.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem.hopfield import one_step_error_rate, one_step_error_theory, overlap, recall, store

#: Hertz, Krogh & Palmer (1991), table 2.1: load p/N -> one-step error probability.
PUBLISHED = {0.105: 0.001, 0.138: 0.0036, 0.185: 0.01, 0.37: 0.05, 0.61: 0.1}

#: Loads of the retrieval curve.
LOADS = (0.02, 0.05, 0.08, 0.1, 0.12, 0.13, 0.14, 0.15, 0.16, 0.18, 0.2, 0.25)


def retrieval_at(n_neurons: int, load: float, *, sets: int, max_steps: int, rng: np.random.Generator,
                 threshold: float = 0.95) -> dict[str, Any]:
    """Recall every stored pattern from itself; share with final overlap > `threshold`, over `sets` pattern sets."""
    p = max(1, round(load * n_neurons))
    retrieved, wrong, total = 0, [], 0
    for _ in range(sets):
        xi = rng.choice(np.array([-1.0, 1.0]), size=(p, n_neurons))
        final = recall(store(xi), xi, max_steps=max_steps, rng=rng).state
        m = overlap(final, xi).diagonal()  # each final state against its own pattern
        ok = m > threshold
        retrieved += int(ok.sum())
        total += p
        wrong.extend(((1.0 - m[ok]) / 2.0).tolist())
    return {
        "load": load, "n_patterns": p, "fraction_retrieved": retrieved / total,
        "wrong_bits": float(np.mean(wrong)) if wrong else None,
    }


def run(*, n_neurons: int = 1000, trials: int = 3, sizes: tuple[int, ...] = (500, 1000),
        sets: tuple[int, ...] = (1, 1), loads: tuple[float, ...] = LOADS, max_steps: int = 20,
        seed: int = 0) -> dict[str, Any]:
    """One-step error table and retrieval curves (see the module docstring)."""
    rng = np.random.default_rng(seed)
    table = []
    for load, published in PUBLISHED.items():
        p = round(load * n_neurons)
        table.append({
            "load": load, "n_patterns": p,
            "measured": one_step_error_rate(n_neurons, p, trials=trials, rng=rng),
            "theory": one_step_error_theory(p / n_neurons),
            "published": published,
        })
    curves = []
    for n, n_sets in zip(sizes, sets, strict=True):
        points = [retrieval_at(n, a, sets=n_sets, max_steps=max_steps, rng=rng) for a in loads]
        curves.append({"n_neurons": n, "sets": n_sets, "points": points})
    return {"n_neurons": n_neurons, "trials": trials, "one_step": table, "curves": curves,
            "max_steps": max_steps}
