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
    assert relative_error(np.zeros((0, 2)), np.zeros((0, 2))) == 0.0  # empty gradients agree
    assert relative_error(np.full(2, 1e308), np.full(2, -1e308)) == 1.0  # opposite huge vectors, no overflow
    assert relative_error(np.array([1e-320]), np.array([0.0])) == 1.0  # subnormal against zero


def test_relative_error_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"`a` and `b` must have the same shape; got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradients_flags_a_wrong_gradient() -> None:
    params = {"w": np.array([1.0, -1.0, 0.5])}
    loss = lambda p: float(np.sum(p["w"] ** 2))  # noqa: E731
    assert check_gradients(loss, {"w": 2 * params["w"]}, params)["w"] < 1e-9
    assert check_gradients(loss, {"w": params["w"]}, params)["w"] > 0.3


def test_check_gradients_key_mismatch() -> None:
    with pytest.raises(ValueError, match=r"^`grads` must have the keys \['w'\] of `params`; got \['v'\]\.$"):
        check_gradients(lambda p: 0.0, {"v": np.zeros(1)}, {"w": np.zeros(1)})


def test_check_gradients_names_the_key_not_a_and_b() -> None:
    with pytest.raises(ValueError, match=r"^`grads\['w'\]` must have shape \(2,\) like `params\['w'\]`; got \(3,\)\.$"):
        check_gradients(lambda p: 0.0, {"w": np.zeros(3)}, {"w": np.zeros(2)})


def test_the_loss_sees_each_entry_nudged_by_exactly_plus_and_minus_eps() -> None:
    seen = []

    def loss(p: dict[str, np.ndarray]) -> float:
        seen.append(p["w"].copy())
        return float(np.sum(p["w"]))

    numerical_gradient(loss, {"w": np.array([1.0, 2.0])})
    # default eps = 1e-6: entry 0 up, entry 0 down, entry 1 up, entry 1 down; the other entry untouched
    np.testing.assert_array_equal(seen, [[1.0 + 1e-6, 2.0], [1.0 - 1e-6, 2.0], [1.0, 2.0 + 1e-6], [1.0, 2.0 - 1e-6]])
    seen.clear()
    numerical_gradient(loss, {"w": np.array([1.0, 2.0])}, eps=0.25)
    np.testing.assert_array_equal(seen, [[1.25, 2.0], [0.75, 2.0], [1.0, 2.25], [1.0, 1.75]])


def test_central_difference_of_a_cubic_by_hand() -> None:
    # for c**3 the central difference is ((c+e)^3 - (c-e)^3) / (2e) = 3c^2 + e^2: with c = 2, e = 0.5 -> 12.25
    g = numerical_gradient(lambda p: float(p["c"][0] ** 3), {"c": np.array([2.0])}, eps=0.5)
    assert g["c"][0] == pytest.approx(12.25, rel=1e-14)


def test_results_are_float64_and_keep_shapes() -> None:
    g = numerical_gradient(lambda p: float(np.sum(p["w"] ** 2)), {"w": np.ones((2, 3), dtype=np.float32)})
    assert g["w"].dtype == np.float64 and g["w"].shape == (2, 3)
    np.testing.assert_allclose(g["w"], 2.0, rtol=1e-8)


def test_relative_error_by_hand() -> None:
    # a = (3, 0), b = (0, 4): |a - b| = 5, |a| + |b| = 7
    assert relative_error(np.array([3.0, 0.0]), np.array([0.0, 4.0])) == pytest.approx(5 / 7, rel=1e-15)
    # a = (1, 1), b = (1, 2): |a - b| = 1, |a| + |b| = sqrt(2) + sqrt(5)
    assert relative_error([1, 1], [1, 2]) == pytest.approx(1 / (np.sqrt(2) + np.sqrt(5)), rel=1e-15)


def test_check_gradients_reports_each_key() -> None:
    params = {"u": np.array([1.0]), "v": np.array([2.0, 3.0])}

    def loss(p: dict[str, np.ndarray]) -> float:
        return float(p["u"][0] ** 2 + np.sum(p["v"]))

    errors = check_gradients(loss, {"u": np.array([2.0]), "v": np.array([1.0, 0.0])}, params)
    assert errors["u"] < 1e-9
    # v: analytic (1, 0) against numeric (1, 1): |(0, -1)| / (1 + sqrt 2)
    assert errors["v"] == pytest.approx(1 / (1 + np.sqrt(2)), rel=1e-6)


def test_eps_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"`eps` must be a finite positive number; got 0"):
        numerical_gradient(lambda p: 0.0, {"w": np.zeros(1)}, eps=0)


def test_a_non_finite_loss_on_the_minus_side_names_the_entry() -> None:
    # entry 1 sits at 1.0: its minus nudge (1 - 1e-6) is below 1, where this loss is NaN; entry 0 is far from it
    def loss(p: dict[str, np.ndarray]) -> float:
        return float("nan") if p["w"][1] < 1.0 else float(np.sum(p["w"]))

    with pytest.raises(
        ValueError, match=r"^`loss` must return a finite number; got nan with `params\['w'\]` entry 1 nudged\.$"
    ):
        numerical_gradient(loss, {"w": np.array([5.0, 1.0])})


def test_relative_error_scales_by_the_larger_of_both_arrays() -> None:
    # |a - b| / (|a| + |b|) with a = (1, 0), b = (1e308, 1e308): both terms are about sqrt(2) 1e308, ratio 1 - 1e-308
    big = np.array([1e308, 1e308])
    assert relative_error(np.array([1.0, 0.0]), big) == pytest.approx(1.0, rel=1e-12)
    assert relative_error(big, np.array([1.0, 0.0])) == pytest.approx(1.0, rel=1e-12)


def test_check_gradients_uses_the_given_step() -> None:
    # L = c^3 at c = 2: analytic 12; central difference with eps = 0.5 is 3c^2 + eps^2 = 12.25;
    # relative error |12 - 12.25| / (12 + 12.25) = 0.25 / 24.25
    errors = check_gradients(lambda p: float(p["c"][0] ** 3), {"c": np.array([12.0])}, {"c": np.array([2.0])}, eps=0.5)
    assert errors["c"] == pytest.approx(0.25 / 24.25, rel=1e-12)
