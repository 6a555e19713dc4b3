"""Small data sets (nnmem.datasets): shapes, contents, reproducibility, no downloads."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import datasets


def test_digits_are_the_1797_shipped_images() -> None:
    x, labels = datasets.digits()
    assert x.shape == (1797, 64) and labels.shape == (1797,)
    assert x.min() == 0.0 and x.max() == 1.0
    # the class counts of the UCI test set as distributed with scikit-learn
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    raw, _ = datasets.digits(scale=False)
    assert raw.max() == 16 and np.all(raw == np.round(raw))


def test_stratified_split_is_reproducible_and_disjoint() -> None:
    x, labels = datasets.digits()
    a = datasets.train_test_split(x, labels, test_fraction=0.25, rng=0)
    b = datasets.train_test_split(x, labels, test_fraction=0.25, rng=0)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert len(a.labels_test) + len(a.labels_train) == 1797
    # every class keeps its share (within rounding)
    share = np.bincount(a.labels_test) / np.bincount(labels)
    assert np.all(np.abs(share - 0.25) < 0.01)
    train_rows = {row.tobytes() for row in a.x_train}
    assert sum(row.tobytes() in train_rows for row in a.x_test) < 15  # only true duplicate images may coincide


def test_spirals_and_blobs() -> None:
    x, labels = datasets.two_spirals(100, rng=0)
    assert x.shape == (200, 2) and np.bincount(labels).tolist() == [100, 100]
    np.testing.assert_array_equal(x, datasets.two_spirals(100, rng=0)[0])
    xb, lb = datasets.blobs(90, centers=[[0, 0], [10, 10], [-10, 10]], std=0.5, rng=0)
    assert xb.shape == (90, 2) and np.bincount(lb).tolist() == [30, 30, 30]
    centroids = np.array([xb[lb == k].mean(axis=0) for k in range(3)])
    np.testing.assert_allclose(centroids, [[0, 0], [10, 10], [-10, 10]], atol=0.3)


def test_xor() -> None:
    x, y = datasets.xor()
    assert x.shape == (4, 2) and y.ravel().tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: datasets.two_spirals(0), r"`n_per_class` must be a positive integer; got 0"),
        (lambda: datasets.two_spirals(10, noise=-1.0), r"`noise` must be a finite number >= 0; got -1.0"),
        (lambda: datasets.blobs(10, centers=np.zeros(3)), r"`centers` must be a positive int or an array of shape"),
        (lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(3)), r"`x` must have shape \(n_samples, n_features\)"),
        (lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), test_fraction=1.0), r"`test_fraction` must be in \(0, 1\); got 1.0"),
    ],
)
def test_errors(call, match) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=match):
        call()
