"""The shared validators and the divergence guard (nnmem._checks).

Error messages are matched whole (``^...$``); the bad-input tables in
``tests/test_bad_inputs_*.py`` exercise them through the public functions.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem._checks import (
    DIVERGENCE_FACTOR,
    DIVERGENCE_FLOOR,
    RECOVERY_FACTOR,
    SURGE_FACTOR,
    TAIL_FRACTION,
    DivergenceGuard,
    all_finite,
    as_array,
    check_array_dict,
    check_finite,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_real,
    check_same_n_samples,
    make_rng,
)


def full(message: str) -> str:
    return "^" + re.escape(message) + "$"


# ---------------------------------------------------------------- as_array


def test_as_array_converts_int_and_bool_to_float64() -> None:
    out = as_array("x", [[1, 2]], ndim=2, shape_hint="(n, 2)")
    assert out.dtype == np.float64 and out.tolist() == [[1.0, 2.0]]
    out = as_array("x", np.array([True, False]), ndim=1, shape_hint="(n,)")
    assert out.dtype == np.float64 and out.tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(np.float32, np.float32), (np.float64, np.float64), (np.float16, np.float64), (np.int32, np.float64),
     (np.bool_, np.float64)],
)
def test_dtype_none_keeps_only_float32(given: type, expected: type) -> None:
    assert as_array("x", np.ones(2, dtype=given), ndim=1, shape_hint="(n,)", dtype=None).dtype == expected


def test_explicit_dtype_is_used() -> None:
    assert as_array("x", np.ones(2), ndim=1, shape_hint="(n,)", dtype=np.float32).dtype == np.float32


def test_ndim_none_accepts_any_number_of_dimensions_and_scalars() -> None:
    assert as_array("x", np.ones((2, 2, 2)), ndim=None, shape_hint="any").shape == (2, 2, 2)
    assert as_array("x", np.float32(3), ndim=None, shape_hint="any").shape == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "`x` must be an array of numbers with shape (n, 2); got 'abc' of type str."),
        (b"ab", "`x` must be an array of numbers with shape (n, 2); got b'ab' of type bytes."),
        (None, "`x` must be an array of numbers with shape (n, 2); got None of type NoneType."),
        (np.array([[1 + 2j, 0]]),
         "`x` must be an array of numbers with shape (n, 2); got an array of shape (1, 2) and dtype complex128."),
        ([[1.0, None]],
         "`x` must be an array of numbers with shape (n, 2); got an array of shape (1, 2) and dtype object."),
        ([[1.0], [1.0, 2.0]],
         "`x` must be an array of numbers with shape (n, 2); got [[1.0], [1.0, 2.0]] of type list."),
    ],
    ids=["str", "bytes", "None", "complex", "None-inside", "ragged"],
)
def test_as_array_type_errors(value: object, message: str) -> None:
    with pytest.raises(TypeError, match=full(message)):
        as_array("x", value, ndim=2, shape_hint="(n, 2)")


def test_complex_raises_before_any_complex_warning() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError):
            as_array("x", np.array([1 + 0j]), ndim=1, shape_hint="(n,)")


def test_wrong_ndim_with_and_without_reshape_hint() -> None:
    with pytest.raises(ValueError, match=full(
        "`x` must have shape (n, 2); got shape (3,). For a single feature or target use `.reshape(-1, 1)`;"
        " for a single sample `.reshape(1, -1)`."
    )):
        as_array("x", np.ones(3), ndim=2, shape_hint="(n, 2)")
    with pytest.raises(ValueError, match=full("`x` must have shape (n,); got shape (1, 3).")):
        as_array("x", np.ones((1, 3)), ndim=1, shape_hint="(n,)")


def test_empty_is_refused_unless_allowed() -> None:
    message = "`x` must have shape (n, 2) with at least one element; got shape (0, 2)."
    with pytest.raises(ValueError, match=full(message)):
        as_array("x", np.ones((0, 2)), ndim=2, shape_hint="(n, 2)")
    assert as_array("x", np.ones((0, 2)), ndim=2, shape_hint="(n, 2)", allow_empty=True).shape == (0, 2)


def test_non_finite_values_are_counted() -> None:
    with pytest.raises(ValueError, match=full("`x` must contain only finite numbers; got 2 NaN or infinite value(s).")):
        as_array("x", [np.nan, 1.0, -np.inf], ndim=1, shape_hint="(n,)")
    with pytest.raises(ValueError, match=full("`a` must contain only finite numbers; got 1 NaN or infinite value(s).")):
        check_finite("a", np.array([np.inf]))
    check_finite("a", np.array([1e308]))


# ---------------------------------------------------------- check_array_dict


def test_array_dict_returns_a_new_dict_with_float_arrays() -> None:
    like = {"w": np.zeros((2, 3)), "b": np.zeros(3)}
    value = {"w": np.ones((2, 3), dtype=int), "b": np.ones(3, dtype=np.float32)}
    out = check_array_dict("grads", value, like=like)
    assert out is not value and out["w"].dtype == np.float64 and out["b"].dtype == np.float32


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ([1.0], TypeError, "`grads` must be a dict of str to ndarray; got [1.0] of type list."),
        ({"w": np.zeros((2, 3))}, ValueError, "`grads` must have the keys ['b', 'w'] of `params`; got ['w']."),
        ({"w": np.zeros((2, 3)), "b": np.zeros(3), "c": 1.0}, ValueError,
         "`grads` must have the keys ['b', 'w'] of `params`; got ['b', 'c', 'w']."),
        ({"w": np.zeros((2, 4)), "b": np.zeros(3)}, ValueError,
         "`grads['w']` must have shape (2, 3) like `params['w']`; got (2, 4)."),
        ({"w": np.zeros((2, 3)), "b": "x"}, TypeError,
         "`grads['b']` must be an array of numbers with shape (3,); got 'x' of type str."),
        ({"w": np.full((2, 3), np.nan), "b": np.zeros(3)}, ValueError,
         "`grads['w']` must contain only finite numbers; got 6 NaN or infinite value(s)."),
    ],
    ids=["not-a-dict", "missing-key", "extra-key", "shape", "non-array", "nan"],
)
def test_array_dict_errors_name_the_key(value: object, error: type[Exception], message: str) -> None:
    like = {"w": np.zeros((2, 3)), "b": np.zeros(3)}
    with pytest.raises(error, match=full(message)):
        check_array_dict("grads", value, like=like)


def test_array_dict_with_keys_and_without_like() -> None:
    with pytest.raises(ValueError, match=full("`state` must have the keys ['a', 'b']; got ['a'].")):
        check_array_dict("state", {"a": np.ones(1)}, keys=["b", "a"])
    assert check_array_dict("state", {"a": [1, 2]})["a"].tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=full("`v['w']` must have shape (2,) like `m['w']`; got (3,).")):
        check_array_dict("v", {"w": np.ones(3)}, like={"w": np.ones(2)}, like_name="m")


# -------------------------------------------------------------- check_labels


def test_labels_accept_whole_floats_bools_and_numpy_ints() -> None:
    out = check_labels("labels", [2.0, 0.0, 1.0], n_samples=3, n_classes=3)
    assert out.dtype == np.int64 and out.tolist() == [2, 0, 1]
    assert check_labels("labels", np.array([True, False])).tolist() == [1, 0]
    assert check_labels("labels", np.array([4], dtype=np.uint8), n_classes=5).tolist() == [4]


@pytest.mark.parametrize(
    ("labels", "kwargs", "error", "message"),
    [
        ([0.5, 1.0], {}, ValueError, "`labels` must hold whole-number class labels; got 0.5."),
        ([np.nan, 1.0], {}, ValueError, "`labels` must contain only finite numbers; got 1 NaN or infinite value(s)."),
        ([-1, 2], {}, ValueError, "`labels` must be class labels >= 0; got values from -1 to 2."),
        ([0, 3], {"n_classes": 3}, ValueError, "`labels` must be class labels in [0, 2]; got values from 0 to 3."),
        ([-1, 0], {"n_classes": 3}, ValueError, "`labels` must be class labels in [0, 2]; got values from -1 to 0."),
        ([[0, 1]], {}, ValueError, "`labels` must have shape (n_samples,); got shape (1, 2)."),
        ([0, 1], {"n_samples": 3}, ValueError, "`labels` must have shape (3,), one label per sample; got shape (2,)."),
        ([], {}, ValueError, "`labels` must hold at least one label; got shape (0,)."),
        ("01", {}, TypeError, "`labels` must be integer class labels of shape (n_samples,); got '01' of type str."),
        ([1j], {"n_samples": 1}, TypeError,
         "`labels` must be integer class labels of shape (1,); got an array of shape (1,) and dtype complex128."),
    ],
    ids=["fraction", "nan", "negative", "too-large", "negative-with-classes", "2-D", "length", "empty", "str",
         "complex"],
)
def test_label_errors(labels: object, kwargs: dict, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=full(message)):
        check_labels("labels", labels, **kwargs)


def test_labels_at_the_edges_of_the_range() -> None:
    assert check_labels("y", [0, 2], n_classes=3).tolist() == [0, 2]


# ---------------------------------------------------------- scalar checkers


@pytest.mark.parametrize("value", [3, np.int64(3), np.int8(3), np.uint16(3)])
def test_positive_int_accepts_numpy_integers(value: object) -> None:
    out = check_positive_int("n", value)
    assert out == 3 and type(out) is int


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "`n` must be a positive integer; got 0."),
        (np.int64(-2), ValueError, "`n` must be a positive integer; got -2."),
        (2.0, TypeError, "`n` must be a positive integer; got 2.0 of type float."),
        (True, TypeError, "`n` must be a positive integer; got True of type bool."),
        (np.bool_(True), TypeError, "`n` must be a positive integer; got np.True_ of type bool."),
    ],
)
def test_positive_int_errors(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=full(message)):
        check_positive_int("n", value)


def test_float_checkers_accept_numpy_scalars_and_return_python_floats() -> None:
    for check in (check_positive_float, check_real, check_nonnegative_float):
        out = check("a", np.float32(0.5))
        assert out == 0.5 and type(out) is float
    assert check_real("a", -2) == -2.0
    assert check_nonnegative_float("a", 0) == 0.0
    assert check_positive_float("a", np.int64(2)) == 2.0
    assert check_positive_float("a", 5e-324) == 5e-324  # the smallest positive float is positive


@pytest.mark.parametrize(
    ("check", "value", "error", "message"),
    [
        (check_positive_float, 0.0, ValueError, "`a` must be a finite positive number; got 0.0."),
        (check_positive_float, -1, ValueError, "`a` must be a finite positive number; got -1."),
        (check_positive_float, math.inf, ValueError, "`a` must be a finite positive number; got inf."),
        (check_positive_float, math.nan, ValueError, "`a` must be a finite positive number; got nan."),
        (check_positive_float, "1", TypeError, "`a` must be a positive number; got '1' of type str."),
        (check_positive_float, True, TypeError, "`a` must be a positive number; got True of type bool."),
        (check_positive_float, np.bool_(True), TypeError, "`a` must be a positive number; got np.True_ of type bool."),
        (check_real, math.nan, ValueError, "`a` must be a finite number; got nan."),
        (check_real, -math.inf, ValueError, "`a` must be a finite number; got -inf."),
        (check_real, 1j, TypeError, "`a` must be a real number; got 1j of type complex."),
        (check_real, False, TypeError, "`a` must be a real number; got False of type bool."),
        (check_real, np.bool_(False), TypeError, "`a` must be a real number; got np.False_ of type bool."),
        (check_nonnegative_float, -0.5, ValueError, "`a` must be a finite number >= 0; got -0.5."),
        (check_nonnegative_float, None, TypeError, "`a` must be a real number; got None of type NoneType."),
    ],
)
def test_float_checker_errors(check, value: object, error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=full(message)):
        check("a", value)


def test_same_n_samples() -> None:
    check_same_n_samples("x", np.zeros((2, 1)), "y", np.zeros(2))
    with pytest.raises(ValueError, match=full(
        "`x` and `y` must have the same number of samples (rows); got 2 and 3."
    )):
        check_same_n_samples("x", np.zeros((2, 1)), "y", np.zeros(3))


# ------------------------------------------------------------------ make_rng


def test_make_rng_seeds_like_default_rng() -> None:
    assert make_rng(3).random() == np.random.default_rng(3).random()
    assert make_rng(np.int64(3)).random() == np.random.default_rng(3).random()
    assert make_rng(0).random() == np.random.default_rng(0).random()
    gen = np.random.default_rng(1)
    assert make_rng(gen) is gen
    assert isinstance(make_rng(None), np.random.Generator)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ValueError, "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got -1."),
        (np.int32(-5), ValueError, "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got -5."),
        ("seed", TypeError,
         "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got 'seed' of type str."),
        (1.5, TypeError,
         "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got 1.5 of type float."),
        (True, TypeError,
         "`rng` must be None, a non-negative int seed or a numpy.random.Generator; got True of type bool."),
    ],
)
def test_make_rng_errors(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=full(message)):
        make_rng(value)


def test_make_rng_names_another_argument() -> None:
    with pytest.raises(ValueError, match="^`seed` must be"):
        make_rng(-1, name="seed")


# ---------------------------------------------------------- DivergenceGuard


def test_rule_constants() -> None:
    assert DIVERGENCE_FACTOR == 100.0 and DIVERGENCE_FLOOR == 0.001
    assert SURGE_FACTOR == 3.0 and RECOVERY_FACTOR == 0.5 and TAIL_FRACTION == 0.1


def test_guard_both_sides_of_the_threshold() -> None:
    guard = DivergenceGuard(setting="learning_rate", hint="try a smaller learning_rate")
    assert guard.limit == math.inf  # nothing seen yet
    guard.check(2.0, epoch=1)  # reference 2.0, so the limit is 100 * 2.0 = 200
    assert guard.reference == 2.0 and guard.limit == 200.0
    guard.check(200.0, epoch=2)  # exactly at the limit: accepted
    guard.check(0.5, epoch=3)  # a smaller loss does not move the reference
    assert guard.reference == 2.0
    with pytest.raises(TrainingDivergedError, match=full(
        "Training diverged: the loss reached 200, more than 100 times its starting value 2 in epoch 4. "
        "The setting responsible is `learning_rate`: try a smaller learning_rate."
    )):
        guard.check(200.01, epoch=4)


def test_guard_floor_on_a_tiny_starting_loss() -> None:
    # reference 1e-6 is below the floor 1e-3, so the limit is 100 * 1e-3 = 0.1
    guard = DivergenceGuard(setting="ewc_lambda", hint="try a smaller ewc_lambda", value=5e3)
    guard.check(1e-6, epoch=1)
    assert guard.limit == pytest.approx(0.1)
    guard.check(0.1, epoch=2)
    with pytest.raises(TrainingDivergedError, match=full(
        "Training diverged: the loss reached 0.101, more than 100 times its starting value 1e-06 in epoch 3. "
        "The setting responsible is `ewc_lambda` = 5000: try a smaller ewc_lambda."
    )):
        guard.check(0.101, epoch=3)


def test_guard_reference_above_the_floor_is_not_floored() -> None:
    guard = DivergenceGuard()
    guard.check(0.01, epoch=1)  # 0.01 > 1e-3: limit 100 * 0.01 = 1, not 0.1
    guard.check(1.0, epoch=2)
    with pytest.raises(TrainingDivergedError):
        guard.check(1.001, epoch=3)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_guard_non_finite(bad: float) -> None:
    guard = DivergenceGuard(setting="max_norm", hint="try a smaller max_norm", unit="step")
    with pytest.raises(TrainingDivergedError, match=full(
        f"Training diverged: the loss became {bad} in step 7. The setting responsible is `max_norm`: "
        "try a smaller max_norm."
    )):
        guard.check(bad, epoch=7)
    assert guard.reference is None  # a non-finite first loss sets no reference


def test_guard_is_a_floating_point_error() -> None:
    assert issubclass(TrainingDivergedError, FloatingPointError)
    guard = DivergenceGuard()
    with pytest.raises(FloatingPointError, match="^Training diverged: the loss became nan in epoch 1. "
                       "The setting responsible is `learning_rate`: try a smaller learning_rate.$"):
        guard.check(np.float32(np.nan), epoch=1)


# Rule 2, check_curve: surged above 3 x the first value and the last tenth's mean still above 0.5 x it.
CURVE_MESSAGE = (
    "Training diverged: the loss curve rose to {peak}, more than 3 times its first value {first}, and did not "
    "recover: its mean over the last {last} was {tail}, more than 0.5 times its first value. "
    "The setting responsible is `learning_rate` = 1: try a smaller learning_rate."
)


def test_curve_surge_threshold_both_sides() -> None:
    guard = DivergenceGuard(value=1.0)
    # 10 entries, so the tail is the last one (1.0 > 0.5 * 1): only the surge, in epoch 6, decides
    guard.check_curve([1.0] * 5 + [3.0] + [1.0] * 4)  # peak exactly 3 * 1: not a surge
    with pytest.raises(TrainingDivergedError, match=full(
        CURVE_MESSAGE.format(peak="3.01", first="1", last="1 epoch", tail="1")
    )):
        guard.check_curve([1.0] * 5 + [3.01] + [1.0] * 4)


def test_curve_recovery_threshold_is_on_the_mean_of_the_last_tenth() -> None:
    guard = DivergenceGuard(value=1.0, unit="step")
    # 20 entries: the tail is the last 2. First value 2: surge above 6, recovery below 0.5 * 2 = 1.
    guard.check_curve([2.0, 7.0] + [3.0] * 16 + [0.9, 1.1])  # mean (0.9 + 1.1) / 2 = 1.0: recovered
    with pytest.raises(TrainingDivergedError, match=full(
        CURVE_MESSAGE.format(peak="7", first="2", last="2 steps", tail="1.01")
    )):
        guard.check_curve([2.0, 7.0] + [3.0] * 16 + [0.9, 1.12])  # mean 1.01


def test_curve_tail_is_a_tenth_rounded_down() -> None:
    guard = DivergenceGuard(value=1.0)
    # 19 entries: the tail is int(1.9) = 1 entry, 1.2 > 1 (rounding up to 2 entries would give 0.85, no error)
    with pytest.raises(TrainingDivergedError, match=full(
        CURVE_MESSAGE.format(peak="7", first="2", last="1 epoch", tail="1.2")
    )):
        guard.check_curve([2.0, 7.0] + [3.0] * 15 + [0.5, 1.2])


def test_curve_shorter_than_ten_entries_is_not_judged() -> None:
    guard = DivergenceGuard(value=1.0)
    guard.check_curve([1.0] + [5.0] * 8)  # 9 entries: surged and stayed, but too short to judge
    with pytest.raises(TrainingDivergedError, match=full(
        CURVE_MESSAGE.format(peak="5", first="1", last="1 epoch", tail="5")
    )):
        guard.check_curve([1.0] + [5.0] * 9)  # 10 entries


def test_curve_first_value_is_floored_like_the_reference() -> None:
    guard = DivergenceGuard(value=1.0)
    # first value 1e-6 is below the floor 1e-3: a surge needs more than 3e-3, recovery at most 5e-4
    guard.check_curve([1e-6] + [0.0029] * 9)
    with pytest.raises(TrainingDivergedError, match=full(
        CURVE_MESSAGE.format(peak="0.0031", first="1e-06", last="1 epoch", tail="0.0031")
    )):
        guard.check_curve([1e-6] + [0.0031] * 9)


def test_curve_message_names_the_quantity_and_the_setting() -> None:
    guard = DivergenceGuard("ewc_lambda", "try a smaller ewc_lambda", value=200.0)
    with pytest.raises(TrainingDivergedError, match=full(
        "Training diverged: the reconstruction error curve rose to 4, more than 3 times its first value 1, and did "
        "not recover: its mean over the last 1 epoch was 4, more than 0.5 times its first value. "
        "The setting responsible is `ewc_lambda` = 200: try a smaller ewc_lambda."
    )):
        guard.check_curve(np.full(10, 4.0) - np.eye(10)[0] * 3, what="the reconstruction error")


def test_every_trainer_shows_its_returned_loss_curve_to_rule_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from nnmem import continual, hebbian, mlp, recurrent, twolayer

    seen: list[tuple[str, str, str, np.ndarray]] = []
    original = DivergenceGuard.check_curve

    def spy(self: DivergenceGuard, curve: Any, *, what: str = "the loss") -> None:
        seen.append((self.setting, self.unit, what, np.array(curve, dtype=np.float64)))
        original(self, curve, what=what)

    monkeypatch.setattr(DivergenceGuard, "check_curve", spy)
    x, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]])
    two = twolayer.train(x, y, hidden_size=2, learning_rate=0.1, epochs=12, rng=0)
    np.testing.assert_array_equal(seen.pop()[3], np.append(two.losses, two.final_loss))  # 13 entries
    net = mlp.train_sgd(x, [1, 0], layer_sizes=[2, 2], learning_rate=0.1, epochs=12, rng=0)
    np.testing.assert_array_equal(seen.pop()[3], net.losses)
    tasks = [continual.Task(f"t{k}", x, np.array([1, 0]), x, np.array([1, 0])) for k in range(2)]
    seq = continual.train_sequence(tasks, layer_sizes=[2, 2], epochs=12, learning_rate=0.1, rng=0)
    np.testing.assert_array_equal(seen.pop()[3], seq.losses[1])
    np.testing.assert_array_equal(seen.pop()[3], seq.losses[0])  # one call per task, each with its own guard
    xs, labels = recurrent.delayed_recall(8, delay=2, rng=0)
    rec = recurrent.train(xs, labels, params=recurrent.init_params(5, 3, 2, rng=0), steps=12, batch_size=4, rng=0)
    setting, unit, what, curve = seen.pop()
    assert (setting, unit, what) == ("learning_rate", "step", "the loss")
    np.testing.assert_array_equal(curve, rec.losses)
    # Oja: one sample x = (10, 0), w0 = (0.5, 0): y = 5, x - y w = (7.5, 0), error 56.25 before any epoch
    hebbian.learn(np.array([[10.0, 0.0]]), rule="oja", learning_rate=0.001, epochs=12, w0=np.array([0.5, 0.0]))
    setting, unit, what, curve = seen.pop()
    assert (setting, what, curve.size, curve[0]) == ("learning_rate", "the reconstruction error", 13, 56.25)
    hebbian.learn(np.array([[1.0, 0.0]]), rule="hebb", learning_rate=0.001, epochs=12, rng=0)
    assert not seen  # the plain Hebb rule has no loss curve


def test_all_finite_on_sums_that_overflow_to_nan() -> None:
    """Finite entries whose partial sums overflow with both signs sum to inf - inf = NaN, which warns
    "invalid value" unless silenced; every entry is still finite."""
    import warnings

    mixed = np.tile([1e308, -1e308], 8)
    mixed32 = np.tile(np.array([3e38, -3e38], dtype=np.float32), 8)
    with np.errstate(all="ignore"):  # the premise: numpy's pairwise sum meets inf + (-inf)
        assert np.isnan(np.add.reduce(mixed)) and np.isnan(np.add.reduce(mixed32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert all_finite(mixed) and all_finite(mixed32)
        check_finite("x", mixed)
        assert as_array("x", mixed, ndim=1, shape_hint="(n,)") is mixed
        assert not all_finite(np.append(mixed, np.nan))
        with pytest.raises(ValueError, match=full("`x` must contain only finite numbers; got 1 NaN or infinite "
                                                  "value(s).")):
            check_finite("x", np.append(mixed, np.inf))


def test_as_array_does_not_copy_a_float64_array_and_accepts_huge_finite_values() -> None:
    x = np.array([1.0, 2.0])
    assert as_array("x", x, ndim=1, shape_hint="(n,)") is x  # documented: no copy when nothing changes
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the sum overflows to inf, yet every value is finite
        out = as_array("x", [1e308, 1e308, -1e308], ndim=1, shape_hint="(n,)")
    assert out.tolist() == [1e308, 1e308, -1e308]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (["a" * 56], repr(["a" * 56])),  # a repr of exactly 60 characters is shown as it is
        (["a" * 57], "a list of length 1"),  # 61 characters: described instead
        (("a" * 60, "b"), "a tuple of length 2"),
        ({"k" * 60: 1, "j": 2, "i": 3}, "a dict of length 3"),
        ("s" * 80, repr("s" * 80)),  # long strings are not containers: shown whole
    ],
    ids=["60-chars", "61-chars", "tuple", "dict", "long-str"],
)
def test_long_containers_are_described_by_type_and_length(value: object, shown: str) -> None:
    assert len(repr(["a" * 56])) == 60
    suffix = "" if shown.startswith("a ") else f" of type {type(value).__name__}"
    with pytest.raises(TypeError, match=full(
        f"`rng` must be None, a non-negative int seed or a numpy.random.Generator; got {shown}{suffix}."
    )):
        make_rng(value)


def test_array_dict_lists_mixed_keys_in_its_message() -> None:
    with pytest.raises(ValueError, match=full("`grads` must have the keys ['w']; got [1, 'a'].")):
        check_array_dict("grads", {"a": np.ones(1), 1: np.ones(1)}, keys=["w"])


def test_required_keys_of_mixed_types_are_listed() -> None:
    with pytest.raises(ValueError, match=full("`state` must have the keys [1, 'a']; got ['a'].")):
        check_array_dict("state", {"a": np.ones(1)}, keys=["a", 1])
