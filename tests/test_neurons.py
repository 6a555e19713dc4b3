"""Tests of nnmem.neurons: Hodgkin–Huxley and leaky integrate-and-fire."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import neurons
from nnmem.neurons import (
    hh_rates,
    hh_steady_state,
    hodgkin_huxley,
    lif,
    lif_rate_theory,
    spike_times,
)


def _hh_spikes(i_amp: float, duration_ms: float = 200.0, dt: float = 0.01) -> np.ndarray:
    trace = hodgkin_huxley(np.full(int(round(duration_ms / dt)), i_amp), dt=dt)
    return spike_times(trace.time, trace.v)


def _spike_peaks(v: np.ndarray, level: float = 0.0) -> np.ndarray:
    """Maximum of `v` in each run of consecutive samples at or above `level`."""
    above = np.concatenate([[False], v >= level, [False]])
    starts = np.flatnonzero(~above[:-1] & above[1:])
    ends = np.flatnonzero(above[:-1] & ~above[1:])
    return np.array([v[a:b].max() for a, b in zip(starts, ends, strict=True)])


def test_spike_peaks_helper_sees_every_spike() -> None:
    v = np.array([-60.0, 30.0, 5.0, -70.0, -60.0, 10.0, -65.0, 25.0])
    np.testing.assert_array_equal(_spike_peaks(v), [30.0, 10.0, 25.0])  # a low middle peak is not hidden


# ---------------------------------------------------------------------------
# Hodgkin–Huxley


def test_hh_rest_is_stable_near_minus_65_mv():
    """With no input the model sits at its resting potential, about -65 mV.

    E_L = -54.387 mV is chosen so that the total ionic current vanishes at
    -65 mV with the gates at steady state (Dayan & Abbott 2001, ch. 5).
    """
    trace = hodgkin_huxley(np.zeros(10_000))  # 100 ms
    assert np.max(np.abs(trace.v + 65.0)) < 0.05
    assert len(spike_times(trace.time, trace.v)) == 0


def test_hh_step_of_10_gives_repetitive_spikes_in_published_range():
    """A 10 µA/cm² step makes the HH model fire periodically at about 68 Hz.

    Hodgkin & Huxley (1952) model with the standard modern parameters
    (Dayan & Abbott 2001, ch. 5; Gerstner et al. 2014, ch. 2): for 10 µA/cm²
    the steady firing rate is close to 68 Hz and spikes overshoot to about
    +40 mV. We accept 60–75 Hz, which leaves room for integration schemes
    but excludes e.g. a wrong sign convention or the 1952 voltage offset.
    """
    trace = hodgkin_huxley(np.full(20_000, 10.0))  # 200 ms
    times = spike_times(trace.time, trace.v)
    assert len(times) >= 10
    steady = times[times > 50.0]
    rate_hz = 1000.0 / np.mean(np.diff(steady))
    assert 60.0 < rate_hz < 75.0
    # every spike overshoots 0 mV well: the peak of each excursion above 0 mV exceeds +20 mV
    peaks = _spike_peaks(trace.v)
    assert len(peaks) == len(times)
    assert np.all(peaks > 20.0), peaks
    # the period is regular once the onset transient is over (< 1 % spread)
    isi = np.diff(steady)
    assert np.ptp(isi) < 0.01 * np.mean(isi)


def test_hh_has_a_threshold_for_repetitive_firing():
    """Below about 6 µA/cm² the HH model does not fire repetitively.

    A 2 µA/cm² step gives no spike at all; a 4 µA/cm² step gives one spike
    at the onset and then settles (the squid axon 'accommodates'); this is
    the classical type-II behaviour of the model (Hodgkin 1948 classes;
    Gerstner et al. 2014, sec. 4.4).
    """
    trace = hodgkin_huxley(np.stack([np.full(20_000, 2.0), np.full(20_000, 4.0)]))  # 200 ms, two neurons
    assert len(spike_times(trace.time, trace.v[0])) == 0
    assert len(spike_times(trace.time, trace.v[1])) == 1


def test_hh_rate_increases_with_current_above_threshold():
    trace = hodgkin_huxley(np.stack([np.full(20_000, i_amp) for i_amp in (8.0, 10.0, 20.0)]))  # 200 ms each
    rates = []
    for v in trace.v:
        times = spike_times(trace.time, v)
        rates.append(1000.0 / np.mean(np.diff(times[times > 50.0])))
    assert rates[0] < rates[1] < rates[2]


def test_hh_converges_in_dt():
    """Halving dt from 0.01 ms changes the firing period by less than 0.5 %.

    The scheme is first order, so the error of dt = 0.01 ms is about the
    change seen when halving it.
    """
    coarse = _hh_spikes(10.0, duration_ms=150.0, dt=0.01)
    fine = _hh_spikes(10.0, duration_ms=150.0, dt=0.005)
    assert len(coarse) == len(fine)
    period_coarse, period_fine = np.mean(np.diff(coarse)), np.mean(np.diff(fine))
    assert abs(period_coarse - period_fine) < 0.005 * period_fine


def test_hh_gates_stay_in_unit_interval_and_batch_matches_single():
    current = np.stack([np.full(3000, 0.0), np.full(3000, 10.0), np.full(3000, 30.0)])
    before = current.copy()
    batch = hodgkin_huxley(current)
    np.testing.assert_array_equal(current, before)  # input untouched
    assert batch.v.shape == (3, 3001) and batch.time.shape == (3001,)
    for gate in (batch.m, batch.h, batch.n):
        assert np.all((gate >= 0.0) & (gate <= 1.0))
    single = hodgkin_huxley(current[1])
    np.testing.assert_allclose(batch.v[1], single.v)


def test_hh_rates_removable_singularities():
    """alpha_m at -40 mV and alpha_n at -55 mV equal their limits and are continuous."""
    r = hh_rates(np.array([-40.0, -55.0]))
    assert r["alpha_m"][0] == pytest.approx(1.0)  # 0.1 * 10
    assert r["alpha_n"][1] == pytest.approx(0.1)  # 0.01 * 10
    eps = np.array([-1e-4, -1e-8, 1e-8, 1e-4])
    near_m = hh_rates(-40.0 + eps)["alpha_m"]
    near_n = hh_rates(-55.0 + eps)["alpha_n"]
    np.testing.assert_allclose(near_m, 1.0, rtol=1e-5)
    np.testing.assert_allclose(near_n, 0.1, rtol=1e-5)


def test_hh_steady_state_at_rest():
    """Textbook resting values: m ≈ 0.053, h ≈ 0.596, n ≈ 0.318 (Dayan & Abbott 2001, ch. 5)."""
    s = hh_steady_state(-65.0)
    assert s["m_inf"] == pytest.approx(0.0529, abs=5e-4)
    assert s["h_inf"] == pytest.approx(0.5961, abs=5e-4)
    assert s["n_inf"] == pytest.approx(0.3177, abs=5e-4)


def test_spike_times_interpolates():
    # crossing 0 between v = -60 at t = 0 and v = 20 at t = 1: 60/80 = 0.75
    np.testing.assert_allclose(spike_times([0.0, 1.0, 2.0], [-60.0, 20.0, -60.0]), [0.75])


# ---------------------------------------------------------------------------
# Leaky integrate-and-fire


@pytest.mark.parametrize("i_amp", [1.6, 2.0, 3.0, 5.0, 10.0])
def test_lif_rate_matches_theory(i_amp):
    """The simulated inter-spike interval equals the analytic one to within one step.

    The update is exact between spikes, so the only error is that a spike is
    registered at the first grid point after the true crossing: the
    simulated interval is longer by at most dt (refractory 2 ms is a whole
    number of steps). Gerstner et al. (2014), sec. 1.3, for the formula.
    """
    dt = 0.05
    trace = lif(np.full(8000, i_amp), dt=dt)  # 400 ms
    (times,) = trace.spike_times  # one neuron: a list of one array
    assert len(times) >= 3
    isi_sim = np.mean(np.diff(times))
    isi_theory = 1000.0 / lif_rate_theory(i_amp)
    assert 0.0 <= isi_sim - isi_theory <= dt + 1e-9


def test_lif_silent_below_rheobase():
    # rheobase = (threshold - rest) / R = 15 mV / 10 MΩ = 1.5 nA
    trace = lif(np.full(10_000, 1.49))
    assert not trace.spikes.any()
    assert trace.v.max() < -50.0
    np.testing.assert_array_equal(lif_rate_theory([0.0, 1.0, 1.5, -2.0]), 0.0)


def test_lif_reset_refractory_and_batch():
    trace = lif(np.stack([np.full(500, 3.0), np.zeros(500)]), dt=0.1, refractory=2.0)
    assert trace.v.shape == (2, 501)
    first = np.flatnonzero(trace.spikes[0])[0]
    # at the spike and for the 2 ms (20 steps) after it V is held at the reset
    np.testing.assert_array_equal(trace.v[0, first : first + 21], -65.0)
    assert trace.v[0, first + 21] > -65.0
    assert len(trace.spike_times) == 2 and len(trace.spike_times[1]) == 0


def test_lif_rate_theory_hand_example():
    # v_rest = v_reset = 0, theta = 10, R I = 20: T = tau ln(20/10) = 10 ln 2 ms
    rate = lif_rate_theory(2.0, v_rest=0.0, v_reset=0.0, v_threshold=10.0, refractory=0.0)
    assert rate == pytest.approx(1000.0 / (10.0 * np.log(2.0)))


@pytest.mark.parametrize("v", [-65.0, -40.0, -55.0, 0.0, -90.0, 20.0])
def test_hh_rates_at_known_voltages_by_hand(v: float) -> None:
    """The rate functions of Hodgkin & Huxley (1952), eqs. 12, 13, 20, 21, 23, 24, shifted to rest at -65 mV.

    HH wrote them in the displacement from rest, V_HH = -(V + 65) (depolarisation
    negative). Written out here with `math` from that form, not from the package:
    alpha_n = 0.01 (V_HH + 10) / (exp((V_HH + 10)/10) - 1), beta_n = 0.125 exp(V_HH/80),
    alpha_m = 0.1 (V_HH + 25) / (exp((V_HH + 25)/10) - 1), beta_m = 4 exp(V_HH/18),
    alpha_h = 0.07 exp(V_HH/20), beta_h = 1 / (exp((V_HH + 30)/10) + 1).
    At rest (V = -65 mV) this gives the classic 0.0582, 0.125, 0.2236, 4, 0.07, 0.0474 per ms.
    """
    import math

    vh = -(v + 65.0)

    def ratio(x: float, k: float) -> float:  # x / (exp(x / k) - 1), limit k at x = 0
        return k if x == 0 else x / (math.exp(x / k) - 1.0)

    expected = {
        "alpha_n": 0.01 * ratio(vh + 10.0, 10.0),
        "beta_n": 0.125 * math.exp(vh / 80.0),
        "alpha_m": 0.1 * ratio(vh + 25.0, 10.0),
        "beta_m": 4.0 * math.exp(vh / 18.0),
        "alpha_h": 0.07 * math.exp(vh / 20.0),
        "beta_h": 1.0 / (math.exp((vh + 30.0) / 10.0) + 1.0),
    }
    rates = hh_rates(v)
    assert set(rates) == set(expected)
    for key, value in expected.items():
        assert float(rates[key]) == pytest.approx(value, rel=1e-12), key
    steady = hh_steady_state(v)
    for x in "mhn":
        total = expected[f"alpha_{x}"] + expected[f"beta_{x}"]
        assert float(steady[f"{x}_inf"]) == pytest.approx(expected[f"alpha_{x}"] / total, rel=1e-12)
        assert float(steady[f"tau_{x}"]) == pytest.approx(1.0 / total, rel=1e-12)


def test_hh_rates_at_rest_match_the_classic_table() -> None:
    """Hodgkin & Huxley (1952), resting values (V = 0 in their convention), to the digits usually quoted."""
    r = hh_rates(-65.0)
    assert float(r["alpha_n"]) == pytest.approx(0.05820, abs=5e-5)
    assert float(r["beta_n"]) == 0.125
    assert float(r["alpha_m"]) == pytest.approx(0.2236, abs=5e-5)
    assert float(r["beta_m"]) == 4.0
    assert float(r["alpha_h"]) == 0.07
    assert float(r["beta_h"]) == pytest.approx(0.04743, abs=5e-5)


def test_hh_rates_series_branch_near_the_singularity() -> None:
    # within |y| < 1e-6 of the removable singularity the series k (1 + y/2 + y^2/12) is used:
    # alpha_m at V = -40 + 1e-6 (y = 1e-7): 0.1 * 10 * (1 + 5e-8) to rounding.
    # abs=0 throughout: pytest.approx's default abs=1e-12 would swamp these relative tolerances
    assert float(hh_rates(-40.0 + 1e-6)["alpha_m"]) == pytest.approx(1.0 + 5e-8, rel=1e-13, abs=0)
    assert float(hh_rates(-55.0 - 1e-6)["alpha_n"]) == pytest.approx(0.1 * (1.0 - 5e-8), rel=1e-13, abs=0)
    # at the edge of the series range (y = 9.9e-7) the y^2/12 term is 8.2e-14 relative: its sign
    # (+/-) shows at 1.6e-13 and its denominator (12 vs 13) at 6.3e-15, both above the 2e-15 allowed
    y = 9.9e-7
    assert float(hh_rates(-40.0 + 10.0 * y)["alpha_m"]) == pytest.approx(y / -np.expm1(-y), rel=2e-15, abs=0)
    # just outside the series range (y = 2e-6) the expm1 form agrees with the series
    assert float(hh_rates(-40.0 + 2e-5)["alpha_m"]) == pytest.approx(1.0 + 1e-6 + 4e-12 / 12, rel=1e-13, abs=0)


def test_spike_times_threshold_and_several_crossings() -> None:
    # threshold -10: crossings between (0, -20) and (1, 0): t = 0.5; between (2, -30) and (4, 10): 2 + 2 * 20/40 = 3
    # a sample exactly at threshold counts as crossed (v[k] < thr <= v[k+1]); a downward crossing does not
    t = [0.0, 1.0, 2.0, 4.0, 5.0, 6.0]
    v = [-20.0, 0.0, -30.0, 10.0, -10.0, -20.0]
    np.testing.assert_allclose(spike_times(t, v, threshold=-10.0), [0.5, 3.0], rtol=1e-15)
    np.testing.assert_allclose(spike_times([0.0, 1.0], [-1.0, 0.0]), [1.0])  # reaches 0 exactly at t = 1
    assert spike_times([0.0, 1.0], [0.0, 5.0]).size == 0  # starts at threshold: no upward crossing


def test_lif_first_spike_time_by_hand() -> None:
    # v_rest = v_reset = 0, theta = 10, R I = 20, tau 10: V(t) = 20 (1 - e^{-t/10}) reaches 10 at t = 10 ln 2 = 6.93 ms;
    # on a 0.1 ms grid the first sample at or above threshold is t = 7.0 ms, where V is set to the reset 0
    trace = lif(np.full(100, 2.0), v_rest=0.0, v_reset=0.0, v_threshold=10.0, refractory=0.0)
    (times,) = trace.spike_times
    assert times[0] == pytest.approx(7.0)
    k = int(round(6.9 / 0.1))
    assert trace.v[k] == pytest.approx(20.0 * (1 - np.exp(-6.9 / 10.0)), rel=1e-12)  # exact update between spikes
    assert trace.v[k + 1] == 0.0


def test_lif_refractory_rounds_to_whole_steps() -> None:
    # refractory 0.26 ms at dt 0.1 rounds to 3 steps held at the reset after the spike step
    trace = lif(np.full(400, 5.0), dt=0.1, refractory=0.26)
    first = int(np.flatnonzero(trace.spikes[0] if trace.spikes.ndim == 2 else trace.spikes)[0])
    np.testing.assert_array_equal(trace.v[first : first + 4], -65.0)
    assert trace.v[first + 4] > -65.0


def _hh_by_hand(v0: float, current: list[float], dt: float) -> dict[str, list[float]]:
    """A second Hodgkin–Huxley integrator, written with `math` from the 1952 form of the rates.

    Rates in HH's displacement V_HH = -(V + 65) (see `test_hh_rates_at_known_voltages_by_hand`), the
    published constants (c_m 1, g_Na 120, g_K 36, g_L 0.3, E_Na 50, E_K -77, E_L -54.387), gates
    starting at x_inf(v0); each step moves V by forward Euler and each gate x to
    x_inf + (x - x_inf) exp(-dt / tau_x), all evaluated at the V the step starts from.
    """
    import math

    def ratio(x: float, k: float) -> float:  # x / (exp(x / k) - 1)
        return x / (math.exp(x / k) - 1.0)

    def inf_tau(v: float) -> dict[str, tuple[float, float]]:
        vh = -(v + 65.0)
        pairs = {
            "m": (0.1 * ratio(vh + 25.0, 10.0), 4.0 * math.exp(vh / 18.0)),
            "h": (0.07 * math.exp(vh / 20.0), 1.0 / (math.exp((vh + 30.0) / 10.0) + 1.0)),
            "n": (0.01 * ratio(vh + 10.0, 10.0), 0.125 * math.exp(vh / 80.0)),
        }
        return {x: (a / (a + b), 1.0 / (a + b)) for x, (a, b) in pairs.items()}

    start = inf_tau(v0)
    trace = {"v": [v0], "m": [start["m"][0]], "h": [start["h"][0]], "n": [start["n"][0]]}
    for i_ext in current:
        v, m, h, n = (trace[key][-1] for key in "vmhn")
        i_ion = 120.0 * m**3 * h * (v - 50.0) + 36.0 * n**4 * (v + 77.0) + 0.3 * (v + 54.387)
        trace["v"].append(v + dt * (i_ext - i_ion) / 1.0)
        for x, (x_inf, tau) in inf_tau(v).items():
            trace[x].append(x_inf + (trace[x][-1] - x_inf) * math.exp(-dt / tau))
    return trace


def test_hh_first_steps_match_a_hand_written_integrator() -> None:
    """Every recorded sample of V, m, h and n (index k after k steps) equals a second implementation's.

    From v0 = -60 mV with 10, 20 and 5 µA/cm². The gates start at x_inf(v0), so the first step,
    taken at V = v0, leaves them where they are; from the second step on each sample differs.
    """
    current = [10.0, 20.0, 5.0]
    trace = hodgkin_huxley(np.array(current), dt=0.01, v0=-60.0)
    expected = _hh_by_hand(-60.0, current, 0.01)
    np.testing.assert_allclose(trace.time, [0.0, 0.01, 0.02, 0.03], rtol=1e-15)
    for key in "vmhn":
        np.testing.assert_allclose(getattr(trace, key), expected[key], rtol=1e-12, atol=0, err_msg=key)
    # the gates moved after the first step (by far more than the 1e-12 allowed), so a sample at the wrong index shows
    for key in "mhn":
        assert expected[key][1] == expected[key][0] and np.all(np.abs(np.diff(expected[key][1:])) > 1e-8), key


def test_hh_step_divides_the_net_current_by_the_capacitance() -> None:
    """C_m dV/dt = I_ext - I_ion: one Euler step with c_m = 2 µF/cm² moves V half as far as with 1.

    By hand at V = -60 mV, m = 0.1, h = 0.5, n = 0.4, I_ext = 10 µA/cm²:
    I_Na = 120 * 0.001 * 0.5 * (-60 - 50) = -6.6, I_K = 36 * 0.0256 * (-60 + 77) = 15.6672,
    I_L = 0.3 * (-60 + 54.387) = -1.6839; I_ext - I_ion = 2.6167, so dt = 0.01 ms moves V by
    0.026167 mV with c_m = 1 and by 0.0130835 mV with c_m = 2.
    """
    params = {"g_na": 120.0, "g_k": 36.0, "g_l": 0.3, "e_na": 50.0, "e_k": -77.0, "e_l": -54.387}
    v, m, h, n, i_ext = (np.array(value) for value in (-60.0, 0.1, 0.5, 0.4, 10.0))
    for c_m, dv in ((1.0, 0.026167), (2.0, 0.0130835)):
        v_new = neurons._hh_step(v, m, h, n, i_ext, 0.01, {**params, "c_m": c_m})[0]
        assert float(v_new) == pytest.approx(-60.0 + dv, rel=1e-13, abs=0), c_m


def test_lif_a_potential_exactly_at_threshold_fires() -> None:
    """The rule is V >= threshold: reaching it exactly is a spike.

    A neuron resting exactly at its threshold (v_rest = v_threshold = -50 mV, no input) has
    V_inf = -50, so the exact update leaves V = -50 + 0 * decay = -50 mV: it fires in the first
    step. After the reset to -65 mV (no refractory period) V = -50 - 15 e^{-k dt / tau} stays below
    -50 mV for thousands of steps, so there is no second spike.
    """
    trace = lif(np.zeros(5), v_rest=-50.0, v_reset=-65.0, v_threshold=-50.0, refractory=0.0)
    np.testing.assert_array_equal(trace.spikes, [False, True, False, False, False, False])
    assert trace.v[1] == -65.0 and np.all(trace.v[2:] < -50.0)
