"""Bad and edge inputs for the learning modules (issue 9): twolayer, hebbian, recurrent, activations, gradcheck.

Each bad-input case names the call, the exception type and a regex anchored at both ends that the whole
message must match: it names the argument and what was given. The messages follow the package's one
template (`nnmem._checks`): "`name` must <expectation>; got <what was given>."
Then: valid edge inputs that must work (int and bool arrays, numpy scalar sizes, a single sample, float32),
no public function modifies its inputs or returns a view of them, and no RuntimeWarning escapes on finite input.
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from nnmem import TrainingDivergedError, datasets
from nnmem import activations as A
from nnmem import gradcheck as G
from nnmem import hebbian as H
from nnmem import recurrent as R
from nnmem import twolayer as T

P2 = T.init_params(2, 3, 1, rng=0)
X2 = np.zeros((4, 2))
Y2 = np.zeros((4, 1))
_, C2 = T.forward_propagation(X2, P2)
PR = R.init_params(2, 3, 2, cell="rnn", rng=0)
PL = R.init_params(2, 3, 2, cell="lstm", rng=0)
XR = np.zeros((4, 5, 2))
YR = np.array([0, 1, 0, 1])
W1 = {"w": np.ones(2)}
cx = np.array([1 + 1j, 2.0])
HUGE = {k: v * 1e200 for k, v in T.init_params(2, 3, 1, rng=0).items()}
P_ONES = {**P2, "w_ih": np.ones((2, 3)), "w_ho": np.zeros((3, 1))}


def LOSS(p: dict[str, np.ndarray]) -> float:
    return float(np.sum(p["w"] ** 2))


OVERFLOW_T = r"^`x` and `params` are finite but the computation overflowed the range of float64 numbers; rescale them\.$"  # noqa: E501
OVERFLOW_R = (r"^`x` and `params` are finite but the computation overflowed the range of floating point numbers; "
              r"rescale them\.$")

BAD = [
    # activations
    pytest.param(
        lambda: A.relu("abc"),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got 'abc' of type str\.$",
        id="relu-str",
    ),
    pytest.param(
        lambda: A.relu(None),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got None of type NoneType\.$",
        id="relu-none",
    ),
    pytest.param(
        lambda: A.relu(cx),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got an array of shape \(2,\) and dtype "
        r"complex128\.$",
        id="relu-complex",
    ),
    pytest.param(
        lambda: A.relu(np.array([np.nan, 1.0])),
        ValueError,
        r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="relu-nan",
    ),
    pytest.param(
        lambda: A.relu_derivative(np.array([np.inf])),
        ValueError,
        r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="relu_derivative-inf",
    ),
    pytest.param(
        lambda: A.sigmoid(cx),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got an array of shape \(2,\) and dtype "
        r"complex128\.$",
        id="sigmoid-complex",
    ),
    pytest.param(
        lambda: A.sigmoid(np.array([1, None], dtype=object)),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got an array of shape \(2,\) and dtype "
        r"object\.$",
        id="sigmoid-object",
    ),
    pytest.param(
        lambda: A.sigmoid([[1.0], [1.0, 2.0]]),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got \[\[1\.0\], \[1\.0, 2\.0\]\] of type "
        r"list\.$",
        id="sigmoid-ragged",
    ),
    pytest.param(
        lambda: A.sigmoid_derivative(np.array([[0.0, np.nan]])),
        ValueError,
        r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="sigmoid_derivative-nan",
    ),
    pytest.param(
        lambda: A.tanh(b"12"),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got b'12' of type bytes\.$",
        id="tanh-bytes",
    ),
    pytest.param(
        lambda: A.tanh_derivative(1j),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got an array of shape \(\) and dtype "
        r"complex128\.$",
        id="tanh_derivative-complex",
    ),
    pytest.param(
        lambda: A.identity(cx),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got an array of shape \(2,\) and dtype "
        r"complex128\.$",
        id="identity-complex",
    ),
    pytest.param(
        lambda: A.identity(np.array([-np.inf])),
        ValueError,
        r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="identity-inf",
    ),
    pytest.param(
        lambda: A.identity_derivative("z"),
        TypeError,
        r"^`z` must be an array of numbers with shape \(any shape\); got 'z' of type str\.$",
        id="identity_derivative-str",
    ),
    pytest.param(
        lambda: A.get_activation("relu")(np.array([np.nan])),
        ValueError,
        r"^`z` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="activation-call-nan",
    ),
    pytest.param(
        lambda: A.get_activation("gelu"),
        ValueError,
        r"^`activation` must be one of 'identity', 'relu', 'sigmoid', 'tanh'; got 'gelu'\.$",
        id="get_activation-unknown",
    ),
    pytest.param(
        lambda: A.get_activation(3),
        TypeError,
        r"^`activation` must be a string naming an activation; got 3 of type int\.$",
        id="get_activation-int",
    ),
    pytest.param(
        lambda: A.get_activation(None),
        TypeError,
        r"^`activation` must be a string naming an activation; got None of type NoneType\.$",
        id="get_activation-none",
    ),
    # gradcheck
    pytest.param(
        lambda: G.numerical_gradient(3, W1),
        TypeError,
        r"^`loss` must be a function of a parameter dict returning a float; got 3 of type int\.$",
        id="numerical_gradient-not-callable",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, [1.0]),
        TypeError,
        r"^`params` must be a dict of str to ndarray; got \[1\.0\] of type list\.$",
        id="numerical_gradient-params-list",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, {"w": np.array([np.nan])}),
        ValueError,
        r"^`params\['w'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="numerical_gradient-params-nan",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, {"w": cx}),
        TypeError,
        r"^`params\['w'\]` must be an array of numbers of any shape; got an array of shape \(2,\) and "
        r"dtype complex128\.$",
        id="numerical_gradient-params-complex",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, {"w": np.zeros(0)}),
        ValueError,
        r"^`params\['w'\]` must have at least one element; got shape \(0,\)\.$",
        id="numerical_gradient-params-empty-array",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, W1, eps=0),
        ValueError,
        r"^`eps` must be a finite positive number; got 0\.$",
        id="numerical_gradient-eps-zero",
    ),
    pytest.param(
        lambda: G.numerical_gradient(LOSS, W1, eps="1e-6"),
        TypeError,
        r"^`eps` must be a positive number; got '1e\-6' of type str\.$",
        id="numerical_gradient-eps-str",
    ),
    pytest.param(
        lambda: G.numerical_gradient(lambda p: float("nan"), W1),
        ValueError,
        r"^`loss` must return a finite number; got nan with `params\['w'\]` entry 0 nudged\.$",
        id="numerical_gradient-loss-nan",
    ),
    pytest.param(
        lambda: G.numerical_gradient(lambda p: "x", W1),
        TypeError,
        r"^`loss` must return a real number; got 'x' of type str\.$",
        id="numerical_gradient-loss-str",
    ),
    pytest.param(
        lambda: G.relative_error(np.zeros(2), np.zeros(3)),
        ValueError,
        r"^`a` and `b` must have the same shape; got \(2,\) and \(3,\)\.$",
        id="relative_error-shape",
    ),
    pytest.param(
        lambda: G.relative_error(np.array([np.nan]), np.zeros(1)),
        ValueError,
        r"^`a` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="relative_error-a-nan",
    ),
    pytest.param(
        lambda: G.relative_error(np.zeros(2), cx),
        TypeError,
        r"^`b` must be an array of numbers with shape \(2,\) like `a`; got an array of shape \(2,\) and dtype "
        r"complex128\.$",
        id="relative_error-b-complex",
    ),
    pytest.param(
        lambda: G.relative_error(None, np.zeros(1)),
        TypeError,
        r"^`a` must be an array of numbers with shape \(any shape\); got None of type NoneType\.$",
        id="relative_error-a-none",
    ),
    pytest.param(
        lambda: G.check_gradients(LOSS, {"v": np.ones(2)}, W1),
        ValueError,
        r"^`grads` must have the keys \['w'\] of `params`; got \['v'\]\.$",
        id="check_gradients-keys",
    ),
    pytest.param(
        lambda: G.check_gradients(LOSS, {"w": np.ones(3)}, W1),
        ValueError,
        r"^`grads\['w'\]` must have shape \(2,\) like `params\['w'\]`; got \(3,\)\.$",
        id="check_gradients-shape",
    ),
    pytest.param(
        lambda: G.check_gradients(LOSS, {"w": np.array([1.0, np.nan])}, W1),
        ValueError,
        r"^`grads\['w'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="check_gradients-grads-nan",
    ),
    pytest.param(
        lambda: G.check_gradients(LOSS, [1.0], W1),
        TypeError,
        r"^`grads` must be a dict of str to ndarray; got \[1\.0\] of type list\.$",
        id="check_gradients-grads-list",
    ),
    pytest.param(
        lambda: G.check_gradients(LOSS, W1, "w"),
        TypeError,
        r"^`params` must be a dict of str to ndarray; got 'w' of type str\.$",
        id="check_gradients-params-str",
    ),
    pytest.param(
        lambda: G.check_gradients(None, W1, W1),
        TypeError,
        r"^`loss` must be a function of a parameter dict returning a float; got None of type NoneType\.$",
        id="check_gradients-loss-none",
    ),
    # hebbian
    pytest.param(
        lambda: H.hebb_update(cx, np.ones(2), learning_rate=0.1),
        TypeError,
        r"^`w` must be an array of numbers with shape \(n_inputs,\); got an array of shape \(2,\) and dtype "
        r"complex128\.$",
        id="hebb_update-w-complex",
    ),
    pytest.param(
        lambda: H.hebb_update(np.ones(2), np.ones(3), learning_rate=0.1),
        ValueError,
        r"^`x` must have shape \(2,\) like `w`; got \(3,\)\.$",
        id="hebb_update-x-shape",
    ),
    pytest.param(
        lambda: H.hebb_update(np.ones((2, 2)), np.ones(2), learning_rate=0.1),
        ValueError,
        r"^`w` must have shape \(n_inputs,\); got shape \(2, 2\)\.$",
        id="hebb_update-w-2d",
    ),
    pytest.param(
        lambda: H.hebb_update(np.ones(0), np.ones(0), learning_rate=0.1),
        ValueError,
        r"^`w` must have shape \(n_inputs,\) with at least one element; got shape \(0,\)\.$",
        id="hebb_update-w-empty",
    ),
    pytest.param(
        lambda: H.hebb_update(np.ones(2), np.ones(2), learning_rate=-1.0),
        ValueError,
        r"^`learning_rate` must be a finite positive number; got \-1\.0\.$",
        id="hebb_update-lr-neg",
    ),
    pytest.param(
        lambda: H.oja_update(np.ones(2), np.array([np.nan, 0.0]), learning_rate=0.1),
        ValueError,
        r"^`x` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="oja_update-x-nan",
    ),
    pytest.param(
        lambda: H.oja_update(np.ones(2), np.ones(2), learning_rate="0.1"),
        TypeError,
        r"^`learning_rate` must be a positive number; got '0\.1' of type str\.$",
        id="oja_update-lr-str",
    ),
    pytest.param(
        lambda: H.oja_update(np.ones(2), "ab", learning_rate=0.1),
        TypeError,
        r"^`x` must be an array of numbers with shape \(2,\); got 'ab' of type str\.$",
        id="oja_update-x-str",
    ),
    pytest.param(
        lambda: H.learn(np.zeros((0, 3)), learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` must have shape \(n_samples, n_inputs\) with at least one element; got shape \(0, 3\)\.$",
        id="learn-x-empty",
    ),
    pytest.param(
        lambda: H.learn(np.zeros((5, 0)), learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` must have shape \(n_samples, n_inputs\) with at least one element; got shape \(5, 0\)\.$",
        id="learn-x-no-inputs",
    ),
    pytest.param(
        lambda: H.learn(np.zeros(3), learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` must have shape \(n_samples, n_inputs\); got shape \(3,\)\. For a single feature or target use "
        r"`\.reshape\(\-1, 1\)`; for a single sample `\.reshape\(1, \-1\)`\.$",
        id="learn-x-1d",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)) * 1j, learning_rate=0.1, epochs=1),
        TypeError,
        r"^`x` must be an array of numbers with shape \(n_samples, n_inputs\); got an array of shape \(2, 2\) and "
        r"dtype complex128\.$",
        id="learn-x-complex",
    ),
    pytest.param(
        lambda: H.learn(np.array([[np.inf, 0.0]]), learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="learn-x-inf",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), rule="bcm", learning_rate=0.1, epochs=1),
        ValueError,
        r"^`rule` must be one of \['hebb', 'oja'\]; got 'bcm'\.$",
        id="learn-rule-unknown",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), rule=1, learning_rate=0.1, epochs=1),
        TypeError,
        r"^`rule` must be one of \['hebb', 'oja'\]; got 1 of type int\.$",
        id="learn-rule-int",
    ),
    pytest.param(
        lambda: R.init_params(2, 3, 2, cell=1),
        TypeError,
        r"^`cell` must be one of \('rnn', 'lstm'\); got 1 of type int\.$",
        id="r-init-cell-int",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.0, epochs=1),
        ValueError,
        r"^`learning_rate` must be a finite positive number; got 0\.0\.$",
        id="learn-lr-zero",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=2.0),
        TypeError,
        r"^`epochs` must be a positive integer; got 2\.0 of type float\.$",
        id="learn-epochs-float",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=0),
        ValueError,
        r"^`epochs` must be a positive integer; got 0\.$",
        id="learn-epochs-zero",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=1, w0=np.ones(3)),
        ValueError,
        r"^`w0` must have shape \(2,\) like a row of `x`; got \(3,\)\.$",
        id="learn-w0-shape",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=1, w0=np.array([np.nan, 1.0])),
        ValueError,
        r"^`w0` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="learn-w0-nan",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=1, rng=-1),
        ValueError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got \-1\.$",
        id="learn-rng-negative",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=1, rng="0"),
        TypeError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got '0' of type str\.$",
        id="learn-rng-str",
    ),
    pytest.param(
        lambda: H.stdp_window(np.array([np.nan])),
        ValueError,
        r"^`delta_t` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="stdp-nan",
    ),
    pytest.param(
        lambda: H.stdp_window(cx),
        TypeError,
        r"^`delta_t` must be an array of numbers with shape \(any shape\), in ms; got an array of shape \(2,\) "
        r"and dtype complex128\.$",
        id="stdp-complex",
    ),
    pytest.param(
        lambda: H.stdp_window(None),
        TypeError,
        r"^`delta_t` must be an array of numbers with shape \(any shape\), in ms; got None of type NoneType\.$",
        id="stdp-none",
    ),
    pytest.param(
        lambda: H.stdp_window(np.zeros(1), tau_plus=-1.0),
        ValueError,
        r"^`tau_plus` must be a finite positive number; got \-1\.0\.$",
        id="stdp-tau_plus-neg",
    ),
    pytest.param(
        lambda: H.stdp_window(np.zeros(1), a_minus=np.inf),
        ValueError,
        r"^`a_minus` must be a finite positive number; got inf\.$",
        id="stdp-a_minus-inf",
    ),
    pytest.param(
        lambda: H.stdp_window(np.zeros(1), tau_minus=True),
        TypeError,
        r"^`tau_minus` must be a positive number; got True of type bool\.$",
        id="stdp-tau_minus-bool",
    ),
    # twolayer
    pytest.param(
        lambda: T.init_params(0, 3, 1),
        ValueError,
        r"^`input_size` must be a positive integer; got 0\.$",
        id="init-input-zero",
    ),
    pytest.param(
        lambda: T.init_params(2, 3.0, 1),
        TypeError,
        r"^`hidden_size` must be a positive integer; got 3\.0 of type float\.$",
        id="init-hidden-float",
    ),
    pytest.param(
        lambda: T.init_params(2, 3, True),
        TypeError,
        r"^`output_size` must be a positive integer; got True of type bool\.$",
        id="init-output-bool",
    ),
    pytest.param(
        lambda: T.init_params(2, 3, 1, activation="swish"),
        ValueError,
        r"^`activation` must be one of 'identity', 'relu', 'sigmoid', 'tanh'; got 'swish'\.$",
        id="init-activation-unknown",
    ),
    pytest.param(
        lambda: T.init_params(2, 3, 1, rng=-5),
        ValueError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got \-5\.$",
        id="init-rng-negative",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2 + 1j, P2),
        TypeError,
        r"^`x` must be an array of numbers with shape \(n_samples, 2\); got an array of shape \(4, 2\) and dtype "
        r"complex128\.$",
        id="forward-x-complex",
    ),
    pytest.param(
        lambda: T.forward_propagation(np.zeros((4, 3)), P2),
        ValueError,
        r"^`x` must have shape \(n_samples, 2\) to match `params\['w_ih'\]`; got \(4, 3\)\.$",
        id="forward-x-shape",
    ),
    pytest.param(
        lambda: T.forward_propagation(np.zeros(2), P2),
        ValueError,
        r"^`x` must have shape \(n_samples, 2\); got shape \(2,\)\. For a single feature or target use "
        r"`\.reshape\(\-1, 1\)`; for a single sample `\.reshape\(1, \-1\)`\.$",
        id="forward-x-1d",
    ),
    pytest.param(
        lambda: T.forward_propagation(np.zeros((0, 2)), P2),
        ValueError,
        r"^`x` must have shape \(n_samples, 2\) with at least one element; got shape \(0, 2\)\.$",
        id="forward-x-empty",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, [1]),
        TypeError,
        r"^`params` must be a dict with keys \('w_ih', 'b_h', 'w_ho', 'b_o'\); got list\.$",
        id="forward-params-list",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {k: v for k, v in P2.items() if k != "b_o"}),
        ValueError,
        r"^`params` must have keys \('w_ih', 'b_h', 'w_ho', 'b_o'\); missing \('b_o',\)\.$",
        id="forward-params-missing",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w2": np.ones(1)}),
        ValueError,
        r"^`params` must have keys \('w_ih', 'b_h', 'w_ho', 'b_o'\); got unexpected \['w2'\]\.$",
        id="forward-params-extra",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_h": np.zeros(4)}),
        ValueError,
        r"^`params\['b_h'\]` must have shape \(3,\); got \(4,\)\.$",
        id="forward-params-b_h-shape",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w_ho": np.zeros((2, 1))}),
        ValueError,
        r"^`params\['w_ho'\]` must have shape \(3, output_size\) to follow `w_ih`; got \(2, 1\)\.$",
        id="forward-params-w_ho-rows",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w_ih": np.full((2, 3), np.nan)}),
        ValueError,
        r"^`params\['w_ih'\]` must contain only finite numbers; got 6 NaN or infinite value\(s\)\.$",
        id="forward-params-nan",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_o": np.array([1j])}),
        TypeError,
        r"^`params\['b_o'\]` must be an array of numbers with shape \(output_size,\); got an array of shape "
        r"\(1,\) and dtype complex128\.$",
        id="forward-params-complex",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, P2, activation=1),
        TypeError,
        r"^`activation` must be a string naming an activation; got 1 of type int\.$",
        id="forward-activation-int",
    ),
    pytest.param(
        lambda: T.backward_propagation(np.zeros((3, 1)), C2, P2),
        ValueError,
        r"^`y_true` must have shape \(4, 1\) like the cached prediction; got \(3, 1\)\.$",
        id="backward-y-shape",
    ),
    pytest.param(
        lambda: T.backward_propagation(np.full((4, 1), np.nan), C2, P2),
        ValueError,
        r"^`y_true` must contain only finite numbers; got 4 NaN or infinite value\(s\)\.$",
        id="backward-y-nan",
    ),
    pytest.param(
        lambda: T.backward_propagation(Y2, {}, P2),
        TypeError,
        r"^`cache` must be the ForwardCache returned by forward_propagation; got dict\.$",
        id="backward-cache-dict",
    ),
    pytest.param(
        lambda: T.backward_propagation(Y2, C2, T.init_params(2, 5, 1, rng=0)),
        ValueError,
        r"^`cache` must come from forward_propagation with these `params`: layer sizes \(2, 5, 1\); got \(2, 3, "
        r"1\)\.$",
        id="backward-cache-mismatch",
    ),
    pytest.param(
        lambda: T.predict("x", P2),
        TypeError,
        r"^`x` must be an array of numbers with shape \(n_samples, 2\); got 'x' of type str\.$",
        id="predict-x-str",
    ),
    pytest.param(
        lambda: T.train(np.zeros((0, 2)), np.zeros((0, 1)), hidden_size=3, learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` must have shape \(n_samples, input_size\) with at least one element; got shape \(0, 2\)\.$",
        id="train-empty",
    ),
    pytest.param(
        lambda: T.train(X2, Y2 + 1j, hidden_size=3, learning_rate=0.1, epochs=1),
        TypeError,
        r"^`y` must be an array of numbers with shape \(n_samples, output_size\); got an array of shape \(4, 1\) "
        r"and dtype complex128\.$",
        id="train-y-complex",
    ),
    pytest.param(
        lambda: T.train(X2, Y2[:3], hidden_size=3, learning_rate=0.1, epochs=1),
        ValueError,
        r"^`x` and `y` must have the same number of samples \(rows\); got 4 and 3\.$",
        id="train-rows",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, learning_rate=0.1, epochs=1),
        TypeError,
        r"^`hidden_size` must be given \(a positive integer\) when `params` is not\.$",
        id="train-no-hidden",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=4, learning_rate=0.1, epochs=1, params=P2),
        ValueError,
        r"^`hidden_size` must match `params\['w_ih'\]`, which has 3 hidden units; got 4\.$",
        id="train-hidden-mismatch",
    ),
    pytest.param(
        lambda: T.train(X2, np.zeros((4, 2)), learning_rate=0.1, epochs=1, params=P2),
        ValueError,
        r"^`y` must have shape \(n_samples, 1\) to match `params\['w_ho'\]`; got \(4, 2\)\.$",
        id="train-y-cols",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=3, learning_rate=float("nan"), epochs=1),
        ValueError,
        r"^`learning_rate` must be a finite positive number; got nan\.$",
        id="train-lr-nan",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=3, learning_rate=0.1, epochs=-1),
        ValueError,
        r"^`epochs` must be a positive integer; got \-1\.$",
        id="train-epochs-neg",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=0, learning_rate=0.1, epochs=1),
        ValueError,
        r"^`hidden_size` must be a positive integer; got 0\.$",
        id="train-hidden-zero",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=3, learning_rate=0.1, epochs=1, rng=0.5),
        TypeError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got 0\.5 of type float\.$",
        id="train-rng-float",
    ),
    # recurrent
    pytest.param(
        lambda: R.init_params(2, 3, 2, cell="gru"),
        ValueError,
        r"^`cell` must be one of \('rnn', 'lstm'\); got 'gru'\.$",
        id="r-init-cell",
    ),
    pytest.param(
        lambda: R.init_params(2, 0, 2),
        ValueError,
        r"^`n_hidden` must be a positive integer; got 0\.$",
        id="r-init-n_hidden-zero",
    ),
    pytest.param(
        lambda: R.init_params(2, 3, "2"),
        TypeError,
        r"^`n_out` must be a positive integer; got '2' of type str\.$",
        id="r-init-n_out-str",
    ),
    pytest.param(
        lambda: R.init_params(2, 3, 2, forget_bias=np.inf),
        ValueError,
        r"^`forget_bias` must be a finite number; got inf\.$",
        id="r-init-forget-inf",
    ),
    pytest.param(
        lambda: R.init_params(2, 3, 2, cell="rnn", forget_bias=0.0),
        ValueError,
        r"^`forget_bias` applies to the LSTM only; got 0\.0 with cell='rnn'\.$",
        id="r-init-forget-rnn",
    ),
    pytest.param(
        lambda: R.init_params(2, 3, 2, rng=-1),
        ValueError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got \-1\.$",
        id="r-init-rng-neg",
    ),
    pytest.param(
        lambda: R.cell_type([1]),
        TypeError,
        r"^`params` must be a dict of str to ndarray; got list\.$",
        id="r-cell_type-list",
    ),
    pytest.param(
        lambda: R.cell_type({"W": np.ones(2)}),
        ValueError,
        r"^`params` must have the keys \['W_hh', 'W_hy', 'W_xh', 'b_h', 'b_y'\] \(RNN\) or \['W_h', 'W_hy', "
        r"'W_x', 'b', 'b_y'\] \(LSTM\); got \['W'\]\.$",
        id="r-cell_type-keys",
    ),
    pytest.param(
        lambda: R.cell_type({**PR, "W_hh": np.ones((3, 4))}),
        ValueError,
        r"^`params\['W_hh'\]` must have shape \(3, 3\); got \(3, 4\)\.$",
        id="r-cell_type-shape",
    ),
    pytest.param(
        lambda: R.cell_type({**PR, "b_h": np.array([np.nan, 0.0, 0.0])}),
        ValueError,
        r"^`params\['b_h'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="r-cell_type-nan",
    ),
    pytest.param(
        lambda: R.cell_type({**PL, "b": PL["b"] * 1j}),
        TypeError,
        r"^`params\['b'\]` must be an array of numbers of any shape; got an array of shape \(12,\) and "
        r"dtype complex128\.$",
        id="r-cell_type-complex",
    ),
    pytest.param(
        lambda: R.forward(np.zeros((4, 5)), PR),
        ValueError,
        r"^`x` must have shape \(n_samples, T, 2\); got shape \(4, 5\)\.$",
        id="r-forward-x-2d",
    ),
    pytest.param(
        lambda: R.forward(np.zeros((4, 5, 3)), PR),
        ValueError,
        r"^`x` must have shape \(n_samples, T, 2\) to match the input weights; got \(4, 5, 3\)\.$",
        id="r-forward-x-n_in",
    ),
    pytest.param(
        lambda: R.forward(np.zeros((4, 0, 2)), PR),
        ValueError,
        r"^`x` must hold at least one sample and one time step; got shape \(4, 0, 2\)\.$",
        id="r-forward-x-no-steps",
    ),
    pytest.param(
        lambda: R.forward(np.full((4, 5, 2), np.nan), PR),
        ValueError,
        r"^`x` must contain only finite numbers; got 40 NaN or infinite value\(s\)\.$",
        id="r-forward-x-nan",
    ),
    pytest.param(
        lambda: R.forward(XR * 1j, PL),
        TypeError,
        r"^`x` must be an array of numbers with shape \(n_samples, T, 2\); got an array of shape \(4, 5, 2\) and "
        r"dtype complex128\.$",
        id="r-forward-x-complex",
    ),
    pytest.param(
        lambda: R.loss_and_gradients(XR, np.array([0, 1, 2, 0]), PR),
        ValueError,
        r"^`labels` must be class labels in \[0, 1\]; got values from 0 to 2\.$",
        id="r-loss-labels-range",
    ),
    pytest.param(
        lambda: R.loss_and_gradients(XR, np.array([0, 1]), PR),
        ValueError,
        r"^`labels` must have shape \(4,\), one label per sample; got shape \(2,\)\.$",
        id="r-loss-labels-shape",
    ),
    pytest.param(
        lambda: R.loss_and_gradients(XR, np.array([0, 0.5, 1, 0]), PR),
        ValueError,
        r"^`labels` must hold whole\-number class labels; got 0\.5\.$",
        id="r-loss-labels-frac",
    ),
    pytest.param(
        lambda: R.loss_and_gradients(XR, np.array([0, -1, 1, 0]), PR),
        ValueError,
        r"^`labels` must be class labels in \[0, 1\]; got values from \-1 to 1\.$",
        id="r-loss-labels-neg",
    ),
    pytest.param(
        lambda: R.loss_and_gradients(XR, np.array([0, np.nan, 1, 0]), PR),
        ValueError,
        r"^`labels` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="r-loss-labels-nan",
    ),
    pytest.param(
        lambda: R.hidden_gradient_norms(XR, "0101", PR),
        TypeError,
        r"^`labels` must be integer class labels of shape \(4,\); got '0101' of type str\.$",
        id="r-norms-labels-str",
    ),
    pytest.param(
        lambda: R.predict(XR, {k: v for k, v in PR.items() if k != "b_y"}),
        ValueError,
        r"^`params` must have the keys \['W_hh', 'W_hy', 'W_xh', 'b_h', 'b_y'\] \(RNN\) or \['W_h', 'W_hy', "
        r"'W_x', 'b', 'b_y'\] \(LSTM\); got \['W_hh', 'W_hy', 'W_xh', 'b_h'\]\.$",
        id="r-predict-params-missing",
    ),
    pytest.param(
        lambda: R.accuracy(XR, np.array([0, 1, 3, 0]), PR),
        ValueError,
        r"^`labels` must be class labels in \[0, 1\]; got values from 0 to 3\.$",
        id="r-accuracy-labels-range",
    ),
    pytest.param(
        lambda: R.clip_by_global_norm({"a": np.ones(2)}, 0.0),
        ValueError,
        r"^`max_norm` must be a finite positive number; got 0\.0\.$",
        id="r-clip-maxnorm-zero",
    ),
    pytest.param(
        lambda: R.clip_by_global_norm([np.ones(2)], 1.0),
        TypeError,
        r"^`grads` must be a dict of str to ndarray; got \[array\(\[1\., 1\.\]\)\] of type list\.$",
        id="r-clip-grads-list",
    ),
    pytest.param(
        lambda: R.clip_by_global_norm({"a": np.array([np.inf])}, 1.0),
        ValueError,
        r"^`grads\['a'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="r-clip-grads-inf",
    ),
    pytest.param(
        lambda: R.clip_by_global_norm({"a": np.array([1e200, 1e200])}, 1.0),
        ValueError,
        r"^`grads` must have a finite global norm; got inf\.$",
        id="r-clip-grads-overflow",
    ),
    pytest.param(
        lambda: R.clip_by_global_norm({"a": np.ones(2)}, "1"),
        TypeError,
        r"^`max_norm` must be a positive number; got '1' of type str\.$",
        id="r-clip-maxnorm-str",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=0),
        ValueError,
        r"^`steps` must be a positive integer; got 0\.$",
        id="r-train-steps-zero",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=5),
        ValueError,
        r"^`batch_size` must be at most the number of samples \(4\); got 5\.$",
        id="r-train-batch-too-big",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, optimizer="rmsprop"),
        ValueError,
        r"^`optimizer` must be 'adam' or 'sgd'; got 'rmsprop'\.$",
        id="r-train-optimizer",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, momentum=1.0),
        ValueError,
        r"^`momentum` must be in \[0, 1\); got 1\.0\.$",
        id="r-train-momentum-one",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, momentum=-0.1),
        ValueError,
        r"^`momentum` must be a finite number >= 0; got \-0\.1\.$",
        id="r-train-momentum-neg",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, learning_rate=0.0),
        ValueError,
        r"^`learning_rate` must be a finite positive number; got 0\.0\.$",
        id="r-train-lr-zero",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, max_norm=-1.0),
        ValueError,
        r"^`max_norm` must be a finite positive number; got \-1\.0\.$",
        id="r-train-maxnorm-neg",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=2, rng=-3),
        ValueError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got \-3\.$",
        id="r-train-rng-neg",
    ),
    pytest.param(
        lambda: R.train(XR, np.array([0.0, 1.5, 0.0, 1.0]), params=PR, steps=1, batch_size=2),
        ValueError,
        r"^`labels` must hold whole\-number class labels; got 1\.5\.$",
        id="r-train-labels-float",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=0),
        ValueError,
        r"^`delay` must be a positive integer; got 0\.$",
        id="r-delayed-delay-zero",
    ),
    pytest.param(
        lambda: R.delayed_recall(0, delay=3),
        ValueError,
        r"^`n_samples` must be a positive integer; got 0\.$",
        id="r-delayed-n-zero",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=3, n_distractors=-1),
        ValueError,
        r"^`n_distractors` must be an integer >= 0; got \-1\.$",
        id="r-delayed-distractors-neg",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=3, n_distractors=1.5),
        TypeError,
        r"^`n_distractors` must be an integer >= 0; got 1\.5\.$",
        id="r-delayed-distractors-float",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=3, noise=-1.0),
        ValueError,
        r"^`noise` must be a finite number >= 0; got \-1\.0\.$",
        id="r-delayed-noise-neg",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=3, noise=float("nan")),
        ValueError,
        r"^`noise` must be a finite number; got nan\.$",
        id="r-delayed-noise-nan",
    ),
    pytest.param(
        lambda: R.delayed_recall(10, delay=3, rng="a"),
        TypeError,
        r"^`rng` must be None, a non\-negative int seed or a numpy\.random\.Generator; got 'a' of type str\.$",
        id="r-delayed-rng-str",
    ),
    # finite inputs whose arithmetic overflows: a named error, not inf and a RuntimeWarning
    pytest.param(
        lambda: H.hebb_update(np.array([1e200, 1.0]), np.array([1e200, 1.0]), learning_rate=0.1),
        ValueError,
        r"^`w` and `x` are finite but the update overflowed the range of float64 numbers; rescale them\.$",
        id="hebb_update-overflow",
    ),
    pytest.param(
        lambda: H.oja_update(np.array([1e200, 1.0]), np.array([1e200, 1.0]), learning_rate=0.1),
        ValueError,
        r"^`w` and `x` are finite but the update overflowed the range of float64 numbers; rescale them\.$",
        id="oja_update-overflow",
    ),
    pytest.param(  # y = inf and inf * 0 = NaN: neither warning may escape
        lambda: H.hebb_update(np.array([1e200, 1.0]), np.array([1e200, 0.0]), learning_rate=0.1), ValueError,
        r"^`w` and `x` are finite but the update overflowed the range of float64 numbers; rescale them\.$",
        id="hebb_update-overflow-nan",
    ),
    pytest.param(
        lambda: H.hebb_update(np.ones(2), np.ones((2, 2)), learning_rate=0.1), ValueError,
        r"^`x` must have shape \(2,\); got shape \(2, 2\)\.$", id="hebb_update-x-2d",
    ),
    pytest.param(  # y_pred = 0, d_y = 2 (0 - 1e308) overflows to -inf, and a_h = 0 times -inf is NaN
        lambda: T.backward_propagation(np.full((1, 1), 1e308), T.forward_propagation(np.zeros((1, 2)), P2)[1], P2),
        ValueError,
        r"^`y_true`, `cache` and `params` are finite but the computation overflowed the range of float64 numbers; "
        r"rescale them\.$",
        id="backward-overflow-nan",
    ),
    pytest.param(
        lambda: T.backward_propagation(np.zeros(4), C2, P2), ValueError,
        r"^`y_true` must have shape \(4, 1\); got shape \(4,\)\. For a single feature or target use "
        r"`\.reshape\(-1, 1\)`; for a single sample `\.reshape\(1, -1\)`\.$",
        id="backward-y-1d",
    ),
    pytest.param(
        lambda: T.train(np.zeros(4), Y2, hidden_size=3, learning_rate=0.1, epochs=1), ValueError,
        r"^`x` must have shape \(n_samples, input_size\); got shape \(4,\)\. For a single feature or target use "
        r"`\.reshape\(-1, 1\)`; for a single sample `\.reshape\(1, -1\)`\.$",
        id="train-x-1d",
    ),
    pytest.param(
        lambda: T.train(X2, Y2, hidden_size=0, learning_rate=0.1, epochs=1, params=P2), ValueError,
        r"^`hidden_size` must be a positive integer; got 0\.$", id="train-hidden-zero-with-params",
    ),
    pytest.param(
        lambda: H.learn(np.ones((2, 2)), learning_rate=0.1, epochs=1, w0=np.ones((2, 2))), ValueError,
        r"^`w0` must have shape \(2,\); got shape \(2, 2\)\.$", id="learn-w0-2d",
    ),
    pytest.param(
        lambda: R.accuracy(XR, np.array([0, 1]), PR), ValueError,
        r"^`labels` must have shape \(4,\), one label per sample; got shape \(2,\)\.$", id="r-accuracy-labels-length",
    ),
    pytest.param(
        lambda: R.train(XR, np.array([0, 1, 0]), params=PR, steps=1, batch_size=2), ValueError,
        r"^`labels` must have shape \(4,\), one label per sample; got shape \(3,\)\.$", id="r-train-labels-length",
    ),
    pytest.param(
        lambda: R.train(XR, np.array([0, 5, 5, 5]), params=PR, steps=1, batch_size=1, rng=0), ValueError,
        r"^`labels` must be class labels in \[0, 1\]; got values from 0 to 5\.$", id="r-train-labels-range",
    ),
    pytest.param(
        lambda: R.train(XR, YR, params=PR, steps=1, batch_size=0), ValueError,
        r"^`batch_size` must be a positive integer; got 0\.$", id="r-train-batch-zero",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w_ho": np.zeros(3)}), ValueError,
        r"^`params\['w_ho'\]` must have shape \(hidden_size, output_size\); got shape \(3,\)\. For a single feature "
        r"or target use `\.reshape\(-1, 1\)`; for a single sample `\.reshape\(1, -1\)`\.$",
        id="forward-params-w_ho-1d",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w_ho": np.array([[0.0], [np.nan], [0.0]])}), ValueError,
        r"^`params\['w_ho'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="forward-params-w_ho-nan",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_h": np.zeros((1, 3))}), ValueError,
        r"^`params\['b_h'\]` must have shape \(hidden_size,\); got shape \(1, 3\)\.$", id="forward-params-b_h-2d",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_h": "abc"}), TypeError,
        r"^`params\['b_h'\]` must be an array of numbers with shape \(hidden_size,\); got 'abc' of type str\.$",
        id="forward-params-b_h-str",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_o": np.zeros((1, 1))}), ValueError,
        r"^`params\['b_o'\]` must have shape \(output_size,\); got shape \(1, 1\)\.$", id="forward-params-b_o-2d",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_o": np.array([np.inf])}), ValueError,
        r"^`params\['b_o'\]` must contain only finite numbers; got 1 NaN or infinite value\(s\)\.$",
        id="forward-params-b_o-inf",
    ),
    pytest.param(
        lambda: R.cell_type({1: np.ones(1), "W": np.ones(1)}), ValueError,
        r"^`params` must have the keys \['W_hh', 'W_hy', 'W_xh', 'b_h', 'b_y'\] \(RNN\) or "
        r"\['W_h', 'W_hy', 'W_x', 'b', 'b_y'\] \(LSTM\); got \[1, 'W'\]\.$",
        id="r-cell_type-int-key",
    ),
    pytest.param(
        lambda: R.forward(np.zeros((0, 5, 2)), PR), ValueError,
        r"^`x` must hold at least one sample and one time step; got shape \(0, 5, 2\)\.$",
        id="r-forward-x-no-samples",
    ),
    pytest.param(  # W_hh = 0, b_h = 1: h = tanh(1) in 3 units, so h W_hy with W_hy = 1e308 overflows
        lambda: R.loss_and_gradients(
            np.zeros((2, 3, 2)), np.array([0, 1]),
            {**PR, "W_hh": np.zeros((3, 3)), "b_h": np.ones(3), "W_hy": np.full((3, 2), 1e308)},
        ),
        ValueError, OVERFLOW_R, id="r-loss-overflow",
    ),
    pytest.param(
        lambda: H.stdp_window(np.zeros(1), a_plus=0), ValueError,
        r"^`a_plus` must be a finite positive number; got 0\.$", id="stdp-a_plus-zero",
    ),
    pytest.param(
        lambda: T.forward_propagation(np.array([[1e300, 1e300]]), HUGE),
        ValueError,
        OVERFLOW_T,
        id="forward-overflow",
    ),
    pytest.param(lambda: T.predict(np.array([[1e300, 1e300]]), HUGE), ValueError, OVERFLOW_T, id="predict-overflow"),
    pytest.param(
        lambda: T.backward_propagation(np.full((1, 1), 1e300), T.forward_propagation(np.full((1, 2), 1e150), P_ONES)[1],
                                       P_ONES),
        ValueError,
        r"^`y_true`, `cache` and `params` are finite but the computation overflowed the range of float64 numbers; "
        r"rescale them\.$",
        id="backward-overflow",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "b_o": np.zeros(2)}), ValueError,
        r"^`params\['b_o'\]` must have shape \(1,\); got \(2,\)\.$", id="forward-params-b_o-shape",
    ),
    pytest.param(
        lambda: T.forward_propagation(X2, {**P2, "w_ih": np.zeros(2)}), ValueError,
        r"^`params\['w_ih'\]` must have shape \(input_size, hidden_size\); got shape \(2,\)\. For a single feature "
        r"or target use `\.reshape\(-1, 1\)`; for a single sample `\.reshape\(1, -1\)`\.$",
        id="forward-params-w_ih-1d",
    ),
    pytest.param(
        lambda: H.learn(np.array([[1e200, 1e200]]), learning_rate=0.1, epochs=1, w0=np.array([1.0, 1.0])), ValueError,
        r"^`x` and `w0` are finite but the reconstruction error overflows; rescale them\.$", id="learn-overflow",
    ),
    pytest.param(
        lambda: R.forward(np.full((1, 3, 2), 1e300), {k: v * 1e10 for k, v in PL.items()}),
        ValueError,
        OVERFLOW_R,
        id="r-forward-overflow",
    ),
    pytest.param(
        lambda: R.hidden_gradient_norms(np.ones((1, 3, 2)), np.array([0]), {k: v * 1e200 for k, v in PR.items()}),
        ValueError,
        OVERFLOW_R,
        id="r-norms-overflow",
    ),
]


# 100 times the learning rate the book uses, on the book's data: each trainer stops and names the setting.
def _plasticity_data() -> np.ndarray:
    """The 500 zero-mean 2-D inputs of the plasticity chapter (its first code block)."""
    x = np.random.default_rng(0).multivariate_normal([0.0, 0.0], [[3.0, 1.5], [1.5, 1.5]], size=500)
    return x - x.mean(axis=0)


def _recall_data() -> tuple[np.ndarray, np.ndarray]:
    """The working-memory chapter's training set: delay 50, 4 noise channels, 8000 sequences (seed 0)."""
    return R.delayed_recall(8000, delay=50, n_distractors=4, noise=1.0, rng=np.random.default_rng(0))


