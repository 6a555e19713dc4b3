"""Bad inputs to the shared core and the networks built on it: `losses`, `optim`, `mlp`, `continual`.

One table of bad calls: each case gives the exception type and the whole
message, which must name the argument and show what was given (the regex is
the escaped message, anchored at both ends). One table of valid edge inputs
(int and bool arrays, numpy scalars, a single sample, float32) that must
work. Every public function is also checked for not modifying its inputs,
not returning views of them, and not letting a RuntimeWarning escape on
finite input.
"""

# ruff: noqa: E501  (the tables keep one case per line, so each reads as a row)

from __future__ import annotations

import copy
import dataclasses
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
import pytest

from nnmem import TrainingDivergedError, continual, datasets, losses, mlp, optim
from nnmem.continual import Task

HIDDEN_OVERFLOW = {"W1": np.full((1, 2), 1e200), "b1": np.zeros(2), "W2": np.ones((2, 2)), "b2": np.zeros(2)}


class Bad(NamedTuple):
    id: str
    call: Callable[[], Any]
    error: type[Exception]
    message: str  # the whole message
    name: str  # the argument it must name
    given: str  # what was given, as the message shows it


P = mlp.init_params([2, 3, 2], rng=0)  # W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,)
X = np.ones((4, 2))
LAB = np.array([0, 1, 0, 1])
Y = np.zeros((4, 2))
G = {k: np.zeros_like(v) for k, v in P.items()}
X_HUGE = np.array([[1e39, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # finite in float64, beyond float32's 3.4e38
Y_HUGE = np.array([[1e39, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
ONE = {"w": np.ones(2)}
RNG_MSG = "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got "
RESHAPE = " For a single feature or target use `.reshape(-1, 1)`; for a single sample `.reshape(1, -1)`."
NSO = "(n_samples, n_outputs)"
NSC = "(n_samples, n_classes)"
KEYS = "['W1', 'W2', 'b1', 'b2']"


def _real(name: str, shape: str) -> str:
    return f"`{name}` must be an array of numbers with shape {shape}; got "


def tasks(n_in: int = 2, n_out: int = 2, n_tasks: int = 2) -> list[Task]:
    rng = np.random.default_rng(0)
    return [Task(f"t{k}", rng.random((6, n_in)), np.arange(6) % n_out, rng.random((3, n_in)), np.arange(3) % n_out) for k in range(n_tasks)]


def seq(**kwargs: Any) -> Any:
    base: dict[str, Any] = {"layer_sizes": [2, 2], "epochs": 1, "learning_rate": 0.1}
    tasks_ = kwargs.pop("tasks", None)
    return continual.train_sequence(tasks() if tasks_ is None else tasks_, **{**base, **kwargs})


def sgd(**kwargs: Any) -> Any:
    args: dict[str, Any] = {"params": P, "grads": G, "velocity": G, "learning_rate": 0.1}
    args.update(kwargs)
    return optim.sgd_step(args.pop("params"), args.pop("grads"), args.pop("velocity"), **args)


def adam(**kwargs: Any) -> Any:
    args: dict[str, Any] = {"params": ONE, "grads": ONE, "state": optim.adam_init(ONE), "learning_rate": 0.1}
    args.update(kwargs)
    return optim.adam_step(args.pop("params"), args.pop("grads"), args.pop("state"), **args)


def train(**kwargs: Any) -> Any:
    args: dict[str, Any] = {"x": X, "y": LAB, "layer_sizes": [2, 2], "learning_rate": 0.1, "epochs": 1}
    args.update(kwargs)
    return mlp.train_sgd(args.pop("x"), args.pop("y"), **args)


def with_key(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**d, key: value}


LOSSES = [
    Bad("mse-y_true-str", lambda: losses.mse_loss("a", Y), TypeError, _real("y_true", NSO) + "'a' of type str.", "y_true", "'a'"),
    Bad("mse-y_true-None", lambda: losses.mse_loss(None, Y), TypeError, _real("y_true", NSO) + "None of type NoneType.", "y_true", "None"),
    Bad("mse-y_pred-complex", lambda: losses.mse_loss(Y, Y + 1j), TypeError, _real("y_pred", NSO) + "an array of shape (4, 2) and dtype complex128.", "y_pred", "complex128"),
    Bad("mse-y_true-1d", lambda: losses.mse_loss(np.zeros(3), Y), ValueError, f"`y_true` must have shape {NSO}; got shape (3,)." + RESHAPE, "y_true", "(3,)"),
    Bad("mse-y_pred-3d", lambda: losses.mse_loss(np.zeros((1, 1)), np.zeros((1, 1, 1))), ValueError, f"`y_pred` must have shape {NSO}; got shape (1, 1, 1).", "y_pred", "(1, 1, 1)"),
    Bad("mse-y_true-empty", lambda: losses.mse_loss(np.zeros((0, 1)), np.zeros((0, 1))), ValueError, f"`y_true` must have shape {NSO} with at least one element; got shape (0, 1).", "y_true", "(0, 1)"),
    Bad("mse-y_pred-nan", lambda: losses.mse_loss(Y, np.full((4, 2), np.nan)), ValueError, "`y_pred` must contain only finite numbers; got 8 NaN or infinite value(s).", "y_pred", "8 NaN"),
    Bad("mse-y_true-inf", lambda: losses.mse_loss(np.array([[np.inf]]), np.zeros((1, 1))), ValueError, "`y_true` must contain only finite numbers; got 1 NaN or infinite value(s).", "y_true", "1 NaN"),
    Bad("mse-shapes-differ", lambda: losses.mse_loss(np.zeros((2, 1)), np.zeros((2, 2))), ValueError, "`y_true` and `y_pred` must have the same shape; got (2, 1) and (2, 2).", "y_pred", "(2, 1) and (2, 2)"),
    Bad("mse-grad-object", lambda: losses.mse_gradient([[None]], [[1.0]]), TypeError, _real("y_true", NSO) + "an array of shape (1, 1) and dtype object.", "y_true", "dtype object"),
    Bad("mse-grad-ragged", lambda: losses.mse_gradient([[1.0], [1.0, 2.0]], Y), TypeError, _real("y_true", NSO) + "[[1.0], [1.0, 2.0]] of type list.", "y_true", "[[1.0], [1.0, 2.0]]"),
    Bad("mse-grad-shapes-differ", lambda: losses.mse_gradient(np.zeros((3, 1)), np.zeros((2, 1))), ValueError, "`y_true` and `y_pred` must have the same shape; got (3, 1) and (2, 1).", "y_true", "(3, 1) and (2, 1)"),
    Bad("mse-grad-empty", lambda: losses.mse_gradient(np.zeros((1, 1)), np.zeros((1, 0))), ValueError, f"`y_pred` must have shape {NSO} with at least one element; got shape (1, 0).", "y_pred", "(1, 0)"),
    Bad("softmax-str", lambda: losses.softmax("12"), TypeError, _real("z", "(..., n_classes)") + "'12' of type str.", "z", "'12'"),
    Bad("softmax-None", lambda: losses.softmax(None), TypeError, _real("z", "(..., n_classes)") + "None of type NoneType.", "z", "None"),
    Bad("softmax-complex", lambda: losses.softmax(np.array([1j, 0])), TypeError, _real("z", "(..., n_classes)") + "an array of shape (2,) and dtype complex128.", "z", "complex128"),
    Bad("softmax-inf", lambda: losses.softmax([np.inf, 1.0]), ValueError, "`z` must contain only finite numbers; got 1 NaN or infinite value(s).", "z", "1 NaN"),
    Bad("softmax-nan", lambda: losses.softmax([[np.nan, 1.0], [np.nan, 2.0]]), ValueError, "`z` must contain only finite numbers; got 2 NaN or infinite value(s).", "z", "2 NaN"),
    Bad("softmax-empty", lambda: losses.softmax(np.zeros((2, 0))), ValueError, "`z` must have shape (..., n_classes) with at least one element; got shape (2, 0).", "z", "(2, 0)"),
    Bad("softmax-scalar", lambda: losses.softmax(3.0), ValueError, "`z` must have at least one dimension, shape (..., n_classes); got shape ().", "z", "()"),
    Bad("softmax-axis-too-large", lambda: losses.softmax(np.ones((2, 3)), axis=2), ValueError, "`axis` must be an axis of `z`, from -2 to 1; got 2.", "axis", "got 2"),
    Bad("softmax-axis-float", lambda: losses.softmax(np.ones(3), axis=1.0), TypeError, "`axis` must be an int; got 1.0 of type float.", "axis", "1.0"),
    Bad("softmax-axis-bool", lambda: losses.softmax(np.ones(3), axis=True), TypeError, "`axis` must be an int; got True of type bool.", "axis", "True"),
    Bad("log-softmax-axis-too-small", lambda: losses.log_softmax(np.ones(3), axis=-2), ValueError, "`axis` must be an axis of `z`, from -1 to 0; got -2.", "axis", "-2"),
    Bad("log-softmax-axis-str", lambda: losses.log_softmax(np.ones(3), axis="0"), TypeError, "`axis` must be an int; got '0' of type str.", "axis", "'0'"),
    Bad("log-softmax-nan", lambda: losses.log_softmax([1.0, np.nan]), ValueError, "`z` must contain only finite numbers; got 1 NaN or infinite value(s).", "z", "1 NaN"),
    Bad("log-softmax-bytes", lambda: losses.log_softmax(b"ab"), TypeError, _real("z", "(..., n_classes)") + "b'ab' of type bytes.", "z", "b'ab'"),
    Bad("ce-logits-1d", lambda: losses.softmax_cross_entropy(np.ones(3), [0]), ValueError, f"`logits` must have shape {NSC}; got shape (3,)." + RESHAPE, "logits", "(3,)"),
    Bad("ce-logits-complex", lambda: losses.softmax_cross_entropy(np.ones((1, 2)) * 1j, [0]), TypeError, _real("logits", NSC) + "an array of shape (1, 2) and dtype complex128.", "logits", "complex128"),
    Bad("ce-logits-empty", lambda: losses.softmax_cross_entropy(np.ones((0, 3)), []), ValueError, f"`logits` must have shape {NSC} with at least one element; got shape (0, 3).", "logits", "(0, 3)"),
    Bad("ce-logits-inf", lambda: losses.softmax_cross_entropy(np.array([[np.inf, 0.0]]), [0]), ValueError, "`logits` must contain only finite numbers; got 1 NaN or infinite value(s).", "logits", "1 NaN"),
    Bad("ce-labels-fraction", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [0.5, 1.0]), ValueError, "`labels` must hold whole-number class labels; got 0.5.", "labels", "0.5"),
    Bad("ce-labels-negative", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [-1, 1]), ValueError, "`labels` must be class labels in [0, 2]; got values from -1 to 1.", "labels", "-1 to 1"),
    Bad("ce-labels-too-large", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [0, 3]), ValueError, "`labels` must be class labels in [0, 2]; got values from 0 to 3.", "labels", "0 to 3"),
    Bad("ce-labels-count", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [0]), ValueError, "`labels` must have shape (2,), one label per sample; got shape (1,).", "labels", "(1,)"),
    Bad("ce-labels-2d", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [[0], [1]]), ValueError, "`labels` must have shape (2,), one label per sample; got shape (2, 1).", "labels", "(2, 1)"),
    Bad("ce-labels-str", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), "01"), TypeError, "`labels` must be integer class labels of shape (2,); got '01' of type str.", "labels", "'01'"),
    Bad("ce-labels-None", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), None), TypeError, "`labels` must be integer class labels of shape (2,); got None of type NoneType.", "labels", "None"),
    Bad("ce-labels-nan", lambda: losses.softmax_cross_entropy(np.ones((2, 3)), [np.nan, 1.0]), ValueError, "`labels` must contain only finite numbers; got 1 NaN or infinite value(s).", "labels", "1 NaN"),
]

