"""How spike pairs add up under pair-based STDP: simulation against the correlation formula.

Used by the chapter "Synaptic plasticity and Hebbian learning"
(``docs/plasticity.md``). A pair-based, additive STDP model changes a synapse
by the sum of the window $W(\\Delta t)$ (:func:`nnmem.hebbian.stdp_window`)
over every pair of a presynaptic and a postsynaptic spike,
$\\Delta t = t_\\text{post} - t_\\text{pre}$. For stationary spike trains the
expected sum over a time $T$ is the window integrated against the
cross-correlation of the two trains (Kempter, Gerstner & van Hemmen 1999).
Three cases with the *same* firing rates are simulated:

* ``independent``: presynaptic and postsynaptic Poisson trains at the same
  rate, unrelated in time;
* ``causal``: a postsynaptic train made of independent background spikes
  plus, for each presynaptic spike with probability ``q``, one spike
  ``lag_ms`` later (the input helps to fire the cell);
* ``anticausal``: the same, but the extra spike comes ``lag_ms`` *before*
  the presynaptic one.

With rates $r$ in spikes/ms, the expected summed change is
$T\\,[\\,r_\\text{pre} r_\\text{post} \\int W + q\\, r_\\text{pre} W(\\pm\\text{lag})\\,]$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmem.hebbian import stdp_window


# --8<-- [start:pairs]
def pair_sum(t_pre: np.ndarray, t_post: np.ndarray, *, cutoff_ms: float = 500.0) -> float:
    """Sum of the STDP window over all spike pairs closer than `cutoff_ms` (times in ms, sorted)."""
    lo = np.searchsorted(t_post, t_pre - cutoff_ms)  # first post spike in range of each pre spike
    hi = np.searchsorted(t_post, t_pre + cutoff_ms)  # one past the last
    pre_index = np.repeat(np.arange(len(t_pre)), hi - lo)
    ranges = [np.arange(a, b) for a, b in zip(lo, hi, strict=True)]
    post_index = np.concatenate(ranges) if len(t_pre) else np.array([], int)
    return float(stdp_window(t_post[post_index] - t_pre[pre_index]).sum())


def poisson_train(rate_hz: float, duration_ms: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted spike times (ms) of a Poisson process of `rate_hz` spikes per second."""
    n = rng.poisson(rate_hz * duration_ms / 1000.0)
    return np.sort(rng.uniform(0.0, duration_ms, size=n))
# --8<-- [end:pairs]


def window_integral() -> float:
    r"""$\int W(\Delta t)\, d\Delta t = A_+\tau_+ - A_-\tau_-$ in ms, for the default window."""
    return 0.777 * 16.8 - 0.273 * 33.7


def run(
    *, rate_hz: float = 10.0, duration_s: float = 200.0, trials: int = 80, q: float = 0.5, lag_ms: float = 10.0,
    seed: int = 0,
) -> dict[str, Any]:
    """Simulate the three cases; return per-case mean, standard error and the expected value.

    Returns
    -------
    dict
        For each of ``independent``, ``causal``, ``anticausal``: ``mean`` and
        ``sem`` of the summed window per trial, ``theory`` (the correlation
        formula), ``rate_post_hz`` (measured postsynaptic rate). Also the
        settings and ``integral_ms`` ($\\int W$, numerically).
    """
    rng = np.random.default_rng(seed)
    duration_ms = 1000.0 * duration_s
    r_pre = rate_hz / 1000.0  # spikes per ms
    grid = np.linspace(-1000.0, 1000.0, 400_001)  # 0.005 ms steps; the window is < 1e-12 beyond ±1 s
    values = stdp_window(grid)
    integral = float((values[:-1] + values[1:]).sum() / 2 * (grid[1] - grid[0]))  # trapezoid rule
    out: dict[str, Any] = {
        "rate_hz": rate_hz, "duration_s": duration_s, "trials": trials, "q": q, "lag_ms": lag_ms,
        "integral_ms": integral,
    }
    cases = {"independent": 0.0, "causal": lag_ms, "anticausal": -lag_ms}
    for name, shift in cases.items():
        sums, rates = [], []
        for _ in range(trials):
            pre = poisson_train(rate_hz, duration_ms, rng)
            if name == "independent":
                post = poisson_train(rate_hz, duration_ms, rng)
            else:
                background = poisson_train((1.0 - q) * rate_hz, duration_ms, rng)
                extra = pre[rng.random(len(pre)) < q] + shift
                post = np.sort(np.concatenate([background, extra]))
            sums.append(pair_sum(pre, post))
            rates.append(len(post) / duration_s)
        sums_arr = np.array(sums)
        extra_term = 0.0 if name == "independent" else q * r_pre * float(stdp_window(np.array([shift]))[0])
        out[name] = {
            "mean": float(sums_arr.mean()),
            "sem": float(sums_arr.std(ddof=1) / np.sqrt(trials)),
            "theory": duration_ms * (r_pre * r_pre * integral + extra_term),
            "rate_post_hz": float(np.mean(rates)),
        }
    return out
