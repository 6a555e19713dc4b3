"""Input validation and the divergence guard shared by every public entry point of `nnmem`.

Every message follows one template: the argument's name, what was expected,
and what was given, e.g. ``"`x` must have shape (n_samples, 2); got shape (5, 3)."``

dtype policy: `as_array` converts to float64 by default. ``dtype=None`` keeps
float32 input as float32 and turns everything else (int, bool, float16,
float64) into float64; `nnmem.mlp`, `nnmem.optim`, `nnmem.continual` and
`nnmem.recurrent` use it so that float32 in gives float32 out.

Divergence rules (`DivergenceGuard`), measured on the book's own data:

1. *Blow-up* (`DivergenceGuard.check`, after every loss): a loss is NaN or
   infinite, or exceeds ``DIVERGENCE_FACTOR`` (100) times its reference,
   ``max(first loss, DIVERGENCE_FLOOR)`` with ``DIVERGENCE_FLOOR = 1e-3``.
   The first loss is the first value the guard is shown: trainers show it
   the loss of the first mini-batch, measured before any update, and then
   every mini-batch's loss at its forward pass. Why 100: on the digits
   network of the book (64-128-10, cross-entropy, batch 32) the largest
   mini-batch loss was at most 4.6 times the first over 30 epochs at
   learning rate 1.0 (ten times the book's 0.1, still 97 % accurate), and
   214 to 835 times the first at learning rate 10 (100 times the book's),
   seeds 0-3.
2. *Surge without recovery* (`DivergenceGuard.check_curve`, once, on the
   loss curve a trainer returns: one entry per epoch, or per step for
   `nnmem.recurrent`): the curve rose above ``SURGE_FACTOR`` (3) times its
   first value and the mean of its last ``TAIL_FRACTION`` (a tenth of the
   entries, rounded down) is still above ``RECOVERY_FACTOR`` (0.5) times its
   first value (floored at 1e-3 like the reference). A curve of fewer than 10
   entries is too short to tell a trend from noise and is not judged. A step
   too small, or a task too hard, leaves the loss flat; a step too large
   makes it surge. Measured on the delayed-recall task of the book (delay
   50, 16 units, batch 256, 300 steps, seeds 0-2): at 100 times the default
   learning rate (1.0), Adam (RNN and LSTM, clipped or not) and SGD with
   momentum (RNN) surged to 3.8-26 times the first loss and ended at 0.98-12
   times it, never near the 100x of rule 1, while every run that made no
   progress for other reasons (the RNN at the book's 0.01, the LSTM with SGD
   at 0.01 or 1.0) stayed below 1.9 times. Runs that surged and then learned
   (the LSTM with Adam at 1.0 on a delay of 10; XOR with 16 ReLU units,
   22 times) ended below 0.07 times their first loss. Rule 2 judges the
   returned curve, not single mini-batches, because a run continued from
   trained weights can start on a lucky batch: the digits network at the
   book's settings, trained one epoch per call, had batches 18 times its
   first batch and a last tenth 5.3 times it. Not caught by either rule: a
   network that collapses to chance without a surge of its epoch curve (the
   digits network at learning rate 1.5-3 ends near ln 10, below its first
   epoch's mean loss).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NoReturn, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

__all__ = [
    "DIVERGENCE_FACTOR",
    "DIVERGENCE_FLOOR",
    "RECOVERY_FACTOR",
    "SURGE_FACTOR",
    "TAIL_FRACTION",
    "ArrayLike",
    "DivergenceGuard",
    "Seed",
    "TrainingDivergedError",
    "all_finite",
    "as_array",
    "check_array_dict",
    "check_finite",
    "check_labels",
    "check_nonnegative_float",
    "check_positive_float",
    "check_positive_int",
    "check_real",
    "check_same_n_samples",
    "make_rng",
]

Seed: TypeAlias = "None | int | np.integer[Any] | np.random.Generator"
"""What every ``rng`` argument accepts: None, a non-negative int seed, or a Generator."""

DIVERGENCE_FACTOR = 100.0
DIVERGENCE_FLOOR = 1e-3
SURGE_FACTOR = 3.0
RECOVERY_FACTOR = 0.5
TAIL_FRACTION = 0.1


class TrainingDivergedError(FloatingPointError):
    """Raised when a training loss becomes non-finite or grows far beyond where it started."""


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60 and isinstance(value, (list, tuple, dict)):  # a whole nested structure is unreadable
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{text} of type {type(value).__name__}"


def _numeric(name: str, value: Any, expected: str) -> np.ndarray:
    """`value` as an array of bool, int or float numbers (not converted), else TypeError."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be {expected}; got {_describe(value)}.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise TypeError(f"`{name}` must be {expected}; got {_describe(value)}.") from error
    if raw.dtype.kind not in "biuf":  # complex, object (None inside), str, bytes, datetime, void
        raise TypeError(f"`{name}` must be {expected}; got {_describe(raw)}.")
    return raw


