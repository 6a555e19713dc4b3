"""Pattern completion with small letter images, drawn in code.

Used by the chapter "Hopfield networks" (``docs/hopfield.md``). Each letter is
a 12 x 12 grid of ``#`` (ink, +1) and ``.`` (paper, -1), so one image is a
pattern of N = 144 neurons. The experiment stores a few letters with
`nnmem.hopfield.store` and

* recalls three of them from cues with 25 % of the pixels flipped, keeping
  intermediate states (for the picture grid);
* recalls two letters from cues whose lower half is blanked (set to paper),
  once for the pictures and then with `orders` different update orders;
* measures, per letter, how often recall from a 25 %-corrupted cue ends
  exactly on the letter, for the five stored letters and again after a sixth,
  strongly correlated letter (H, which shares most of its pixels with A)
  has been added.

The pictures show the state after 36, 72 and 144 single-neuron updates of the
first sweep (see :func:`nnbook.experiments.hopfield_dynamics.async_updates`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook.experiments.hopfield_dynamics import async_updates
from nnmem.hopfield import corrupt, overlap, recall, store

SIZE = 12

#: Letters on a 12 x 12 grid: ``#`` is ink (+1), ``.`` is paper (-1).
LETTERS: dict[str, tuple[str, ...]] = {
    "A": (
        "....####....",
        "...######...",
        "..###..###..",
        ".###....###.",
        ".##......##.",
        ".##########.",
        ".##########.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        "............",
    ),
    "C": (
        "...######...",
        "..########..",
        ".###....###.",
        ".##.........",
        ".##.........",
        ".##.........",
        ".##.........",
        ".##.........",
        ".###....###.",
        "..########..",
        "...######...",
        "............",
    ),
    "T": (
        "############",
        "############",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        ".....##.....",
        "............",
    ),
    "X": (
        "##........##",
        "###......###",
        ".###....###.",
        "..###..###..",
        "...######...",
        "....####....",
        "...######...",
        "..###..###..",
        ".###....###.",
        "###......###",
        "##........##",
        "............",
    ),
    "Z": (
        "############",
        "############",
        "........###.",
        ".......###..",
        "......###...",
        ".....###....",
        "....###.....",
        "...###......",
        "..###.......",
        ".###........",
        "############",
        "############",
    ),
    "H": (
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##########.",
        ".##########.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        "............",
    ),
    "O": (
        "...######...",
        "..########..",
        ".###....###.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".##......##.",
        ".###....###.",
        "..########..",
        "...######...",
        "............",
    ),
}

#: The letters stored in the main demonstration.
STORED = ("A", "C", "T", "X", "Z")


def letter_pattern(name: str) -> np.ndarray:
    """The letter `name` as a pattern of shape (144,) in {-1, +1}, row by row."""
    rows = LETTERS[name]
    return np.array([[1.0 if c == "#" else -1.0 for c in row] for row in rows]).ravel()


def letter_patterns(names: tuple[str, ...] | list[str]) -> np.ndarray:
    """The letters `names` as rows of a (len(names), 144) array."""
    return np.array([letter_pattern(n) for n in names])


#: Number of single-neuron updates after which the picture grid shows the state.
SNAPSHOTS = (0, 36, 72, 144)


def recall_snapshots(W: np.ndarray, cue: np.ndarray, *, rng: np.random.Generator) -> list[np.ndarray]:
    """The cue, the state after 36, 72 and 144 single-neuron updates of the first sweep, and the end state.

    The first sweep runs in the order ``rng.permutation(144)``; recall then
    continues with :func:`nnmem.hopfield.recall` until a sweep changes nothing.
    """
    order = rng.permutation(np.asarray(cue).size)
    first = async_updates(W, cue, order, snapshots=SNAPSHOTS)
    final = recall(W, first["state"], max_steps=50, rng=rng).state
    return first["snapshots"] + [final]


def success_rates(names: tuple[str, ...], *, fraction: float, cues: int, seed: int) -> dict[str, Any]:
    """Per stored letter: is it a fixed point, and the share of `cues` corrupted cues recalled exactly."""
    xi = letter_patterns(names)
    W = store(xi)
    rng = np.random.default_rng(seed)
    rows = []
    for k, name in enumerate(names):
        batch = np.array([corrupt(xi[k], fraction=fraction, rng=rng) for _ in range(cues)])
        final = recall(W, batch, max_steps=50, rng=rng).state
        own = recall(W, xi[k], max_steps=50, rng=rng).state
        rows.append({
            "letter": name,
            "fixed_point": bool(np.array_equal(own, xi[k])),
            "own_overlap": float(overlap(own, xi[k])),
            "exact": float(np.mean(np.all(final == xi[k], axis=1))),
            "mean_overlap": float(np.mean(overlap(final, xi[k]))),
        })
    return {"names": list(names), "rows": rows, "correlation": (xi @ xi.T / xi.shape[1]).round(3)}


def run(*, fraction: float = 0.25, cues: int = 20, orders: int = 30, seed: int = 3) -> dict[str, Any]:
    """Compute everything the page shows about letters (see the module docstring)."""
    xi = letter_patterns(STORED)
    W = store(xi)
    rng = np.random.default_rng(seed)
    demos = []
    for name in ("A", "T", "X"):
        k = STORED.index(name)
        cue = corrupt(xi[k], fraction=fraction, rng=rng)
        states = recall_snapshots(W, cue, rng=rng)
        demos.append({
            "letter": name,
            "states": np.array(states),
            "overlaps": overlap(np.array(states), xi[k]).tolist(),
            "final_overlaps": overlap(states[-1], xi),
        })
    # occlusion: the lower half of the image is set to paper (-1)
    occluded = []
    for name in ("T", "X"):
        k = STORED.index(name)
        cue = xi[k].copy()
        cue[SIZE * SIZE // 2:] = -1.0
        states = recall_snapshots(W, cue, rng=np.random.default_rng(seed))
        ends = np.array([recall(W, cue, max_steps=50, rng=r).state for r in range(orders)])
        occluded.append({
            "letter": name,
            "states": np.array(states),
            "overlaps": overlap(np.array(states), xi[k]).tolist(),
            "final_overlaps": overlap(states[-1], xi),
            "orders": orders,
            "exact_share": float(np.mean(np.all(ends == xi[k], axis=1))),
        })
    # a correlated sixth letter
    with_h = STORED + ("H",)
    xi6 = letter_patterns(with_h)
    W6 = store(xi6)
    from_a = recall(W6, xi6[0], max_steps=50, rng=rng).state
    return {
        "stored": list(STORED),
        "patterns": xi,
        "fraction": fraction,
        "cues": cues,
        "demos": demos,
        "occluded": occluded,
        "rates_five": success_rates(STORED, fraction=fraction, cues=cues, seed=seed),
        "rates_six": success_rates(with_h, fraction=fraction, cues=cues, seed=seed),
        "six_from_a": {"state": from_a, "overlaps": overlap(from_a, xi6)},
    }
