"""Split digits (0-4, then 5-9): plain SGD, experience replay and EWC.

Used by the chapter "Catastrophic forgetting" (``docs/forgetting.md``).
Every run trains a 64-100-10 ReLU network with :func:`nnmem.continual.train_sequence`
and the settings in :data:`SETTINGS`; the split of the data and the network's
initialisation both come from the seed, so method comparisons at one seed
use the same data and the same starting weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem import TrainingDivergedError
from nnmem.continual import split_digits, train_sequence

#: Network and SGD settings shared by every run of the chapter.
SETTINGS = {"layer_sizes": [64, 100, 10], "epochs": 10, "learning_rate": 0.1, "batch_size": 32}
#: Replay buffer capacity (examples) and EWC strength used unless a sweep says otherwise.
REPLAY_SIZE = 100
EWC_LAMBDA = 50.0


def run_method(method: str, seed: int, **kwargs: Any) -> np.ndarray:
    """The (2, 2) accuracy matrix of one run."""
    tasks = split_digits(rng=seed)
    return train_sequence(tasks, method=method, rng=seed, **SETTINGS, **kwargs).accuracy


def run(
    *,
    seeds: int = 5,
    buffer_sizes: tuple[int, ...] = (10, 30, 100, 300),
    buffer_seeds: int = 3,
    lambdas: tuple[float, ...] = (1.0, 10.0, 50.0, 200.0),
) -> dict[str, Any]:
    """Accuracy matrices per method and seed, a buffer-size sweep and an EWC strength sweep.

    Returns
    -------
    dict
        ``matrices[method]``: list over seeds of (2, 2) accuracy matrices for
        ``"plain"``, ``"replay"`` (``REPLAY_SIZE``) and ``"ewc"`` (``EWC_LAMBDA``).
        ``buffer``: per buffer size, the final accuracy on task A and on task B
        for each of ``buffer_seeds`` seeds. ``lambdas``: per strength, the
        final accuracies on A and B for each of ``buffer_seeds`` seeds, ``None``
        for a run that SGD could not train (``TrainingDivergedError``: the
        penalty too stiff for the learning rate), and ``diverged`` per seed.
    """
    extra = {"plain": {}, "replay": {"replay_size": REPLAY_SIZE}, "ewc": {"ewc_lambda": EWC_LAMBDA}}
    matrices = {m: [run_method(m, s, **kw) for s in range(seeds)] for m, kw in extra.items()}

    def last_row(method: str, seed: int, **kwargs: Any) -> np.ndarray | None:
        try:
            return run_method(method, seed, **kwargs)[-1]
        except TrainingDivergedError:
            return None

    def finals(method: str, key: str, value: float, reuse: str) -> dict[str, Any]:
        if value == extra[reuse][key]:  # the main runs already used this setting
            rows = [matrices[reuse][s][-1] for s in range(min(buffer_seeds, seeds))]
        else:
            rows = [last_row(method, s, **{key: value}) for s in range(buffer_seeds)]
        return {
            "task_a": [None if r is None else r[0] for r in rows],
            "task_b": [None if r is None else r[1] for r in rows],
            "diverged": [r is None for r in rows],
        }

    buffer = [{"size": size, **finals("replay", "replay_size", size, "replay")} for size in buffer_sizes]
    sweep = [{"lambda": lam, **finals("ewc", "ewc_lambda", lam, "ewc")} for lam in lambdas]
    return {
        "settings": SETTINGS,
        "replay_size": REPLAY_SIZE,
        "ewc_lambda": EWC_LAMBDA,
        "matrices": matrices,
        "buffer": buffer,
        "lambdas": sweep,
    }
