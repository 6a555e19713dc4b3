"""Mean squared error and its gradient (nnmem.losses)."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem.gradcheck import numerical_gradient, relative_error
from nnmem.losses import mse_gradient, mse_loss


def test_mse_by_hand() -> None:
    y_true = np.array([[1.0, 0.0], [2.0, -1.0]])
    y_pred = np.array([[0.0, 0.0], [2.0, 1.0]])
    # squared errors 1, 0, 0, 4 -> mean over all four elements = 5 / 4
    assert mse_loss(y_true, y_pred) == pytest.approx(1.25)


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
    with pytest.raises(ValueError, match=r"`y_true` must have shape \(n_samples, n_outputs\); got shape \(3,\)\..*reshape\(-1, 1\)"):
        mse_loss(np.zeros(3), np.zeros((3, 1)))


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`y_pred` must contain only finite numbers; got 1 NaN or infinite value"):
        mse_loss(np.zeros((2, 1)), np.array([[0.0], [np.nan]]))
