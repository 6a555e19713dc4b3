"""Fit y = sin(x) from noisy samples: effect of the hidden size and of the learning rate.

Used by the chapter "Training by gradient descent" (``docs/training.md``).
The data are ``n_samples`` points drawn uniformly from [-pi, pi] with a fixed
seed, with targets ``sin(x)`` plus Gaussian noise of standard deviation
``noise``. Two studies:

* ``sizes``: one network per hidden size, same learning rate and epochs;
  reports the final training loss, the mean squared distance to the noise-free
  sine on a fine grid (``true_error``) and the fitted curve on that grid;
* ``rates``: one network per learning rate on a log grid; reports the loss
  curve (at log-spaced epochs), its lowest value and the number of epochs in
  which the loss went up, or, when gradient descent diverges, the
  :class:`nnmem.TrainingDivergedError` message.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem import TrainingDivergedError
from nnmem.twolayer import predict, train


# --8<-- [start:data]
def make_data(*, n_samples: int = 64, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs of shape (n_samples, 1), sorted, uniform on [-pi, pi]; targets sin(x) + noise."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, n_samples)).reshape(-1, 1)
    y = np.sin(x) + rng.normal(0.0, noise, size=x.shape)
    return x, y
# --8<-- [end:data]


def log_epochs(epochs: int, n_points: int = 120) -> np.ndarray:
    """About `n_points` distinct epoch numbers from 1 to `epochs`, spaced evenly on a log scale."""
    return np.unique(np.geomspace(1, epochs, n_points).round().astype(int))


def run(
    *,
    n_samples: int = 64,
    noise: float = 0.1,
    data_seed: int = 0,
    init_seed: int = 1,
    activation: str = "tanh",
    sizes: tuple[int, ...] = (2, 8, 32),
    learning_rate: float = 0.05,
    epochs: int = 3000,
    rates: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
    rate_hidden_size: int = 8,
) -> dict[str, Any]:
    """Run both studies; see the module docstring for what is returned."""
    x, y = make_data(n_samples=n_samples, noise=noise, seed=data_seed)
    grid = np.linspace(-np.pi, np.pi, 201).reshape(-1, 1)
    out: dict[str, Any] = {
        "x": x.ravel(), "y": y.ravel(), "grid": grid.ravel(), "noise": noise, "epochs": epochs,
        "learning_rate": learning_rate, "activation": activation,
    }
    fits = []
    for h in sizes:
        result = train(x, y, hidden_size=h, learning_rate=learning_rate, epochs=epochs, activation=activation,
                       rng=init_seed)
        curve = predict(grid, result.params, activation=activation).ravel()
        fits.append({
            "hidden_size": h,
            "final_loss": result.final_loss,
            "true_error": float(np.mean((curve - np.sin(grid.ravel())) ** 2)),
            "curve": curve,
        })
    out["sizes"] = fits
    at = log_epochs(epochs)
    sweep = []
    for lr in rates:
        try:
            result = train(x, y, hidden_size=rate_hidden_size, learning_rate=lr, epochs=epochs,
                           activation=activation, rng=init_seed)
        except TrainingDivergedError as error:
            sweep.append({"learning_rate": lr, "diverged": True, "message": str(error), "final_loss": None,
                          "min_loss": None, "n_rises": None, "epochs": None, "losses": None})
            continue
        rises = np.diff(np.append(result.losses, result.final_loss))  # losses[0] is the initial loss
        sweep.append({"learning_rate": lr, "diverged": False, "message": "", "final_loss": result.final_loss,
                      "min_loss": float(result.losses.min()), "n_rises": int(np.sum(rises > 0)),
                      "epochs": at, "losses": result.losses[at - 1]})
    out["rates"] = sweep
    out["rate_hidden_size"] = rate_hidden_size
    return out
