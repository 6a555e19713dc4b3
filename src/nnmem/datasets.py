"""Small data sets, made in code or shipped with the package. Nothing is downloaded.

Every function returns plain numpy arrays: inputs ``x`` of shape
``(n_samples, n_features)`` (float64) and integer ``labels`` of shape
``(n_samples,)`` (int64), or targets ``y`` of shape ``(n_samples, 1)`` for XOR.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import (
    Seed,
    as_array,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_real,
    make_rng,
)

__all__ = ["Split", "blobs", "digits", "train_test_split", "two_spirals", "xor"]


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points and their targets.

    Returns
    -------
    x : ndarray of shape (4, 2)
        (0, 0), (0, 1), (1, 0), (1, 1).
    y : ndarray of shape (4, 1)
        0, 1, 1, 0.

    Examples
    --------
    >>> x, y = xor()
    >>> y.ravel().tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, np.array([[0.0], [1.0], [1.0], [0.0]])


def two_spirals(
    n_per_class: int = 200, *, turns: float = 1.5, noise: float = 0.2, rng: Seed = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaved spirals in the plane, a classic test that a linear model cannot pass.

    Class $k \in \{0, 1\}$ lies on $r(\cos(\theta + k\pi), \sin(\theta + k\pi))$
    with $r = \theta / \pi$ for $\theta$ spread over `turns` full turns.

    Parameters
    ----------
    n_per_class : int, default 200
        Points per spiral.
    turns : float, default 1.5
        How many times each spiral winds around the origin.
    noise : float, default 0.2
        Standard deviation of Gaussian noise added to each coordinate.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : ndarray of shape (2 * n_per_class, 2)
    labels : ndarray of shape (2 * n_per_class,)
        0 or 1.
    """
    n = check_positive_int("n_per_class", n_per_class)
    turns = check_positive_float("turns", turns)
    noise = check_nonnegative_float("noise", noise)
    gen = make_rng(rng)
    theta = np.sqrt(gen.uniform(0.0, 1.0, size=n)) * turns * 2.0 * np.pi  # denser near the centre
    radius = theta / np.pi
    points = []
    for k in (0, 1):
        angle = theta + k * np.pi
        points.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    x = np.vstack(points) + gen.normal(0.0, noise, size=(2 * n, 2))
    return x, np.repeat(np.array([0, 1]), n)


def blobs(
    n_samples: int = 300, *, centers: int | ArrayLike = 3, std: float = 1.0, rng: Seed = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Gaussian blobs: isotropic clusters, one per class.

    Parameters
    ----------
    n_samples : int, default 300
        Total number of points, split as evenly as possible between clusters
        (point $k$ belongs to cluster $k \bmod n_\text{classes}$), so every
        cluster gets at least one point.
    centers : int or array-like of shape (n_classes, n_features), default 3
        Number of clusters (placed uniformly at random in [-6, 6]^2) or their
        centres; at most `n_samples` clusters.
    std : float, default 1.0
        Standard deviation of every cluster.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)
        Every class from 0 to n_classes - 1 occurs.

    Raises
    ------
    ValueError
        If there are more clusters than samples (some classes would be empty).

    Examples
    --------
    >>> x, labels = blobs(5, centers=[[0.0, 0.0], [10.0, 0.0]], std=0.0, rng=0)
    >>> np.bincount(labels).tolist(), sorted(x[:, 0].tolist())  # 5 points: 3 in cluster 0, 2 in cluster 1
    ([3, 2], [0.0, 0.0, 0.0, 10.0, 10.0])
    """
    n_samples = check_positive_int("n_samples", n_samples)
    std = check_nonnegative_float("std", std)
    gen = make_rng(rng)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, (bool, np.bool_)):
        k = check_positive_int("centers", centers)
        if k > n_samples:
            raise ValueError(f"`centers` must be at most `n_samples` = {n_samples}, one point per cluster; got {k}.")
        means = gen.uniform(-6.0, 6.0, size=(k, 2))
    else:
        means = as_array("centers", centers, ndim=2, shape_hint="(n_classes, n_features) or a positive int")
        if means.shape[0] > n_samples:
            raise ValueError(
                f"`centers` must have at most `n_samples` = {n_samples} rows, one point per cluster; "
                f"got {means.shape[0]}."
            )
    labels = np.arange(n_samples) % means.shape[0]
    x = means[labels] + gen.normal(0.0, std, size=(n_samples, means.shape[1]))
    order = gen.permutation(n_samples)
    return x[order], labels[order]


def digits(*, scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits of 8 x 8 pixels shipped with the package.

    The data are the test part of the UCI *Optical Recognition of Handwritten
    Digits* set (Alpaydin & Kaynak 1998, CC BY 4.0); see ``nnmem/data/README.md``.

    Parameters
    ----------
    scale : bool, default True
        Divide the pixel values (0-16) by 16 so that inputs lie in [0, 1].
        Must be a bool (``True`` or ``False``).

    Returns
    -------
    x : ndarray of shape (1797, 64)
        One flattened image per row (row-major 8 x 8).
    labels : ndarray of shape (1797,)
        The digit, 0-9.

    Examples
    --------
    >>> x, labels = digits()
    >>> x.shape, labels.shape, float(x.max())
    ((1797, 64), (1797,), 1.0)
    """
    if not isinstance(scale, (bool, np.bool_)):
        raise TypeError(f"`scale` must be True or False; got {scale!r} of type {type(scale).__name__}.")
    with resources.files("nnmem.data").joinpath("digits.npz").open("rb") as handle:
        data = np.load(handle)
        images, labels = data["images"], data["labels"]
    x = images.reshape(len(images), -1).astype(np.float64)
    if scale:
        x /= 16.0
    return x, labels.astype(np.int64)


