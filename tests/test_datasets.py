"""Small data sets (nnmem.datasets): shapes, contents, reproducibility, no downloads."""

from __future__ import annotations

import numpy as np

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


def test_xor_points_and_targets() -> None:
    x, y = datasets.xor()
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [[0], [1], [1], [0]])  # y = x1 XOR x2
    assert y.shape == (4, 1) and x.dtype == np.float64 and y.dtype == np.float64


def test_digits_scaled_is_raw_over_16() -> None:
    raw, labels_raw = datasets.digits(scale=False)
    scaled, labels = datasets.digits(scale=True)
    np.testing.assert_array_equal(scaled * 16.0, raw)
    np.testing.assert_array_equal(labels, labels_raw)
    assert labels.dtype == np.int64 and scaled.dtype == np.float64


def test_two_spirals_without_noise_lie_on_the_spirals() -> None:
    """Noise-free points satisfy r = theta / pi, and class 1 is class 0 turned by pi (x -> -x)."""
    x, labels = datasets.two_spirals(50, turns=1.5, noise=0.0, rng=3)
    np.testing.assert_array_equal(labels, [0] * 50 + [1] * 50)
    a, b = x[:50], x[50:]
    np.testing.assert_allclose(b, -a, atol=1e-12)
    r = np.hypot(a[:, 0], a[:, 1])
    assert r.max() <= 3.0 + 1e-12  # theta <= 1.5 turns = 3 pi, so r = theta / pi <= 3
    theta = np.pi * r  # then the angle of the point is theta modulo 2 pi
    np.testing.assert_allclose(np.cos(theta), a[:, 0] / np.where(r > 0, r, 1.0), atol=1e-9)
    np.testing.assert_allclose(np.sin(theta), a[:, 1] / np.where(r > 0, r, 1.0), atol=1e-9)
    # more turns reach further out; noise moves points by about `noise`
    assert np.hypot(*datasets.two_spirals(200, turns=3.0, noise=0.0, rng=0)[0].T).max() > 5.0
    shifted = datasets.two_spirals(500, noise=0.5, rng=3)[0] - datasets.two_spirals(500, noise=0.0, rng=3)[0]
    assert 0.45 < shifted.std() < 0.55 and abs(shifted.mean()) < 0.05
    # theta = sqrt(u) * 3 pi with u uniform in [0, 1]: radii from near 0 up to near 3
    radii = np.hypot(*datasets.two_spirals(500, noise=0.0, rng=1)[0].T)
    assert radii.min() < 0.2 and radii.max() > 2.9


def test_blobs_split_points_evenly_and_spread_by_std() -> None:
    x, labels = datasets.blobs(7, centers=3, std=0.0, rng=0)
    # point k belongs to cluster k mod 3: 3, 2, 2 points
    assert np.bincount(labels).tolist() == [3, 2, 2]
    assert x.shape == (7, 2) and np.all(np.abs(x) <= 6.0)  # centres drawn in [-6, 6]^2, no spread
    for k in range(3):
        assert np.ptp(x[labels == k], axis=0).max() == 0.0  # std 0: every point of a cluster on its centre
    xs, ls = datasets.blobs(3000, centers=[[0.0, 0.0, 0.0]], std=2.0, rng=1)
    assert xs.shape == (3000, 3) and set(ls.tolist()) == {0}
    assert 1.9 < xs.std() < 2.1 and abs(xs.mean()) < 0.1
    # random centres are uniform in [-6, 6]^2: 400 of them come close to both ends
    xc, _ = datasets.blobs(400, centers=400, std=0.0, rng=2)
    assert xc.shape == (400, 2) and -6.0 <= xc.min() < -5.8 and 5.8 < xc.max() <= 6.0
    # as many clusters as samples is allowed: one point each
    assert np.bincount(datasets.blobs(4, centers=np.int64(4), rng=0)[1]).tolist() == [1, 1, 1, 1]


def test_split_takes_round_fraction_of_each_class_and_keeps_rows_with_labels() -> None:
    labels = np.array([0] * 10 + [1] * 5 + [2] * 3)
    x = np.column_stack([np.arange(18.0), labels])  # column 1 repeats the label: pairing is visible
    split = datasets.train_test_split(x, labels, test_fraction=0.3, rng=2)
    # round(0.3 * 10) = 3, round(0.3 * 5) = round(1.5) = 2 (half to even), round(0.3 * 3) = round(0.9) = 1
    assert np.bincount(split.labels_test, minlength=3).tolist() == [3, 2, 1]
    assert np.bincount(split.labels_train, minlength=3).tolist() == [7, 3, 2]
    np.testing.assert_array_equal(split.x_test[:, 1], split.labels_test)
    np.testing.assert_array_equal(split.x_train[:, 1], split.labels_train)
    rows = sorted(split.x_train[:, 0].tolist() + split.x_test[:, 0].tolist())
    assert rows == list(range(18))  # a partition: every row once
    assert split.labels_test.dtype == np.int64


def test_split_keeps_float32_and_accepts_whole_number_float_labels() -> None:
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    split = datasets.train_test_split(x, np.array([0.0, 1.0, 0.0, 1.0]), test_fraction=0.5, rng=0)
    assert split.x_train.dtype == np.float32 and split.x_test.dtype == np.float32
    assert split.labels_train.dtype == np.int64
    assert sorted(split.labels_test.tolist()) == [0, 1]


def test_documented_defaults_and_reproducibility() -> None:
    """Defaults as documented: two_spirals(200, turns=1.5, noise=0.2), blobs(300, centers=3, std=1.0)."""
    for default, explicit in [
        (datasets.two_spirals(rng=5), datasets.two_spirals(200, turns=1.5, noise=0.2, rng=5)),
        (datasets.blobs(rng=5), datasets.blobs(300, centers=3, std=1.0, rng=5)),
    ]:
        np.testing.assert_array_equal(default[0], explicit[0])
        np.testing.assert_array_equal(default[1], explicit[1])
    for make in (lambda seed: datasets.blobs(30, rng=seed), lambda seed: datasets.two_spirals(10, rng=seed)):
        np.testing.assert_array_equal(make(1)[0], make(1)[0])  # same seed, same data
        assert not np.array_equal(make(1)[0], make(2)[0])  # another seed, other data


def test_split_shuffles_both_parts() -> None:
    labels = np.zeros(200, dtype=int)
    x = np.arange(200.0).reshape(-1, 1)
    split = datasets.train_test_split(x, labels, test_fraction=0.5, rng=0)
    assert not np.all(np.diff(split.x_train[:, 0]) > 0)  # not left in index order
    assert not np.all(np.diff(split.x_test[:, 0]) > 0)
