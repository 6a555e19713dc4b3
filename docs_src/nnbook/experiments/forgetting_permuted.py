"""Permuted digits: the same ten classes seen through new pixel orders.

Used by the chapter "Catastrophic forgetting" (``docs/forgetting.md``).
Three tasks (the original images, then two fixed random permutations of the
64 pixels), the same network and settings as the split-digits runs
(:data:`nnbook.experiments.forgetting_split.SETTINGS`).
"""

from __future__ import annotations

from typing import Any

from nnbook.experiments.forgetting_split import EWC_LAMBDA, REPLAY_SIZE, SETTINGS
from nnmem.continual import permuted_digits, train_sequence


def run(*, n_tasks: int = 3, seed: int = 0) -> dict[str, Any]:
    """The (n_tasks, n_tasks) accuracy matrix of plain SGD, replay and EWC at one seed."""
    tasks = permuted_digits(n_tasks, rng=seed)
    extra = {"plain": {}, "replay": {"replay_size": REPLAY_SIZE}, "ewc": {"ewc_lambda": EWC_LAMBDA}}
    matrices = {m: train_sequence(tasks, method=m, rng=seed, **SETTINGS, **kw).accuracy for m, kw in extra.items()}
    return {"n_tasks": n_tasks, "seed": seed, "matrices": matrices}