def _recall_100x(optimizer: str, max_norm: float | None) -> Any:
    """The chapter's RNN (16 units) and settings (batch 256, 300 steps), at 100 x the default learning rate 0.01."""
    x, y = _recall_data()
    return R.train(x, y, params=R.init_params(5, 16, 2, cell="rnn", rng=0), steps=300, batch_size=256,
                   learning_rate=1.0, optimizer=optimizer, max_norm=max_norm, rng=0)


SURGE = (r"^Training diverged: the loss curve rose to \S+, more than 3 times its first value \S+, and did not recover: "
         r"its mean over the last {last} was \S+, more than 0\.5 times its first value\. The setting responsible is "
         r"`learning_rate` = {value}: try a smaller learning_rate{extra}\.$")
BLOWUP = (r"^Training diverged: the loss reached \S+, more than 100 times its starting value \S+ in epoch \d+\. "
          r"The setting responsible is `learning_rate` = {value}: try a smaller learning_rate\.$")

BAD += [
    pytest.param(  # the book's XOR network (8 tanh units) at 100 x its 0.1
        lambda: T.train(*datasets.xor(), hidden_size=8, learning_rate=10.0, epochs=2000, activation="tanh", rng=0),
        TrainingDivergedError, BLOWUP.format(value="10"), id="train-100x-book-rate",
    ),
    pytest.param(  # the source article's XOR network (3 ReLU units) at 100 x its 0.01: the units die, the loss stays up
        lambda: T.train(*datasets.xor(), hidden_size=3, learning_rate=1.0, epochs=1000, activation="relu", rng=0),
        TrainingDivergedError, SURGE.format(last="100 epochs", value="1", extra=""), id="train-100x-article-rate",
    ),
    pytest.param(  # the plain Hebb rule at 100 x the chapter's 0.001: no loss, the weight norm overflows
        lambda: H.learn(_plasticity_data(), rule="hebb", learning_rate=0.1, epochs=20, rng=1),
        TrainingDivergedError,
        r"^Training diverged: the weight norm became inf in epoch \d+\. The setting responsible is `learning_rate` = "
        r"0\.1: the plain Hebb rule grows without bound; use rule='oja', fewer epochs or a smaller learning_rate\.$",
        id="learn-hebb-100x-book-rate",
    ),
    pytest.param(  # Adam's steps are bounded by the learning rate: the loss surges and stays, below 100 x
        lambda: _recall_100x("adam", 1.0), TrainingDivergedError, SURGE.format(last="30 steps", value="1", extra=""),
        id="r-train-100x-adam",
    ),
    pytest.param(  # without clipping the hint adds max_norm; with clipping (above) it must not
        lambda: _recall_100x("adam", None), TrainingDivergedError,
        SURGE.format(last="30 steps", value="1", extra=", or clip gradients with max_norm"),
        id="r-train-100x-adam-no-clip",
    ),
    pytest.param(
        lambda: _recall_100x("sgd", 1.0), TrainingDivergedError, SURGE.format(last="30 steps", value="1", extra=""),
        id="r-train-100x-sgd",
    ),
]


