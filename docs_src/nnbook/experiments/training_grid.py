"""Success rate of gradient descent on XOR for a small grid of settings.

Used by the chapter "Training by gradient descent" (``docs/training.md``).
Every cell trains the 2-h-1 network once per seed (seeds ``0 .. seeds-1``)
for ``epochs`` epochs and counts the runs that solve XOR and the runs whose
loss became NaN or infinite (:class:`nnmem.TrainingDivergedError`, counted
as failures).

Two families of cells are measured:

* ``by_size``: hidden sizes ``sizes`` x activations ``activations`` at
  learning rate ``size_learning_rate``;
* ``by_rate``: learning rates ``rates`` x activations at hidden size
  ``rate_hidden_size``.

A cell shared by both families is trained only once.
"""

from __future__ import annotations

from typing import Any

from nnbook.experiments.training_xor_seeds import xor_trial


def _cell(hidden_size: int, activation: str, learning_rate: float, epochs: int, seeds: int) -> dict[str, Any]:
    trials = [
        xor_trial(hidden_size=hidden_size, activation=activation, learning_rate=learning_rate, epochs=epochs, seed=s)
        for s in range(seeds)
    ]
    return {
        "hidden_size": hidden_size,
        "activation": activation,
        "learning_rate": learning_rate,
        "n_solved": int(sum(tr["solved"] for tr in trials)),
        "n_diverged": int(sum(tr["diverged"] for tr in trials)),
        "n_runs": seeds,
    }


def run(
    *,
    seeds: int = 20,
    epochs: int = 1000,
    sizes: tuple[int, ...] = (2, 3, 8, 16),
    activations: tuple[str, ...] = ("relu", "tanh"),
    size_learning_rate: float = 0.1,
    rates: tuple[float, ...] = (0.01, 0.1, 0.5),
    rate_hidden_size: int = 3,
) -> dict[str, Any]:
    """Train every cell of the grid; return ``by_size`` and ``by_rate`` lists of cells.

    Each cell is a dict with ``hidden_size``, ``activation``,
    ``learning_rate``, ``n_solved``, ``n_diverged`` and ``n_runs``.
    """
    done: dict[tuple[int, str, float], dict[str, Any]] = {}

    def cell(h: int, act: str, lr: float) -> dict[str, Any]:
        key = (h, act, lr)
        if key not in done:
            done[key] = _cell(h, act, lr, epochs, seeds)
        return done[key]

    by_size = [cell(h, act, size_learning_rate) for act in activations for h in sizes]
    by_rate = [cell(rate_hidden_size, act, lr) for act in activations for lr in rates]
    return {"seeds": seeds, "epochs": epochs, "by_size": by_size, "by_rate": by_rate}
