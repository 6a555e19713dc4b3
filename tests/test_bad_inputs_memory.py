"""Bad inputs to the memory modules: `hopfield`, `modern_hopfield`, `neurons`, `datasets`.

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

from nnmem import datasets, hopfield, modern_hopfield, neurons

W3 = hopfield.store(np.array([[1, -1, 1]]))  # 3 neurons, symmetric, zero diagonal
PM = np.array([1, -1, 1])
ASYM = np.array([[0.0, 1.0], [0.5, 0.0]])
SELF = np.array([[0.25, 1.0], [1.0, 0.0]])
EYE3 = np.eye(3)
ONES3 = np.ones(3)
RNG_MSG = "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got "
RESHAPE = " For a single feature or target use `.reshape(-1, 1)`; for a single sample `.reshape(1, -1)`."


class Bad(NamedTuple):
    id: str
    call: Callable[[], Any]
    error: type[Exception]
    message: str  # the whole message
    name: str  # the argument it must name
    given: str  # what was given, as the message shows it


def _pm1(name: str, shape: str) -> str:
    return f"`{name}` must be an array of -1 and +1 with shape {shape}; got "


def _real(name: str, shape: str) -> str:
    return f"`{name}` must be an array of numbers with shape {shape}; got "


PAT = "(n_patterns, n_neurons)"
SYM = "`W` must be symmetric (w_ij = w_ji); got max |w_ij - w_ji| = 0.5."
DIAG = "`W` must have a zero diagonal (w_ii = 0); got max |w_ii| = 0.25."
CUR = "(n_steps,) or (n_neurons, n_steps)"

HOPFIELD = [
    Bad("store-str", lambda: hopfield.store("abc"), TypeError, _pm1("patterns", PAT) + "'abc' of type str.", "patterns", "'abc'"),
    Bad("store-none", lambda: hopfield.store(None), TypeError, _pm1("patterns", PAT) + "None of type NoneType.", "patterns", "None"),
    Bad("store-complex", lambda: hopfield.store(np.array([[1 + 0j, -1]])), TypeError, _pm1("patterns", PAT) + "dtype complex128.", "patterns", "complex128"),
    Bad("store-text-array", lambda: hopfield.store(np.array([["a"]])), TypeError, _pm1("patterns", PAT) + "dtype <U1.", "patterns", "<U1"),
    Bad("store-1d", lambda: hopfield.store(np.array([1, -1])), ValueError, f"`patterns` must have shape {PAT}; got shape (2,).", "patterns", "(2,)"),
    Bad("store-empty", lambda: hopfield.store(np.zeros((0, 3))), ValueError, "`patterns` must not be empty; got shape (0, 3).", "patterns", "(0, 3)"),
    Bad("store-zero-entry", lambda: hopfield.store([[1, 0, -1]]), ValueError, "`patterns` must contain only -1 and +1; got 1 other value(s), e.g. 0.", "patterns", "e.g. 0"),
    Bad("store-nan", lambda: hopfield.store([[1.0, np.nan]]), ValueError, "`patterns` must contain only -1 and +1; got 1 other value(s), e.g. nan.", "patterns", "nan"),
    Bad("store-bool", lambda: hopfield.store([[True, False]]), ValueError, "`patterns` must contain only -1 and +1; got 1 other value(s), e.g. False.", "patterns", "False"),
    Bad("store-ragged", lambda: hopfield.store([[1, -1], [1]]), ValueError, _pm1("patterns", PAT) + "a ragged sequence.", "patterns", "ragged"),
    Bad("energy-not-square", lambda: hopfield.energy(np.zeros((3, 2)), PM), ValueError, "`W` must be a square matrix of shape (N, N); got shape (3, 2).", "W", "(3, 2)"),
    Bad("energy-W-1d", lambda: hopfield.energy(np.zeros(3), PM), ValueError, "`W` must have shape (N, N); got shape (3,)." + RESHAPE, "W", "(3,)"),
    Bad("energy-W-empty", lambda: hopfield.energy(np.zeros((0, 0)), PM), ValueError, "`W` must have shape (N, N) with at least one element; got shape (0, 0).", "W", "(0, 0)"),
    Bad("energy-W-str", lambda: hopfield.energy("W", PM), TypeError, _real("W", "(N, N)") + "'W' of type str.", "W", "'W'"),
    Bad("energy-W-complex", lambda: hopfield.energy(np.zeros((2, 2), dtype=complex), [1, 1]), TypeError, _real("W", "(N, N)") + "an array of shape (2, 2) and dtype complex128.", "W", "complex128"),
    Bad("energy-W-nan", lambda: hopfield.energy(np.array([[0.0, np.nan], [1.0, 0.0]]), [1, 1]), ValueError, "`W` must contain only finite numbers; got 1 NaN or infinite value(s).", "W", "1 NaN"),
    Bad("energy-asymmetric", lambda: hopfield.energy(ASYM, [1, 1]), ValueError, SYM, "W", "0.5"),
    Bad("energy-self-coupling", lambda: hopfield.energy(SELF, [1, 1]), ValueError, DIAG, "W", "0.25"),
    Bad("energy-state-length", lambda: hopfield.energy(W3, np.ones(4)), ValueError, "`state` must have 3 neurons to match `W`; got shape (4,).", "state", "(4,)"),
    Bad("energy-state-batch", lambda: hopfield.energy(W3, np.ones((1, 3))), ValueError, "`state` must have shape (3,); got shape (1, 3).", "state", "(1, 3)"),
    Bad("energy-state-value", lambda: hopfield.energy(W3, [1, 2, 1]), ValueError, "`state` must contain only -1 and +1; got 1 other value(s), e.g. 2.", "state", "e.g. 2"),
    Bad("async-state-length", lambda: hopfield.update_async(W3, np.ones(4)), ValueError, "`state` must have 3 neurons (last axis) to match `W`; got shape (4,).", "state", "(4,)"),
    Bad("async-state-3d", lambda: hopfield.update_async(W3, np.ones((1, 1, 3))), ValueError, "`state` must have shape (3,) or (n_states, 3); got shape (1, 1, 3).", "state", "(1, 1, 3)"),
    Bad("async-rng-negative", lambda: hopfield.update_async(W3, PM, rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
    Bad("async-rng-str", lambda: hopfield.update_async(W3, PM, rng="seed"), TypeError, RNG_MSG + "'seed' of type str.", "rng", "'seed'"),
    Bad("async-rng-float", lambda: hopfield.update_async(W3, PM, rng=1.5), TypeError, RNG_MSG + "1.5 of type float.", "rng", "1.5"),
    Bad("async-asymmetric", lambda: hopfield.update_async(ASYM, [1, 1]), ValueError, SYM, "W", "0.5"),
    Bad("sync-states-str", lambda: hopfield.update_sync(W3, "s"), TypeError, _pm1("states", "(3,) or (n_states, 3)") + "'s' of type str.", "states", "'s'"),
    Bad("sync-states-length", lambda: hopfield.update_sync(W3, np.ones((2, 4))), ValueError, "`states` must have 3 neurons (last axis) to match `W`; got shape (2, 4).", "states", "(2, 4)"),
    Bad("sync-states-zeros", lambda: hopfield.update_sync(W3, np.zeros((2, 3))), ValueError, "`states` must contain only -1 and +1; got 6 other value(s), e.g. 0.0.", "states", "6 other"),
    Bad("sync-self-coupling", lambda: hopfield.update_sync(SELF, [[1, 1]]), ValueError, DIAG, "W", "0.25"),
    Bad("recall-max-steps-0", lambda: hopfield.recall(W3, PM, max_steps=0), ValueError, "`max_steps` must be a positive integer; got 0.", "max_steps", "0"),
    Bad("recall-max-steps-float", lambda: hopfield.recall(W3, PM, max_steps=2.0), TypeError, "`max_steps` must be a positive integer; got 2.0 of type float.", "max_steps", "2.0"),
    Bad("recall-max-steps-bool", lambda: hopfield.recall(W3, PM, max_steps=True), TypeError, "`max_steps` must be a positive integer; got True of type bool.", "max_steps", "True"),
    Bad("recall-cue-none", lambda: hopfield.recall(W3, None), TypeError, _pm1("cue", "(3,) or (n_states, 3)") + "None of type NoneType.", "cue", "None"),
    Bad("recall-rng-negative", lambda: hopfield.recall(W3, PM, rng=-5), ValueError, RNG_MSG + "-5.", "rng", "-5"),
    Bad("corrupt-fraction-above-1", lambda: hopfield.corrupt(PM, fraction=1.5), ValueError, "`fraction` must be a number in [0, 1]; got 1.5.", "fraction", "1.5"),
    Bad("corrupt-fraction-negative", lambda: hopfield.corrupt(PM, fraction=-0.1), ValueError, "`fraction` must be a number in [0, 1]; got -0.1.", "fraction", "-0.1"),
    Bad("corrupt-fraction-str", lambda: hopfield.corrupt(PM, fraction="half"), TypeError, "`fraction` must be a real number; got 'half' of type str.", "fraction", "'half'"),
    Bad("corrupt-fraction-none", lambda: hopfield.corrupt(PM, fraction=None), TypeError, "`fraction` must be a real number; got None of type NoneType.", "fraction", "None"),
    Bad("corrupt-fraction-nan", lambda: hopfield.corrupt(PM, fraction=np.nan), ValueError, "`fraction` must be a finite number; got nan.", "fraction", "nan"),
    Bad("corrupt-pattern-2d", lambda: hopfield.corrupt(np.ones((2, 3)), fraction=0.1), ValueError, "`pattern` must have shape (n_neurons,); got shape (2, 3).", "pattern", "(2, 3)"),
    Bad("overlap-lengths", lambda: hopfield.overlap(np.ones(3), np.ones(4)), ValueError, "`states` and `patterns` must have the same number of neurons (last axis); got 3 and 4.", "patterns", "3 and 4"),
    Bad("overlap-states-3d", lambda: hopfield.overlap(np.ones((1, 1, 3)), PM), ValueError, "`states` must have shape (N,) or (n_states, N); got shape (1, 1, 3).", "states", "(1, 1, 3)"),
    Bad("overlap-states-str", lambda: hopfield.overlap("s", PM), TypeError, _pm1("states", "(N,) or (n_states, N)") + "'s' of type str.", "states", "'s'"),
    Bad("overlap-states-value", lambda: hopfield.overlap([1, 0.5], [1, 1]), ValueError, "`states` must contain only -1 and +1; got 1 other value(s), e.g. 0.5.", "states", "0.5"),
    Bad("overlap-patterns-3d", lambda: hopfield.overlap(PM, np.ones((1, 1, 3))), ValueError, "`patterns` must have shape (N,) or (n_patterns, N); got shape (1, 1, 3).", "patterns", "(1, 1, 3)"),
    Bad("overlap-patterns-complex", lambda: hopfield.overlap(PM, [1j, 1, 1]), TypeError, _pm1("patterns", "(N,) or (n_patterns, N)") + "dtype complex128.", "patterns", "complex128"),
    Bad("theory-load-0", lambda: hopfield.one_step_error_theory(0), ValueError, "`load` must be a finite positive number; got 0.", "load", "0"),
    Bad("theory-load-negative", lambda: hopfield.one_step_error_theory(-0.1), ValueError, "`load` must be a finite positive number; got -0.1.", "load", "-0.1"),
    Bad("theory-load-inf", lambda: hopfield.one_step_error_theory(np.inf), ValueError, "`load` must be a finite positive number; got inf.", "load", "inf"),
    Bad("theory-load-str", lambda: hopfield.one_step_error_theory("0.1"), TypeError, "`load` must be a positive number; got '0.1' of type str.", "load", "'0.1'"),
    Bad("rate-n-neurons-0", lambda: hopfield.one_step_error_rate(0, 5), ValueError, "`n_neurons` must be a positive integer; got 0.", "n_neurons", "0"),
    Bad("rate-n-patterns-0", lambda: hopfield.one_step_error_rate(10, 0), ValueError, "`n_patterns` must be a positive integer; got 0.", "n_patterns", "0"),
    Bad("rate-trials-0", lambda: hopfield.one_step_error_rate(10, 2, trials=0), ValueError, "`trials` must be a positive integer; got 0.", "trials", "0"),
    Bad("rate-n-neurons-float", lambda: hopfield.one_step_error_rate(10.0, 2), TypeError, "`n_neurons` must be a positive integer; got 10.0 of type float.", "n_neurons", "10.0"),
    Bad("rate-rng-negative", lambda: hopfield.one_step_error_rate(10, 2, rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
    Bad("tie-tolerance-W-1d", lambda: hopfield.tie_tolerance(np.zeros(3)), ValueError, "`W` must have shape (N, N); got shape (3,)." + RESHAPE, "W", "(3,)"),
    Bad("tie-tolerance-asymmetric", lambda: hopfield.tie_tolerance(ASYM), ValueError, SYM, "W", "0.5"),
    Bad("sign-field-str", lambda: hopfield.sign_keep_ties("h", PM, tol=0.0), TypeError, _real("field", "(any shape)") + "'h' of type str.", "field", "'h'"),
    Bad("sign-field-nan", lambda: hopfield.sign_keep_ties([np.nan, 1.0], [1, 1], tol=0.0), ValueError, "`field` must contain only finite numbers; got 1 NaN or infinite value(s).", "field", "1 NaN"),
    Bad("sign-current-value", lambda: hopfield.sign_keep_ties([0.5], [0], tol=0.0), ValueError, "`current` must contain only -1 and +1; got 1 other value(s), e.g. 0.", "current", "e.g. 0"),
    Bad("sign-current-ndim", lambda: hopfield.sign_keep_ties([0.5, 1.0], [[1, 1]], tol=0.0), ValueError, "`current` must have shape (2,) like `field`; got shape (1, 2).", "current", "(1, 2)"),
    Bad("sign-current-length", lambda: hopfield.sign_keep_ties([0.5, 1.0], [1], tol=0.0), ValueError, "`current` must have shape (2,) like `field`; got shape (1,).", "current", "(1,)"),
    Bad("sign-tol-negative", lambda: hopfield.sign_keep_ties([0.5], [1], tol=-1), ValueError, "`tol` must be a finite number >= 0; got -1.0.", "tol", "-1.0"),
    Bad("sign-tol-str", lambda: hopfield.sign_keep_ties([0.5], [1], tol="0"), TypeError, "`tol` must be a real number; got '0' of type str.", "tol", "'0'"),
]

MODERN = [
    Bad("retrieve-beta-0", lambda: modern_hopfield.retrieve(EYE3, ONES3, beta=0.0), ValueError, "`beta` must be a finite positive number; got 0.0.", "beta", "0.0"),
    Bad("retrieve-beta-str", lambda: modern_hopfield.retrieve(EYE3, ONES3, beta="1"), TypeError, "`beta` must be a positive number; got '1' of type str.", "beta", "'1'"),
    Bad("retrieve-beta-overflow", lambda: modern_hopfield.retrieve(EYE3, ONES3, beta=1e308), ValueError, "`beta` times the largest possible dot product (3) must be finite; got beta=1e+308.", "beta", "1e+308"),
    Bad("retrieve-beta-overflow-scaled", lambda: modern_hopfield.retrieve(2 * EYE3, [1.0, -1.0, 0.5], beta=1e308), ValueError, "`beta` times the largest possible dot product (5) must be finite; got beta=1e+308.", "beta", "1e+308"),
    Bad("retrieve-steps-0", lambda: modern_hopfield.retrieve(EYE3, ONES3, beta=1.0, steps=0), ValueError, "`steps` must be a positive integer; got 0.", "steps", "0"),
    Bad("retrieve-query-length", lambda: modern_hopfield.retrieve(EYE3, np.ones(4), beta=1.0), ValueError, "`query` must have shape (3,) or (n_queries, 3); got shape (4,).", "query", "(4,)"),
    Bad("retrieve-query-nan", lambda: modern_hopfield.retrieve(EYE3, [1.0, np.nan, 0.0], beta=1.0), ValueError, "`query` must contain only finite numbers; got 1 NaN or infinite value(s).", "query", "1 NaN"),
    Bad("retrieve-query-complex", lambda: modern_hopfield.retrieve(EYE3, [1j, 0, 0], beta=1.0), TypeError, _real("query", "(3,) or (n_queries, 3)") + "an array of shape (3,) and dtype complex128.", "query", "complex128"),
    Bad("retrieve-query-empty", lambda: modern_hopfield.retrieve(EYE3, np.ones((0, 3)), beta=1.0), ValueError, "`query` must have shape (3,) or (n_queries, 3) with at least one element; got shape (0, 3).", "query", "(0, 3)"),
    Bad("retrieve-patterns-1d", lambda: modern_hopfield.retrieve(ONES3, ONES3, beta=1.0), ValueError, "`patterns` must have shape (n_patterns, n_dims); got shape (3,)." + RESHAPE, "patterns", "(3,)"),
    Bad("retrieve-patterns-empty", lambda: modern_hopfield.retrieve(np.zeros((0, 3)), ONES3, beta=1.0), ValueError, "`patterns` must have shape (n_patterns, n_dims) with at least one element; got shape (0, 3).", "patterns", "(0, 3)"),
    Bad("attention-keys-width", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 2)), np.ones((4, 2)), scale=1.0), ValueError, "`keys` must have shape (n_keys, 3) like `queries`; got (4, 2).", "keys", "(4, 2)"),
    Bad("attention-values-rows", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 2)), scale=1.0), ValueError, "`values` must have 4 rows, one per key; got 5.", "values", "got 5"),
    Bad("attention-values-1d", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones(4), scale=1.0), ValueError, "`values` must have shape (4, d_v); got shape (4,)." + RESHAPE, "values", "(4,)"),
    Bad("attention-queries-none", lambda: modern_hopfield.attention(None, np.ones((4, 3)), np.ones((4, 2)), scale=1.0), TypeError, _real("queries", "(n_queries, d)") + "None of type NoneType.", "queries", "None"),
    Bad("attention-scale-overflow-scaled", lambda: modern_hopfield.attention(np.ones((2, 3)), 2 * np.ones((4, 3)), np.ones((4, 2)), scale=1e308), ValueError, "`scale` times the largest possible dot product (6) must be finite; got scale=1e+308.", "scale", "1e+308"),
    Bad("attention-queries-1d", lambda: modern_hopfield.attention(np.ones(3), np.ones((4, 3)), np.ones((4, 2)), scale=1.0), ValueError, "`queries` must have shape (n_queries, d); got shape (3,)." + RESHAPE, "queries", "(3,)"),
    Bad("attention-keys-1d", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones(3), np.ones((4, 2)), scale=1.0), ValueError, "`keys` must have shape (n_keys, 3); got shape (3,)." + RESHAPE, "keys", "(3,)"),
    Bad("attention-keys-none", lambda: modern_hopfield.attention(np.ones((2, 3)), None, np.ones((4, 2)), scale=1.0), TypeError, _real("keys", "(n_keys, 3)") + "None of type NoneType.", "keys", "None"),
    Bad("attention-scale-0", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 2)), scale=0), ValueError, "`scale` must be a finite positive number; got 0.", "scale", "0"),
    Bad("attention-scale-inf", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 2)), scale=np.inf), ValueError, "`scale` must be a finite positive number; got inf.", "scale", "inf"),
    Bad("attention-scale-overflow", lambda: modern_hopfield.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 2)), scale=1e308), ValueError, "`scale` times the largest possible dot product (3) must be finite; got scale=1e+308.", "scale", "1e+308"),
    Bad("dense-energy-interaction", lambda: modern_hopfield.dense_energy(np.ones((2, 3)), ONES3, interaction="cubic"), ValueError, "`interaction` must be 'polynomial' or 'exponential'; got 'cubic'.", "interaction", "'cubic'"),
    Bad("dense-energy-degree-1", lambda: modern_hopfield.dense_energy(np.ones((2, 3)), ONES3, degree=1), ValueError, "`degree` must be at least 2 for a polynomial interaction; got 1.", "degree", "1"),
    Bad("dense-energy-degree-float", lambda: modern_hopfield.dense_energy(np.ones((2, 3)), ONES3, degree=2.5), TypeError, "`degree` must be a positive integer; got 2.5 of type float.", "degree", "2.5"),
    Bad("dense-energy-degree-overflow", lambda: modern_hopfield.dense_energy(np.ones((2, 100)), np.ones(100), degree=151), ValueError, "`degree` must keep (N + 1)^degree below 1e300 with N = 100 neurons; got 151. Use a lower degree or the exponential interaction.", "degree", "151"),
    Bad("dense-energy-degree-boundary", lambda: modern_hopfield.dense_energy(np.ones((1, 9)), np.ones(9), degree=301), ValueError, "`degree` must keep (N + 1)^degree below 1e300 with N = 9 neurons; got 301. Use a lower degree or the exponential interaction.", "degree", "301"),
    Bad("dense-update-degree-boundary-n1", lambda: modern_hopfield.dense_update_async([[1]], [1], degree=997), ValueError, "`degree` must keep (N + 1)^degree below 1e300 with N = 1 neurons; got 997. Use a lower degree or the exponential interaction.", "degree", "997"),
    Bad("dense-energy-state-length", lambda: modern_hopfield.dense_energy(np.ones((2, 3)), np.ones(4)), ValueError, "`state` must have 3 neurons like `patterns`; got shape (4,).", "state", "(4,)"),
    Bad("dense-energy-patterns-1d", lambda: modern_hopfield.dense_energy(ONES3, ONES3), ValueError, f"`patterns` must have shape {PAT}; got shape (3,).", "patterns", "(3,)"),
    Bad("dense-update-state-value", lambda: modern_hopfield.dense_update_async(np.ones((2, 3)), [1, 2, 1]), ValueError, "`state` must contain only -1 and +1; got 1 other value(s), e.g. 2.", "state", "e.g. 2"),
    Bad("dense-update-state-none", lambda: modern_hopfield.dense_update_async(np.ones((2, 3)), None), TypeError, _pm1("state", "(3,)") + "None of type NoneType.", "state", "None"),
    Bad("dense-update-degree-0", lambda: modern_hopfield.dense_update_async(np.ones((2, 3)), ONES3, degree=0), ValueError, "`degree` must be a positive integer; got 0.", "degree", "0"),
    Bad("dense-update-interaction", lambda: modern_hopfield.dense_update_async(np.ones((2, 3)), ONES3, interaction=None), ValueError, "`interaction` must be 'polynomial' or 'exponential'; got None.", "interaction", "None"),
    Bad("dense-update-rng-negative", lambda: modern_hopfield.dense_update_async(np.ones((2, 3)), ONES3, rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
]

NEURONS = [
    Bad("hh-rates-none", lambda: neurons.hh_rates(None), TypeError, _real("v", "(any shape)") + "None of type NoneType.", "v", "None"),
    Bad("hh-rates-str", lambda: neurons.hh_rates("-65"), TypeError, _real("v", "(any shape)") + "'-65' of type str.", "v", "'-65'"),
    Bad("hh-rates-complex", lambda: neurons.hh_rates(np.array([1j])), TypeError, _real("v", "(any shape)") + "an array of shape (1,) and dtype complex128.", "v", "complex128"),
    Bad("hh-rates-nan", lambda: neurons.hh_rates([np.nan]), ValueError, "`v` must contain only finite numbers; got 1 NaN or infinite value(s).", "v", "1 NaN"),
    Bad("hh-rates-far-out", lambda: neurons.hh_rates(2000.0), ValueError, "`v` must lie within ±1000 mV; got a value of 2000 mV.", "v", "2000"),
    Bad("hh-rates-just-out", lambda: neurons.hh_rates([0.0, 1000.5]), ValueError, "`v` must lie within ±1000 mV; got a value of 1000.5 mV.", "v", "1000.5"),
    Bad("hh-steady-none", lambda: neurons.hh_steady_state(None), TypeError, _real("v", "(any shape)") + "None of type NoneType.", "v", "None"),
    Bad("hh-steady-far-out", lambda: neurons.hh_steady_state([-65.0, -1e4]), ValueError, "`v` must lie within ±1000 mV; got a value of -10000 mV.", "v", "-10000"),
    Bad("hh-steady-inf", lambda: neurons.hh_steady_state([np.inf, 0.0]), ValueError, "`v` must contain only finite numbers; got 1 NaN or infinite value(s).", "v", "1 NaN"),
    Bad("hh-current-nan", lambda: neurons.hodgkin_huxley([0.0, np.nan]), ValueError, "`current` must contain only finite numbers; got 1 NaN or infinite value(s).", "current", "1 NaN"),
    Bad("hh-current-3d", lambda: neurons.hodgkin_huxley(np.zeros((2, 2, 2))), ValueError, f"`current` must have shape {CUR}; got shape (2, 2, 2).", "current", "(2, 2, 2)"),
    Bad("hh-current-scalar", lambda: neurons.hodgkin_huxley(5.0), ValueError, f"`current` must have shape {CUR}; got shape ().", "current", "()"),
    Bad("hh-current-empty", lambda: neurons.hodgkin_huxley([]), ValueError, "`current` must have at least one neuron and one time step; got shape (0,).", "current", "(0,)"),
    Bad("hh-current-no-steps", lambda: neurons.hodgkin_huxley(np.zeros((2, 0))), ValueError, "`current` must have at least one neuron and one time step; got shape (2, 0).", "current", "(2, 0)"),
    Bad("hh-current-str", lambda: neurons.hodgkin_huxley("10"), TypeError, _real("current", CUR) + "'10' of type str.", "current", "'10'"),
    Bad("hh-current-complex", lambda: neurons.hodgkin_huxley(np.array([1j])), TypeError, _real("current", CUR) + "an array of shape (1,) and dtype complex128.", "current", "complex128"),
    Bad("hh-dt-0", lambda: neurons.hodgkin_huxley([1.0], dt=0.0), ValueError, "`dt` must be a finite positive number; got 0.0.", "dt", "0.0"),
    Bad("hh-dt-large", lambda: neurons.hodgkin_huxley([1.0], dt=0.5), ValueError, "`dt` must be in (0, 0.1] ms for a stable simulation; got 0.5.", "dt", "0.5"),
    Bad("hh-v0-inf", lambda: neurons.hodgkin_huxley([1.0], v0=np.inf), ValueError, "`v0` must be a finite number; got inf.", "v0", "inf"),
    Bad("hh-v0-str", lambda: neurons.hodgkin_huxley([1.0], v0="rest"), TypeError, "`v0` must be a real number; got 'rest' of type str.", "v0", "'rest'"),
    Bad("hh-diverges", lambda: neurons.hodgkin_huxley(np.full(50, -1e9)), FloatingPointError, "The simulated potential became NaN or infinite; `current` must stay within the physiological range (tens of µA/cm²), got a maximum |current| of 1e+09.", "current", "1e+09"),
    Bad("spikes-lengths", lambda: neurons.spike_times([0.0, 1.0], [0.0]), ValueError, "`time` and `v` must have the same length; got 2 and 1.", "time", "2 and 1"),
    Bad("spikes-threshold-nan", lambda: neurons.spike_times([0.0], [0.0], threshold=np.nan), ValueError, "`threshold` must be a finite number; got nan.", "threshold", "nan"),
    Bad("spikes-time-decreasing", lambda: neurons.spike_times([0.0, 2.0, 1.0], [0.0, 1.0, 2.0]), ValueError, "`time` must be strictly increasing; got time[2] = 1 after time[1] = 2.", "time", "time[2] = 1"),
    Bad("spikes-time-repeated", lambda: neurons.spike_times([0.0, 1.0, 1.0], [0.0, 1.0, 2.0]), ValueError, "`time` must be strictly increasing; got time[2] = 1 after time[1] = 1.", "time", "time[2] = 1"),
    Bad("spikes-time-2d", lambda: neurons.spike_times(np.zeros((2, 2)), np.zeros(4)), ValueError, "`time` must have shape (n_points,); got shape (2, 2).", "time", "(2, 2)"),
    Bad("spikes-v-none", lambda: neurons.spike_times([0.0, 1.0], None), TypeError, _real("v", "(n_points,)") + "None of type NoneType.", "v", "None"),
    Bad("spikes-time-complex", lambda: neurons.spike_times([0j, 1.0], [0.0, 1.0]), TypeError, _real("time", "(n_points,)") + "an array of shape (2,) and dtype complex128.", "time", "complex128"),
    Bad("spikes-empty", lambda: neurons.spike_times([], []), ValueError, "`time` must have shape (n_points,) with at least one element; got shape (0,).", "time", "(0,)"),
    Bad("spikes-v-2d", lambda: neurons.spike_times([0.0, 1.0], [[-1.0, 1.0]]), ValueError, "`v` must have shape (n_points,); got shape (1, 2).", "v", "(1, 2)"),
    Bad("lif-current-inf", lambda: neurons.lif([1.0, np.inf]), ValueError, "`current` must contain only finite numbers; got 1 NaN or infinite value(s).", "current", "1 NaN"),
    Bad("lif-dt-negative", lambda: neurons.lif([1.0], dt=-0.1), ValueError, "`dt` must be a finite positive number; got -0.1.", "dt", "-0.1"),
    Bad("lif-tau-0", lambda: neurons.lif([1.0], tau_m=0.0), ValueError, "`tau_m` must be a finite positive number; got 0.0.", "tau_m", "0.0"),
    Bad("lif-resistance-negative", lambda: neurons.lif([1.0], resistance=-1.0), ValueError, "`resistance` must be a finite positive number; got -1.0.", "resistance", "-1.0"),
    Bad("lif-refractory-negative", lambda: neurons.lif([1.0], refractory=-1.0), ValueError, "`refractory` must be a finite number >= 0; got -1.0.", "refractory", "-1.0"),
    Bad("lif-reset-above-threshold", lambda: neurons.lif([1.0], v_reset=-40.0), ValueError, "`v_reset` must be below `v_threshold`; got v_reset=-40.0 and v_threshold=-50.0.", "v_reset", "-40.0"),
    Bad("lif-rest-none", lambda: neurons.lif([1.0], v_rest=None), TypeError, "`v_rest` must be a real number; got None of type NoneType.", "v_rest", "None"),
    Bad("lif-threshold-str", lambda: neurons.lif([1.0], v_threshold="high"), TypeError, "`v_threshold` must be a real number; got 'high' of type str.", "v_threshold", "'high'"),
    Bad("lif-drive-too-large", lambda: neurons.lif([1e6]), ValueError, "`current` times `resistance` must stay within ±1e+06 mV; got |R I| up to 1e+07 mV.", "current", "1e+07"),
    Bad("lif-drive-just-too-large", lambda: neurons.lif([100000.05]), ValueError, "`current` times `resistance` must stay within ±1e+06 mV; got |R I| up to 1e+06 mV.", "current", "1e+06 mV."),
    Bad("lif-current-3d", lambda: neurons.lif(np.ones((1, 1, 2))), ValueError, f"`current` must have shape {CUR}; got shape (1, 1, 2).", "current", "(1, 1, 2)"),
    Bad("lif-theory-nan", lambda: neurons.lif_rate_theory([np.nan]), ValueError, "`current` must contain only finite numbers; got 1 NaN or infinite value(s).", "current", "1 NaN"),
    Bad("lif-theory-reset", lambda: neurons.lif_rate_theory(2.0, v_reset=-50.0), ValueError, "`v_reset` must be below `v_threshold`; got v_reset=-50.0 and v_threshold=-50.0.", "v_reset", "-50.0"),
    Bad("lif-theory-tau", lambda: neurons.lif_rate_theory(2.0, tau_m=-1.0), ValueError, "`tau_m` must be a finite positive number; got -1.0.", "tau_m", "-1.0"),
    Bad("lif-theory-resistance-0", lambda: neurons.lif_rate_theory(2.0, resistance=0), ValueError, "`resistance` must be a finite positive number; got 0.", "resistance", "0"),
    Bad("lif-theory-rest-none", lambda: neurons.lif_rate_theory(2.0, v_rest=None), TypeError, "`v_rest` must be a real number; got None of type NoneType.", "v_rest", "None"),
    Bad("lif-theory-reset-str", lambda: neurons.lif_rate_theory(2.0, v_reset="low"), TypeError, "`v_reset` must be a real number; got 'low' of type str.", "v_reset", "'low'"),
    Bad("lif-theory-threshold-nan", lambda: neurons.lif_rate_theory(2.0, v_threshold=np.nan), ValueError, "`v_threshold` must be a finite number; got nan.", "v_threshold", "nan"),
    Bad("lif-theory-refractory-negative", lambda: neurons.lif_rate_theory(2.0, refractory=-0.5), ValueError, "`refractory` must be a finite number >= 0; got -0.5.", "refractory", "-0.5"),
    Bad("lif-reset-none", lambda: neurons.lif([1.0], v_reset=None), TypeError, "`v_reset` must be a real number; got None of type NoneType.", "v_reset", "None"),
    Bad("lif-current-none", lambda: neurons.lif(None), TypeError, _real("current", CUR) + "None of type NoneType.", "current", "None"),
    Bad("spikes-threshold-str", lambda: neurons.spike_times([0.0], [0.0], threshold="0"), TypeError, "`threshold` must be a real number; got '0' of type str.", "threshold", "'0'"),
    Bad("lif-theory-none", lambda: neurons.lif_rate_theory(None), TypeError, _real("current", "(any shape)") + "None of type NoneType.", "current", "None"),
    Bad("lif-theory-drive", lambda: neurons.lif_rate_theory([1.0, -2e5]), ValueError, "`current` times `resistance` must stay within ±1e+06 mV; got |R I| up to 2e+06 mV.", "current", "2e+06"),
    Bad("lif-theory-drive-below-1-na", lambda: neurons.lif_rate_theory([0.5, -0.25], resistance=4e6), ValueError, "`current` times `resistance` must stay within ±1e+06 mV; got |R I| up to 2e+06 mV.", "current", "2e+06"),  # 0.5 nA * 4e6 MΩ
]

DATASETS = [
    Bad("spirals-n-0", lambda: datasets.two_spirals(0), ValueError, "`n_per_class` must be a positive integer; got 0.", "n_per_class", "0"),
    Bad("spirals-n-float", lambda: datasets.two_spirals(2.5), TypeError, "`n_per_class` must be a positive integer; got 2.5 of type float.", "n_per_class", "2.5"),
    Bad("spirals-noise-negative", lambda: datasets.two_spirals(10, noise=-1.0), ValueError, "`noise` must be a finite number >= 0; got -1.0.", "noise", "-1.0"),
    Bad("spirals-turns-0", lambda: datasets.two_spirals(10, turns=0), ValueError, "`turns` must be a finite positive number; got 0.", "turns", "0"),
    Bad("spirals-rng-negative", lambda: datasets.two_spirals(10, rng=-1), ValueError, RNG_MSG + "-1.", "rng", "-1"),
    Bad("blobs-centers-1d", lambda: datasets.blobs(10, centers=np.zeros(3)), ValueError, "`centers` must have shape (n_classes, n_features) or a positive int; got shape (3,)." + RESHAPE, "centers", "(3,)"),
    Bad("blobs-more-centers-than-samples", lambda: datasets.blobs(2, centers=5), ValueError, "`centers` must be at most `n_samples` = 2, one point per cluster; got 5.", "centers", "got 5"),
    Bad("blobs-more-center-rows-than-samples", lambda: datasets.blobs(2, centers=np.zeros((3, 2))), ValueError, "`centers` must have at most `n_samples` = 2 rows, one point per cluster; got 3.", "centers", "got 3"),
    Bad("blobs-centers-0", lambda: datasets.blobs(10, centers=0), ValueError, "`centers` must be a positive integer; got 0.", "centers", "0"),
    Bad("blobs-centers-nan", lambda: datasets.blobs(10, centers=[[np.nan, 0.0]]), ValueError, "`centers` must contain only finite numbers; got 1 NaN or infinite value(s).", "centers", "1 NaN"),
    Bad("blobs-centers-str", lambda: datasets.blobs(10, centers="3"), TypeError, _real("centers", "(n_classes, n_features) or a positive int") + "'3' of type str.", "centers", "'3'"),
    Bad("blobs-std-negative", lambda: datasets.blobs(10, std=-1.0), ValueError, "`std` must be a finite number >= 0; got -1.0.", "std", "-1.0"),
    Bad("blobs-n-0", lambda: datasets.blobs(0), ValueError, "`n_samples` must be a positive integer; got 0.", "n_samples", "0"),
    Bad("digits-scale-str", lambda: datasets.digits(scale="no"), TypeError, "`scale` must be True or False; got 'no' of type str.", "scale", "'no'"),
    Bad("digits-scale-int", lambda: datasets.digits(scale=1), TypeError, "`scale` must be True or False; got 1 of type int.", "scale", "1"),
    Bad("digits-scale-none", lambda: datasets.digits(scale=None), TypeError, "`scale` must be True or False; got None of type NoneType.", "scale", "None"),
    Bad("split-label-count", lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(3)), ValueError, "`labels` must have shape (4,), one label per sample; got shape (3,).", "labels", "(3,)"),
    Bad("split-fraction-1", lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), test_fraction=1.0), ValueError, "`test_fraction` must be in (0, 1); got 1.0.", "test_fraction", "1.0"),
    Bad("split-fraction-0", lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), test_fraction=0.0), ValueError, "`test_fraction` must be in (0, 1); got 0.0.", "test_fraction", "0.0"),
    Bad("split-fraction-str", lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), test_fraction="0.5"), TypeError, "`test_fraction` must be a real number; got '0.5' of type str.", "test_fraction", "'0.5'"),
    Bad("split-labels-nan", lambda: datasets.train_test_split(np.zeros((4, 2)), [0, np.nan, 1, 0]), ValueError, "`labels` must contain only finite numbers; got 1 NaN or infinite value(s).", "labels", "1 NaN"),
    Bad("split-labels-negative", lambda: datasets.train_test_split(np.zeros((4, 2)), [-1, 0, 1, 1]), ValueError, "`labels` must be class labels >= 0; got values from -1 to 1.", "labels", "-1"),
    Bad("split-labels-none", lambda: datasets.train_test_split(np.zeros((4, 2)), None), TypeError, "`labels` must be integer class labels of shape (4,); got None of type NoneType.", "labels", "None"),
    Bad("split-x-1d", lambda: datasets.train_test_split(np.zeros(4), np.zeros(4)), ValueError, "`x` must have shape (n_samples, n_features); got shape (4,)." + RESHAPE, "x", "(4,)"),
    Bad("split-x-complex", lambda: datasets.train_test_split(np.zeros((4, 2), dtype=complex), np.zeros(4)), TypeError, _real("x", "(n_samples, n_features)") + "an array of shape (4, 2) and dtype complex128.", "x", "complex128"),
    Bad("split-x-nan", lambda: datasets.train_test_split(np.full((4, 2), np.nan), np.zeros(4)), ValueError, "`x` must contain only finite numbers; got 8 NaN or infinite value(s).", "x", "8 NaN"),
    Bad("split-test-part-empty", lambda: datasets.train_test_split(np.zeros((2, 1)), [0, 1], test_fraction=0.2), ValueError, "`test_fraction` = 0.2 of 2 samples leaves the test set empty; use more samples or a fraction nearer 0.5.", "test_fraction", "0.2"),
    Bad("split-train-part-empty", lambda: datasets.train_test_split(np.zeros((2, 1)), [0, 1], test_fraction=0.9), ValueError, "`test_fraction` = 0.9 of 2 samples leaves the training set empty; use more samples or a fraction nearer 0.5.", "test_fraction", "0.9"),
    Bad("split-rng-negative", lambda: datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), rng=-3), ValueError, RNG_MSG + "-3.", "rng", "-3"),
]

BAD = {"hopfield": HOPFIELD, "modern_hopfield": MODERN, "neurons": NEURONS, "datasets": DATASETS}
ALL_BAD = [case for cases in BAD.values() for case in cases]


@pytest.mark.parametrize("case", ALL_BAD, ids=[case.id for case in ALL_BAD])
def test_bad_input_is_refused_with_a_whole_message(case: Bad) -> None:
    assert f"`{case.name}`" in case.message and case.given in case.message  # the table itself names both
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the error comes first: no RuntimeWarning on the way to it
        with pytest.raises(case.error, match="^" + re.escape(case.message) + "$"):
            case.call()


def test_the_table_has_unique_ids_and_enough_cases() -> None:
    assert len({case.id for case in ALL_BAD}) == len(ALL_BAD)
    assert len(ALL_BAD) >= 85


# ---------------------------------------------------------------------------
# Valid edge inputs: int and bool arrays, numpy scalars, a single sample, float32


class Edge(NamedTuple):
    id: str
    call: Callable[[], Any]
    check: Callable[[Any], bool]


EDGE = [
    Edge("store-int8", lambda: hopfield.store(np.array([[1, -1, 1]], dtype=np.int8)), lambda W: W.dtype == np.float64 and W[0, 1] == -1 / 3),
    Edge("store-one-neuron", lambda: hopfield.store([[1]]), lambda W: W.tolist() == [[0.0]]),
    Edge("energy-int-W", lambda: hopfield.energy(np.array([[0, 1], [1, 0]]), np.array([1, 1], dtype=np.int64)), lambda e: e == -1.0),
    Edge("energy-float32", lambda: hopfield.energy(W3.astype(np.float32), PM.astype(np.float32)), lambda e: isinstance(e, float)),
    Edge("sync-float32-one-state", lambda: hopfield.update_sync(W3.astype(np.float32), PM.astype(np.float32)), lambda s: s.dtype == np.float64 and s.shape == (3,)),
    Edge("async-rng-int64", lambda: hopfield.update_async(W3, PM, rng=np.int64(3)), lambda s: s.tolist() == [1.0, -1.0, 1.0]),
    Edge("async-rng-generator", lambda: hopfield.update_async(W3, PM, rng=np.random.default_rng(0)), lambda s: s.shape == (3,)),
    Edge("recall-max-steps-int64", lambda: hopfield.recall(W3, [PM], max_steps=np.int64(3)), lambda r: r.converged.shape == (1,) and r.steps == 1),
    Edge("corrupt-fraction-float32", lambda: hopfield.corrupt(np.ones(10), fraction=np.float32(0.5), rng=0), lambda s: int((s == -1).sum()) == 5),
    Edge("corrupt-fraction-int-1", lambda: hopfield.corrupt(PM, fraction=1, rng=0), lambda s: s.tolist() == [-1.0, 1.0, -1.0]),
    Edge("overlap-int-and-float32", lambda: hopfield.overlap(PM, PM.astype(np.float32)), lambda m: float(m) == 1.0),
    Edge("theory-float32", lambda: hopfield.one_step_error_theory(np.float32(0.5)), lambda p: isinstance(p, float) and 0.07 < p < 0.08),
    Edge("tie-tolerance-int-W", lambda: hopfield.tie_tolerance(np.array([[0, 2], [2, 0]])), lambda t: t == pytest.approx(2e-12, rel=1e-15)),
    Edge("sign-numpy-scalars", lambda: hopfield.sign_keep_ties(np.float32(0.0), np.int64(-1), tol=np.float32(0.0)), lambda s: s.shape == () and s.dtype == np.float64 and s == -1.0),
    Edge("sign-bool-current", lambda: hopfield.sign_keep_ties(np.array([0, -3]), np.array([True, True]), tol=0), lambda s: s.tolist() == [1.0, -1.0]),
    Edge("rate-numpy-ints", lambda: hopfield.one_step_error_rate(np.int64(20), np.int32(1), trials=np.int64(1), rng=np.int64(0)), lambda r: r == 0.0),
    Edge("retrieve-int-patterns", lambda: modern_hopfield.retrieve(np.eye(2, dtype=int), [1, 0], beta=np.float32(100.0)), lambda q: q.dtype == np.float64 and q.shape == (2,)),
    Edge("retrieve-single-pattern", lambda: modern_hopfield.retrieve([[1.0, 2.0]], [[0.0, 0.0]], beta=1.0, steps=np.int64(2)), lambda q: q.tolist() == [[1.0, 2.0]]),
    Edge("attention-bool", lambda: modern_hopfield.attention(np.array([[True, False]]), np.eye(2, dtype=bool), np.array([[1.0], [3.0]]), scale=1), lambda out: out.shape == (1, 1)),
    Edge("attention-float32", lambda: modern_hopfield.attention(np.ones((1, 2), np.float32), np.ones((3, 2), np.float32), np.ones((3, 1), np.float32), scale=0.5), lambda out: np.allclose(out, 1.0)),
    Edge("dense-energy-degree-int64", lambda: modern_hopfield.dense_energy([[1, 1]], [1, 1], degree=np.int64(2)), lambda e: e == -4.0),
    Edge("dense-update-one-pattern", lambda: modern_hopfield.dense_update_async([[1, -1, 1]], np.array([1, 1, 1], dtype=np.int8), rng=0), lambda s: s.tolist() == [1.0, -1.0, 1.0]),
    Edge("hh-rates-int", lambda: neurons.hh_rates(-65), lambda r: float(r["beta_m"]) == 4.0),
    Edge("hh-rates-float32", lambda: neurons.hh_rates(np.float32(-65.0)), lambda r: float(r["alpha_h"]) == 0.07),
    Edge("hh-rates-empty", lambda: neurons.hh_rates(np.zeros(0)), lambda r: r["alpha_m"].shape == (0,)),
    Edge("hh-steady-limit", lambda: neurons.hh_steady_state([-1000.0, 1000.0]), lambda s: np.all(np.isfinite(s["m_inf"]))),
    Edge("hh-dt-at-limit", lambda: neurons.hodgkin_huxley(np.zeros(3), dt=0.1), lambda t: t.time.tolist() == [0.0, 0.1, 0.2, 0.30000000000000004]),
    Edge("hh-rates-at-limit", lambda: neurons.hh_rates([-1000.0, 1000.0]), lambda r: r["beta_n"].shape == (2,)),
    Edge("dense-degree-at-limit", lambda: modern_hopfield.dense_energy(np.ones((1, 9)), np.ones(9), degree=300), lambda e: e == -(9.0**300)),
    Edge("dense-degree-at-limit-n1", lambda: modern_hopfield.dense_update_async([[1]], [-1], degree=996, rng=0), lambda s: s.tolist() == [-1.0]),  # 996 log10(2) < 300; even F: F(1) = F(-1), a tie
    Edge("hh-int-current-one-step", lambda: neurons.hodgkin_huxley(np.zeros(1, dtype=int), dt=np.float32(0.01), v0=np.int64(-65)), lambda t: t.v.shape == (2,)),
    Edge("hh-bool-current", lambda: neurons.hodgkin_huxley(np.ones((2, 3), dtype=bool)), lambda t: t.v.shape == (2, 4) and t.time.shape == (4,)),
    Edge("spikes-int-arrays", lambda: neurons.spike_times(np.arange(3), np.array([-1, 1, -1]), threshold=np.int64(0)), lambda s: s.tolist() == [0.5]),
    Edge("spikes-single-point", lambda: neurons.spike_times([0.0], [10.0]), lambda s: s.shape == (0,)),
    Edge("lif-bool-current", lambda: neurons.lif(np.ones(5, dtype=bool), dt=np.float32(0.1)), lambda t: len(t.spike_times) == 1),
    Edge("lif-one-step-batch", lambda: neurons.lif(np.full((3, 1), 2.0)), lambda t: t.v.shape == (3, 2) and len(t.spike_times) == 3),
    Edge("lif-theory-scalar", lambda: neurons.lif_rate_theory(np.float32(2.0)), lambda r: isinstance(r, np.ndarray) and r.shape == ()),
    Edge("lif-theory-empty", lambda: neurons.lif_rate_theory([]), lambda r: r.shape == (0,)),
    Edge("spirals-int64", lambda: datasets.two_spirals(np.int64(3), turns=1, noise=np.float32(0.0), rng=0), lambda d: d[0].shape == (6, 2)),
    Edge("blobs-int64-centers", lambda: datasets.blobs(np.int64(6), centers=np.int64(2), std=0, rng=0), lambda d: np.bincount(d[1]).tolist() == [3, 3]),
    Edge("blobs-one-sample", lambda: datasets.blobs(1, centers=1, rng=0), lambda d: d[0].shape == (1, 2) and d[1].tolist() == [0]),
    Edge("blobs-as-many-centre-rows-as-samples", lambda: datasets.blobs(2, centers=np.zeros((2, 2)), rng=0), lambda d: sorted(d[1].tolist()) == [0, 1]),
    Edge("retrieve-beta-near-overflow-batch", lambda: modern_hopfield.retrieve(EYE3, np.ones((2, 3)), beta=5e307), lambda q: q.shape == (2, 3)),  # per-row bound 3 * 5e307 is finite
    Edge("digits-numpy-bool", lambda: datasets.digits(scale=np.bool_(False)), lambda d: d[0].max() == 16.0),
    Edge("split-int-x-bool-labels", lambda: datasets.train_test_split(np.arange(8).reshape(4, 2), np.array([True, False, True, False]), test_fraction=np.float32(0.5), rng=np.int64(0)), lambda s: s.x_train.dtype == np.float64 and sorted(s.labels_test.tolist()) == [0, 1]),
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


_XI = np.array([[1.0, -1.0, 1.0, 1.0], [-1.0, -1.0, 1.0, -1.0]])
_W = hopfield.store(_XI)
_X = np.arange(12.0).reshape(6, 2)
CALLS: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    ("store", hopfield.store, (_XI,), {}),
    ("energy", hopfield.energy, (_W, _XI[0]), {}),
    ("update_async", hopfield.update_async, (_W, _XI), {"rng": 0}),
    ("update_sync", hopfield.update_sync, (_W, _XI), {}),
    ("update_sync-fixed-point", hopfield.update_sync, (_W, _XI[:1]), {}),
    ("recall", hopfield.recall, (_W, _XI[0]), {"rng": 0}),
    ("corrupt-nothing", hopfield.corrupt, (_XI[0],), {"fraction": 0.0, "rng": 0}),
    ("overlap", hopfield.overlap, (_XI, _XI), {}),
    ("tie_tolerance", hopfield.tie_tolerance, (_W,), {}),
    ("sign_keep_ties", hopfield.sign_keep_ties, (_XI @ _W, _XI), {"tol": 0.0}),
    ("sign_keep_ties-all-ties", hopfield.sign_keep_ties, (np.zeros(4), _XI[0]), {"tol": 0.0}),
    ("retrieve", modern_hopfield.retrieve, (_XI, _XI[0]), {"beta": 1.0}),
    ("attention", modern_hopfield.attention, (_XI, _XI, _XI), {"scale": 1.0}),
    ("dense_energy", modern_hopfield.dense_energy, (_XI, _XI[0]), {}),
    ("dense_update_async", modern_hopfield.dense_update_async, (_XI, _XI[0]), {"rng": 0}),
    ("hh_rates", neurons.hh_rates, (np.array([-65.0, -40.0]),), {}),
    ("hh_steady_state", neurons.hh_steady_state, (np.array([-65.0]),), {}),
    ("hodgkin_huxley", neurons.hodgkin_huxley, (np.full(20, 10.0),), {}),
    ("spike_times", neurons.spike_times, (np.arange(4.0), np.array([-1.0, 1.0, -1.0, 1.0])), {}),
    ("lif", neurons.lif, (np.full((2, 20), 2.0),), {}),
    ("lif_rate_theory", neurons.lif_rate_theory, (np.array([1.0, 2.0]),), {}),
    ("train_test_split", datasets.train_test_split, (_X, np.array([0, 0, 0, 1, 1, 1])), {"test_fraction": 0.5, "rng": 0}),
]


@pytest.mark.parametrize(("function", "args", "kwargs"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_inputs_are_not_modified_and_outputs_are_not_views(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    before = copy.deepcopy(args)
    out = function(*args, **kwargs)
    for arg, old in zip(args, before, strict=True):
        np.testing.assert_array_equal(arg, old)
    for result in _arrays(out):
        for arg in args:
            assert not np.shares_memory(result, arg), "an output is a view of an input"


def test_repeated_calls_give_independent_arrays() -> None:
    # writing into one result must not change the next: the package keeps no shared state
    a, _ = datasets.xor()
    a[:] = 7.0
    assert datasets.xor()[0][0, 0] == 0.0
    d, _ = datasets.digits()
    d[:] = -1.0
    assert datasets.digits()[0].min() == 0.0


# ---------------------------------------------------------------------------
# No RuntimeWarning escapes on finite input, however extreme

EXTREME = [
    ("hh-rates-at-limits", lambda: neurons.hh_rates(np.array([-1000.0, -40.0, -55.0, 1000.0]))),
    ("hh-steady-at-limits", lambda: neurons.hh_steady_state(np.array([-1000.0, 1000.0]))),
    ("hh-huge-current-raises", lambda: pytest.raises(FloatingPointError, neurons.hodgkin_huxley, np.full(50, -1e9))),
    ("hh-huge-positive-current", lambda: neurons.hodgkin_huxley(np.full(50, 1e12))),
    ("lif-at-drive-limit", lambda: neurons.lif(np.array([1e5, -1e5, 0.0]))),
    ("lif-theory-at-drive-limit", lambda: neurons.lif_rate_theory([1e5, -1e5], refractory=0.0)),
    ("lif-theory-at-rheobase", lambda: neurons.lif_rate_theory([1.5, 1.5 + 1e-15], refractory=0.0)),
    ("spikes-flat", lambda: neurons.spike_times([0.0, 1.0, 2.0], [0.0, 0.0, 0.0])),
    ("spikes-tiny-steps", lambda: neurons.spike_times([0.0, 1e-300, 2e-300], [-1.0, 1e300, -1e300])),
    ("retrieve-huge-beta", lambda: modern_hopfield.retrieve(np.eye(3), np.ones(3), beta=1e300)),
    ("attention-huge-scale", lambda: modern_hopfield.attention(np.ones((1, 3)), np.eye(3), np.eye(3), scale=1e300)),
    ("dense-exponential-large-n", lambda: modern_hopfield.dense_energy(np.ones((2, 1000)), np.ones(1000), interaction="exponential")),
    ("dense-update-exponential-large-n", lambda: modern_hopfield.dense_update_async(np.ones((2, 1000)), np.ones(1000), interaction="exponential", rng=0)),
    ("dense-update-high-degree", lambda: modern_hopfield.dense_update_async(np.ones((2, 100)), np.ones(100), degree=149, rng=0)),
    ("hopfield-huge-weights", lambda: hopfield.update_sync(np.array([[0.0, 1e300], [1e300, 0.0]]), np.array([[1, -1]]))),
    ("hopfield-tiny-weights", lambda: hopfield.recall(np.array([[0.0, 1e-300], [1e-300, 0.0]]), np.array([1, -1]), rng=0)),
    ("theory-tiny-load", lambda: hopfield.one_step_error_theory(1e-300)),
    ("theory-huge-load", lambda: hopfield.one_step_error_theory(1e300)),
    ("blobs-huge-centres", lambda: datasets.blobs(4, centers=[[1e300, -1e300]], std=1.0, rng=0)),
]


@pytest.mark.parametrize("call", [c[1] for c in EXTREME], ids=[c[0] for c in EXTREME])
def test_no_runtime_warning_escapes(call: Callable[[], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call()


@pytest.mark.parametrize("module", [hopfield, modern_hopfield, neurons, datasets], ids=lambda m: m.__name__)
def test_docstring_examples_hold_digit_for_digit(module: Any) -> None:
    """The doctests run under the lax NUMBER flag in `make test`; here they must match exactly."""
    import doctest

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0 and result.failed == 0
