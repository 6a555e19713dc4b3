"""Delayed recall at T = 50 and the size of backpropagated gradients, for a tanh RNN and an LSTM.

Used by the chapter "Working memory and recurrent networks" (``docs/working-memory.md``).

* ``gradients``: at initialisation, the mean norm of $\\partial L/\\partial h_t$
  divided by that of $\\partial L/\\partial h_T$, as a function of the distance
  $T - t$, on delayed-recall sequences of 100 steps (geometric mean over
  `grad_seeds` networks); and the same for the LSTM after training.
* ``runs``: the LSTM and the RNN trained with the same settings and the same
  number of iterations on the same data (delay 50, so $T = 51$ steps), then the
  RNN continued for more iterations; test accuracy on 1000 new sequences.

BLAS is limited to one thread: the matrices are small, and on a busy machine
OpenBLAS threads cost far more CPU time than they save.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem.recurrent import (
    accuracy,
    delayed_recall,
    forward,
    hidden_gradient_norms,
    init_params,
    loss_and_gradients,
    train,
)

# --8<-- [start:settings]
TASK = {"delay": 50, "n_distractors": 4, "noise": 1.0}  # sequences of T = 51 steps, 5 input channels
SETTINGS = {"batch_size": 256, "learning_rate": 0.01, "optimizer": "adam", "max_norm": 1.0}
N_HIDDEN = 16
# --8<-- [end:settings]


def _single_thread() -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def gradient_ratios(cell: str, *, steps: int, seeds: int, params: dict | None = None) -> np.ndarray:
    """Geometric mean over `seeds` of ||dL/dh_{T-k}|| / ||dL/dh_T|| for k = 0..steps."""
    task = {**TASK, "delay": steps - 1}
    logs = []
    for seed in range(seeds):
        x, y = delayed_recall(256, rng=1000 + seed, **task)
        p = params if params is not None else init_params(x.shape[2], N_HIDDEN, 2, cell=cell, rng=seed)
        norms = hidden_gradient_norms(x, y, p)
        logs.append(np.log(norms[::-1] / norms[-1]))  # index k = distance T - t
    return np.exp(np.mean(logs, axis=0))


def run(*, seed: int = 0, iterations: int = 300, extra_rnn: int = 1200, n_train: int = 8000,
        grad_steps: int = 100, grad_seeds: int = 5) -> dict[str, Any]:
    """Train both networks on one data set; measure gradient ratios (see the module docstring)."""
    with _single_thread():
        rng = np.random.default_rng(seed)
        x, y = delayed_recall(n_train, rng=rng, **TASK)
        x_test, y_test = delayed_recall(1000, rng=rng, **TASK)
        runs = {}
        for cell in ("lstm", "rnn"):
            p0 = init_params(x.shape[2], N_HIDDEN, 2, cell=cell, rng=seed)
            res = train(x, y, params=p0, steps=iterations, rng=seed, **SETTINGS)
            runs[cell] = {"losses": res.losses, "accuracies": res.accuracies,
                          "test_accuracy": accuracy(x_test, y_test, res.params), "params": res.params,
                          "test_loss": loss_and_gradients(x_test, y_test, res.params)[0]}
        more = train(x, y, params=runs["rnn"]["params"], steps=extra_rnn, rng=seed + 1, **SETTINGS)
        runs["rnn_longer"] = {"losses": more.losses, "accuracies": more.accuracies,
                              "test_accuracy": accuracy(x_test, y_test, more.params),
                              "test_loss": loss_and_gradients(x_test, y_test, more.params)[0]}
        grads = {cell: gradient_ratios(cell, steps=grad_steps, seeds=grad_seeds) for cell in ("rnn", "lstm")}
        grads["lstm_trained"] = gradient_ratios("lstm", steps=TASK["delay"] + 1, seeds=grad_seeds,
                                                params=runs["lstm"]["params"])
        _, cache = forward(x_test[:256], runs["lstm"]["params"])
        forget = cache.gates[1:, :, N_HIDDEN : 2 * N_HIDDEN].mean(axis=(0, 1))  # mean f_t per unit during the delay
    for cell in ("lstm", "rnn"):
        del runs[cell]["params"]
    return {"seed": seed, "iterations": iterations, "extra_rnn": extra_rnn, "n_train": n_train,
            "task": TASK, "settings": SETTINGS, "n_hidden": N_HIDDEN, "runs": runs, "gradients": grads,
            "forget_gate_trained": forget}
