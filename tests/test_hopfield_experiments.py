"""Tests of the experiments behind docs/hopfield.md (letters, dynamics, capacity).

Most checks are laws (energy never rises, the 2-cycle, m = 1 - 2f for a cue with
a fraction f of flipped bits, the Gaussian crosstalk formula and Hertz, Krogh &
Palmer's table). Checks marked "Guards" protect prose with values that are the
experiment's own measured outcome, not an independent check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs_src"))

from nnbook.experiments import hopfield_capacity, hopfield_dynamics, hopfield_images  # noqa: E402
from nnbook.experiments.hopfield_dynamics import async_updates, parallel_lyapunov  # noqa: E402
from nnbook.experiments.hopfield_images import LETTERS, STORED, letter_patterns  # noqa: E402
from nnmem.hopfield import energy, store, update_async, update_sync  # noqa: E402


def test_letters_are_12_by_12_binary_and_distinct():
    for name, rows in LETTERS.items():
        assert len(rows) == 12 and all(len(r) == 12 for r in rows), name
        assert set("".join(rows)) <= {"#", "."}, name
    xi = letter_patterns(list(LETTERS))
    assert xi.shape == (len(LETTERS), 144)
    assert len({tuple(r) for r in xi}) == len(LETTERS)
    # "A" starts with "....####....": pixel 0 is paper (-1), pixel 4 is ink (+1)
    assert xi[0, 0] == -1 and xi[0, 4] == 1


def test_the_five_stored_letters_are_fixed_points():
    xi = letter_patterns(STORED)
    W = store(xi)
    assert np.array_equal(update_sync(W, xi), xi)


def test_async_updates_is_the_package_sweep_and_energy_never_rises():
    rng = np.random.default_rng(0)
    xi = rng.choice([-1.0, 1.0], size=(30, 200))  # load 0.15: plenty of flips
    W = store(xi)
    s = rng.choice([-1.0, 1.0], size=200)
    order = np.random.default_rng(7).permutation(200)
    out = async_updates(W, s, order, snapshots=(0, 200))
    assert np.array_equal(out["state"], update_async(W, s, rng=7))
    assert np.all(np.diff(out["energies"]) <= 1e-12)
    assert out["energies"][0] == pytest.approx(energy(W, s))
    assert out["energies"][-1] == pytest.approx(energy(W, out["state"]))  # Delta E bookkeeping is exact
    assert np.array_equal(out["snapshots"][0], s) and np.array_equal(out["snapshots"][1], out["state"])


def test_a_tie_keeps_the_state_and_the_energy():
    # neuron 0 gets h_0 = 1*1 + 1*(-1) = 0 from the state (+1, +1, -1): it keeps s_0
    W = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    for s0 in (1.0, -1.0):
        out = async_updates(W, np.array([s0, 1.0, -1.0]), np.array([0]))
        assert out["state"][0] == s0 and out["energies"][1] == out["energies"][0]


def test_dynamics_experiment():
    """Laws: the two-neuron 2-cycle, async energy and Goles' function never rising, a 3-mixture's overlaps of 1/2 and
    its energy above a pattern's. Guards the sentences "The asynchronous curve only goes down" (final overlap above
    0.99), "the synchronous run settles into two states ... both far from the pattern" and "at load 0.2 none reaches a
    pattern" on page hopfield: those thresholds are the package's own output, not an independent check."""
    out = hopfield_dynamics.run()
    two = np.array(out["two_neuron_sync"])
    assert np.array_equal(two[0], two[2]) and not np.array_equal(two[0], two[1])  # a 2-cycle
    assert abs(sum(out["two_neuron_async"])) == 0  # async ends in (+1,-1) or (-1,+1): a fixed point
    tr = out["traces"]
    assert np.all(np.diff(tr["async_energy"]) <= 1e-12)
    assert tr["async_overlap"] > 0.99 and tr["sync_two_cycle"]
    assert np.all(np.diff(tr["sync_lyapunov"]) <= 1e-12)  # Goles' function never rises under parallel updates
    assert max(tr["sync_overlaps"][-4:]) < 0.9
    sp = out["spurious"]
    assert sp["mix_overlaps"][:3] == pytest.approx([0.5, 0.5, 0.5], abs=0.06)
    assert sp["mix_unstable_bits"] <= 5 and sp["reversed_fixed"]
    assert sp["energy_pattern"] < sp["energy_mix"] < 0  # the mixture is a shallower minimum
    low, high = out["random_starts"]["loads"]
    assert low["retrieved"] >= 5 and high["retrieved"] == 0


def test_parallel_lyapunov_by_hand():
    W = np.array([[0.0, -1.0], [-1.0, 0.0]])
    # L = -s(t)^T W s(t-1) = -[(1)(-1)(-1) + (1)(-1)(-1)] = -2 for s(t-1) = (1,1), s(t) = (-1,-1)
    assert parallel_lyapunov(W, np.array([1.0, 1.0]), np.array([-1.0, -1.0])) == -2.0


def test_images_experiment():
    """Law: a cue with 25 % of 144 pixels flipped has overlap 1 - 2 * 0.25 = 0.5. Guards "A and H are no longer
    even fixed points" and "T comes back" on page hopfield; which letters fail is the package's own output (the
    projection-rule test below recomputes it independently of the experiment)."""
    out = hopfield_images.run(cues=6, orders=6)
    for demo in out["demos"]:
        assert demo["overlaps"][0] == pytest.approx(0.5)  # 25 % flipped: m = 1 - 2 * 0.25
        assert demo["overlaps"][-1] == 1.0
    assert all(r["fixed_point"] for r in out["rates_five"]["rows"])
    six = {r["letter"]: r for r in out["rates_six"]["rows"]}
    assert not six["A"]["fixed_point"] and not six["H"]["fixed_point"]  # correlated letters interfere
    occ = {d["letter"]: d for d in out["occluded"]}
    assert occ["T"]["exact_share"] == 1.0


def test_capacity_small():
    out = hopfield_capacity.run(n_neurons=1000, trials=1, sizes=(300,), sets=(1,), loads=(0.05, 0.3), max_steps=10)
    for row in out["one_step"]:
        assert row["measured"] == pytest.approx(row["theory"], rel=0.35)
        assert row["theory"] == pytest.approx(row["published"], rel=0.05)  # HKP table 2.1 is this formula
    low, high = out["curves"][0]["points"]
    assert low["fraction_retrieved"] == 1.0 and high["fraction_retrieved"] < 0.2


def test_pseudo_inverse_rule_rescues_the_correlated_letters():
    """The page's exercise 3, with the projection matrix written out here: every pattern in the span is a fixed
    point of P, so all six letters must be (a law). Which letters Hebbian storage loses ([A, H]) guards the page's
    sentence; that list is the package's own output, not an independent check."""
    names = ["A", "C", "T", "X", "Z", "H"]
    xi = letter_patterns(names)
    P = xi.T @ np.linalg.inv(xi @ xi.T) @ xi
    np.fill_diagonal(P, 0.0)
    assert np.array_equal(update_sync(P, xi), xi)
    hebb_fixed = np.all(update_sync(store(xi), xi) == xi, axis=1)
    assert hebb_fixed.tolist() == [False, True, True, True, True, False]