@dataclass(frozen=True)
class Split:
    """A train/test split: ``x_train``, ``labels_train``, ``x_test``, ``labels_test``."""

    x_train: np.ndarray
    labels_train: np.ndarray
    x_test: np.ndarray
    labels_test: np.ndarray


def train_test_split(x: ArrayLike, labels: ArrayLike, *, test_fraction: float = 0.25, rng: Seed = None) -> Split:
    """Shuffle and split, keeping each class's share the same in both parts (stratified).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features)
        Inputs; float32 stays float32, anything else becomes float64.
    labels : ndarray of shape (n_samples,)
        Integer classes >= 0 (whole-number floats accepted; NaN, fractions
        and negative values are refused).
    test_fraction : float, default 0.25
        Share of every class that goes to the test set, in (0, 1); class $c$
        with $n_c$ members puts ``round(test_fraction * n_c)`` in the test set.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Split
        New arrays (never views of `x`); labels as int64.

    Raises
    ------
    ValueError
        For bad shapes or values, or if the train or the test part would be empty.

    Examples
    --------
    >>> s = train_test_split(np.arange(16.0).reshape(8, 2), [0, 0, 0, 0, 1, 1, 1, 1], test_fraction=0.5, rng=0)
    >>> np.bincount(s.labels_train).tolist(), np.bincount(s.labels_test).tolist()  # round(0.5 * 4) = 2 per class
    ([2, 2], [2, 2])
    """
    x = as_array("x", x, ndim=2, shape_hint="(n_samples, n_features)", dtype=None)
    labels = check_labels("labels", labels, n_samples=x.shape[0])
    test_fraction = check_real("test_fraction", test_fraction)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"`test_fraction` must be in (0, 1); got {test_fraction}.")
    gen = make_rng(rng)
    test = np.zeros(len(labels), dtype=bool)
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        n_test = int(round(test_fraction * len(members)))
        test[gen.choice(members, size=n_test, replace=False)] = True
    if test.all() or not test.any():
        part = "training" if test.all() else "test"
        raise ValueError(
            f"`test_fraction` = {test_fraction} of {len(labels)} samples leaves the {part} set empty; "
            "use more samples or a fraction nearer 0.5."
        )
    train_idx, test_idx = gen.permutation(np.flatnonzero(~test)), gen.permutation(np.flatnonzero(test))
    return Split(x[train_idx], labels[train_idx], x[test_idx], labels[test_idx])
