"""The measurements behind the chapter "Learning to recognise digits" (``docs/digits.md``).

Every run uses the 1,797 digits shipped with ``nnmem``, the stratified split
``train_test_split(x, labels, rng=0)`` and the book's settings
(:data:`SETTINGS`: 64-128-10, ReLU, batch 32, learning rate 0.1, 30 epochs).
:func:`run` returns

* ``curve``: training loss, test loss and test accuracy after every epoch of
  the seed-0 run (:func:`train_epoch_by_epoch`);
* ``sklearn``: test accuracies of ``nnmem`` and of scikit-learn's
  ``MLPClassifier`` with the same settings, one run per seed
  (:func:`compare_with_sklearn`);
* ``float32``: the seed-0 run in float32 and in float64 (:func:`compare_dtypes`);
* ``sizes``: test accuracies for a few widths and depths, one run per seed
  (:func:`compare_sizes`);
* ``momentum``: the exercise on momentum (:func:`momentum_runs`).

The runs are limited to one BLAS thread: with several threads, OpenBLAS
spends more CPU time waiting than computing on matrices this small.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from nnmem import mlp
from nnmem.datasets import Split, digits, train_test_split

#: The book's settings for the digits classifier (also asserted in tests/test_mlp.py).
SETTINGS = {"layer_sizes": [64, 128, 10], "activation": "relu", "batch_size": 32, "learning_rate": 0.1, "epochs": 30}

#: Widths and depths compared in the chapter.
SIZES = ([64, 10], [64, 128, 10], [64, 64, 64, 10])


def load_split() -> Split:
    """The digits, scaled to [0, 1], split 75/25 per class with ``rng=0``."""
    x, labels = digits()
    return train_test_split(x, labels, rng=0)


# --8<-- [start:curve]
def train_epoch_by_epoch(split: Split, *, seed: int = 0, epochs: int = 30) -> dict[str, list]:
    """Train one epoch at a time and measure the test set after each epoch.

    One Generator draws the initial weights and then every epoch's order,
    as train_sgd(..., rng=seed) does in a single call: same final network.
    """
    gen = np.random.default_rng(seed)
    params = mlp.init_params(SETTINGS["layer_sizes"], activation="relu", rng=gen)
    out: dict[str, list] = {"train_loss": [], "test_loss": [], "test_accuracy": []}
    for _ in range(epochs):
        result = mlp.train_sgd(split.x_train, split.labels_train, params=params,
                               learning_rate=SETTINGS["learning_rate"],
                               batch_size=SETTINGS["batch_size"], epochs=1, rng=gen)
        params = result.params
        logits, _ = mlp.forward(split.x_test, params)
        test_loss = mlp.loss_value(logits, split.labels_test, loss="cross_entropy")
        hits = np.argmax(logits, axis=1) == split.labels_test
        out["train_loss"].append(float(result.losses[0]))  # mean over the epoch's batches
        out["test_loss"].append(test_loss)
        out["test_accuracy"].append(float(np.mean(hits)))
    return out
# --8<-- [end:curve]


def nnmem_accuracy(split: Split, *, seed: int, layer_sizes: Any = None, dtype: Any = np.float64) -> float:
    """Test accuracy of ``train_sgd`` with the book's settings (optionally other layer sizes or dtype)."""
    settings = {**SETTINGS, "layer_sizes": layer_sizes or SETTINGS["layer_sizes"]}
    result = mlp.train_sgd(split.x_train, split.labels_train, rng=seed, dtype=dtype, **settings)
    return mlp.accuracy(split.x_test, split.labels_test, result.params)


# --8<-- [start:sklearn]
def sklearn_accuracy(split: Split, *, seed: int) -> float:
    """Test accuracy of scikit-learn's MLPClassifier with the same model and plain SGD."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(128,), activation="relu", solver="sgd",
        learning_rate="constant", learning_rate_init=0.1,
        momentum=0.0, nesterovs_momentum=False,
        batch_size=32, max_iter=30, shuffle=True, random_state=seed,
        alpha=0.0,                                   # sklearn's L2 penalty: off
        tol=0.0, n_iter_no_change=10**9, early_stopping=False,  # all 30 epochs
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # "max_iter reached"
        clf.fit(split.x_train, split.labels_train)
    return float(clf.score(split.x_test, split.labels_test))
# --8<-- [end:sklearn]


# --8<-- [start:dtype]
def compare_dtypes(split: Split, *, seed: int = 0) -> dict[str, Any]:
    """The same run in float64 and in float32."""
    runs = {}
    for name, dtype in (("float64", np.float64), ("float32", np.float32)):
        runs[name] = mlp.train_sgd(split.x_train, split.labels_train, rng=seed,
                                   dtype=dtype, **SETTINGS).params
    pred = {name: mlp.predict(split.x_test, p) for name, p in runs.items()}
    w64, w32 = runs["float64"]["W1"], runs["float32"]["W1"].astype(np.float64)
    return {
        "accuracy": {k: float(np.mean(pred[k] == split.labels_test)) for k in runs},
        "same_prediction": float(np.mean(pred["float64"] == pred["float32"])),
        "max_weight_difference": float(np.max(np.abs(w64 - w32))),
        "max_weight": float(np.max(np.abs(w64))),
        "dtype_of_W1": str(runs["float32"]["W1"].dtype),
    }
# --8<-- [end:dtype]


# --8<-- [start:momentum]
def momentum_runs(split: Split, *, settings=((0.01, 0.0), (0.01, 0.9))) -> list[dict[str, float]]:
    """Final training loss and test accuracy for each (learning rate, momentum)."""
    out = []
    for lr, mu in settings:
        r = mlp.train_sgd(split.x_train, split.labels_train, layer_sizes=[64, 128, 10],
                          batch_size=32, learning_rate=lr, momentum=mu, epochs=30, rng=0)
        acc = mlp.accuracy(split.x_test, split.labels_test, r.params)
        out.append({"learning_rate": lr, "momentum": mu,
                    "final_loss": float(r.losses[-1]), "test_accuracy": acc})
    return out
# --8<-- [end:momentum]


def compare_sizes(split: Split, *, sizes: Any = SIZES, seeds: int = 3) -> list[dict[str, Any]]:
    """Test accuracy for each list of layer sizes, one run per seed ``0 .. seeds-1``."""
    rows = []
    for layer_sizes in sizes:
        n_params = sum((a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:], strict=True))
        accs = [nnmem_accuracy(split, seed=s, layer_sizes=list(layer_sizes)) for s in range(seeds)]
        rows.append({"layer_sizes": list(layer_sizes), "n_params": n_params, "accuracy": accs})
    return rows


def run(*, seeds: int = 3, epochs: int = 30) -> dict[str, Any]:
    """All measurements of the chapter; see the module docstring."""
    from threadpoolctl import threadpool_limits

    split = load_split()
    with threadpool_limits(limits=1):
        sizes = compare_sizes(split, seeds=seeds)
        book = next(row["accuracy"] for row in sizes if row["layer_sizes"] == SETTINGS["layer_sizes"])
        return {
            "curve": train_epoch_by_epoch(split, seed=0, epochs=epochs),
            "sklearn": {"nnmem": book, "sklearn": [sklearn_accuracy(split, seed=s) for s in range(seeds)]},
            "float32": compare_dtypes(split, seed=0),
            "sizes": sizes,
            "momentum": momentum_runs(split),
        }
