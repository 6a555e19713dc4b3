"""Activation functions and their derivatives (nnmem.activations)."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import activations
from nnmem.activations import ACTIVATIONS, get_activation, relu, relu_derivative, sigmoid, tanh


def test_relu_values_by_hand() -> None:
    z = np.array([-2.0, -0.0, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 0.0, 0.5, 3.0])
    # the derivative is 0 left of the kink, 1 right of it, and we define it as 0 at z = 0
    np.testing.assert_array_equal(relu_derivative(z), [0.0, 0.0, 0.0, 1.0, 1.0])


def test_sigmoid_known_values_and_no_overflow() -> None:
    # sigma(0) = 1/2, sigma(ln 3) = 1 / (1 + 1/3) = 3/4
    np.testing.assert_allclose(sigmoid(np.array([0.0, np.log(3.0)])), [0.5, 0.75])
    with np.errstate(all="raise"):
        out = sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(out, [0.0, 1.0])


def test_tanh_is_odd_and_bounded() -> None:
    z = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(tanh(-z), -tanh(z))
    assert np.all(np.abs(tanh(z)) < 1.0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference(name: str) -> None:
    act = ACTIVATIONS[name]
    z = np.random.default_rng(0).normal(size=200) * 3
    z = z[np.abs(z) > 1e-3]  # keep away from ReLU's kink
    eps = 1e-6
    numeric = (act(z + eps) - act(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_shape_preserved_and_input_untouched(name: str) -> None:
    z = np.arange(-6.0, 6.0).reshape(3, 4)
    before = z.copy()
    act = get_activation(name)
    assert act(z).shape == z.shape
    assert act.derivative(z).shape == z.shape
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_calling_checks_but_the_attributes_hold_the_unchecked_maths(name: str) -> None:
    act = ACTIVATIONS[name]
    with pytest.raises(ValueError, match=r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$"):
        act(np.array([np.nan]))
    with pytest.raises(ValueError, match=r"^`z` must contain only finite numbers"):
        getattr(activations, name)(np.array([np.nan]))
    with np.errstate(invalid="ignore"):
        assert np.isnan(act.function(np.array([np.nan]))[0])  # a trainer's own guard reports this, not `z`
        assert np.all(np.isfinite(act.derivative(np.array([1e308, -1e308]))))


def test_a_new_activation_unwraps_checked_functions() -> None:
    act = activations.Activation("mine", relu, relu_derivative)
    assert act.name == "mine"
    assert act.function is relu.__wrapped__  # type: ignore[attr-defined]
    assert act.derivative is relu_derivative.__wrapped__  # type: ignore[attr-defined]
    raw = activations.Activation("raw", np.tanh, np.cos)  # plain functions are kept as they are
    assert raw.function is np.tanh and raw.derivative is np.cos
    np.testing.assert_array_equal(act(np.array([-1.0, 2.0])), [0.0, 2.0])


def test_identity_returns_a_new_array_with_the_same_values() -> None:
    z = np.array([[1.5, -2.0]])
    out = activations.identity(z)
    assert out is not z and not np.shares_memory(out, z)
    np.testing.assert_array_equal(out, z)
    z32 = np.ones(2, dtype=np.float32)
    assert activations.identity(z32).dtype == np.float32 and not np.shares_memory(activations.identity(z32), z32)


def test_exact_values_of_every_function_and_derivative() -> None:
    # sigma(ln 3) = 3/4 -> sigma' = 3/4 * 1/4 = 3/16; tanh(atanh(1/2)) = 1/2 -> tanh' = 1 - 1/4 = 3/4
    np.testing.assert_allclose(activations.sigmoid_derivative(np.array([0.0, np.log(3.0)])), [0.25, 3 / 16])
    np.testing.assert_allclose(activations.tanh_derivative(np.array([0.0, np.arctanh(0.5)])), [1.0, 0.75])
    np.testing.assert_array_equal(activations.identity_derivative(np.array([-3.0, 0.0, 7.0])), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(activations.relu(np.array([-3, 2])), [0.0, 2.0])  # ints become floats
    assert activations.relu(np.array([-3, 2])).dtype == np.float64
    assert activations.relu_derivative(np.array([True, False])).dtype == np.float64


def test_the_recurrent_module_uses_this_sigmoid() -> None:
    import nnmem.recurrent

    assert nnmem.recurrent.sigmoid is ACTIVATIONS["sigmoid"].function


def test_table_entries_are_named_after_their_key() -> None:
    assert {name for name, act in ACTIVATIONS.items() if act.name == name} == set(ACTIVATIONS)


def test_unknown_activation_is_named_in_the_error() -> None:
    with pytest.raises(
        ValueError,
        match=r"`activation` must be one of 'identity', 'relu', 'sigmoid', 'tanh'; got 'softplus'",
    ):
        get_activation("softplus")


def test_activation_name_must_be_a_string() -> None:
    with pytest.raises(TypeError, match=r"`activation` must be a string naming an activation; got 3 of type int"):
        get_activation(3)  # type: ignore[arg-type]