OPTIM = [
    Bad("momentum-init-list", lambda: optim.momentum_init([1.0]), TypeError, "`params` must be a dict of str to ndarray; got [1.0] of type list.", "params", "[1.0]"),
    Bad("momentum-init-None", lambda: optim.momentum_init(None), TypeError, "`params` must be a dict of str to ndarray; got None of type NoneType.", "params", "None"),
    Bad("momentum-init-str-value", lambda: optim.momentum_init({"w": "x"}), TypeError, "`params['w']` must be an array of numbers of any shape; got 'x' of type str.", "params['w']", "'x'"),
    Bad("momentum-init-nan", lambda: optim.momentum_init({"w": [np.nan]}), ValueError, "`params['w']` must contain only finite numbers; got 1 NaN or infinite value(s).", "params['w']", "1 NaN"),
    Bad("adam-init-list", lambda: optim.adam_init([1.0]), TypeError, "`params` must be a dict of str to ndarray; got [1.0] of type list.", "params", "[1.0]"),
    Bad("adam-init-complex", lambda: optim.adam_init({"w": np.array([1j])}), TypeError, "`params['w']` must be an array of numbers of any shape; got an array of shape (1,) and dtype complex128.", "params['w']", "complex128"),
    Bad("sgd-params-tuple", lambda: sgd(params=(1.0,)), TypeError, "`params` must be a dict of str to ndarray; got (1.0,) of type tuple.", "params", "(1.0,)"),
    Bad("sgd-grads-missing-key", lambda: sgd(grads={"W1": G["W1"]}), ValueError, f"`grads` must have the keys {KEYS} of `params`; got ['W1'].", "grads", "['W1']"),
    Bad("sgd-grads-extra-key", lambda: sgd(grads=with_key(G, "W3", np.zeros(1))), ValueError, f"`grads` must have the keys {KEYS} of `params`; got ['W1', 'W2', 'W3', 'b1', 'b2'].", "grads", "'W3'"),
    Bad("sgd-grads-shape", lambda: sgd(grads=with_key(G, "W1", np.zeros((3, 2)))), ValueError, "`grads['W1']` must have shape (2, 3) like `params['W1']`; got (3, 2).", "grads['W1']", "(3, 2)"),
    Bad("sgd-grads-nan", lambda: sgd(grads=with_key(G, "b2", np.array([0.0, np.nan]))), ValueError, "`grads['b2']` must contain only finite numbers; got 1 NaN or infinite value(s).", "grads['b2']", "1 NaN"),
    Bad("sgd-grads-str-value", lambda: sgd(grads=with_key(G, "b1", "0")), TypeError, "`grads['b1']` must be an array of numbers with shape (3,); got '0' of type str.", "grads['b1']", "'0'"),
    Bad("sgd-grads-list", lambda: sgd(grads=[1.0]), TypeError, "`grads` must be a dict of str to ndarray; got [1.0] of type list.", "grads", "[1.0]"),
    Bad("sgd-velocity-missing", lambda: sgd(velocity={}), ValueError, f"`velocity` must have the keys {KEYS} of `params`; got [].", "velocity", "[]"),
    Bad("sgd-velocity-shape", lambda: sgd(velocity=with_key(G, "b1", np.zeros(2))), ValueError, "`velocity['b1']` must have shape (3,) like `params['b1']`; got (2,).", "velocity['b1']", "(2,)"),
    Bad("sgd-velocity-inf", lambda: sgd(velocity=with_key(G, "b2", np.array([np.inf, 0.0]))), ValueError, "`velocity['b2']` must contain only finite numbers; got 1 NaN or infinite value(s).", "velocity['b2']", "1 NaN"),
    Bad("sgd-lr-zero", lambda: sgd(learning_rate=0.0), ValueError, "`learning_rate` must be a finite positive number; got 0.0.", "learning_rate", "0.0"),
    Bad("sgd-lr-str", lambda: sgd(learning_rate="0.1"), TypeError, "`learning_rate` must be a positive number; got '0.1' of type str.", "learning_rate", "'0.1'"),
    Bad("sgd-lr-inf", lambda: sgd(learning_rate=np.inf), ValueError, "`learning_rate` must be a finite positive number; got inf.", "learning_rate", "inf"),
    Bad("sgd-lr-None", lambda: sgd(learning_rate=None), TypeError, "`learning_rate` must be a positive number; got None of type NoneType.", "learning_rate", "None"),
    Bad("sgd-momentum-one", lambda: sgd(momentum=1.0), ValueError, "`momentum` must be in [0, 1); got 1.0.", "momentum", "1.0"),
    Bad("sgd-momentum-negative", lambda: sgd(momentum=-0.1), ValueError, "`momentum` must be a finite number >= 0; got -0.1.", "momentum", "-0.1"),
    Bad("sgd-momentum-complex", lambda: sgd(momentum=0.5j), TypeError, "`momentum` must be a real number; got 0.5j of type complex.", "momentum", "0.5j"),
    Bad("sgd-decay-negative", lambda: sgd(weight_decay=-1), ValueError, "`weight_decay` must be a finite number >= 0; got -1.0.", "weight_decay", "-1.0"),
    Bad("sgd-decay-nan", lambda: sgd(weight_decay=np.nan), ValueError, "`weight_decay` must be a finite number; got nan.", "weight_decay", "nan"),
    Bad("adam-state-dict", lambda: adam(state={}), TypeError, "`state` must be an AdamState from adam_init; got {} of type dict.", "state", "{}"),
    Bad("adam-state-m-shape", lambda: adam(state=optim.AdamState({"w": np.ones(3)}, {"w": np.ones(2)}, 0)), ValueError, "`state.m['w']` must have shape (2,) like `params['w']`; got (3,).", "state.m['w']", "(3,)"),
    Bad("adam-state-v-keys", lambda: adam(state=optim.AdamState({"w": np.ones(2)}, {"u": np.ones(2)}, 0)), ValueError, "`state.v` must have the keys ['w'] of `params`; got ['u'].", "state.v", "['u']"),
    Bad("adam-state-v-negative", lambda: adam(state=optim.AdamState({"w": np.ones(2)}, {"w": -np.ones(2)}, 1)), ValueError, "`state.v` must hold second moments >= 0; got a negative value.", "state.v", "a negative value"),
    Bad("adam-state-step-negative", lambda: adam(state=optim.AdamState({"w": np.ones(2)}, {"w": np.ones(2)}, -1)), ValueError, "`state.step` must be an int >= 0; got -1.", "state.step", "-1"),
    Bad("adam-state-step-float", lambda: adam(state=optim.AdamState({"w": np.ones(2)}, {"w": np.ones(2)}, 1.5)), ValueError, "`state.step` must be an int >= 0; got 1.5.", "state.step", "1.5"),
    Bad("adam-grads-shape", lambda: adam(grads={"w": np.ones(3)}), ValueError, "`grads['w']` must have shape (2,) like `params['w']`; got (3,).", "grads['w']", "(3,)"),
    Bad("adam-beta1-one", lambda: adam(beta1=1.0), ValueError, "`beta1` must be in [0, 1); got 1.0.", "beta1", "1.0"),
    Bad("adam-beta2-negative", lambda: adam(beta2=-0.5), ValueError, "`beta2` must be a finite number >= 0; got -0.5.", "beta2", "-0.5"),
    Bad("adam-eps-zero", lambda: adam(eps=0), ValueError, "`eps` must be a finite positive number; got 0.", "eps", "0"),
    Bad("adam-lr-negative", lambda: adam(learning_rate=-0.1), ValueError, "`learning_rate` must be a finite positive number; got -0.1.", "learning_rate", "-0.1"),
    Bad("sgd-step-overflows", lambda: sgd(params={"w": np.array([1e308])}, grads={"w": np.array([-1e308])}, velocity={"w": np.zeros(1)}, learning_rate=1e10), FloatingPointError, "Training diverged: the updated parameters became inf. The setting responsible is `learning_rate` = 1e+10: try a smaller learning_rate.", "learning_rate", "1e+10"),
    Bad("adam-step-overflows", lambda: adam(params={"w": np.array([1e308])}, grads={"w": np.array([-1.0])}, state=optim.adam_init({"w": np.ones(1)}), learning_rate=1e308), FloatingPointError, "Training diverged: the updated parameters became inf. The setting responsible is `learning_rate` = 1e+308: try a smaller learning_rate.", "learning_rate", "1e+308"),
    Bad("adam-state-step-bool", lambda: adam(state=optim.AdamState({"w": np.ones(2)}, {"w": np.ones(2)}, True)), ValueError, "`state.step` must be an int >= 0; got True.", "state.step", "True"),
    Bad("is-bias-int", lambda: optim.is_bias(1), TypeError, "`key` must be a str naming a parameter; got 1 of type int.", "key", "1"),
]

