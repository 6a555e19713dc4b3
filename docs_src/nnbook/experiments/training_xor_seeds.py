"""How often does full-batch gradient descent solve XOR?  One run per seed.

Used by the chapter "Training by gradient descent" (``docs/training.md``).
It trains the 2-h-1 network of :mod:`nnmem.twolayer` on the four XOR points
once per seed and records, for each run, whether it solved XOR, its final
loss, and how many hidden units are *dead* (pre-activation <= 0 on all four
inputs) at initialisation and at the end.

Two settings are measured over the same seeds:

* the source article's: 3 hidden ReLU units, learning rate 0.01, 1000 epochs;
* the book's recommended ones (:data:`RECOMMENDED`).

The runs of the article's settings that fail are then continued for
``extra_epochs`` more epochs with a ten times larger learning rate, to tell
runs that were merely slow from runs that are stuck.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem import TrainingDivergedError
from nnmem.twolayer import forward_propagation, init_params, train

#: The four XOR inputs, one per row, and their targets.
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])

#: The source article's settings.
ARTICLE = {"hidden_size": 3, "activation": "relu", "learning_rate": 0.01, "epochs": 1000}

#: Settings this book recommends for XOR (verified over 100 seeds on the page).
RECOMMENDED = {"hidden_size": 8, "activation": "tanh", "learning_rate": 0.1, "epochs": 1000}


# --8<-- [start:trial]
def margin(y_pred: np.ndarray) -> float:
    """Smallest signed distance from 0.5 on the correct side; > 0 means XOR is solved.

    For a target 1 the point's margin is ``y_pred - 0.5``, for a target 0 it is
    ``0.5 - y_pred``; the run's margin is the smallest of the four.
    """
    sign = np.where(Y_XOR > 0.5, 1.0, -1.0)
    return float(np.min(sign * (np.asarray(y_pred) - 0.5)))


def dead_units(params: dict[str, np.ndarray]) -> int:
    """Number of hidden units whose pre-activation is <= 0 for all four XOR inputs."""
    z_h = X_XOR @ params["w_ih"] + params["b_h"]
    return int(np.sum(np.all(z_h <= 0.0, axis=0)))


def xor_trial(*, hidden_size: int, activation: str, learning_rate: float, epochs: int, seed: int) -> dict[str, Any]:
    """Train once on XOR from seed `seed`; a diverged run counts as a failure.

    Returns ``solved``, ``diverged``, ``final_loss`` and ``margin`` (None if
    diverged, so the result stays valid JSON), ``dead_init``, ``dead_end``
    (-1 if diverged) and the trained ``params`` (None if diverged).
    """
    start = init_params(2, hidden_size, 1, activation=activation, rng=seed)
    dead_init = dead_units(start) if activation == "relu" else 0
    try:
        result = train(
            X_XOR, Y_XOR, hidden_size=hidden_size, learning_rate=learning_rate, epochs=epochs,
            activation=activation, params=start,
        )
    except TrainingDivergedError:
        return {"solved": False, "diverged": True, "final_loss": None, "margin": None,
                "dead_init": dead_init, "dead_end": -1, "params": None}
    y_pred, _ = forward_propagation(X_XOR, result.params, activation=activation)
    m = margin(y_pred)
    return {
        "solved": m > 0.0,
        "diverged": False,
        "final_loss": result.final_loss,
        "margin": m,
        "dead_init": dead_init,
        "dead_end": dead_units(result.params) if activation == "relu" else 0,
        "params": result.params,
    }
# --8<-- [end:trial]


def run(*, seeds: int = 100, extra_epochs: int = 1000) -> dict[str, Any]:
    """Measure the article's and the recommended settings over seeds ``0 .. seeds-1``.

    Returns
    -------
    dict
        ``article`` and ``recommended``: per-seed lists ``solved``,
        ``final_loss``, ``margin``, ``dead_init``, ``dead_end`` plus the
        settings and the counts ``n_solved`` and ``n_diverged``.
        ``continued``: for every failed run of the article's settings, its
        seed, whether 1000 more epochs at ten times the learning rate solve
        it, and its dead units afterwards.
    """
    out: dict[str, Any] = {"seeds": seeds, "extra_epochs": extra_epochs}
    trained_article = {}
    for name, settings in (("article", ARTICLE), ("recommended", RECOMMENDED)):
        trials = [xor_trial(**settings, seed=seed) for seed in range(seeds)]
        if name == "article":
            trained_article = {s: trial["params"] for s, trial in enumerate(trials)}
        out[name] = {
            "settings": dict(settings),
            "solved": [bool(tr["solved"]) for tr in trials],
            "final_loss": [tr["final_loss"] for tr in trials],
            "margin": [tr["margin"] for tr in trials],
            "dead_init": [tr["dead_init"] for tr in trials],
            "dead_end": [tr["dead_end"] for tr in trials],
            "n_solved": int(sum(tr["solved"] for tr in trials)),
            "n_diverged": int(sum(tr["diverged"] for tr in trials)),
        }
    continued = {"seed": [], "solved": [], "dead_end": [], "final_loss": []}
    for seed, ok in enumerate(out["article"]["solved"]):
        if ok or trained_article[seed] is None:
            continue
        result = train(
            X_XOR, Y_XOR, hidden_size=ARTICLE["hidden_size"], learning_rate=10 * ARTICLE["learning_rate"],
            epochs=extra_epochs, activation=ARTICLE["activation"], params=trained_article[seed],
        )
        y_pred, _ = forward_propagation(X_XOR, result.params, activation=ARTICLE["activation"])
        continued["seed"].append(seed)
        continued["solved"].append(margin(y_pred) > 0.0)
        continued["dead_end"].append(dead_units(result.params))
        continued["final_loss"].append(result.final_loss)
    out["continued"] = continued
    return out