def _shape_phrase(shape_hint: str | None) -> str:
    return "of any shape" if shape_hint is None else f"with shape {shape_hint}"


def _elements_phrase(shape_hint: str | None) -> str:
    return "at least one element" if shape_hint is None else f"shape {shape_hint} with at least one element"


def as_array(
    name: str,
    value: Any,
    *,
    ndim: int | None,
    shape_hint: str | None,
    dtype: DTypeLike | None = np.float64,
    allow_empty: bool = False,
) -> np.ndarray:
    """Return `value` as a finite floating-point array with `ndim` dimensions.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    value : array_like
        Real numbers (bool, int or float); complex, strings, None and other
        objects are refused.
    ndim : int or None
        Required number of dimensions; None accepts any.
    shape_hint : str or None
        The shape as a reader would write it, e.g. ``"(n_samples, input_size)"``;
        None for an array of any shape (then `ndim` must be None).
    dtype : dtype or None, default float64
        The result's dtype. None means the dtype policy: float32 stays
        float32, everything else becomes float64.
    allow_empty : bool, default False
        Whether an array with no elements is acceptable.

    Returns
    -------
    ndarray
        Without a copy when `value` already is such an array (never modify it).

    Raises
    ------
    TypeError
        For non-numeric or complex input.
    ValueError
        For the wrong number of dimensions, an empty array or NaN/infinity.
    """
    if type(value) is np.ndarray and value.dtype.kind == "f":  # fast path for the common case
        raw = value
    else:
        raw = _numeric(name, value, "an array of numbers " + _shape_phrase(shape_hint))
    if dtype is None:
        dtype = np.float32 if raw.dtype == np.float32 else np.float64
    array = raw.astype(dtype, copy=False)
    if ndim is not None and array.ndim != ndim:
        hint = ""
        if ndim == 2 and array.ndim == 1:
            hint = " For a single feature or target use `.reshape(-1, 1)`; for a single sample `.reshape(1, -1)`."
        raise ValueError(f"`{name}` must have shape {shape_hint}; got shape {array.shape}.{hint}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"`{name}` must have {_elements_phrase(shape_hint)}; got shape {array.shape}.")
    check_finite(name, array)
    return array


def all_finite(array: np.ndarray) -> bool:
    """Whether every entry of `array` is finite, without a RuntimeWarning however large the entries.

    A finite sum proves it in one fast pass (one NaN or infinite term makes
    the sum NaN or infinite). A sum of finite terms can still overflow, to
    ``inf`` or, when partial sums of both signs overflow, to ``inf - inf =
    nan``; then the entries are checked one by one.

    Examples
    --------
    >>> all_finite(np.array([1e308, 1e308])), all_finite(np.array([1.0, np.nan]))
    (True, False)
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(np.add.reduce(array, axis=None)):
            return True
    return bool(np.isfinite(array).all())


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise ``ValueError`` if `array` holds NaN or infinity."""
    if all_finite(array):
        return
    n_bad = int(array.size - np.count_nonzero(np.isfinite(array)))
    raise ValueError(f"`{name}` must contain only finite numbers; got {n_bad} NaN or infinite value(s).")


def check_array_dict(
    name: str,
    value: Any,
    *,
    like: dict[str, np.ndarray] | None = None,
    keys: Any = None,
    like_name: str = "params",
) -> dict[str, np.ndarray]:
    """Check a dict of arrays key by key and return it with every value as a float array.

    Parameters
    ----------
    name : str
        The argument's name, e.g. ``"grads"``.
    value : dict of str to array_like
        The dictionary to check.
    like : dict of str to ndarray, optional
        A checked dict (usually the parameters): `value` must have its keys and
        every ``value[key]`` the shape of ``like[key]``.
    keys : iterable of str, optional
        The required keys when `like` is not given.
    like_name : str, default "params"
        The name of `like` in messages.

    Returns
    -------
    dict of str to ndarray
        A new dict; float32 values stay float32, everything else is float64.
    """
    if not isinstance(value, dict):
        raise TypeError(f"`{name}` must be a dict of str to ndarray; got {_describe(value)}.")
    if like is not None:
        keys = like.keys()
    if keys is not None:
        wanted = sorted(keys, key=str)
        if set(value) != set(wanted):
            source = f" of `{like_name}`" if like is not None else ""
            raise ValueError(f"`{name}` must have the keys {wanted}{source}; got {sorted(value, key=str)}.")
    checked = {}
    for key, item in value.items():
        label = f"{name}[{key!r}]"
        if like is None:
            checked[key] = as_array(label, item, ndim=None, shape_hint=None, dtype=None)
            continue
        shape = np.shape(like[key])
        array = as_array(label, item, ndim=None, shape_hint=str(shape), dtype=None)
        if array.shape != shape:
            raise ValueError(f"`{label}` must have shape {shape} like `{like_name}[{key!r}]`; got {array.shape}.")
        checked[key] = array
    return checked


def check_labels(
    name: str, labels: Any, *, n_samples: int | None = None, n_classes: int | None = None
) -> np.ndarray:
    """Return integer class labels as an int64 array of shape (n_samples,).

    Whole-number floats (``2.0``) and bools are accepted; NaN, fractions,
    negative labels and labels ``>= n_classes`` are refused, as are empty
    labels.

    Parameters
    ----------
    name : str
        The argument's name.
    labels : array_like of shape (n_samples,)
        Class indices.
    n_samples : int, optional
        Required length (one label per sample).
    n_classes : int, optional
        Labels must be below it.
    """
    shape_hint = "(n_samples,)" if n_samples is None else f"({n_samples},)"
    raw = _numeric(name, labels, f"integer class labels of shape {shape_hint}")
    if raw.ndim != 1 or (n_samples is not None and raw.shape[0] != n_samples):
        per = "" if n_samples is None else ", one label per sample"
        raise ValueError(f"`{name}` must have shape {shape_hint}{per}; got shape {raw.shape}.")
    if raw.size == 0:
        raise ValueError(f"`{name}` must hold at least one label; got shape {raw.shape}.")
    if raw.dtype.kind == "f":
        check_finite(name, raw)
        fractional = raw != np.round(raw)
        if fractional.any():
            raise ValueError(f"`{name}` must hold whole-number class labels; got {raw[fractional][0].item()!r}.")
    out = np.asarray(raw, dtype=np.int64)
    low, high = int(out.min()), int(out.max())
    if n_classes is not None and (low < 0 or high >= n_classes):
        raise ValueError(f"`{name}` must be class labels in [0, {n_classes - 1}]; got values from {low} to {high}.")
    if low < 0:
        raise ValueError(f"`{name}` must be class labels >= 0; got values from {low} to {high}.")
    return out


def check_positive_int(name: str, value: Any) -> int:
    """Return `value` as an ``int`` if it is a positive integer (numpy integers too), else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be a positive integer; got {_describe(value)}.")
    if value <= 0:
        raise ValueError(f"`{name}` must be a positive integer; got {value}.")
    return int(value)


def _is_real(value: Any) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real)


def check_real(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite real number (any sign; numpy scalars too), else raise."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a real number; got {_describe(value)}.")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number; got {value}.")
    return float(value)


def check_positive_float(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite number > 0, else raise."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a positive number; got {_describe(value)}.")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"`{name}` must be a finite positive number; got {value}.")
    return number


def check_nonnegative_float(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite number >= 0, else raise."""
    number = check_real(name, value)
    if number < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0; got {number}.")
    return number


def check_same_n_samples(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ``ValueError`` if `a` and `b` have different numbers of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same number of samples (rows); "
            f"got {a.shape[0]} and {b.shape[0]}."
        )


def make_rng(rng: Any, *, name: str = "rng") -> np.random.Generator:
    """Turn ``None``, a non-negative integer seed (numpy integers too) or a ``Generator`` into a ``Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    expected = "None, a non-negative int seed or a numpy.random.Generator"
    if rng is not None and (isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral)):
        raise TypeError(f"`{name}` must be {expected}; got {_describe(rng)}.")
    seed = None if rng is None else int(rng)
    if seed is not None and seed < 0:
        raise ValueError(f"`{name}` must be {expected}; got {seed}.")
    return np.random.default_rng(seed)


class DivergenceGuard:
    """The one divergence check every trainer uses (both rules of the module docstring).

    Rule 1, `check`, after every loss: a loss diverges when it is NaN or
    infinite, or when it exceeds ``DIVERGENCE_FACTOR * max(reference,
    DIVERGENCE_FLOOR)`` (100 times the reference, with a floor of 1e-3 on the
    reference), where the reference is the first loss passed to `check`
    (trainers pass the first mini-batch's loss, before any update).

    Rule 2, `check_curve`, once at the end on the returned loss curve: the
    run diverged when the curve rose above ``SURGE_FACTOR`` (3) times its
    first value and the mean of its last ``TAIL_FRACTION`` (a tenth of the
    entries, rounded down; curves of fewer than 10 entries are not judged) is above
    ``RECOVERY_FACTOR`` (0.5) times its first value (floored at 1e-3 like the
    reference): the loss surged and did not recover.

    Parameters
    ----------
    setting : str
        The setting responsible, named in the message, e.g. ``"learning_rate"``.
    hint : str
        What to try, e.g. ``"try a smaller learning_rate"``.
    value : float, optional
        The setting's value, shown in the message.
    unit : str, default "epoch"
        What `check`'s counter and the curve's entries count (``"epoch"`` or ``"step"``).

    Examples
    --------
    >>> guard = DivergenceGuard(setting="learning_rate", hint="try a smaller learning_rate")
    >>> guard.check(2.0, epoch=1)     # the reference: the limit is 100 * 2.0
    >>> guard.check(199.0, epoch=2)   # below the limit: no error
    >>> guard.check_curve([2.0, 7.0] + [0.9] * 8)  # surged above 3 * 2, but ended below 0.5 * 2
    >>> guard.check_curve([2.0, 7.0] + [1.1] * 8)  # surged, and its last tenth ended above 1.0
    Traceback (most recent call last):
    ...
    nnmem._checks.TrainingDivergedError: Training diverged: the loss curve rose to 7, more than 3 times
    its first value 2, and did not recover: its mean over the last 1 epoch was 1.1, more than 0.5 times
    its first value. The setting responsible is `learning_rate`: try a smaller learning_rate.
    """

    def __init__(
        self,
        setting: str = "learning_rate",
        hint: str = "try a smaller learning_rate",
        *,
        value: float | None = None,
        unit: str = "epoch",
    ) -> None:
        self.setting = setting
        self.hint = hint
        self.value = value
        self.unit = unit
        self.reference: float | None = None

    @property
    def limit(self) -> float:
        """The largest loss accepted (infinite before the first loss is seen)."""
        if self.reference is None:
            return math.inf
        return DIVERGENCE_FACTOR * max(self.reference, DIVERGENCE_FLOOR)

    def check(self, loss: float, *, epoch: int | None, what: str = "the loss") -> None:
        """Raise `TrainingDivergedError` if `loss` is non-finite or above `limit` (rule 1).

        `epoch` (or step) is named in the message unless it is None; `what`
        names the quantity checked.
        """
        loss = float(loss)
        finite = math.isfinite(loss)
        if finite and self.reference is None:
            self.reference = loss
        if finite and loss <= self.limit:
            return
        if finite:
            how = f"reached {loss:.3g}, more than {DIVERGENCE_FACTOR:g} times its starting value {self.reference:.3g}"
        else:
            how = f"became {loss}"
        when = "" if epoch is None else f" in {self.unit} {epoch}"
        self._fail(f"{what} {how}{when}")

    def check_curve(self, curve: ArrayLike, *, what: str = "the loss") -> None:
        """Raise `TrainingDivergedError` if the finite loss `curve` surged and did not recover (rule 2).

        `curve` is the loss curve a trainer returns, one entry per epoch (or
        step); `what` names the quantity.
        """
        values = np.asarray(curve, dtype=np.float64)
        n_tail = int(TAIL_FRACTION * values.size)  # the last tenth, rounded down
        if n_tail == 0:  # under 10 entries: too short to tell a trend from noise
            return
        first = float(values[0])
        start = max(first, DIVERGENCE_FLOOR)
        peak, tail = float(values.max()), float(np.mean(values[-n_tail:]))
        if peak <= SURGE_FACTOR * start or tail <= RECOVERY_FACTOR * start:
            return
        last = f"{n_tail} {self.unit}{'s' * (n_tail > 1)}"
        self._fail(
            f"{what} curve rose to {peak:.3g}, more than {SURGE_FACTOR:g} times its first value {first:.3g}, "
            f"and did not recover: its mean over the last {last} was {tail:.3g}, more than {RECOVERY_FACTOR:g} "
            "times its first value"
        )

    def _fail(self, what_happened: str) -> NoReturn:
        setting = f"`{self.setting}`" if self.value is None else f"`{self.setting}` = {self.value:g}"
        raise TrainingDivergedError(
            f"Training diverged: {what_happened}. The setting responsible is {setting}: {self.hint}."
        )


def as_pm1(name: str, value: Any, *, ndim: tuple[int, ...], shape_hint: str) -> np.ndarray:
    """Return `value` as a new float64 array of -1.0 and +1.0 (Hopfield states and patterns).

    Accepts int, float and bool arrays whose entries are all -1 or +1 and
    whose number of dimensions is one of `ndim`; rejects strings, ``None``,
    complex and other non-real arrays (``TypeError``), ragged, empty or
    wrongly shaped arrays and any other value (``ValueError``), naming `name`.
    """
    expected = f"`{name}` must be an array of -1 and +1 with shape {shape_hint}"
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{expected}; got {value!r} of type {type(value).__name__}.")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{expected}; got a ragged sequence.") from error
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating) or array.dtype == bool):
        raise TypeError(f"{expected}; got dtype {array.dtype}.")
    if array.ndim not in ndim:
        raise ValueError(f"`{name}` must have shape {shape_hint}; got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {array.shape}.")
    bad = (array != 1) & (array != -1)  # what np.isin(array, (-1, 1)) tells, faster on small arrays
    if bad.any():
        example = array[bad].flat[0].item()
        raise ValueError(
            f"`{name}` must contain only -1 and +1; got {int(bad.sum())} other value(s), e.g. {example!r}."
        )
    return np.array(array, dtype=np.float64)
