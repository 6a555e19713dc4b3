"""Tests of nnmem.optim: SGD with momentum and weight decay, and Adam, as pure functions."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnmem.optim import AdamState, adam_init, adam_step, is_bias, momentum_init, sgd_step


def full(message: str) -> str:
    return "^" + re.escape(message) + "$"


# ------------------------------------------------------------------ SGD


def test_plain_sgd_is_gradient_descent() -> None:
    # momentum 0, no decay: w = 1 - 0.1 * 2 = 0.8 and b = 0 - 0.1 * (-1) = 0.1
    p, v = sgd_step({"w": np.array([1.0]), "b": np.array([0.0])}, {"w": np.array([2.0]), "b": np.array([-1.0])},
                    momentum_init({"w": np.zeros(1), "b": np.zeros(1)}), learning_rate=0.1)
    assert p["w"][0] == pytest.approx(0.8, abs=1e-15) and p["b"][0] == pytest.approx(0.1, abs=1e-15)
    assert v["w"][0] == pytest.approx(-0.2, abs=1e-15)


def test_momentum_two_steps_by_hand() -> None:
    # eta = 0.1, mu = 0.5, w0 = 1, gradients 2 then 1
    # step 1: v1 = 0.5 * 0 - 0.1 * 2 = -0.2;     w1 = 1 - 0.2 = 0.8
    # step 2: v2 = 0.5 * (-0.2) - 0.1 * 1 = -0.2; w2 = 0.8 - 0.2 = 0.6
    # (a velocity that did not decay, v2 = -0.2 - 0.1 = -0.3, would give w2 = 0.5;
    #  one that forgot the past, v2 = -0.1, would give 0.7)
    p = {"w": np.array([1.0])}
    v = momentum_init(p)
    p, v = sgd_step(p, {"w": np.array([2.0])}, v, learning_rate=0.1, momentum=0.5)
    assert v["w"][0] == pytest.approx(-0.2, abs=1e-15) and p["w"][0] == pytest.approx(0.8, abs=1e-15)
    p, v = sgd_step(p, {"w": np.array([1.0])}, v, learning_rate=0.1, momentum=0.5)
    assert v["w"][0] == pytest.approx(-0.2, abs=1e-15) and p["w"][0] == pytest.approx(0.6, abs=1e-15)


def test_weight_decay_on_weights_only() -> None:
    # eta = 0.1, lambda = 0.5, zero gradient: a weight shrinks by eta * lambda * w = 0.05 * w
    params = {"W1": np.array([2.0]), "w_ih": np.array([-4.0]), "b1": np.array([3.0]), "b_h": np.array([1.0]),
              "b": np.array([5.0])}
    zeros = {k: np.zeros(1) for k in params}
    p, v = sgd_step(params, zeros, zeros, learning_rate=0.1, weight_decay=0.5)
    assert p["W1"][0] == pytest.approx(1.9, abs=1e-15)  # 2 - 0.05 * 2
    assert p["w_ih"][0] == pytest.approx(-3.8, abs=1e-15)  # -4 - 0.05 * (-4)
    assert [p[k][0] for k in ("b1", "b_h", "b")] == [3.0, 1.0, 5.0]  # biases untouched


def test_weight_decay_with_momentum_and_gradient() -> None:
    # v = mu v - eta (g + lambda w) = 0.9 * 1 - 0.1 * (3 + 0.2 * 5) = 0.9 - 0.4 = 0.5; w = 5 + 0.5 = 5.5
    # bias: v = 0.9 * 1 - 0.1 * 3 = 0.6; b = 5 + 0.6 = 5.6
    p, v = sgd_step({"W": np.array([5.0]), "b": np.array([5.0])}, {"W": np.array([3.0]), "b": np.array([3.0])},
                    {"W": np.array([1.0]), "b": np.array([1.0])}, learning_rate=0.1, momentum=0.9,
                    weight_decay=0.2)
    assert v["W"][0] == pytest.approx(0.5, abs=1e-15) and p["W"][0] == pytest.approx(5.5, abs=1e-15)
    assert v["b"][0] == pytest.approx(0.6, abs=1e-15) and p["b"][0] == pytest.approx(5.6, abs=1e-15)


def test_is_bias_rule() -> None:
    assert [is_bias(k) for k in ("b", "b1", "b_y", "W1", "w_ih", "W_hh", "Bias")] == [
        True, True, True, False, False, False, False]


def test_sgd_keeps_float32_and_does_not_touch_its_inputs() -> None:
    params = {"W": np.array([[1.0, 2.0]], dtype=np.float32), "b": np.array([0.5], dtype=np.float32)[:1]}
    grads = {"W": np.array([[0.1, 0.2]]), "b": np.array([1.0])}  # float64 gradients
    velocity = momentum_init(params)
    assert velocity["W"].dtype == np.float32
    copies = [{k: a.copy() for k, a in d.items()} for d in (params, grads, velocity)]
    p, v = sgd_step(params, grads, velocity, learning_rate=0.5, momentum=0.5, weight_decay=0.1)
    assert all(a.dtype == np.float32 for a in (*p.values(), *v.values()))
    for d, c in zip((params, grads, velocity), copies, strict=True):
        assert all(np.array_equal(d[k], c[k]) for k in d)
    for new in (*p.values(), *v.values()):
        assert not any(np.shares_memory(new, old) for d in (params, grads, velocity) for old in d.values())


def test_sgd_minimises_a_quadratic() -> None:
    p = {"w": np.array([3.0, -4.0])}
    v = momentum_init(p)
    for _ in range(200):
        p, v = sgd_step(p, {"w": 2.0 * p["w"]}, v, learning_rate=0.05, momentum=0.5)
    assert np.linalg.norm(p["w"]) < 1e-6


# ------------------------------------------------------------------ Adam


def reference_adam(thetas: list[float], grads_seq: list[list[float]], eta: float, b1: float, b2: float,
                   eps: float) -> list[float]:
    """Kingma & Ba (2015), Algorithm 1, coordinate by coordinate in plain Python."""
    theta = list(thetas)
    m = [0.0] * len(theta)
    v = [0.0] * len(theta)
    for t, g in enumerate(grads_seq, start=1):
        for i, gi in enumerate(g):
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            theta[i] -= eta * m_hat / (math.sqrt(v_hat) + eps)
    return theta


@pytest.mark.parametrize(("b1", "b2", "eps"), [(0.9, 0.999, 1e-8), (0.5, 0.8, 1e-3)])
def test_adam_matches_an_independent_implementation_over_several_steps(b1: float, b2: float, eps: float) -> None:
    rng = np.random.default_rng(0)
    theta0 = {"W": rng.normal(size=(2, 2)), "b": rng.normal(size=2)}
    grads_seq = [{"W": rng.normal(size=(2, 2)), "b": rng.normal(size=2)} for _ in range(6)]
    p, state = theta0, adam_init(theta0)
    for k, g in enumerate(grads_seq, start=1):
        p, state = adam_step(p, g, state, learning_rate=0.01, beta1=b1, beta2=b2, eps=eps)
        assert state.step == k
        for key in p:
            expected = reference_adam(list(theta0[key].ravel()), [list(gs[key].ravel()) for gs in grads_seq[:k]],
                                      0.01, b1, b2, eps)
            assert np.allclose(p[key].ravel(), expected, rtol=1e-13, atol=1e-15), (k, key)


def test_adam_moments_after_two_steps_by_hand() -> None:
    # b1 = 0.5, b2 = 0.5; g = 2 then 4
    # m1 = 0.5 * 2 = 1, v1 = 0.5 * 4 = 2; m2 = 0.5 * 1 + 0.5 * 4 = 2.5, v2 = 0.5 * 2 + 0.5 * 16 = 9
    # step 2: m_hat = 2.5 / 0.75 = 10/3, v_hat = 9 / 0.75 = 12; theta2 = theta1 - 0.1 * (10/3) / sqrt(12)
    p, s = adam_step({"w": np.array([0.0])}, {"w": np.array([2.0])}, adam_init({"w": np.zeros(1)}),
                     learning_rate=0.1, beta1=0.5, beta2=0.5, eps=1e-12)
    assert s.m["w"][0] == 1.0 and s.v["w"][0] == 2.0
    assert p["w"][0] == pytest.approx(-0.1, abs=1e-12)  # m_hat = 2, v_hat = 4: step 0.1 * 2 / 2
    p, s = adam_step(p, {"w": np.array([4.0])}, s, learning_rate=0.1, beta1=0.5, beta2=0.5, eps=1e-12)
    assert s.m["w"][0] == 2.5 and s.v["w"][0] == 9.0 and s.step == 2
    assert p["w"][0] == pytest.approx(-0.1 - 0.1 * (10 / 3) / math.sqrt(12), abs=1e-12)


def test_adam_first_step_has_size_learning_rate_in_every_coordinate() -> None:
    # after one step m_hat = g and v_hat = g^2, so the step is eta * g / (|g| + eps)
    p = {"w": np.array([1.0, -2.0, 3.0])}
    g = {"w": np.array([1e-3, -5.0, 100.0])}
    new, state = adam_step(p, g, adam_init(p), learning_rate=0.1)
    assert np.allclose(new["w"], p["w"] - 0.1 * g["w"] / (np.abs(g["w"]) + 1e-8), rtol=0, atol=1e-15)
    assert state.step == 1


def test_adam_eps_is_added_to_the_denominator() -> None:
    # first step with g = 1 and eps = 1: eta * 1 / (1 + 1) = eta / 2
    p, _ = adam_step({"w": np.array([0.0])}, {"w": np.array([1.0])}, adam_init({"w": np.zeros(1)}),
                     learning_rate=0.2, eps=1.0)
    assert p["w"][0] == pytest.approx(-0.1, abs=1e-15)


def test_adam_does_not_modify_its_inputs_and_minimises_a_quadratic() -> None:
    p = {"w": np.array([3.0, -4.0])}
    state = adam_init(p)
    for _ in range(500):
        grads = {"w": 2.0 * p["w"]}
        snapshot = (p["w"].copy(), grads["w"].copy(), state.m["w"].copy(), state.v["w"].copy())
        new, new_state = adam_step(p, grads, state, learning_rate=0.05)
        after = (p["w"], grads["w"], state.m["w"], state.v["w"])
        assert all(np.array_equal(a, b) for a, b in zip(snapshot, after, strict=True))
        assert not any(np.shares_memory(new["w"], a) for a in after)
        p, state = new, new_state
    assert np.linalg.norm(p["w"]) < 1e-2


def test_adam_keeps_float32() -> None:
    p = {"w": np.ones(2, dtype=np.float32)}
    state = adam_init(p)
    assert state.m["w"].dtype == np.float32
    new, state = adam_step(p, {"w": np.array([0.5, -0.5])}, state, learning_rate=0.1)
    assert new["w"].dtype == np.float32 and state.m["w"].dtype == np.float32 and state.v["w"].dtype == np.float32


def test_state_is_frozen() -> None:
    state = adam_init({"w": np.ones(1)})
    assert isinstance(state, AdamState)
    with pytest.raises(AttributeError):
        state.step = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: adam_step({"w": np.ones(2)}, {"v": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1),
         ValueError, "`grads` must have the keys ['w'] of `params`; got ['v']."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(3)}, adam_init({"w": np.ones(2)}), learning_rate=0.1),
         ValueError, "`grads['w']` must have shape (2,) like `params['w']`; got (3,)."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, learning_rate=0.1), TypeError,
         "`state` must be an AdamState from adam_init; got {} of type dict."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"u": np.ones(2)}), learning_rate=0.1),
         ValueError, "`state.m` must have the keys ['w'] of `params`; got ['u']."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, AdamState({"w": np.ones(2)}, {"w": -np.ones(2)}, 1),
                           learning_rate=0.1), ValueError,
         "`state.v` must hold second moments >= 0; got a negative value."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, AdamState({"w": np.ones(2)}, {"w": np.ones(2)}, -1),
                           learning_rate=0.1), ValueError, "`state.step` must be an int >= 0; got -1."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=-1.0),
         ValueError, "`learning_rate` must be a finite positive number; got -1.0."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1,
                           beta1=1.0), ValueError, "`beta1` must be in [0, 1); got 1.0."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1,
                           beta2=1.5), ValueError, "`beta2` must be in [0, 1); got 1.5."),
        (lambda: adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, adam_init({"w": np.ones(2)}), learning_rate=0.1,
                           eps=0.0), ValueError, "`eps` must be a finite positive number; got 0.0."),
        (lambda: adam_init([1.0]), TypeError, "`params` must be a dict of str to ndarray; got [1.0] of type list."),
        (lambda: momentum_init([1.0]), TypeError, "`params` must be a dict of str to ndarray; got [1.0] of type list."),
        (lambda: sgd_step({"w": np.ones(1)}, {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1, momentum=1.0),
         ValueError, "`momentum` must be in [0, 1); got 1.0."),
        (lambda: sgd_step({"w": np.ones(1)}, {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1,
                          weight_decay=-0.1), ValueError, "`weight_decay` must be a finite number >= 0; got -0.1."),
        (lambda: sgd_step({"w": np.ones(1)}, {"w": np.ones(1)}, {}, learning_rate=0.1), ValueError,
         "`velocity` must have the keys ['w'] of `params`; got []."),
        (lambda: sgd_step([1.0], {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1),
         TypeError, "`params` must be a dict of str to ndarray; got [1.0] of type list."),
    ],
    ids=["grad-keys", "grad-shape", "state-type", "state-keys", "state-v-negative", "state-step", "lr", "beta1",
         "beta2", "eps", "adam-init", "momentum-init", "momentum-1", "decay-negative", "velocity-keys",
         "params-type"],
)
def test_errors(call, error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=full(message)):
        call()


def test_momentum_and_betas_at_the_edges_are_accepted() -> None:
    sgd_step({"w": np.ones(1)}, {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1, momentum=0.0)
    sgd_step({"w": np.ones(1)}, {"w": np.ones(1)}, {"w": np.ones(1)}, learning_rate=0.1, momentum=0.999)
    p, _ = adam_step({"w": np.ones(1)}, {"w": np.ones(1)}, adam_init({"w": np.ones(1)}), learning_rate=0.1,
                     beta1=0.0, beta2=0.0)
    assert p["w"][0] == pytest.approx(0.9, abs=1e-7)  # m_hat = g, v_hat = g^2: a step of eta


def test_float32_params_with_float64_state_give_float32_results() -> None:
    p = {"w": np.ones(2, dtype=np.float32)}
    new, v = sgd_step(p, {"w": np.ones(2)}, {"w": np.full(2, 0.5)}, learning_rate=0.5, momentum=0.5)
    # v = 0.5 * 0.5 - 0.5 * 1 = -0.25; w = 1 - 0.25 = 0.75, both exact in float32
    assert new["w"].dtype == np.float32 and v["w"].dtype == np.float32
    assert new["w"].tolist() == [0.75, 0.75] and v["w"].tolist() == [-0.25, -0.25]
    new, s = adam_step(p, {"w": np.ones(2)}, AdamState({"w": np.zeros(2)}, {"w": np.zeros(2)}, 0), learning_rate=0.5)
    assert new["w"].dtype == np.float32
    assert np.allclose(new["w"], 0.5, atol=1e-6)


def test_huge_finite_parameters_are_not_mistaken_for_an_overflow() -> None:
    import warnings

    p = {"w": np.array([1e308, 1e308])}  # their sum overflows, each value is finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new, _ = sgd_step(p, {"w": np.zeros(2)}, {"w": np.zeros(2)}, learning_rate=0.1)
        assert new["w"].tolist() == [1e308, 1e308]
        new, _ = adam_step(p, {"w": np.zeros(2)}, adam_init(p), learning_rate=0.1)
        assert new["w"].tolist() == [1e308, 1e308]
