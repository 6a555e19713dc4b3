r"""Spiking neuron models: Hodgkin–Huxley and leaky integrate-and-fire.

Two models of one neuron's membrane potential $V(t)$ driven by an injected
current:

* `hodgkin_huxley`, the conductance-based model of the squid giant axon
  (Hodgkin & Huxley 1952), with sodium, potassium and leak currents and the
  gating variables $m$, $h$, $n$;
* `lif`, the leaky integrate-and-fire neuron, which keeps only the
  passive membrane and replaces the spike by a threshold and a reset; its
  firing rate for a constant current has the closed form
  `lif_rate_theory`.

Units follow the tradition of each model. Hodgkin–Huxley works per unit area
of membrane: time in ms, potentials in mV, current densities in µA/cm²,
conductances in mS/cm², capacitance in µF/cm². The LIF model works with a
whole cell: time in ms, potentials in mV, current in nA, resistance in MΩ
(so that $R I$ is in mV).

A current is given per time step: ``current[k]`` is held constant from
$t_k = k\,\Delta t$ to $t_{k+1}$. A 1-D ``current`` of shape ``(n_steps,)``
simulates one neuron; a 2-D array of shape ``(n_neurons, n_steps)``
simulates independent neurons side by side (batch-first).

Examples
--------
>>> import numpy as np
>>> from nnmem.neurons import hodgkin_huxley, spike_times
>>> trace = hodgkin_huxley(np.full(5000, 10.0))   # 50 ms of 10 µA/cm²
>>> trace.v.shape
(5001,)
>>> len(spike_times(trace.time, trace.v)) >= 3
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nnmem._checks import as_array, check_nonnegative_float, check_positive_float, check_real

__all__ = [
    "DRIVE_LIMIT",
    "HH_PARAMS",
    "HHTrace",
    "LIFTrace",
    "hh_rates",
    "hh_steady_state",
    "hodgkin_huxley",
    "lif",
    "lif_rate_theory",
    "spike_times",
    "V_LIMIT",
]

#: Standard parameters of the Hodgkin–Huxley model with the resting potential
#: near -65 mV (as in Dayan & Abbott 2001, ch. 5; Gerstner et al. 2014, ch. 2).
#: Capacitance in µF/cm², conductances in mS/cm², reversal potentials in mV.
HH_PARAMS: dict[str, float] = {
    "c_m": 1.0,
    "g_na": 120.0,
    "g_k": 36.0,
    "g_l": 0.3,
    "e_na": 50.0,
    "e_k": -77.0,
    "e_l": -54.387,
}


# ---------------------------------------------------------------------------
# Private validators (the shared ones live in nnmem._checks).


def _as_current(current: ArrayLike) -> np.ndarray:
    """`current` as a finite float array of shape (n_steps,) or (n_neurons, n_steps)."""
    hint = "(n_steps,) or (n_neurons, n_steps)"
    array = as_array("current", current, ndim=None, shape_hint=hint, allow_empty=True)
    if array.ndim not in (1, 2):
        raise ValueError(f"`current` must have shape {hint}; got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"`current` must have at least one neuron and one time step; got shape {array.shape}.")
    return array


#: Largest |V| in mV accepted by `hh_rates` and `hh_steady_state`. The rate
#: functions are fits to voltage-clamp data between about -100 and +50 mV;
#: far beyond ±1000 mV their exponentials overflow.
V_LIMIT = 1000.0


def _as_voltage(v: ArrayLike) -> np.ndarray:
    v = as_array("v", v, ndim=None, shape_hint="(any shape)", allow_empty=True)
    if v.size and float(np.abs(v).max()) > V_LIMIT:
        raise ValueError(f"`v` must lie within ±{V_LIMIT:g} mV; got a value of {v.flat[np.abs(v).argmax()]:g} mV.")
    return v


# ---------------------------------------------------------------------------
# Hodgkin–Huxley


def _x_over_1_minus_exp(x: np.ndarray, k: float) -> np.ndarray:
    r"""$x / (1 - e^{-x/k})$, with its limit $k$ at $x = 0$ (a removable singularity).

    Written with ``expm1`` for accuracy near zero; within $|x/k| < 10^{-6}$ the
    series $k (1 + y/2 + y^2/12)$ with $y = x/k$ is used instead of 0/0.
    """
    y = np.asarray(x, dtype=np.float64) / k
    small = np.abs(y) < 1e-6
    safe = np.where(small, 1.0, y)
    return np.where(small, k * (1.0 + y / 2.0 + y * y / 12.0), k * safe / -np.expm1(-safe))


def hh_rates(v: ArrayLike) -> dict[str, np.ndarray]:
    r"""Opening and closing rates $\alpha_x(V)$, $\beta_x(V)$ of the gates $x \in \{m, h, n\}$.

    Parameters
    ----------
    v : array_like
        Membrane potential in mV, any shape.

    Returns
    -------
    dict of str to ndarray
        Keys ``"alpha_m"``, ``"beta_m"``, ``"alpha_h"``, ``"beta_h"``,
        ``"alpha_n"``, ``"beta_n"``, each in 1/ms with the shape of `v`.

    Raises
    ------
    TypeError
        If `v` is not real (e.g. ``None``, a string or complex).
    ValueError
        If `v` holds NaN, infinity or a value beyond ±`V_LIMIT` mV.

    Notes
    -----
    With $u = V + 65$ mV (the distance from rest) the rates are

    * $\alpha_m = 0.1\,(V + 40) / (1 - e^{-(V + 40)/10})$, $\beta_m = 4\,e^{-u/18}$;
    * $\alpha_h = 0.07\,e^{-u/20}$, $\beta_h = 1 / (1 + e^{-(V + 35)/10})$;
    * $\alpha_n = 0.01\,(V + 55) / (1 - e^{-(V + 55)/10})$, $\beta_n = 0.125\,e^{-u/80}$.

    $\alpha_m$ at $V = -40$ mV and $\alpha_n$ at $V = -55$ mV are $0/0$;
    their limits, $1$ and $0.1$ per ms, are used there.

    Examples
    --------
    >>> r = hh_rates(np.array([-40.0, -55.0]))
    >>> print(r["alpha_m"][0], r["alpha_n"][1])
    1.0 0.1
    """
    return _rates(_as_voltage(v))


def _rates(v: np.ndarray) -> dict[str, np.ndarray]:
    # --8<-- [start:hh-rates]
    u = v + 65.0  # mV above rest
    return {
        "alpha_m": 0.1 * _x_over_1_minus_exp(v + 40.0, 10.0),
        "beta_m": 4.0 * np.exp(-u / 18.0),
        "alpha_h": 0.07 * np.exp(-u / 20.0),
        "beta_h": 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0)),
        "alpha_n": 0.01 * _x_over_1_minus_exp(v + 55.0, 10.0),
        "beta_n": 0.125 * np.exp(-u / 80.0),
    }
    # --8<-- [end:hh-rates]


def hh_steady_state(v: ArrayLike) -> dict[str, np.ndarray]:
    r"""Steady-state gate values $x_\infty = \alpha_x / (\alpha_x + \beta_x)$ and time constants.

    Parameters
    ----------
    v : array_like
        Membrane potential in mV, any shape.

    Returns
    -------
    dict of str to ndarray
        ``"m_inf"``, ``"h_inf"``, ``"n_inf"`` (dimensionless, in [0, 1]) and
        ``"tau_m"``, ``"tau_h"``, ``"tau_n"`` in ms,
        $\tau_x = 1 / (\alpha_x + \beta_x)$; each with the shape of `v`.

    Raises
    ------
    TypeError, ValueError
        As for `hh_rates`.

    Examples
    --------
    >>> s = hh_steady_state(-65.0)
    >>> print(f"{s['m_inf']:.3f} {s['h_inf']:.3f} {s['n_inf']:.3f}")
    0.053 0.596 0.318
    """
    return _steady_state(_as_voltage(v))


def _steady_state(v: np.ndarray) -> dict[str, np.ndarray]:
    r = _rates(v)
    out = {}
    for x in ("m", "h", "n"):
        total = r[f"alpha_{x}"] + r[f"beta_{x}"]
        out[f"{x}_inf"] = r[f"alpha_{x}"] / total
        out[f"tau_{x}"] = 1.0 / total
    return out


@dataclass(frozen=True)
class HHTrace:
    """A simulated Hodgkin–Huxley trace.

    With ``current`` of shape ``(n_steps,)`` every array below has shape
    ``(n_steps + 1,)``; with ``(n_neurons, n_steps)`` the arrays ``v``, ``m``,
    ``h``, ``n`` have shape ``(n_neurons, n_steps + 1)``. Index 0 is the
    initial state.

    Attributes
    ----------
    time : ndarray of shape (n_steps + 1,)
        Time in ms, $t_k = k\\,\\Delta t$.
    v : ndarray
        Membrane potential in mV.
    m, h, n : ndarray
        Sodium activation, sodium inactivation and potassium activation
        (dimensionless, between 0 and 1).
    """

    time: np.ndarray
    v: np.ndarray
    m: np.ndarray
    h: np.ndarray
    n: np.ndarray


# --8<-- [start:hh-step]
def _hh_step(
    v: np.ndarray, m: np.ndarray, h: np.ndarray, n: np.ndarray, i_ext: np.ndarray, dt: float, p: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""One step: exponential Euler for the gates, forward Euler for $V$."""
    i_na = p["g_na"] * m**3 * h * (v - p["e_na"])  # sodium current, µA/cm²
    i_k = p["g_k"] * n**4 * (v - p["e_k"])  # potassium current
    i_l = p["g_l"] * (v - p["e_l"])  # leak current
    v_new = v + dt * (i_ext - i_na - i_k - i_l) / p["c_m"]
    # each gate relaxes towards x_inf(V) with time constant tau_x(V);
    # for V held fixed during the step this update is exact
    s = _steady_state(v)
    m_new = s["m_inf"] + (m - s["m_inf"]) * np.exp(-dt / s["tau_m"])
    h_new = s["h_inf"] + (h - s["h_inf"]) * np.exp(-dt / s["tau_h"])
    n_new = s["n_inf"] + (n - s["n_inf"]) * np.exp(-dt / s["tau_n"])
    return v_new, m_new, h_new, n_new
