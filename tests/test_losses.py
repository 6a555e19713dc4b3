"""Mean squared error, softmax, log-softmax and cross-entropy (nnmem.losses)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnmem.gradcheck import numerical_gradient, relative_error
from nnmem.losses import log_softmax, mse_gradient, mse_loss, softmax, softmax_cross_entropy


def test_mse_by_hand() -> None:
    y_true = np.array([[1.0, 0.0], [2.0, -1.0]])
    y_pred = np.array([[0.0, 0.0], [2.0, 1.0]])
    # squared errors 1, 0, 0, 4 -> mean over all four elements = 5 / 4
    assert mse_loss(y_true, y_pred) == pytest.approx(1.25)
    # gradient 2/(N m) (pred - true) = 2/4 * [[-1, 0], [0, 2]]
    assert np.array_equal(mse_gradient(y_true, y_pred), [[-0.5, 0.0], [0.0, 1.0]])


def test_mse_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    numeric = numerical_gradient(lambda p: mse_loss(y_true, p["y"]), {"y": y_pred})["y"]
    assert relative_error(mse_gradient(y_true, y_pred), numeric) < 1e-8


def test_gradient_points_from_target_to_prediction() -> None:
    # prediction above the target: positive gradient, so a descent step lowers it
    assert mse_gradient(np.array([[0.0]]), np.array([[1.0]]))[0, 0] > 0


def test_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"`y_true` and `y_pred` must have the same shape; got \(2, 1\) and \(2, 2\)"):
        mse_loss(np.zeros((2, 1)), np.zeros((2, 2)))


def test_one_dimensional_targets_get_a_hint() -> None:
    with pytest.raises(ValueError, match=r"^`y_true` must have shape \(n_samples, n_outputs\); got shape \(3,\)\."
                       r" For a single feature .*reshape\(-1, 1\).*$"):
        mse_loss(np.zeros(3), np.zeros((3, 1)))


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`y_pred` must contain only finite numbers; got 1 NaN or infinite value"):
        mse_loss(np.zeros((2, 1)), np.array([[0.0], [np.nan]]))


# ------------------------------------------------------- softmax family


def reference_softmax(row: list[float]) -> list[float]:
    """Softmax of one row with Python's math module, shifted by the maximum."""
    top = max(row)
    e = [math.exp(v - top) for v in row]
    return [v / sum(e) for v in e]


def test_softmax_by_hand() -> None:
    # e^0 : e^(ln 3) = 1 : 3, so the probabilities are 1/4 and 3/4
    assert np.allclose(softmax(np.array([0.0, math.log(3.0)])), [0.25, 0.75], rtol=0, atol=1e-15)


def test_softmax_matches_a_reference_on_random_rows_and_sums_to_one() -> None:
    z = np.random.default_rng(0).normal(scale=3.0, size=(4, 5))
    expected = np.array([reference_softmax(list(row)) for row in z])
    assert np.allclose(softmax(z), expected, rtol=1e-13, atol=0)
    assert np.allclose(softmax(z, axis=1), expected, rtol=1e-13, atol=0)
    # along axis 0 the columns are normalised instead
    expected0 = np.array([reference_softmax(list(col)) for col in z.T]).T
    assert np.allclose(softmax(z, axis=0), expected0, rtol=1e-13, atol=0)
    assert np.allclose(softmax(z, axis=-2), expected0, rtol=1e-13, atol=0)


def test_log_softmax_matches_the_log_of_a_reference() -> None:
    z = np.random.default_rng(1).normal(scale=3.0, size=(3, 4))
    expected = np.log(np.array([reference_softmax(list(row)) for row in z]))
    assert np.allclose(log_softmax(z), expected, rtol=1e-12, atol=0)
    expected0 = np.log(np.array([reference_softmax(list(col)) for col in z.T]).T)
    assert np.allclose(log_softmax(z, axis=0), expected0, rtol=1e-12, atol=0)


def test_large_logits_do_not_overflow() -> None:
    # without the shift e^1000 overflows; with it the values are exact
    assert softmax(np.array([1000.0, 0.0])).tolist() == [1.0, math.exp(-1000.0)]
    assert log_softmax(np.array([1000.0, 0.0])).tolist() == [0.0, -1000.0]
    assert log_softmax(np.array([-1000.0, 0.0])).tolist() == [-1000.0, 0.0]


def test_float32_stays_float32() -> None:
    z = np.array([[1.0, 2.0]], dtype=np.float32)
    assert softmax(z).dtype == np.float32 and log_softmax(z).dtype == np.float32
    assert softmax_cross_entropy(z, [0])[1].dtype == np.float32
    assert mse_gradient(z, z).dtype == np.float32
    assert softmax(np.array([1, 2])).dtype == np.float64