_X_HINT = "(n_samples, 2)"
MLP = [
    Bad("init-one-size", lambda: mlp.init_params([5]), ValueError, "`layer_sizes` must list at least an input and an output size; got [5].", "layer_sizes", "[5]"),
    Bad("init-zero-size", lambda: mlp.init_params([5, 0]), ValueError, "`layer_sizes[1]` must be a positive integer; got 0.", "layer_sizes[1]", "0"),
    Bad("init-float-size", lambda: mlp.init_params([5, 2.5]), TypeError, "`layer_sizes[1]` must be a positive integer; got 2.5 of type float.", "layer_sizes[1]", "2.5"),
    Bad("init-str-sizes", lambda: mlp.init_params("52"), TypeError, "`layer_sizes` must be a sequence of positive ints; got '52' of type str.", "layer_sizes", "'52'"),
    Bad("init-int-sizes", lambda: mlp.init_params(5), TypeError, "`layer_sizes` must be a sequence of positive ints; got 5 of type int.", "layer_sizes", "5"),
    Bad("init-dtype-int", lambda: mlp.init_params([2, 2], dtype=np.int32), ValueError, "`dtype` must be float32 or float64; got int32.", "dtype", "int32"),
    Bad("init-dtype-complex", lambda: mlp.init_params([2, 2], dtype="complex64"), ValueError, "`dtype` must be float32 or float64; got complex64.", "dtype", "complex64"),
    Bad("init-dtype-nonsense", lambda: mlp.init_params([2, 2], dtype="nonsense"), TypeError, "`dtype` must be float32 or float64; got 'nonsense'.", "dtype", "'nonsense'"),
    Bad("init-rng-negative", lambda: mlp.init_params([2, 2], rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
    Bad("init-rng-str", lambda: mlp.init_params([2, 2], rng="seed"), TypeError, RNG_MSG + "'seed' of type str.", "rng", "'seed'"),
    Bad("forward-x-str", lambda: mlp.forward("x", P), TypeError, _real("x", _X_HINT) + "'x' of type str.", "x", "'x'"),
    Bad("forward-x-complex", lambda: mlp.forward(X * 1j, P), TypeError, _real("x", _X_HINT) + "an array of shape (4, 2) and dtype complex128.", "x", "complex128"),
    Bad("forward-x-1d", lambda: mlp.forward(np.ones(2), P), ValueError, f"`x` must have shape {_X_HINT}; got shape (2,)." + RESHAPE, "x", "(2,)"),
    Bad("forward-x-width", lambda: mlp.forward(np.ones((4, 3)), P), ValueError, "`x` must have shape (n_samples, 2) to match `params['W1']`; got shape (4, 3).", "x", "(4, 3)"),
    Bad("forward-x-nan", lambda: mlp.forward(np.full((1, 2), np.nan), P), ValueError, "`x` must contain only finite numbers; got 2 NaN or infinite value(s).", "x", "2 NaN"),
    Bad("forward-x-empty", lambda: mlp.forward(np.ones((0, 2)), P), ValueError, f"`x` must have shape {_X_HINT} with at least one element; got shape (0, 2).", "x", "(0, 2)"),
    Bad("forward-params-list", lambda: mlp.forward(X, [P]), TypeError, "`params` must be a dict of str to ndarray; got a list of length 1.", "params", "list of length 1"),
    Bad("forward-params-missing", lambda: mlp.forward(X, {"W1": P["W1"]}), ValueError, "`params` must have the keys W1, b1, ..., WL, bL; got ['W1'].", "params", "['W1']"),
    Bad("forward-params-W1-1d", lambda: mlp.forward(X, with_key(P, "W1", np.ones(3))), ValueError, "`params['W1']` must have shape (n_in, n_out); got shape (3,).", "params['W1']", "(3,)"),
    Bad("forward-params-b1-shape", lambda: mlp.forward(X, with_key(P, "b1", np.ones(2))), ValueError, "`params['b1']` must have shape (3,) to match `params['W1']`; got (2,).", "params['b1']", "(2,)"),
    Bad("forward-params-W2-rows", lambda: mlp.forward(X, with_key(P, "W2", np.ones((4, 2)))), ValueError, "`params['W2']` must have 3 rows to follow `params['W1']`; got shape (4, 2).", "params['W2']", "(4, 2)"),
    Bad("forward-params-int-key", lambda: mlp.forward(X, with_key(P, 1, np.ones(1))), ValueError, "`params` must have the keys W1, b1, ..., WL, bL; got [1, 'W1', 'W2', 'b1', 'b2'].", "params", "[1, 'W1'"),
    Bad("forward-params-nan", lambda: mlp.forward(X, with_key(P, "W2", np.full((3, 2), np.nan))), ValueError, "`params['W2']` must contain only finite numbers; got 6 NaN or infinite value(s).", "params['W2']", "6 NaN"),
    Bad("forward-params-str", lambda: mlp.forward(X, with_key(P, "b2", "b")), TypeError, "`params['b2']` must be an array of numbers of any shape; got 'b' of type str.", "params['b2']", "'b'"),
    Bad("forward-overflow", lambda: mlp.forward([[1e200, 1e200]], {"W1": np.full((2, 1), 1e200), "b1": np.zeros(1)}), FloatingPointError, "The network's output overflowed to NaN or infinity for finite `x` and `params`; got inputs up to 1e+200 and weights up to 1e+200: scale them down.", "params", "1e+200"),
    # 1e200 * 1e200 overflows in the hidden layer, before the output: the same kind of error, not the activation's "`z` must be finite"
    Bad("forward-hidden-overflow", lambda: mlp.forward([[1e200]], HIDDEN_OVERFLOW), FloatingPointError, "The network's hidden layers overflowed to NaN or infinity for finite `x` and `params`; got inputs up to 1e+200 and weights up to 1e+200: scale them down.", "params", "1e+200"),
    Bad("predict-hidden-overflow", lambda: mlp.predict([[1e200]], HIDDEN_OVERFLOW), FloatingPointError, "The network's hidden layers overflowed to NaN or infinity for finite `x` and `params`; got inputs up to 1e+200 and weights up to 1e+200: scale them down.", "params", "1e+200"),
    Bad("loss-and-gradients-hidden-overflow", lambda: mlp.loss_and_gradients([[1e200]], [0], HIDDEN_OVERFLOW, loss="cross_entropy"), FloatingPointError, "The network's hidden layers overflowed to NaN or infinity for finite `x` and `params`; got inputs up to 1e+200 and weights up to 1e+200: scale them down.", "params", "1e+200"),
    Bad("forward-activation", lambda: mlp.forward(X, P, activation="swish"), ValueError, "`activation` must be one of 'identity', 'relu', 'sigmoid', 'tanh'; got 'swish'.", "activation", "'swish'"),
    Bad("loss-value-loss-name", lambda: mlp.loss_value(Y, LAB, loss="hinge"), ValueError, "`loss` must be one of ('mse', 'cross_entropy'); got 'hinge'.", "loss", "'hinge'"),
    Bad("loss-value-loss-None", lambda: mlp.loss_value(Y, LAB, loss=None), ValueError, "`loss` must be one of ('mse', 'cross_entropy'); got None.", "loss", "None"),
    Bad("loss-value-labels-range", lambda: mlp.loss_value(Y, [0, 1, 2, 0], loss="cross_entropy"), ValueError, "`y` must be class labels in [0, 1]; got values from 0 to 2.", "y", "0 to 2"),
    Bad("loss-value-output-1d", lambda: mlp.loss_value(np.ones(4), LAB, loss="cross_entropy"), ValueError, f"`output` must have shape {NSO}; got shape (4,)." + RESHAPE, "output", "(4,)"),
    Bad("loss-value-mse-target-shape", lambda: mlp.loss_value(Y, np.zeros((4, 3)), loss="mse"), ValueError, "`y` must have shape (4, 2) for the mse loss; got shape (4, 3).", "y", "(4, 3)"),
    Bad("loss-value-mse-labels", lambda: mlp.loss_value(Y, LAB, loss="mse"), ValueError, "`y` must have shape (4, 2); got shape (4,)." + RESHAPE, "y", "(4,)"),
    Bad("backward-cache-type", lambda: mlp.backward(LAB, "cache", P, loss="cross_entropy"), TypeError, "`cache` must be the MLPCache returned by forward; got str.", "cache", "str"),
    Bad("backward-cache-other-net", lambda: mlp.backward(LAB, mlp.forward(X, mlp.init_params([2, 5], rng=0))[1], P, loss="cross_entropy"), ValueError, "`cache` must come from forward with a network of 2 layers and 2 outputs like `params`; got 1 layers and 5 outputs.", "cache", "1 layers and 5 outputs"),
    Bad("backward-labels-count", lambda: mlp.backward([0, 1], mlp.forward(X, P)[1], P, loss="cross_entropy"), ValueError, "`y` must have shape (4,), one label per sample; got shape (2,).", "y", "(2,)"),
    Bad("backward-labels-range", lambda: mlp.backward([0, 1, 2, 0], mlp.forward(X, P)[1], P, loss="cross_entropy"), ValueError, "`y` must be class labels in [0, 1]; got values from 0 to 2.", "y", "0 to 2"),
    Bad("backward-mse-target-shape", lambda: mlp.backward(np.zeros((4, 3)), mlp.forward(X, P)[1], P, loss="mse"), ValueError, "`y` must have shape (4, 2) for the mse loss; got shape (4, 3).", "y", "(4, 3)"),
    Bad("grads-labels-count", lambda: mlp.loss_and_gradients(X, [0, 1], P, loss="cross_entropy"), ValueError, "`y` must have shape (4,), one label per sample; got shape (2,).", "y", "(2,)"),
    Bad("grads-labels-float", lambda: mlp.loss_and_gradients(X, [0, 1, 0.5, 1], P, loss="cross_entropy"), ValueError, "`y` must hold whole-number class labels; got 0.5.", "y", "0.5"),
    Bad("proba-x-width", lambda: mlp.predict_proba(np.ones((1, 5)), P), ValueError, "`x` must have shape (n_samples, 2) to match `params['W1']`; got shape (1, 5).", "x", "(1, 5)"),
    Bad("predict-x-inf", lambda: mlp.predict([[np.inf, 0.0]], P), ValueError, "`x` must contain only finite numbers; got 1 NaN or infinite value(s).", "x", "1 NaN"),
    Bad("accuracy-labels-fraction", lambda: mlp.accuracy(X, [0, 1, 0.5, 1], P), ValueError, "`labels` must hold whole-number class labels; got 0.5.", "labels", "0.5"),
    Bad("accuracy-labels-count", lambda: mlp.accuracy(X, [0, 1], P), ValueError, "`labels` must have shape (4,), one label per sample; got shape (2,).", "labels", "(2,)"),
    Bad("accuracy-labels-range", lambda: mlp.accuracy(X, [0, 1, 2, 3], P), ValueError, "`labels` must be class labels in [0, 1]; got values from 0 to 3.", "labels", "0 to 3"),
    Bad("train-both", lambda: train(params=P), ValueError, "Give exactly one of `layer_sizes` (a new network) and `params` (a starting point); got both.", "params", "both"),
    Bad("train-neither", lambda: train(layer_sizes=None), ValueError, "Give exactly one of `layer_sizes` (a new network) and `params` (a starting point); got neither.", "layer_sizes", "neither"),
    Bad("train-lr-zero", lambda: train(learning_rate=0), ValueError, "`learning_rate` must be a finite positive number; got 0.", "learning_rate", "0"),
    Bad("train-epochs-zero", lambda: train(epochs=0), ValueError, "`epochs` must be a positive integer; got 0.", "epochs", "0"),
    Bad("train-epochs-float", lambda: train(epochs=2.0), TypeError, "`epochs` must be a positive integer; got 2.0 of type float.", "epochs", "2.0"),
    Bad("train-batch-zero", lambda: train(batch_size=np.int64(0)), ValueError, "`batch_size` must be a positive integer; got 0.", "batch_size", "0"),
    Bad("train-momentum-one", lambda: train(momentum=1), ValueError, "`momentum` must be in [0, 1); got 1.0.", "momentum", "1.0"),
    Bad("train-momentum-negative", lambda: train(momentum=-0.1), ValueError, "`momentum` must be a finite number >= 0; got -0.1.", "momentum", "-0.1"),
    Bad("train-decay-negative", lambda: train(weight_decay=-0.5), ValueError, "`weight_decay` must be a finite number >= 0; got -0.5.", "weight_decay", "-0.5"),
    Bad("train-dtype-int", lambda: train(dtype=int), ValueError, "`dtype` must be float32 or float64; got int64.", "dtype", "int64"),
    Bad("train-labels-count", lambda: train(y=[0, 1, 0]), ValueError, "`y` must have shape (4,), one label per sample; got shape (3,).", "y", "(3,)"),
    Bad("train-mse-targets", lambda: train(y=np.zeros((4, 3)), loss="mse"), ValueError, "`y` must have shape (4, 2) for the mse loss; got shape (4, 3).", "y", "(4, 3)"),
    Bad("train-x-empty", lambda: train(x=np.zeros((0, 2)), y=[]), ValueError, "`x` must have shape (n_samples, n_features) with at least one element; got shape (0, 2).", "x", "(0, 2)"),
    Bad("train-x-1d", lambda: train(x=np.ones(4)), ValueError, "`x` must have shape (n_samples, n_features); got shape (4,)." + RESHAPE, "x", "(4,)"),
    # float64 data beyond float32's range would become infinite in the cast (and then look like divergence)
    Bad("train-x-beyond-float32", lambda: train(x=X_HUGE, dtype=np.float32), ValueError, "`x` must lie within float32's range (magnitudes up to 3.4e+38) to train in float32; got values up to 1e+39: scale them down or train in float64.", "x", "1e+39"),
    Bad("train-mse-targets-beyond-float32", lambda: train(x=X.astype(np.float32), y=-Y_HUGE, loss="mse"), ValueError, "`y` must lie within float32's range (magnitudes up to 3.4e+38) to train in float32; got values up to 1e+39: scale them down or train in float64.", "y", "1e+39"),
    Bad("train-rng-negative", lambda: train(rng=np.int64(-3)), ValueError, RNG_MSG + "-3.", "rng", "-3"),
]

_FX = np.ones((3, 2))
CONTINUAL = [
    Bad("split-rng-negative", lambda: continual.split_digits(rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
    Bad("permuted-n-zero", lambda: continual.permuted_digits(0), ValueError, "`n_tasks` must be a positive integer; got 0.", "n_tasks", "0"),
    Bad("permuted-n-float", lambda: continual.permuted_digits(2.0), TypeError, "`n_tasks` must be a positive integer; got 2.0 of type float.", "n_tasks", "2.0"),
    Bad("permuted-rng-str", lambda: continual.permuted_digits(2, rng="0"), TypeError, RNG_MSG + "'0' of type str.", "rng", "'0'"),
    Bad("fisher-x-width", lambda: continual.fisher_diagonal(np.ones((3, 5)), P), ValueError, "`x` must have shape (n_samples, 2) to match `params['W1']`; got shape (3, 5).", "x", "(3, 5)"),
    Bad("fisher-kind", lambda: continual.fisher_diagonal(_FX, P, fisher="true"), ValueError, "`fisher` must be 'sampled' or 'empirical'; got 'true'.", "fisher", "'true'"),
    Bad("fisher-empirical-no-labels", lambda: continual.fisher_diagonal(_FX, P, fisher="empirical"), ValueError, "`labels` must be given for fisher='empirical'; got None.", "labels", "None"),
    Bad("fisher-sampled-with-labels", lambda: continual.fisher_diagonal(_FX, P, labels=[0, 1, 0]), ValueError, "`labels` must be None for fisher='sampled' (the labels are drawn from the model); got labels.", "labels", "got labels"),
    Bad("fisher-labels-range", lambda: continual.fisher_diagonal(_FX, P, labels=[0, 1, 2], fisher="empirical"), ValueError, "`labels` must be class labels in [0, 1]; got values from 0 to 2.", "labels", "0 to 2"),
    Bad("fisher-labels-length", lambda: continual.fisher_diagonal(_FX, P, labels=[0, 1], fisher="empirical"), ValueError, "`labels` must have shape (3,), one label per sample; got shape (2,).", "labels", "(2,)"),
    Bad("fisher-overflow", lambda: continual.fisher_diagonal(np.full((3, 2), 1e160), P, labels=[0, 1, 0], fisher="empirical"), FloatingPointError, "The Fisher diagonal overflowed to infinity for finite `x` and `params`; got inputs up to 1e+160: scale them down.", "x", "1e+160"),
    Bad("fisher-params-missing", lambda: continual.fisher_diagonal(_FX, {"W1": P["W1"], "b1": P["b1"], "W2": P["W2"]}), ValueError, "`params` must have the keys W1, b1, ..., WL, bL; got ['W1', 'W2', 'b1'].", "params", "['W1', 'W2', 'b1']"),
    Bad("fisher-rng-negative", lambda: continual.fisher_diagonal(_FX, P, rng=-2), ValueError, RNG_MSG + "-2.", "rng", "-2"),
    Bad("ewc-anchors-dict", lambda: continual.ewc_penalty(P, P, [P], ewc_lambda=1.0), TypeError, "`anchors` must be a list of dicts, one per earlier task; got dict.", "anchors", "dict"),
    Bad("ewc-count", lambda: continual.ewc_penalty(P, [P, P], [G], ewc_lambda=1.0), ValueError, "`anchors` and `fishers` must have one entry per earlier task each; got 2 and 1.", "fishers", "2 and 1"),
    Bad("ewc-fisher-keys", lambda: continual.ewc_penalty(P, [P], [{"W1": G["W1"]}], ewc_lambda=1.0), ValueError, f"`fishers[0]` must have the keys {KEYS} of `params`; got ['W1'].", "fishers[0]", "['W1']"),
    Bad("ewc-fisher-negative", lambda: continual.ewc_penalty(P, [P], [with_key(G, "W2", -np.ones((3, 2)))], ewc_lambda=1.0), ValueError, "`fishers[0]['W2']` must be >= 0 (a diagonal Fisher); got a minimum of -1.0.", "fishers[0]['W2']", "-1.0"),
    Bad("ewc-anchor-nan", lambda: continual.ewc_penalty(P, [with_key(P, "b1", np.full(3, np.nan))], [G], ewc_lambda=1.0), ValueError, "`anchors[0]['b1']` must contain only finite numbers; got 3 NaN or infinite value(s).", "anchors[0]['b1']", "3 NaN"),
    Bad("ewc-anchor-shape", lambda: continual.ewc_penalty(P, [with_key(P, "b1", np.zeros(4))], [G], ewc_lambda=1.0), ValueError, "`anchors[0]['b1']` must have shape (3,) like `params['b1']`; got (4,).", "anchors[0]['b1']", "(4,)"),
    Bad("ewc-lambda-negative", lambda: continual.ewc_penalty(P, [P], [G], ewc_lambda=-1.0), ValueError, "`ewc_lambda` must be a finite number >= 0; got -1.0.", "ewc_lambda", "-1.0"),
    Bad("ewc-lambda-nan", lambda: continual.ewc_penalty(P, [P], [G], ewc_lambda=np.nan), ValueError, "`ewc_lambda` must be a finite number; got nan.", "ewc_lambda", "nan"),
    Bad("ewc-params-list", lambda: continual.ewc_penalty([P], [P], [G], ewc_lambda=1.0), TypeError, "`params` must be a dict of str to ndarray; got a list of length 1.", "params", "list of length 1"),
    Bad("ewc-fishers-dict", lambda: continual.ewc_penalty(P, [P], G, ewc_lambda=1.0), TypeError, "`fishers` must be a list of dicts, one per earlier task; got dict.", "fishers", "dict"),
    # the penalty 0.5 * 1e300 * 2.5e8 * 1**2 = 1.25e308 is finite, its gradient 1e300 * 2.5e8 * 1 is not
    Bad("ewc-gradient-overflow", lambda: continual.ewc_penalty({"W1": np.ones((1, 1)), "b1": np.zeros(1)}, [{"W1": np.zeros((1, 1)), "b1": np.zeros(1)}], [{"W1": np.full((1, 1), 2.5e8), "b1": np.zeros(1)}], ewc_lambda=1e300), FloatingPointError, "The EWC penalty overflowed to infinity with `ewc_lambda` = 1e+300 for finite `params`, `anchors` and `fishers`: try a smaller ewc_lambda.", "ewc_lambda", "1e+300"),
    Bad("seq-empty", lambda: seq(tasks=[]), ValueError, "`tasks` must contain at least one Task; got an empty list.", "tasks", "an empty list"),
    Bad("seq-one-task", lambda: seq(tasks=tasks()[0]), TypeError, "`tasks` must be a list of Task; got Task.", "tasks", "Task"),
    Bad("seq-tasks-str", lambda: seq(tasks="t0"), TypeError, "`tasks` must be a list of Task; got str.", "tasks", "str"),
    Bad("seq-x-1d", lambda: seq(tasks=[Task("t", np.ones(2), [0, 1], np.ones((1, 2)), [0])]), ValueError, "`tasks[0].x_train` must have shape (n_samples, 2); got shape (2,)." + RESHAPE, "tasks[0].x_train", "(2,)"),
    Bad("seq-not-a-task", lambda: seq(tasks=[tasks()[0], (1, 2)]), TypeError, "`tasks[1]` must be a Task; got tuple.", "tasks[1]", "tuple"),
    Bad("seq-width", lambda: seq(tasks=tasks() + tasks(n_in=3, n_tasks=1)), ValueError, "`tasks[2].x_train` must have 2 columns to match `layer_sizes[0]`; got shape (6, 3).", "tasks[2].x_train", "(6, 3)"),
    Bad("seq-labels-range", lambda: seq(tasks=tasks(n_out=3)), ValueError, "`tasks[0].labels_train` must be class labels in [0, 1]; got values from 0 to 2.", "tasks[0].labels_train", "0 to 2"),
    Bad("seq-test-nan", lambda: seq(tasks=[Task("t", np.ones((2, 2)), [0, 1], np.full((1, 2), np.nan), [0])]), ValueError, "`tasks[0].x_test` must contain only finite numbers; got 2 NaN or infinite value(s).", "tasks[0].x_test", "2 NaN"),
    Bad("seq-labels-count", lambda: seq(tasks=[Task("t", np.ones((2, 2)), [0], np.ones((1, 2)), [0])]), ValueError, "`tasks[0].labels_train` must have shape (2,), one label per sample; got shape (1,).", "tasks[0].labels_train", "(1,)"),
    Bad("seq-x-empty", lambda: seq(tasks=[Task("t", np.ones((0, 2)), [], np.ones((1, 2)), [0])]), ValueError, "`tasks[0].x_train` must have shape (n_samples, 2) with at least one element; got shape (0, 2).", "tasks[0].x_train", "(0, 2)"),
    Bad("seq-lambda-negative", lambda: seq(ewc_lambda=-1), ValueError, "`ewc_lambda` must be a finite number >= 0; got -1.0.", "ewc_lambda", "-1.0"),
    Bad("seq-replay-zero", lambda: seq(replay_size=0), ValueError, "`replay_size` must be a positive integer; got 0.", "replay_size", "0"),
    Bad("seq-method", lambda: seq(method="magic"), ValueError, "`method` must be one of ('plain', 'replay', 'ewc'); got 'magic'.", "method", "'magic'"),
    Bad("seq-lr-zero", lambda: seq(learning_rate=0.0), ValueError, "`learning_rate` must be a finite positive number; got 0.0.", "learning_rate", "0.0"),
    Bad("seq-epochs-zero", lambda: seq(epochs=0), ValueError, "`epochs` must be a positive integer; got 0.", "epochs", "0"),
    Bad("seq-batch-float", lambda: seq(batch_size=8.0), TypeError, "`batch_size` must be a positive integer; got 8.0 of type float.", "batch_size", "8.0"),
    Bad("seq-dtype-int", lambda: seq(dtype=np.int16), ValueError, "`dtype` must be float32 or float64; got <class 'numpy.int16'>.", "dtype", "numpy.int16"),
    Bad("seq-sizes-one", lambda: seq(layer_sizes=[2]), ValueError, "`layer_sizes` must list at least an input and an output size; got [2].", "layer_sizes", "[2]"),
    Bad("seq-rng-negative", lambda: seq(rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
]

BAD = {"losses": LOSSES, "optim": OPTIM, "mlp": MLP, "continual": CONTINUAL}
ALL_BAD = [case for cases in BAD.values() for case in cases]


@pytest.mark.parametrize("case", ALL_BAD, ids=[case.id for case in ALL_BAD])
def test_bad_input_is_refused_with_a_whole_message(case: Bad) -> None:
    assert f"`{case.name}`" in case.message and case.given in case.message  # the table itself names both
    with pytest.raises(case.error, match="^" + re.escape(case.message) + "$"):
        case.call()


def test_the_table_has_unique_ids_and_enough_cases() -> None:
    assert len({case.id for case in ALL_BAD}) == len(ALL_BAD)
    assert len(ALL_BAD) >= 85


def test_every_public_function_has_a_bad_input_case() -> None:
    tested = " ".join(case.id for case in ALL_BAD)
    names = {"losses": ["mse", "mse-grad", "softmax", "log-softmax", "ce"],
             "optim": ["momentum-init", "adam-init", "sgd", "adam", "is-bias"],
             "mlp": ["init", "forward", "loss-value", "backward", "grads", "proba", "predict", "accuracy", "train"],
             "continual": ["split", "permuted", "fisher", "ewc", "seq"]}
    for module, prefixes in names.items():
        ids = [case.id for case in BAD[module]]
        for prefix in prefixes:
            assert any(i.startswith(prefix + "-") for i in ids), (module, prefix, tested)
    public = {m: sorted(n for n in mod.__all__ if callable(getattr(mod, n)) and not isinstance(getattr(mod, n), type))
              for m, mod in (("losses", losses), ("optim", optim), ("mlp", mlp), ("continual", continual))}
    assert public == {
        "losses": ["log_softmax", "mse_gradient", "mse_loss", "softmax", "softmax_cross_entropy"],
        "optim": ["adam_init", "adam_step", "is_bias", "momentum_init", "sgd_step"],
        "mlp": ["accuracy", "backward", "forward", "init_params", "loss_and_gradients", "loss_value", "predict",
                "predict_proba", "train_sgd"],
        "continual": ["ewc_penalty", "fisher_diagonal", "permuted_digits", "split_digits", "train_sequence"],
    }


# ---------------------------------------------------------------------------
# 100 times the book's learning rate (0.1) on the book's data: training stops and names the setting

BLOWUP = ("Training diverged: the loss reached {n}, more than 100 times its starting value {n} in epoch {k}. "
          "The setting responsible is `learning_rate` = 10: try a smaller learning_rate.")


def _digits_100x() -> Any:
    """The digits chapter's network and settings (64-128-10, batch 32, 30 epochs), learning rate 10."""
    split = datasets.train_test_split(*datasets.digits(), rng=0)
    return mlp.train_sgd(split.x_train, split.labels_train, layer_sizes=[64, 128, 10], learning_rate=10.0, epochs=30, rng=0)


def _forgetting_100x(method: str) -> Any:
    """The forgetting chapter's split digits and settings (64-100-10, batch 32, 10 epochs per task), learning rate 10."""
    return continual.train_sequence(continual.split_digits(rng=0), method=method, layer_sizes=[64, 100, 10], epochs=10, learning_rate=10.0, rng=0)


DIVERGED = [
    pytest.param(_digits_100x, id="train-100x-book-rate"),
    *(pytest.param(lambda m=m: _forgetting_100x(m), id=f"seq-100x-book-rate-{m}") for m in continual.METHODS),
]


@pytest.mark.parametrize("call", DIVERGED)
def test_100x_the_book_learning_rate_is_reported(call: Callable[[], Any]) -> None:
    pattern = re.escape(BLOWUP).replace(r"\{n\}", r"\S+").replace(r"\{k\}", r"\d+")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TrainingDivergedError, match="^" + pattern + "$"):
            call()


# ---------------------------------------------------------------------------
# Valid edge inputs: int and bool arrays, numpy scalars, a single sample, float32


class Edge(NamedTuple):
    id: str
    call: Callable[[], Any]
    check: Callable[[Any], bool]


_P32 = {k: v.astype(np.float32) for k, v in P.items()}
EDGE = [
    Edge("mse-int", lambda: losses.mse_loss([[1, 2]], [[1, 4]]), lambda v: v == 2.0),  # (0 + 4) / 2
    Edge("mse-bool", lambda: losses.mse_loss(np.array([[True]]), np.array([[False]])), lambda v: v == 1.0),
    Edge("mse-grad-float32", lambda: losses.mse_gradient(np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32)), lambda g: g.dtype == np.float32 and g[0, 0] == 2.0),
    Edge("softmax-int", lambda: losses.softmax([0, 0]), lambda p: p.tolist() == [0.5, 0.5]),
    Edge("softmax-axis-int64", lambda: losses.softmax(np.zeros((2, 2)), axis=np.int64(0)), lambda p: p.tolist() == [[0.5, 0.5], [0.5, 0.5]]),
    Edge("softmax-single-class", lambda: losses.softmax([[5.0]]), lambda p: p.tolist() == [[1.0]]),
    Edge("log-softmax-float32", lambda: losses.log_softmax(np.zeros(2, np.float32)), lambda p: p.dtype == np.float32),
    Edge("ce-one-sample-int-logits", lambda: losses.softmax_cross_entropy([[0, 0]], np.array([1], dtype=np.uint8)), lambda r: abs(r[0] - np.log(2)) < 1e-15),
    Edge("ce-bool-labels", lambda: losses.softmax_cross_entropy(np.zeros((2, 2)), np.array([True, False])), lambda r: r[1].tolist() == [[0.25, -0.25], [-0.25, 0.25]]),
    Edge("sgd-int-params", lambda: optim.sgd_step({"w": np.array([1])}, {"w": np.array([1])}, {"w": np.array([0])}, learning_rate=np.float32(0.5)), lambda r: r[0]["w"].tolist() == [0.5]),
    Edge("sgd-numpy-scalars", lambda: optim.sgd_step(ONE, ONE, ONE, learning_rate=np.float64(0.1), momentum=np.float32(0.5), weight_decay=np.int64(0)), lambda r: np.allclose(r[1]["w"], 0.4)),
    Edge("sgd-scalar-param", lambda: optim.sgd_step({"w": np.float64(1.0)}, {"w": 2.0}, {"w": 0.0}, learning_rate=0.5), lambda r: float(r[0]["w"]) == 0.0),
    Edge("adam-float32", lambda: optim.adam_step({"w": np.ones(1, np.float32)}, {"w": np.ones(1)}, optim.adam_init({"w": np.ones(1, np.float32)}), learning_rate=0.1), lambda r: r[0]["w"].dtype == np.float32),
    Edge("adam-numpy-step", lambda: optim.adam_step(ONE, ONE, optim.AdamState({"w": np.zeros(2)}, {"w": np.zeros(2)}, np.int64(0)), learning_rate=0.1), lambda r: r[1].step == 1),
    Edge("init-numpy-sizes", lambda: mlp.init_params([np.int64(3), np.int32(2)], rng=np.int64(0)), lambda p: p["W1"].shape == (3, 2)),
    Edge("init-tuple-sizes-float32", lambda: mlp.init_params((2, 2), dtype="float32"), lambda p: p["W1"].dtype == np.float32),
    Edge("forward-int-x", lambda: mlp.forward(np.array([[1, 0]]), P)[0], lambda out: out.dtype == np.float64 and out.shape == (1, 2)),
    Edge("forward-bool-x", lambda: mlp.forward(np.array([[True, False]]), P)[0], lambda out: np.array_equal(out, mlp.forward(np.array([[1.0, 0.0]]), P)[0])),
    Edge("forward-float32", lambda: mlp.forward(X.astype(np.float32), _P32)[0], lambda out: out.dtype == np.float32),
    Edge("predict-single-sample", lambda: mlp.predict([[0.5, 0.5]], P), lambda c: c.shape == (1,)),
    Edge("accuracy-float-labels", lambda: mlp.accuracy(X, LAB.astype(float), P), lambda a: 0.0 <= a <= 1.0),
    Edge("loss-value-int-output", lambda: mlp.loss_value([[0, 0]], [1], loss="cross_entropy"), lambda v: abs(v - np.log(2)) < 1e-15),
    Edge("train-numpy-scalars", lambda: train(epochs=np.int64(2), batch_size=np.int32(2), learning_rate=np.float32(0.1), momentum=np.float64(0.5)), lambda r: r.losses.shape == (2,)),
    Edge("train-single-sample", lambda: train(x=np.ones((1, 2)), y=[1], batch_size=5), lambda r: r.losses.shape == (1,)),
    Edge("train-int-x-bool-labels", lambda: train(x=np.array([[1, 0], [0, 1]]), y=np.array([True, False])), lambda r: r.params["W1"].dtype == np.float64),
    Edge("train-float32", lambda: train(x=X.astype(np.float32)), lambda r: r.params["W1"].dtype == np.float32),
    Edge("fisher-float32", lambda: continual.fisher_diagonal(X.astype(np.float32), _P32, rng=0), lambda F: F["W1"].dtype == np.float32),
    Edge("fisher-empirical-single", lambda: continual.fisher_diagonal(np.ones((1, 2)), P, labels=np.array([1.0]), fisher="empirical"), lambda F: F["b2"].shape == (2,)),
    Edge("ewc-no-tasks", lambda: continual.ewc_penalty(P, [], [], ewc_lambda=np.float32(3.0)), lambda r: r[0] == 0.0 and all(not g.any() for g in r[1].values())),
    Edge("permuted-int64", lambda: continual.permuted_digits(np.int64(1), rng=np.int64(0)), lambda ts: len(ts) == 1),
    Edge("seq-numpy-scalars", lambda: seq(epochs=np.int64(1), learning_rate=np.float32(0.1), replay_size=np.int64(2), method="replay"), lambda r: r.accuracy.shape == (2, 2)),
    Edge("seq-one-task-int-x", lambda: seq(tasks=[Task("t", np.array([[1, 0], [0, 1]]), [0, 1], np.array([[1, 0]]), [0])], method="ewc"), lambda r: r.accuracy.shape == (1, 1) and r.fishers == []),
]


@pytest.mark.parametrize("case", EDGE, ids=[case.id for case in EDGE])
def test_valid_edge_input_works(case: Edge) -> None:
    assert case.check(case.call())


# ---------------------------------------------------------------------------
# Inputs are never modified, outputs are never views of inputs


def _arrays(value: Any) -> Iterator[np.ndarray]:
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arrays(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _arrays(getattr(value, field.name))


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and not isinstance(a, np.ndarray):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return bool(np.array_equal(a, b))


_V = optim.momentum_init(P)
_S = optim.adam_init(P)
_CACHE = mlp.forward(X, P)[1]
_TASKS = tasks()
CALLS: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    ("mse_loss", losses.mse_loss, (Y, Y + 1), {}),
    ("mse_gradient", losses.mse_gradient, (Y, Y + 1), {}),
    ("softmax", losses.softmax, (Y,), {}),
    ("log_softmax", losses.log_softmax, (Y,), {}),
    ("softmax_cross_entropy", losses.softmax_cross_entropy, (Y, LAB), {}),
    ("momentum_init", optim.momentum_init, (P,), {}),
    ("sgd_step-zero-step", optim.sgd_step, (P, G, _V), {"learning_rate": 0.1}),
    ("sgd_step", optim.sgd_step, (P, {k: np.ones_like(v) for k, v in P.items()}, _V), {"learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.1}),
    ("adam_init", optim.adam_init, (P,), {}),
    ("adam_step", optim.adam_step, (P, G, _S), {"learning_rate": 0.1}),
    ("init_params", mlp.init_params, ([2, 3, 2],), {"rng": 0}),
    ("forward", mlp.forward, (X, P), {}),
    ("loss_value", mlp.loss_value, (Y, LAB), {"loss": "cross_entropy"}),
    ("backward", mlp.backward, (LAB, _CACHE, P), {"loss": "cross_entropy"}),
    ("loss_and_gradients", mlp.loss_and_gradients, (X, Y, P), {"loss": "mse"}),
    ("predict_proba", mlp.predict_proba, (X, P), {}),
    ("predict", mlp.predict, (X, P), {}),
    ("accuracy", mlp.accuracy, (X, LAB, P), {}),
    ("train_sgd", mlp.train_sgd, (X, LAB), {"params": P, "learning_rate": 0.1, "epochs": 1, "rng": 0}),
    ("train_sgd-float32", mlp.train_sgd, (X.astype(np.float32), LAB), {"params": _P32, "learning_rate": 0.1, "epochs": 1, "rng": 0}),
    ("fisher_diagonal", continual.fisher_diagonal, (X, P), {"rng": 0}),
    ("ewc_penalty-at-anchor", continual.ewc_penalty, (P, [P], [G]), {"ewc_lambda": 1.0}),
    ("train_sequence", continual.train_sequence, (_TASKS,), {"layer_sizes": [2, 2], "epochs": 1, "learning_rate": 0.1, "method": "replay", "rng": 0}),
]


@pytest.mark.parametrize(("function", "args", "kwargs"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_inputs_are_not_modified_and_outputs_are_not_views(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    before = copy.deepcopy(args)
    out = function(*args, **kwargs)
    assert _equal(args, before), "an input was modified"
    inputs = list(_arrays(args)) + list(_arrays(kwargs))
    for result in _arrays(out):
        for arg in inputs:
            assert not np.shares_memory(result, arg), "an output is a view of an input"


def test_writing_into_a_result_leaves_the_inputs_alone() -> None:
    new, velocity = optim.sgd_step(P, G, _V, learning_rate=0.1)  # a zero step: equal values, separate arrays
    for d in (new, velocity):
        for v in d.values():
            v += 1.0
    assert all(not v.any() for v in _V.values()) and all(not v.any() for v in G.values())
    assert np.array_equal(P["b1"], np.zeros(3))


# ---------------------------------------------------------------------------
# No RuntimeWarning escapes on finite input, however extreme

_BIG = np.array([[1e308, -1e308]])
EXTREME = [
    ("softmax-extreme-range", lambda: losses.softmax(_BIG)),
    ("log-softmax-extreme-range", lambda: losses.log_softmax(_BIG)),
    ("ce-extreme-range", lambda: losses.softmax_cross_entropy(_BIG, [1])),
    ("mse-overflowing-square", lambda: losses.mse_loss(np.array([[1e200]]), np.array([[-1e200]]))),
    ("mse-gradient-overflow", lambda: losses.mse_gradient(np.array([[1.7e308]]), np.array([[-1.7e308]]))),
    ("sgd-overflowing-step-raises", lambda: pytest.raises(FloatingPointError, optim.sgd_step, {"w": np.array([1e308])}, {"w": np.array([-1e308])}, {"w": np.array([0.0])}, learning_rate=1e10)),
    ("adam-overflowing-step-raises", lambda: pytest.raises(FloatingPointError, optim.adam_step, {"w": np.array([1e308])}, {"w": np.array([-1.0])}, optim.adam_init({"w": np.ones(1)}), learning_rate=1e308)),
    # m_hat = 1e308 / (1 - 0.9) overflows to inf and so does v: inf / inf would warn "invalid value"
    ("adam-inf-over-inf-raises", lambda: pytest.raises(FloatingPointError, optim.adam_step, {"w": np.zeros(1)}, {"w": np.array([1e308])}, optim.AdamState({"w": np.array([1e308])}, {"w": np.zeros(1)}, 0), learning_rate=0.1)),
    ("adam-tiny-gradient", lambda: optim.adam_step({"w": np.array([1.0])}, {"w": np.array([1e-300])}, optim.adam_init({"w": np.ones(1)}), learning_rate=0.1)),
    ("forward-huge-weights-raises", lambda: pytest.raises(FloatingPointError, mlp.forward, np.ones((1, 2)), {"W1": np.full((2, 2), 1e300), "b1": np.zeros(2), "W2": np.full((2, 2), 1e300), "b2": np.zeros(2)})),
    ("forward-hidden-overflow-raises", lambda: pytest.raises(FloatingPointError, mlp.forward, [[1e200]], HIDDEN_OVERFLOW)),
    ("loss-and-gradients-hidden-overflow-raises", lambda: pytest.raises(FloatingPointError, mlp.loss_and_gradients, [[1e200]], [0], HIDDEN_OVERFLOW, loss="cross_entropy")),
    ("predict-proba-huge-logits", lambda: mlp.predict_proba(np.array([[1e300, -1e300]]), {"W1": np.eye(2), "b1": np.zeros(2)})),
    ("train-diverges-quietly", lambda: pytest.raises(FloatingPointError, train, learning_rate=1e300, epochs=3)),
    ("fisher-huge-logits", lambda: continual.fisher_diagonal(np.array([[1e100, -1e100]]), {"W1": np.eye(2), "b1": np.zeros(2)}, rng=0)),
    ("fisher-overflow-raises", lambda: pytest.raises(FloatingPointError, continual.fisher_diagonal, np.array([[1e300, -1e300]]), {"W1": np.eye(2), "b1": np.zeros(2)}, rng=0)),
    ("ewc-huge-distance-raises", lambda: pytest.raises(FloatingPointError, continual.ewc_penalty, {"W1": np.array([[1e300]]), "b1": np.zeros(1)}, [{"W1": np.array([[-1e300]]), "b1": np.zeros(1)}], [{"W1": np.ones((1, 1)), "b1": np.ones(1)}], ewc_lambda=1e300)),
    ("train-float32-x-beyond-range-raises", lambda: pytest.raises(ValueError, train, x=X_HUGE, dtype=np.float32)),
    ("train-float32-y-beyond-range-raises", lambda: pytest.raises(ValueError, train, x=X, y=Y_HUGE, loss="mse", dtype=np.float32)),
    ("seq-diverges-quietly", lambda: pytest.raises(FloatingPointError, seq, learning_rate=1e300, epochs=3)),
    # two anchors pulling with overflowing strength in opposite directions: -inf + inf would warn "invalid value"
    ("ewc-opposite-overflowing-pulls-raise", lambda: pytest.raises(FloatingPointError, continual.ewc_penalty, {"W1": np.zeros((1, 1)), "b1": np.zeros(1)}, [{"W1": np.full((1, 1), 1e308), "b1": np.zeros(1)}, {"W1": np.full((1, 1), -1e308), "b1": np.zeros(1)}], [{"W1": np.ones((1, 1)), "b1": np.ones(1)}] * 2, ewc_lambda=1e300)),
    # inputs of 1e160 overflow the squares in the Fisher after task 0 (inf * 0 follows): task 1 stops with the package's error
    ("seq-ewc-fisher-overflow-quietly", lambda: pytest.raises(FloatingPointError, seq, tasks=[Task(t.name, t.x_train * 1e160, t.labels_train, t.x_test * 1e160, t.labels_test) for t in tasks()], method="ewc", learning_rate=1e-300, rng=0)),
    # finite parameters whose partial sums overflow with both signs (inf - inf): the finiteness check must not warn
    ("sgd-huge-mixed-params", lambda: optim.sgd_step({"w": np.tile([1e308, -1e308], 8)}, {"w": np.zeros(16)}, {"w": np.zeros(16)}, learning_rate=0.1)),
    ("adam-huge-mixed-params", lambda: optim.adam_step({"w": np.tile([1e308, -1e308], 8)}, {"w": np.zeros(16)}, optim.adam_init({"w": np.zeros(16)}), learning_rate=0.1)),
]


@pytest.mark.parametrize("call", [c[1] for c in EXTREME], ids=[c[0] for c in EXTREME])
def test_no_runtime_warning_escapes(call: Callable[[], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call()


@pytest.mark.parametrize("module", [losses, optim, mlp, continual], ids=lambda m: m.__name__)
def test_docstring_examples_hold_digit_for_digit(module: Any) -> None:
    """The doctests run under the lax NUMBER flag in `make test`; here they must match exactly."""
    import doctest

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module.__name__, globs={"np": np, **vars(module)}):
        runner.run(test)
    assert runner.failures == 0 and runner.tries > 0