# --8<-- [end:hh-step]


def hodgkin_huxley(current: ArrayLike, *, dt: float = 0.01, v0: float = -65.0) -> HHTrace:
    r"""Simulate the Hodgkin–Huxley model for an injected current density.

    Parameters
    ----------
    current : array_like of shape (n_steps,) or (n_neurons, n_steps)
        Injected current density in µA/cm² (positive = depolarising);
        ``current[..., k]`` is applied from $t_k$ to $t_{k+1}$.
    dt : float, default 0.01
        Time step in ms. Must be positive and at most 0.1 ms; with the default
        the firing period changes by about 0.2 % when `dt` is halved.
    v0 : float, default -65.0
        Initial membrane potential in mV. The gates start at their steady
        state $x_\infty(v_0)$.

    Returns
    -------
    HHTrace
        Time, membrane potential and the gates $m$, $h$, $n$.

    Raises
    ------
    TypeError
        If `current` is not numeric or `dt`, `v0` are not real numbers.
    ValueError
        If `current` has the wrong number of dimensions, no time steps, or
        non-finite values; if `dt` is not in (0, 0.1]; if `v0` is not finite.
    FloatingPointError
        If the potential becomes NaN or infinite, which happens only for
        currents far outside the physiological range of tens of µA/cm²
        (e.g. $-10^{9}$ µA/cm²).

    Notes
    -----
    The membrane equation (per cm² of membrane) is

    $C_m \dot V = I_\text{ext} - \bar g_\text{Na} m^3 h (V - E_\text{Na})
    - \bar g_\text{K} n^4 (V - E_\text{K}) - g_L (V - E_L)$,

    and each gate obeys $\dot x = \alpha_x(V)(1 - x) - \beta_x(V)\,x$, i.e.
    $\dot x = (x_\infty(V) - x)/\tau_x(V)$ (rates in `hh_rates`,
    parameters in `HH_PARAMS`). $V$ advances by forward Euler; the
    gates by exponential Euler, which is exact for $V$ fixed over a step and
    keeps them inside $[0, 1]$.

    References
    ----------
    A. L. Hodgkin and A. F. Huxley (1952). A quantitative description of
    membrane current and its application to conduction and excitation in
    nerve. *J. Physiol.* 117(4), 500–544.

    P. Dayan and L. F. Abbott (2001). *Theoretical Neuroscience*, ch. 5.
    MIT Press.

    Examples
    --------
    At rest with no input the potential stays at about -65 mV:

    >>> trace = hodgkin_huxley(np.zeros(1000))
    >>> print(f"{trace.v[-1]:.1f} mV after {trace.time[-1]:.0f} ms")
    -65.0 mV after 10 ms
    >>> hodgkin_huxley([0.0, 1.0], dt=0.5)
    Traceback (most recent call last):
    ...
    ValueError: `dt` must be in (0, 0.1] ms for a stable simulation; got 0.5.
    """
    i_ext = _as_current(current)
    dt = check_positive_float("dt", dt)
    if dt > 0.1:
        raise ValueError(f"`dt` must be in (0, 0.1] ms for a stable simulation; got {dt}.")
    v0 = check_real("v0", v0)
    n_steps = i_ext.shape[-1]
    shape = i_ext.shape[:-1] + (n_steps + 1,)
    v, m, h, n = (np.empty(shape) for _ in range(4))
    s0 = _steady_state(np.asarray(v0))
    v[..., 0], m[..., 0], h[..., 0], n[..., 0] = v0, s0["m_inf"], s0["h_inf"], s0["n_inf"]
    state = (v[..., 0], m[..., 0], h[..., 0], n[..., 0])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(n_steps):
            state = _hh_step(*state, i_ext[..., k], dt, HH_PARAMS)
            v[..., k + 1], m[..., k + 1], h[..., k + 1], n[..., k + 1] = state
    if not np.all(np.isfinite(v)):
        raise FloatingPointError(
            "The simulated potential became NaN or infinite; `current` must stay within the "
            f"physiological range (tens of µA/cm²), got a maximum |current| of {np.max(np.abs(i_ext)):.3g}."
        )
    return HHTrace(time=np.arange(n_steps + 1) * dt, v=v, m=m, h=h, n=n)