def test_cross_entropy_by_hand() -> None:
    logits = np.array([[0.0, 0.0], [math.log(3.0), 0.0]])
    labels = np.array([1, 0])
    # sample 0: p = (1/2, 1/2), -log p_1 = ln 2; sample 1: p = (3/4, 1/4), -log p_0 = ln(4/3)
    loss, grad = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx((math.log(2.0) + math.log(4.0 / 3.0)) / 2, rel=1e-14)
    # gradient (p - onehot) / N with N = 2
    assert np.allclose(grad, [[0.25, -0.25], [-0.125, 0.125]], rtol=0, atol=1e-15)


def test_cross_entropy_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(2)
    logits, labels = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    _, grad = softmax_cross_entropy(logits, labels)
    numeric = np.zeros_like(logits)
    h = 1e-6
    for idx in np.ndindex(*logits.shape):
        up, down = logits.copy(), logits.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (softmax_cross_entropy(up, labels)[0] - softmax_cross_entropy(down, labels)[0]) / (2 * h)
    assert np.allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_cross_entropy_is_the_mean_of_minus_log_softmax() -> None:
    rng = np.random.default_rng(3)
    logits, labels = rng.normal(scale=5.0, size=(6, 3)), rng.integers(0, 3, size=6)
    expected = -np.mean([math.log(reference_softmax(list(row))[k]) for row, k in zip(logits, labels, strict=True)])
    assert softmax_cross_entropy(logits, labels)[0] == pytest.approx(expected, rel=1e-12)
    # whole-number float labels mean the same classes
    assert softmax_cross_entropy(logits, labels.astype(float))[0] == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_of_a_confident_wrong_answer_is_finite() -> None:
    loss, grad = softmax_cross_entropy(np.array([[800.0, -800.0]]), np.array([1]))
    assert loss == pytest.approx(1600.0) and grad.tolist() == [[1.0, -1.0]]


def test_inputs_are_not_modified() -> None:
    logits, labels = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1, 0])
    before = logits.copy()
    for out in (softmax(logits), log_softmax(logits), softmax_cross_entropy(logits, labels)[1],
                mse_gradient(logits, logits + 1)):
        assert not np.shares_memory(out, logits)
    assert np.array_equal(logits, before) and labels.tolist() == [1, 0]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: softmax(np.array([np.inf, 1.0])), ValueError,
         "`z` must contain only finite numbers; got 1 NaN or infinite value(s)."),
        (lambda: softmax(np.ones(2), axis=1), ValueError, "`axis` must be an axis of `z`, from -1 to 0; got 1."),
        (lambda: log_softmax(np.ones((2, 2)), axis=-3), ValueError,
         "`axis` must be an axis of `z`, from -2 to 1; got -3."),
        (lambda: softmax(np.ones(2), axis=0.0), TypeError, "`axis` must be an int; got 0.0 of type float."),
        (lambda: softmax(np.float64(1.0)), ValueError,
         "`z` must have at least one dimension, shape (..., n_classes); got shape ()."),
        (lambda: softmax(np.ones((0, 3))), ValueError,
         "`z` must have shape (..., n_classes) with at least one element; got shape (0, 3)."),
        (lambda: softmax_cross_entropy(np.ones((2, 3)), [0, 3]), ValueError,
         "`labels` must be class labels in [0, 2]; got values from 0 to 3."),
        (lambda: softmax_cross_entropy(np.ones((2, 3)), [0]), ValueError,
         "`labels` must have shape (2,), one label per sample; got shape (1,)."),
        (lambda: softmax_cross_entropy(np.ones(3), [0]), ValueError,
         "`logits` must have shape (n_samples, n_classes); got shape (3,). For a single feature or target use "
         "`.reshape(-1, 1)`; for a single sample `.reshape(1, -1)`."),
        (lambda: mse_loss(np.zeros((0, 1)), np.zeros((0, 1))), ValueError,
         "`y_true` must have shape (n_samples, n_outputs) with at least one element; got shape (0, 1)."),
        (lambda: mse_gradient(np.zeros((1, 1)), np.array([[1j]])), TypeError,
         "`y_pred` must be an array of numbers with shape (n_samples, n_outputs); got an array of shape (1, 1) "
         "and dtype complex128."),
    ],
    ids=["inf", "axis-too-large", "axis-too-small", "axis-float", "scalar", "empty", "label-range", "label-count",
         "logits-1-D", "mse-empty", "mse-complex"],
)
def test_errors_name_the_argument(call, error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        call()


def test_each_row_is_shifted_by_its_own_maximum() -> None:
    # shifted by the maximum of the whole array, the second row would be exp(-1000) = 0 in both
    # places and its softmax 0/0; shifted row by row, both rows are exactly uniform
    z = np.array([[1000.0, 1000.0], [0.0, 0.0]])
    assert softmax(z, axis=1).tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert log_softmax(z, axis=1).tolist() == [[-math.log(2.0)] * 2] * 2
    assert softmax(z.T, axis=0).tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert log_softmax(z.T, axis=0).tolist() == [[-math.log(2.0)] * 2] * 2
