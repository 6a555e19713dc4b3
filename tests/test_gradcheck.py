"""Central differences and relative errors (nnmem.gradcheck)."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem.gradcheck import check_gradients, numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function() -> None:
    # L = sum(A * B) + c**3  ->  dL/dA = B, dL/dc = 3 c**2
    b = np.array([[1.0, 2.0], [3.0, 4.0]])
    params = {"a": np.ones((2, 2)), "c": np.array([2.0])}
    grads = numerical_gradient(lambda p: float(np.sum(p["a"] * b) + p["c"][0] ** 3), params)
    np.testing.assert_allclose(grads["a"], b, rtol=1e-8)
    np.testing.assert_allclose(grads["c"], [12.0], rtol=1e-8)


def test_params_are_not_modified() -> None:
    params = {"w": np.array([1.0, 2.0])}
    numerical_gradient(lambda p: float(np.sum(p["w"] ** 2)), params)
    np.testing.assert_array_equal(params["w"], [1.0, 2.0])


def test_central_difference_error_is_second_order() -> None:
    # for exp at 0 the central-difference error is about eps**2 / 6
    errors = []
    for eps in (1e-2, 1e-3):
        g = numerical_gradient(lambda p: float(np.exp(p["x"][0])), {"x": np.array([0.0])}, eps=eps)["x"][0]
        errors.append(abs(g - 1.0))
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.05)


def test_relative_error_properties() -> None:
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(1e-9 * a, 1.01e-9 * a) == pytest.approx(relative_error(a, 1.01 * a))
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"`a` and `b` must have the same shape; got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradients_flags_a_wrong_gradient() -> None:
    params = {"w": np.array([1.0, -1.0, 0.5])}
    loss = lambda p: float(np.sum(p["w"] ** 2))  # noqa: E731
    assert check_gradients(loss, {"w": 2 * params["w"]}, params)["w"] < 1e-9
    assert check_gradients(loss, {"w": params["w"]}, params)["w"] > 0.3


def test_check_gradients_key_mismatch() -> None:
    with pytest.raises(ValueError, match=r"`grads` must have the keys of `params` \['w'\]; got \['v'\]"):
        check_gradients(lambda p: 0.0, {"v": np.zeros(1)}, {"w": np.zeros(1)})


def test_eps_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"`eps` must be a finite positive number; got 0"):
        numerical_gradient(lambda p: 0.0, {"w": np.zeros(1)}, eps=0)
