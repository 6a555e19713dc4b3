"""f–I curves (firing rate against constant input) of the Hodgkin–Huxley and LIF neurons.

Used by the chapter on the nervous system. The Hodgkin–Huxley rate is
measured from the inter-spike intervals after an onset transient; the LIF
rate is simulated and compared with :func:`nnmem.neurons.lif_rate_theory`.
"""

from __future__ import annotations

import numpy as np

from nnmem.neurons import hodgkin_huxley, lif, lif_rate_theory, spike_times


def _rate_from_times(times: np.ndarray, t_start: float) -> float:
    """Mean rate in Hz from the intervals of the spikes after `t_start` (0 if fewer than 2)."""
    late = times[times > t_start]
    if len(late) < 2:
        return 0.0
    return float(1000.0 / np.mean(np.diff(late)))


def run(
    hh_currents: tuple[float, ...] = tuple(np.round(np.arange(0.0, 40.01, 1.0), 2)),
    hh_duration: float = 200.0,
    hh_transient: float = 60.0,
    lif_currents: tuple[float, ...] = tuple(np.round(np.arange(0.0, 6.01, 0.25), 2)),
    lif_duration: float = 500.0,
    lif_dt: float = 0.05,
) -> dict:
    """Return currents and rates (Hz) for both models.

    Keys: ``hh_current`` (µA/cm²), ``hh_rate``, ``hh_n_spikes`` (all spikes
    in the run), ``lif_current`` (nA), ``lif_rate_sim``, ``lif_rate_theory``.
    """
    dt = 0.01
    hh_currents = np.asarray(hh_currents, dtype=float)
    n_steps = int(round(hh_duration / dt))
    trace = hodgkin_huxley(np.repeat(hh_currents[:, None], n_steps, axis=1), dt=dt)
    hh_rate, hh_n = [], []
    for row in trace.v:
        times = spike_times(trace.time, row)
        hh_rate.append(_rate_from_times(times, hh_transient))
        hh_n.append(len(times))

    lif_currents = np.asarray(lif_currents, dtype=float)
    n_steps = int(round(lif_duration / lif_dt))
    lif_trace = lif(np.repeat(lif_currents[:, None], n_steps, axis=1), dt=lif_dt)
    lif_sim = [_rate_from_times(times, 0.0) for times in lif_trace.spike_times]
    return {
        "hh_current": hh_currents,
        "hh_rate": np.asarray(hh_rate),
        "hh_n_spikes": np.asarray(hh_n),
        "lif_current": lif_currents,
        "lif_rate_sim": np.asarray(lif_sim),
        "lif_rate_theory": lif_rate_theory(lif_currents),
        "lif_dt": lif_dt,
    }
