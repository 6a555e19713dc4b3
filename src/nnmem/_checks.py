"""Input validation shared by every public entry point of `nnmem`.

Every message follows one template: the argument's name, what was expected,
and what was given, e.g. ``"`x` must have shape (n_samples, 2); got (5, 3)."``
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "TrainingDivergedError",
    "as_array",
    "check_finite",
    "check_nonnegative_float",
    "check_positive_float",
    "check_positive_int",
    "check_real",
    "check_same_n_samples",
    "make_rng",
]


class TrainingDivergedError(FloatingPointError):
    """Raised when the training loss stops being a finite number."""


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} of type {type(value).__name__}"


def as_array(name: str, value: Any, *, ndim: int, shape_hint: str, dtype: Any = np.float64) -> np.ndarray:
    """Return `value` as a finite floating-point array with `ndim` dimensions.

    ``shape_hint`` is the shape as a reader would write it, for example
    ``"(n_samples, input_size)"``; it appears in the error message. The array
    is converted to `dtype` (float64 by default), without a copy when it
    already has that dtype.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be an array of numbers with shape {shape_hint}; got {_describe(value)}.")
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be an array of numbers with shape {shape_hint}; got {_describe(value)}."
        ) from error
    if array.ndim != ndim:
        hint = ""
        if ndim == 2 and array.ndim == 1:
            hint = " For a single feature or target use `.reshape(-1, 1)`; for a single sample `.reshape(1, -1)`."
        raise ValueError(f"`{name}` must have shape {shape_hint}; got shape {array.shape}.{hint}")
    check_finite(name, array)
    return array


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise ``ValueError`` if `array` holds NaN or infinity."""
    if not np.all(np.isfinite(array)):
        n_bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"`{name}` must contain only finite numbers; got {n_bad} NaN or infinite value(s).")


def check_positive_int(name: str, value: Any) -> int:
    """Return `value` as an ``int`` if it is a positive integer, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be a positive integer; got {_describe(value)}.")
    if value <= 0:
        raise ValueError(f"`{name}` must be a positive integer; got {value}.")
    return int(value)


def check_positive_float(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite positive number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a positive number; got {_describe(value)}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a finite positive number; got {value}.")
    return float(value)


def check_real(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite real number (any sign), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number; got {_describe(value)}.")
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number; got {value}.")
    return float(value)


def check_nonnegative_float(name: str, value: Any) -> float:
    """Return `value` as a ``float`` if it is a finite number >= 0, else raise."""
    value = check_real(name, value)
    if value < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0; got {value}.")
    return value


def check_same_n_samples(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ``ValueError`` if `a` and `b` have different numbers of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same number of samples (rows); "
            f"got {a.shape[0]} and {b.shape[0]}."
        )


def make_rng(rng: Any) -> np.random.Generator:
    """Turn ``None``, an integer seed or a ``Generator`` into a ``Generator``."""
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"`rng` must be None, an int seed or a numpy.random.Generator; got {_describe(rng)}.")


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
    bad = ~np.isin(array, (-1, 1))
    if bad.any():
        example = array[bad].flat[0].item()
        raise ValueError(f"`{name}` must contain only -1 and +1; got {int(bad.sum())} other value(s), e.g. {example!r}.")
    return array.astype(np.float64)