def spike_times(time: ArrayLike, v: ArrayLike, *, threshold: float = 0.0) -> np.ndarray:
    """Times at which `v` crosses `threshold` from below (spike onsets).

    Parameters
    ----------
    time : array_like of shape (n_points,)
        Sample times in ms, strictly increasing.
    v : array_like of shape (n_points,)
        Membrane potential in mV at those times.
    threshold : float, default 0.0
        Crossing level in mV. 0 mV suits Hodgkin–Huxley spikes, which peak
        near +40 mV, while subthreshold responses stay far below 0 mV.

    Returns
    -------
    ndarray of shape (n_spikes,)
        Crossing times in ms, linearly interpolated between samples.

    Raises
    ------
    ValueError
        If `time` and `v` are not 1-D of the same length, are empty or not
        finite, or if `time` is not strictly increasing.

    Examples
    --------
    >>> spike_times([0.0, 1.0, 2.0, 3.0], [-60.0, 20.0, -60.0, -70.0])
    array([0.75])
    """
    time = as_array("time", time, ndim=1, shape_hint="(n_points,)")
    v = as_array("v", v, ndim=1, shape_hint="(n_points,)")
    if time.shape != v.shape:
        raise ValueError(f"`time` and `v` must have the same length; got {time.shape[0]} and {v.shape[0]}.")
    steps = np.diff(time)
    if np.any(steps <= 0):
        j = int(np.flatnonzero(steps <= 0)[0])
        raise ValueError(
            f"`time` must be strictly increasing; got time[{j + 1}] = {time[j + 1]:g} after time[{j}] = {time[j]:g}."
        )
    threshold = check_real("threshold", threshold)
    k = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold))
    frac = (threshold - v[k]) / (v[k + 1] - v[k])
    crossings: np.ndarray = time[k] + frac * (time[k + 1] - time[k])
    return crossings


