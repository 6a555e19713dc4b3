"""Exact recall from corrupted cues: classical Hopfield network against dense associative memories.

Used by the chapter "Modern Hopfield networks and attention"
(``docs/modern-hopfield.md``). For a fixed number of neurons ``n_neurons`` and a
doubling grid of pattern counts ``p``, it stores ``p`` random patterns in
{-1, +1}, corrupts ``n_cues`` of them (exactly ``round(noise * N)`` bits
flipped) and counts how often each memory returns *exactly* the stored pattern:

* ``classical``: Hebbian weights (:func:`nnmem.hopfield.store`) and
  :func:`nnmem.hopfield.recall` until a fixed point;
* ``degree2``, ``degree3``, ``degree4``: the dense associative memory with
  ``F(x) = x^n`` (rectified for odd ``n``), swept with
  :func:`nnmem.modern_hopfield.dense_update_async` until a fixed point;
* ``exponential``: the same with ``F(x) = e^x``.

All models see the same patterns and the same cues. Once a model has
recalled none of its cues at some ``p``, it is not run at larger ``p`` and
is recorded as 0 there (every model's failure rate only grows with ``p``;
this keeps the build fast).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem.hopfield import corrupt, recall, store
from nnmem.modern_hopfield import dense_update_async

#: The dense models: name -> keyword arguments of ``dense_update_async``.
DENSE = {
    "degree2": {"interaction": "polynomial", "degree": 2},
    "degree3": {"interaction": "polynomial", "degree": 3},
    "degree4": {"interaction": "polynomial", "degree": 4},
    "exponential": {"interaction": "exponential"},
}


def dense_recall(
    patterns: np.ndarray, cue: np.ndarray, *, max_sweeps: int = 10, rng: Any = None, **kwargs: Any
) -> tuple[np.ndarray, bool]:
    """Sweep a dense associative memory until no neuron changes (or `max_sweeps` sweeps).

    Returns the final state and whether it is a fixed point.
    """
    gen = np.random.default_rng(rng)
    s = np.asarray(cue, dtype=np.float64)
    for _ in range(max_sweeps):
        new = dense_update_async(patterns, s, rng=gen, **kwargs)
        if np.array_equal(new, s):
            return new, True
        s = new
    return s, False


def run(
    *, n_neurons: int = 64, p_max: int = 4096, n_cues: int = 12, noise: float = 0.1, seed: int = 0
) -> dict[str, Any]:
    """Fraction of cues recalled exactly, for each model and each ``p`` in 4, 8, ..., `p_max`.

    Returns
    -------
    dict
        ``p`` (list of pattern counts), ``load`` (p / N), one list of
        fractions per model (``classical`` and the keys of :data:`DENSE`),
        and the settings.
    """
    rng = np.random.default_rng(seed)
    ps = [4 * 2**k for k in range(20) if 4 * 2**k <= p_max]
    out: dict[str, Any] = {"p": ps, "load": [p / n_neurons for p in ps], "n_neurons": n_neurons,
                           "n_cues": n_cues, "noise": noise, "classical": []}
    out.update({name: [] for name in DENSE})
    given_up: set[str] = set()
    for p in ps:
        xi = rng.choice(np.array([-1.0, 1.0]), size=(p, n_neurons))
        which = rng.choice(p, size=n_cues, replace=p < n_cues)
        cues = np.array([corrupt(xi[k], fraction=noise, rng=rng) for k in which])
        targets = xi[which]
        final = recall(store(xi), cues, max_steps=50, rng=rng).state
        out["classical"].append(float(np.mean(np.all(final == targets, axis=1))))
        for name, kwargs in DENSE.items():
            if name in given_up:
                out[name].append(0.0)
                continue
            hits = [
                np.array_equal(dense_recall(xi, c, rng=rng, **kwargs)[0], t)
                for c, t in zip(cues, targets, strict=True)
            ]
            fraction = float(np.mean(hits))
            if fraction == 0.0:
                given_up.add(name)
            out[name].append(fraction)
    return out