def _module(case_id: str) -> str:
    if case_id.startswith("r-"):
        return "recurrent"
    head = case_id.split("-")[0]
    for module, names in {
        "activations": ("relu", "relu_derivative", "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative",
                        "identity", "identity_derivative", "activation", "get_activation"),
        "gradcheck": ("numerical_gradient", "relative_error", "check_gradients"),
        "hebbian": ("hebb_update", "oja_update", "learn", "stdp"),
        "twolayer": ("init", "forward", "backward", "predict", "train"),
    }.items():
        if head in names:
            return module
    raise AssertionError(case_id)


@pytest.mark.parametrize(("call", "error", "pattern"), BAD)
def test_bad_input_is_refused_by_name(call: Callable[[], Any], error: type[Exception], pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning or RuntimeWarning on the way to the error
        with pytest.raises(error) as info:
            call()
    assert type(info.value) is error
    message = str(info.value)
    assert re.fullmatch(pattern, message), message
    assert re.search(r"`[A-Za-z_\[\]'0-9]+`", message), "the message names an argument"


def test_the_table_is_large_and_covers_every_module() -> None:
    counts: dict[str, int] = {}
    for case in BAD:
        module = _module(case.id)
        counts[module] = counts.get(module, 0) + 1
    assert len(BAD) >= 85
    assert set(counts) == {"activations", "gradcheck", "hebbian", "twolayer", "recurrent"}
    assert min(counts.values()) >= 10, counts


def _public(module: Any) -> set[str]:
    return {name for name in module.__all__ if callable(getattr(module, name)) and not isinstance(getattr(module, name), type)}  # noqa: E501


def test_every_public_function_has_a_bad_input_case() -> None:
    source = "\n".join(str(case.values[0].__code__.co_names) for case in BAD)
    called = set(re.findall(r"'(\w+)'", source))
    missing = {(m.__name__, f) for m in (A, G, H, R, T) for f in _public(m) if f not in called}
    missing -= {("nnmem.activations", "Activation")}
    assert not missing


# ---------------------------------------------------------------- valid edge inputs
def _finite(out: Any) -> bool:
    if isinstance(out, (str, A.Activation)):
        return True
    if isinstance(out, (int, float, np.number)):
        return bool(np.isfinite(out))
    if isinstance(out, dict) and all(isinstance(v, float) for v in out.values()):
        return all(np.isfinite(v) for v in out.values())
    arrays = _arrays(out)
    return bool(arrays) and all(np.all(np.isfinite(a)) for a in arrays)


XOR_I = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_B = XOR_I.astype(bool)

VALID = [
    pytest.param(lambda: A.relu(np.array([-1, 0, 2])), id="relu-int"),
    pytest.param(lambda: A.sigmoid(np.array([True, False])), id="sigmoid-bool"),
    pytest.param(lambda: A.tanh(np.int64(3)), id="tanh-numpy-int-scalar"),
    pytest.param(lambda: A.identity(np.zeros((0, 3))), id="identity-empty"),
    pytest.param(lambda: A.sigmoid_derivative(np.float32(2.0)), id="sigmoid_derivative-float32-scalar"),
    pytest.param(lambda: A.relu_derivative([[1, -1]]), id="relu_derivative-list"),
    pytest.param(lambda: A.get_activation("identity").derivative(np.ones(2, dtype=np.float32)), id="activation-float32"),  # noqa: E501
    pytest.param(lambda: G.numerical_gradient(LOSS, {"w": np.array([1, 2])}), id="numerical_gradient-int-params"),
    pytest.param(lambda: G.numerical_gradient(LOSS, W1, eps=np.float32(1e-3)), id="numerical_gradient-float32-eps"),
    pytest.param(lambda: G.relative_error([1, 2], [True, False]), id="relative_error-int-bool"),
    pytest.param(lambda: G.relative_error(np.full(3, 1e308), np.full(3, -1e308)), id="relative_error-huge"),
    pytest.param(lambda: G.check_gradients(LOSS, {"w": np.array([2, 2])}, {"w": np.array([1, 1])}), id="check_gradients-int"),  # noqa: E501
    pytest.param(lambda: H.hebb_update(np.array([1, 0]), np.array([2, 1]), learning_rate=np.float32(0.1)), id="hebb_update-int-float32"),  # noqa: E501
    pytest.param(lambda: H.oja_update([1.0, 0.0], [True, False], learning_rate=1), id="oja_update-bool-int-rate"),
    pytest.param(lambda: H.learn(XOR_I, learning_rate=0.1, epochs=np.int64(2), rng=np.int64(0)), id="learn-int-numpy-epochs"),  # noqa: E501
    pytest.param(lambda: H.learn(XOR_B, rule="hebb", learning_rate=0.01, epochs=1, rng=0), id="learn-bool"),
    pytest.param(lambda: H.learn(np.array([[1.0, 2.0]]), learning_rate=0.1, epochs=1, w0=[1, 0]), id="learn-single-sample"),  # noqa: E501
    pytest.param(lambda: H.learn(XOR_I.astype(np.float32), learning_rate=0.1, epochs=1, rng=np.random.default_rng(1)), id="learn-float32-generator"),  # noqa: E501
    pytest.param(lambda: H.stdp_window([1, -1, 0]), id="stdp-int-list"),
    pytest.param(lambda: H.stdp_window(np.float32(5.0), a_plus=np.float32(0.5), tau_plus=np.int64(10)), id="stdp-numpy-scalars"),  # noqa: E501
    pytest.param(lambda: T.init_params(np.int64(2), np.int64(3), np.int64(1), rng=np.int64(0)), id="init-numpy-sizes"),
    pytest.param(lambda: T.forward_propagation(XOR_I, P2), id="forward-int"),
    pytest.param(lambda: T.forward_propagation(XOR_B, P2), id="forward-bool"),
    pytest.param(lambda: T.forward_propagation(np.ones((1, 2), dtype=np.float32), P2), id="forward-float32-single"),
    pytest.param(lambda: T.backward_propagation(np.array([[1], [0], [0], [1]]), C2, P2), id="backward-int-target"),
    pytest.param(lambda: T.predict([[0, 1]], P2), id="predict-list-single"),
    pytest.param(lambda: T.train(XOR_I, XOR_B[:, :1], hidden_size=np.int64(3), learning_rate=np.float32(0.1), epochs=np.int64(3), rng=0), id="train-int-bool-numpy-scalars"),  # noqa: E501
    pytest.param(lambda: T.train(np.ones((1, 2)), np.ones((1, 1)), hidden_size=2, learning_rate=0.1, epochs=2, rng=0), id="train-single-sample"),  # noqa: E501
    pytest.param(lambda: T.train(XOR_I.astype(np.float32), np.ones((4, 1), dtype=np.float32), learning_rate=0.1, epochs=2, params=P2), id="train-float32"),  # noqa: E501
    pytest.param(lambda: R.init_params(np.int64(2), np.int64(3), np.int64(2), forget_bias=np.float32(0.5), rng=np.int64(1)), id="r-init-numpy-scalars"),  # noqa: E501
    pytest.param(lambda: R.forward(np.zeros((1, 1, 2), dtype=int), PR), id="r-forward-int-single-step"),
    pytest.param(lambda: R.forward(np.ones((2, 3, 2), dtype=bool), PL), id="r-forward-bool"),
    pytest.param(lambda: R.loss_and_gradients(XR, np.array([0.0, 1.0, 0.0, 1.0]), PR), id="r-loss-whole-float-labels"),
    pytest.param(lambda: R.loss_and_gradients(XR, np.array([False, True, False, True]), PL), id="r-loss-bool-labels"),
    pytest.param(lambda: R.hidden_gradient_norms(XR[:1], [1], PR), id="r-norms-single-sample"),
    pytest.param(lambda: R.accuracy(XR, YR.astype(np.int32), PR), id="r-accuracy-int32"),
    pytest.param(lambda: R.predict(XR.astype(np.float32), PR), id="r-predict-float32"),
    pytest.param(lambda: R.clip_by_global_norm({"a": np.array([3, 4])}, np.float32(1.0)), id="r-clip-int-grads"),
    pytest.param(lambda: R.train(XR, YR, params=PR, steps=np.int64(2), batch_size=np.int64(2), learning_rate=np.float32(0.01), momentum=np.float32(0.5), optimizer="sgd", rng=np.int64(0)), id="r-train-numpy-scalars"),  # noqa: E501
    pytest.param(lambda: R.train(XR[:1], YR[:1], params=PL, steps=1, batch_size=1, max_norm=None), id="r-train-single-sample"),  # noqa: E501
    pytest.param(lambda: R.delayed_recall(np.int64(3), delay=np.int64(2), n_distractors=np.int64(0), noise=np.float32(0.5), rng=np.int64(0)), id="r-delayed-numpy-scalars"),  # noqa: E501
    # 100 x the book's rate is not always too large: Oja's rule at 100 x the chapter's 0.0002 still converges, and
    # an LSTM with Adam at 100 x its default on a 10-step delay surges (13 x its first loss) and then learns the task
    pytest.param(lambda: H.learn(_plasticity_data(), rule="oja", learning_rate=0.02, epochs=40, rng=2), id="learn-oja-100x-book-rate"),  # noqa: E501
    pytest.param(lambda: R.train(*R.delayed_recall(4000, delay=10, rng=np.random.default_rng(0)), params=R.init_params(5, 16, 2, cell="lstm", rng=0), steps=300, batch_size=64, learning_rate=1.0, rng=0), id="r-train-100x-adam-lstm-short-delay"),  # noqa: E501
]


@pytest.mark.parametrize("call", VALID)
def test_valid_edge_input_works(call: Callable[[], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call()
    assert _finite(out)


def test_float32_policy_per_module() -> None:
    """float32 stays float32 in activations and recurrent; twolayer, hebbian and gradcheck compute in float64."""
    z = np.ones(3, dtype=np.float32)
    assert all(f(z).dtype == np.float32 for f in (A.relu, A.relu_derivative, A.sigmoid, A.sigmoid_derivative,
                                                   A.tanh, A.tanh_derivative, A.identity, A.identity_derivative))
    assert all(f(np.ones(3, dtype=int)).dtype == np.float64 for f in (A.relu, A.sigmoid, A.identity))
    assert T.predict(np.ones((1, 2), dtype=np.float32), P2).dtype == np.float64
    assert H.stdp_window(np.ones(2, dtype=np.float32)).dtype == np.float64
    p32 = {k: v.astype(np.float32) for k, v in PR.items()}
    assert R.forward(XR, p32)[0].dtype == np.float32


# ---------------------------------------------------------------- inputs are never modified or shared
def _arrays(value: Any) -> list[np.ndarray]:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [a for name in value.__dataclass_fields__ for a in _arrays(getattr(value, name))]
    return []


def _fresh() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    return {
        "z": rng.normal(size=(3, 4)),
        "z32": rng.normal(size=5).astype(np.float32),
        "w": rng.normal(size=3),
        "x1": rng.normal(size=3),
        "X": rng.normal(size=(6, 3)),
        "Y": rng.normal(size=(6, 1)),
        "P": T.init_params(3, 4, 1, rng=1),
        "PR": R.init_params(3, 4, 2, cell="rnn", rng=2),
        "PL": R.init_params(3, 4, 2, cell="lstm", rng=3),
        "XR": rng.normal(size=(5, 4, 3)),
        "YR": np.array([0, 1, 1, 0, 1]),
        "G": {"a": rng.normal(size=(2, 2)) * 10, "b": rng.normal(size=2)},
        "dt": np.array([-5.0, 0.0, 5.0]),
    }


def _on_z(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda d: getattr(A, name)(d["z"])


CALLS: dict[str, Callable[[dict[str, Any]], Any]] = {
    **{f"activations.{n}": _on_z(n) for n in
       ("relu", "relu_derivative", "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "identity",
        "identity_derivative")},
    "activations.identity-float32": lambda d: A.identity(d["z32"]),
    "activations.Activation": lambda d: A.get_activation("identity")(d["z"]),
    "gradcheck.numerical_gradient": lambda d: G.numerical_gradient(lambda p: float(np.sum(p["a"] ** 2)), d["G"]),
    "gradcheck.relative_error": lambda d: G.relative_error(d["w"], d["x1"]),
    "gradcheck.check_gradients": lambda d: G.check_gradients(lambda p: float(np.sum(p["a"] ** 2)), d["G"], d["G"]),
    "hebbian.hebb_update": lambda d: H.hebb_update(d["w"], d["x1"], learning_rate=0.1),
    "hebbian.oja_update": lambda d: H.oja_update(d["w"], d["x1"], learning_rate=0.1),
    "hebbian.learn": lambda d: H.learn(d["X"], learning_rate=0.01, epochs=2, w0=d["w"], rng=0),
    "hebbian.stdp_window": lambda d: H.stdp_window(d["dt"]),
    "twolayer.forward_propagation": lambda d: T.forward_propagation(d["X"], d["P"]),
    "twolayer.backward_propagation": lambda d: T.backward_propagation(d["Y"], T.forward_propagation(d["X"], d["P"])[1], d["P"]),  # noqa: E501
    "twolayer.predict": lambda d: T.predict(d["X"], d["P"]),
    "twolayer.train": lambda d: T.train(d["X"], d["Y"], learning_rate=0.01, epochs=2, params=d["P"]),
    "recurrent.cell_type": lambda d: R.cell_type(d["PL"]),
    "recurrent.forward": lambda d: R.forward(d["XR"], d["PL"]),
    "recurrent.loss_and_gradients": lambda d: R.loss_and_gradients(d["XR"], d["YR"], d["PR"]),
    "recurrent.hidden_gradient_norms": lambda d: R.hidden_gradient_norms(d["XR"], d["YR"], d["PL"]),
    "recurrent.predict": lambda d: R.predict(d["XR"], d["PR"]),
    "recurrent.accuracy": lambda d: R.accuracy(d["XR"], d["YR"], d["PR"]),
    "recurrent.clip_by_global_norm-clipped": lambda d: R.clip_by_global_norm(d["G"], 0.1),
    "recurrent.clip_by_global_norm-unclipped": lambda d: R.clip_by_global_norm(d["G"], 1e6),
    "recurrent.train-adam": lambda d: R.train(d["XR"], d["YR"], params=d["PL"], steps=2, batch_size=2, rng=0),
    "recurrent.train-sgd": lambda d: R.train(d["XR"], d["YR"], params=d["PR"], steps=2, batch_size=5, optimizer="sgd",
                                             max_norm=None, rng=0),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_inputs_are_not_modified_and_outputs_are_not_views(name: str) -> None:
    inputs = _fresh()
    before = copy.deepcopy(inputs)
    out = CALLS[name](inputs)
    for key, value in inputs.items():
        for new, old in zip(_arrays(value), _arrays(before[key]), strict=True):
            np.testing.assert_array_equal(new, old, err_msg=f"{name} modified {key}")
    for result in _arrays(out):
        for key, value in inputs.items():
            for arr in _arrays(value):
                assert not np.shares_memory(result, arr), f"{name} returned a view of {key}"


def test_every_public_function_is_checked_for_modification() -> None:
    covered = {name.split("-")[0].split(".")[1] for name in CALLS}
    missing = {f for m in (A, G, H, R, T) for f in _public(m)} - covered
    assert missing <= {"get_activation", "init_params", "delayed_recall"}  # take no arrays


# ---------------------------------------------------------------- no RuntimeWarning on finite input
EXTREME = [
    pytest.param(lambda: A.sigmoid(np.array([-1e308, 1e308])), id="sigmoid"),
    pytest.param(lambda: A.sigmoid_derivative(np.array([-1e308, 1e308])), id="sigmoid_derivative"),
    pytest.param(lambda: A.tanh_derivative(np.array([-1e308, 1e308])), id="tanh_derivative"),
    pytest.param(lambda: G.relative_error(np.full(3, 1e308), np.full(3, -1e308)), id="relative_error"),
    pytest.param(lambda: G.numerical_gradient(lambda p: float(np.sum(p["w"] * 1e-10)), {"w": np.full(2, 1e308)}), id="numerical_gradient"),  # noqa: E501
    pytest.param(lambda: H.stdp_window(np.array([-1e308, 1e308])), id="stdp_window"),
    pytest.param(lambda: H.learn(np.array([[1e200, 0.0]]), learning_rate=0.1, epochs=1, w0=np.array([1.0, 0.0])), id="learn"),  # noqa: E501
    pytest.param(lambda: T.train(X2 + 1e150, Y2, hidden_size=3, learning_rate=1.0, epochs=3, rng=0), id="train"),
    pytest.param(  # inf - inf in the second forward pass: the loss becomes NaN without an invalid-value warning
        lambda: T.train(np.array([[1e150, -1e150], [-1e150, 1e150]]), np.zeros((2, 1)), hidden_size=3,
                        learning_rate=1.0, epochs=3, activation="identity", rng=0),
        id="train-nan",
    ),
    pytest.param(lambda: R.loss_and_gradients(np.full((1, 3, 2), 1e300), np.array([0]), PR), id="r-loss_and_gradients"),
    pytest.param(lambda: R.train(np.full((2, 3, 2), 1e300), np.array([0, 1]), params=PR, steps=2, batch_size=1, rng=0), id="r-train"),  # noqa: E501
    pytest.param(lambda: R.train(XR + 1.0, YR, params=PR, steps=5, optimizer="sgd", learning_rate=1e300, max_norm=None, rng=0), id="r-train-diverging"),  # noqa: E501
]


@pytest.mark.parametrize("call", EXTREME)
def test_no_runtime_warning_escapes_on_finite_input(call: Callable[[], Any]) -> None:
    from nnmem import TrainingDivergedError

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            call()
        except (TrainingDivergedError, ValueError) as error:  # a named error is fine; a warning is not
            assert "`" in str(error) or "Training diverged" in str(error)