# ---------------------------------------------------------------------------
# Leaky integrate-and-fire


@dataclass(frozen=True)
class LIFTrace:
    """A simulated leaky integrate-and-fire trace.

    Attributes
    ----------
    time : ndarray of shape (n_steps + 1,)
        Time in ms.
    v : ndarray of shape (n_steps + 1,) or (n_neurons, n_steps + 1)
        Membrane potential in mV. At a spike the recorded value is already
        the reset potential: the spike itself is not modelled.
    spikes : ndarray of bool, same shape as `v`
        ``True`` at the time steps where the potential reached threshold.
    """

    time: np.ndarray
    v: np.ndarray
    spikes: np.ndarray

    @property
    def spike_times(self) -> list[np.ndarray]:
        """Spike times in ms: a list with one array per neuron (one entry for a 1-D `current`)."""
        return [self.time[row] for row in np.atleast_2d(self.spikes)]


def _check_lif_potentials(v_reset: float, v_threshold: float) -> None:
    if not v_reset < v_threshold:
        raise ValueError(
            f"`v_reset` must be below `v_threshold`; got v_reset={v_reset} and v_threshold={v_threshold}."
        )


#: Largest |R I| in mV accepted by `lif` and `lif_rate_theory`: a drive a
#: thousand times any real membrane potential, far below where float64 overflows.
DRIVE_LIMIT = 1e6


