"""Tests of nnmem.optim: Adam and SGD with momentum as pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem.optim import AdamState, adam_init, adam_step, momentum_init, momentum_step


def test_adam_first_step_has_size_learning_rate_in_every_coordinate():
    # after one step m_hat = g and v_hat = g^2, so the step is eta * g / |g| = eta * sign(g)
    p = {"w": np.array([1.0, -2.0, 3.0])}
    g = {"w": np.array([1e-3, -5.0, 100.0])}
    new, state = adam_step(p, g, adam_init(p), learning_rate=0.1)
    assert np.allclose(new["w"], p["w"] - 0.1 * np.sign(g["w"]), atol=1e-7)
    assert state.step == 1


def test_adam_does_not_modify_its_inputs_and_minimises_a_quadratic():
    p = {"w": np.array([3.0, -4.0])}
    state = adam_init(p)
    before = p["w"].copy()
    for _ in range(500):
        new, state = adam_step(p, {"w": 2.0 * p["w"]}, state, learning_rate=0.05)
        assert np.array_equal(p["w"], before) or p is not new
        p = new
        before = p["w"].copy()
    assert np.linalg.norm(p["w"]) < 1e-2


def test_momentum_step_by_hand():
    # v = 0.5*1 - 0.1*3 = 0.2; w = 2 + 0.2 = 2.2
    p, v = momentum_step({"w": np.array([2.0])}, {"w": np.array([3.0])}, {"w": np.array([1.0])},
                         learning_rate=0.1, momentum=0.5)
    assert v["w"][0] == pytest.approx(0.2) and p["w"][0] == pytest.approx(2.2)
    assert np.array_equal(momentum_init({"w": np.ones(2)})["w"], np.zeros(2))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: adam_step({"w": np.ones(2)}, {"v": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1),
         ValueError, "must have the keys of `params`"),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(3)}, adam_init({"w": np.ones(2)}), learning_rate=0.1),
         ValueError, r"must have the shape of `params\['w'\]`"),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, learning_rate=0.1), TypeError, "AdamState"),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=-1.0),
         ValueError, "learning_rate"),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1,
                           beta1=1.0), ValueError, r"`beta1` must be in \[0, 1\)"),
        (lambda: adam_init([1.0]), TypeError, "must be a dict"),
        (lambda: momentum_init([1.0]), TypeError, "must be a dict"),
        (lambda: momentum_step({"w": np.ones(1)}, {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1,
                               momentum=1.5), ValueError, r"`momentum` must be in \[0, 1\)"),
        (lambda: momentum_step([1.0], {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1),
         TypeError, "must be dicts"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_state_is_frozen():
    state = adam_init({"w": np.ones(1)})
    assert isinstance(state, AdamState)
    with pytest.raises(AttributeError):
        state.step = 3  # type: ignore[misc]