def _check_drive(i_ext: np.ndarray, resistance: float) -> None:
    largest = float(np.abs(i_ext).max(initial=0.0)) * resistance
    if largest > DRIVE_LIMIT:
        raise ValueError(
            f"`current` times `resistance` must stay within ±{DRIVE_LIMIT:g} mV; got |R I| up to {largest:.3g} mV."
        )


def lif(
    current: ArrayLike,
    *,
    dt: float = 0.1,
    tau_m: float = 10.0,
    v_rest: float = -65.0,
    v_reset: float = -65.0,
    v_threshold: float = -50.0,
    resistance: float = 10.0,
    refractory: float = 2.0,
) -> LIFTrace:
    r"""Simulate a leaky integrate-and-fire neuron.

    Parameters
    ----------
    current : array_like of shape (n_steps,) or (n_neurons, n_steps)
        Injected current in nA; ``current[..., k]`` is applied from $t_k$ to
        $t_{k+1}$.
    dt : float, default 0.1
        Time step in ms.
    tau_m : float, default 10.0
        Membrane time constant $\tau_m = R C$ in ms.
    v_rest : float, default -65.0
        Resting potential in mV (where $V$ settles without input).
    v_reset : float, default -65.0
        Potential in mV right after a spike; must be below `v_threshold`.
    v_threshold : float, default -50.0
        Firing threshold $\vartheta$ in mV.
    resistance : float, default 10.0
        Membrane resistance $R$ in MΩ; 1 nA through 10 MΩ gives 10 mV.
    refractory : float, default 2.0
        Absolute refractory period in ms during which $V$ is held at
        `v_reset`; rounded to a whole number of steps.

    Returns
    -------
    LIFTrace
        Time, potential and a boolean spike raster.

    Raises
    ------
    TypeError
        If `current` is not numeric or a parameter is not a real number.
    ValueError
        If `current` has the wrong number of dimensions, no steps or
        non-finite values; if `dt`, `tau_m` or `resistance` is not positive;
        if `refractory` is negative; if `v_reset` is not below `v_threshold`;
        if $|R I|$ exceeds `DRIVE_LIMIT` (10⁶ mV).

    Notes
    -----
    Between spikes $\tau_m \dot V = -(V - v_\text{rest}) + R I(t)$. When $V$
    reaches $\vartheta$ a spike is recorded and $V$ is set to
    $v_\text{reset}$ for the refractory period. With $I$ constant within a
    step the update
    $V_{k+1} = V_\infty + (V_k - V_\infty) e^{-\Delta t/\tau_m}$,
    $V_\infty = v_\text{rest} + R I_k$, is exact, so the only error is that
    spikes are located on the time grid (an error of at most $\Delta t$).

    Examples
    --------
    >>> trace = lif(np.full(1000, 2.0))   # 100 ms of 2 nA: R I = 20 mV > 15 mV
    >>> trace.spike_times[0][:3]   # the first (and only) neuron's first three spikes
    array([13.9, 29.8, 45.7])
    >>> lif(np.full(10, 1.0), dt=0.0)
    Traceback (most recent call last):
    ...
    ValueError: `dt` must be a finite positive number; got 0.0.
    """
    i_ext = _as_current(current)
    dt = check_positive_float("dt", dt)
    tau_m = check_positive_float("tau_m", tau_m)
    resistance = check_positive_float("resistance", resistance)
    v_rest = check_real("v_rest", v_rest)
    v_reset = check_real("v_reset", v_reset)
    v_threshold = check_real("v_threshold", v_threshold)
    refractory = check_nonnegative_float("refractory", refractory)
    _check_lif_potentials(v_reset, v_threshold)
    _check_drive(i_ext, resistance)

    # --8<-- [start:lif-loop]
    n_steps = i_ext.shape[-1]
    decay = np.exp(-dt / tau_m)
    n_ref = int(round(refractory / dt))
    v = np.empty(i_ext.shape[:-1] + (n_steps + 1,))
    spikes = np.zeros(v.shape, dtype=bool)
    v[..., 0] = v_rest
    hold = np.zeros(i_ext.shape[:-1], dtype=int)  # refractory steps left
    for k in range(n_steps):
        v_inf = v_rest + resistance * i_ext[..., k]
        v_next = v_inf + (v[..., k] - v_inf) * decay
        v_next = np.where(hold > 0, v_reset, v_next)
        fired = v_next >= v_threshold
        spikes[..., k + 1] = fired
        v[..., k + 1] = np.where(fired, v_reset, v_next)
        hold = np.where(fired, n_ref, np.maximum(hold - 1, 0))
    # --8<-- [end:lif-loop]
    return LIFTrace(time=np.arange(n_steps + 1) * dt, v=v, spikes=spikes)


def lif_rate_theory(
    current: ArrayLike,
    *,
    tau_m: float = 10.0,
    v_rest: float = -65.0,
    v_reset: float = -65.0,
    v_threshold: float = -50.0,
    resistance: float = 10.0,
    refractory: float = 2.0,
) -> np.ndarray:
    r"""Firing rate of the LIF neuron for a constant current, in Hz.

    Parameters
    ----------
    current : array_like
        Constant injected current in nA, any shape.
    tau_m, v_rest, v_reset, v_threshold, resistance, refractory
        As in `lif` (ms, mV, MΩ).

    Returns
    -------
    ndarray
        Rate in Hz (spikes per second), same shape as `current`; 0 below
        the rheobase $I_\text{rh} = (\vartheta - v_\text{rest}) / R$.

    Raises
    ------
    TypeError, ValueError
        For the same parameter problems as `lif` (an empty `current` gives an
        empty result).

    Notes
    -----
    After a reset the potential relaxes towards $V_\infty = v_\text{rest} + R I$:
    $V(t) = V_\infty + (v_\text{reset} - V_\infty) e^{-t/\tau_m}$. It reaches
    $\vartheta$ only if $V_\infty > \vartheta$, after

    $T = \tau_m \ln \dfrac{V_\infty - v_\text{reset}}{V_\infty - \vartheta}$,

    so the rate is $r = 1 / (t_\text{ref} + T)$. With $v_\text{rest} =
    v_\text{reset} = 0$ this is the textbook
    $r = 1 / \bigl(t_\text{ref} + \tau_m \ln \frac{R I}{R I - \vartheta}\bigr)$
    (Gerstner et al. 2014, sec. 1.3).

    Examples
    --------
    >>> # 2 nA: V_inf = -65 + 20 = -45 mV, T = 10 ln(20 / 5) = 13.863 ms, rate = 1000 / (2 + T)
    >>> lif_rate_theory([1.0, 2.0]).round(6)   # 1 nA is below the rheobase of 1.5 nA
    array([ 0.      , 63.040002])
    """
    i_ext = as_array("current", current, ndim=None, shape_hint="(any shape)", allow_empty=True)
    tau_m = check_positive_float("tau_m", tau_m)
    resistance = check_positive_float("resistance", resistance)
    v_rest = check_real("v_rest", v_rest)
    v_reset = check_real("v_reset", v_reset)
    v_threshold = check_real("v_threshold", v_threshold)
    refractory = check_nonnegative_float("refractory", refractory)
    _check_lif_potentials(v_reset, v_threshold)
    _check_drive(i_ext, resistance)

    # --8<-- [start:lif-theory]
    v_inf = v_rest + resistance * i_ext
    above = v_inf > v_threshold
    safe = np.where(above, v_inf, v_threshold + 1.0)  # avoid log of <= 0 below threshold
    period_ms = refractory + tau_m * np.log((safe - v_reset) / (safe - v_threshold))
    return np.where(above, 1000.0 / period_ms, 0.0)
    # --8<-- [end:lif-theory]
