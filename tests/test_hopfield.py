"""The Hopfield network (nnmem.hopfield): storage, dynamics, energy and capacity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnmem.hopfield import (
    corrupt,
    energy,
    one_step_error_rate,
    one_step_error_theory,
    overlap,
    recall,
    sign_keep_ties,
    store,
    tie_tolerance,
    update_async,
    update_sync,
)


def random_patterns(p: int, n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(p, n))


def test_store_by_hand() -> None:
    xi = np.array([[1, 1, -1], [1, -1, 1]])
    # w_12 = (1*1 + 1*(-1)) / 3 = 0, w_13 = (1*(-1) + 1*1) / 3 = 0, w_23 = (1*(-1) + (-1)*1) / 3 = -2/3
    expected = np.array([[0, 0, 0], [0, 0, -2 / 3], [0, -2 / 3, 0]])
    np.testing.assert_allclose(store(xi), expected)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(5, 60), p=st.integers(1, 12), seed=st.integers(0, 2**31 - 1))
def test_energy_never_increases_under_asynchronous_updates(n: int, p: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    W = store(rng.choice([-1.0, 1.0], size=(p, n)))
    s = rng.choice([-1.0, 1.0], size=n)
    e = energy(W, s)
    for _ in range(5):
        s = update_async(W, s, rng=rng)
        e_new = energy(W, s)
        assert e_new <= e + 1e-12
        e = e_new


@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 40), p=st.integers(1, 8), seed=st.integers(0, 2**31 - 1))
def test_one_asynchronous_flip_changes_the_energy_by_minus_delta_s_times_h(n: int, p: int, seed: int) -> None:
    """Delta E = -Delta s_i h_i with h = W s, checked against `energy` for a single-neuron network update."""
    rng = np.random.default_rng(seed)
    W = store(rng.choice([-1.0, 1.0], size=(p, n)))
    s = rng.choice([-1.0, 1.0], size=n)
    after = update_async(W, s, rng=seed)
    # the sweep's total energy change equals the sum of -Delta s_i h_i taken in sweep order
    order = np.random.default_rng(seed).permutation(n)
    t, total = s.copy(), 0.0
    for i in order:
        h = sum(W[i, j] * t[j] for j in range(n))  # h_i = sum_j w_ij s_j, written out
        new = t[i] if abs(h) <= 1e-9 else (1.0 if h > 0 else -1.0)
        total += -(new - t[i]) * h
        t[i] = new
    np.testing.assert_array_equal(after, t)
    assert energy(W, after) - energy(W, s) == pytest.approx(total, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_stored_patterns_are_fixed_points_at_low_load(seed: int) -> None:
    xi = random_patterns(10, 400, seed)  # load 0.025
    W = store(xi)
    np.testing.assert_array_equal(update_sync(W, xi), xi)
    np.testing.assert_array_equal(update_async(W, xi, rng=seed), xi)


@pytest.mark.parametrize("seed", range(5))
def test_a_cue_with_20_percent_flipped_is_completed(seed: int) -> None:
    n = 500
    xi = random_patterns(int(0.05 * n), n, seed)
    W = store(xi)
    cue = corrupt(xi[0], fraction=0.2, rng=seed)
    assert overlap(cue, xi[0]) == pytest.approx(0.6)
    result = recall(W, cue, rng=seed)
    assert result.converged
    np.testing.assert_array_equal(result.state, xi[0])


def test_synchronous_updates_can_two_cycle() -> None:
    W = np.array([[0.0, -1.0], [-1.0, 0.0]])
    s0 = np.array([[1.0, 1.0]])
    s1 = update_sync(W, s0)
    np.testing.assert_array_equal(update_sync(W, s1), s0)
    assert not np.array_equal(s1, s0)
    # asynchronous updates settle instead
    assert recall(W, s0[0], rng=0).converged


def test_ties_keep_the_current_state() -> None:
    W = np.zeros((3, 3))
    s = np.array([1.0, -1.0, 1.0])
    np.testing.assert_array_equal(update_async(W, s, rng=0), s)
    np.testing.assert_array_equal(update_sync(W, s[None]), s[None])


@pytest.mark.parametrize(
    ("load", "published"),
    [(0.105, 0.001), (0.138, 0.0036), (0.185, 0.01), (0.37, 0.05), (0.61, 0.1)],
)
def test_one_step_error_rates_match_the_published_table(load: float, published: float) -> None:
    """Hertz, Krogh & Palmer (1991), *Introduction to the Theory of Neural Computation*, table 2.1.

    The table gives the one-step error probability for p/N = 0.105, 0.138, 0.185,
    0.37 and 0.61. Simulated at N = 1000 over 4 sets of patterns; the tolerance is
    25% relative (the lowest rate rests on roughly 400 flipped bits, so its
    sampling error alone is about 5%; the Gaussian theory is itself approximate).
    """
    assert one_step_error_theory(load) == pytest.approx(published, rel=0.05)
    measured = one_step_error_rate(1000, int(round(load * 1000)), trials=4, rng=0)
    assert measured == pytest.approx(published, rel=0.25)


def test_retrieval_breaks_down_above_the_critical_load() -> None:
    """Amit, Gutfreund & Sompolinsky (1985): retrieval states vanish near p/N = 0.138."""
    n, rng = 1000, np.random.default_rng(1)
    fractions = {}
    for load in (0.08, 0.2):
        xi = rng.choice([-1.0, 1.0], size=(int(load * n), n))
        result = recall(store(xi), xi, max_steps=30, rng=rng)
        fractions[load] = float(np.mean(np.sum(result.state * xi, axis=1) / n > 0.95))
    assert fractions[0.08] == 1.0
    assert fractions[0.2] < 0.2


def test_ties_survive_floating_point_rounding() -> None:
    """Fields that are zero in exact arithmetic keep the neuron's state, even when rounding makes them +-1e-17."""
    rng = np.random.default_rng(3)
    xi = rng.choice([-1.0, 1.0], size=(4, 101))
    W = store(xi)
    s = rng.choice([-1.0, 1.0], size=101)
    exact = np.rint((s @ xi.T) @ xi - 4 * s).astype(int)  # N * h in integers (zero diagonal removes p * s_i)
    ties = np.flatnonzero(exact == 0)
    assert ties.size > 0  # the seed gives some exact ties
    after = update_sync(W, s[None])[0]
    np.testing.assert_array_equal(after[ties], s[ties])


def test_one_step_error_rate_counts_ties_as_stable() -> None:
    """A field that is zero in exact arithmetic keeps the bit (the update rule), even when rounding makes it negative.

    With N = 99 and p = 10, N h_i = sum_mu xi^mu_i (xi^mu . xi^nu) - p xi^nu_i is an
    integer; for seed 12 one of them is exactly 0 and no bit is truly unstable,
    so the measured error rate must be 0 (counting the tie as an error gives 1/990).
    """
    n, p, seed = 99, 10, 12
    xi = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=(p, n))  # the documented draw
    exact = np.rint(xi @ (xi.T @ xi) - p * xi).astype(int)  # N h for each stored pattern, in integers
    assert np.count_nonzero(exact * xi < 0) == 0 and np.count_nonzero(exact == 0) == 1
    assert np.count_nonzero(xi @ store(xi) * xi < 0) == 1  # the tie comes out of floating point negative
    assert one_step_error_rate(n, p, rng=seed) == 0.0


def test_one_step_error_rate_by_integer_counting() -> None:
    """Independent count in integer arithmetic: bits with xi_i * N h_i < 0, averaged over 3 draws of one generator."""
    n, p = 50, 12
    gen = np.random.default_rng(7)
    errors = 0
    for _ in range(3):
        xi = gen.choice(np.array([-1.0, 1.0]), size=(p, n))
        exact = np.rint(xi @ (xi.T @ xi) - p * xi).astype(int)
        errors += int(np.count_nonzero(exact * xi < 0))
    assert errors > 0  # load 0.24: some bits are unstable
    assert one_step_error_rate(n, p, trials=3, rng=7) == errors / (3 * p * n)


def test_one_step_error_rate_of_one_pattern_is_zero() -> None:
    # p = 1: h_i = (N - 1) xi_i / N has the sign of xi_i, so no bit flips
    assert one_step_error_rate(10, 1, trials=2, rng=0) == 0.0


def test_overlap_shapes_and_values_by_hand() -> None:
    a = np.array([1, 1, -1, -1])
    b = np.array([1, -1, -1, -1])  # agrees on 3 of 4: m = (3 - 1) / 4 = 0.5
    m = overlap(a, b)
    assert isinstance(m, np.ndarray) and m.shape == () and float(m) == 0.5
    patterns = np.array([a, -a, b])
    np.testing.assert_array_equal(overlap(a, patterns), [1.0, -1.0, 0.5])  # one state, three patterns
    np.testing.assert_array_equal(overlap(patterns, a), [1.0, -1.0, 0.5])  # three states, one pattern
    # every state against every pattern, also when both batches have the same shape
    expected = np.array([[1.0, -1.0, 0.5], [-1.0, 1.0, -0.5], [0.5, -0.5, 1.0]])
    np.testing.assert_array_equal(overlap(patterns, patterns), expected)
    np.testing.assert_array_equal(overlap(patterns[:2], patterns), expected[:2])


def test_energy_by_hand_and_only_for_one_state() -> None:
    # one pattern (1, 1, -1, -1) in N = 4: W = xi xi^T / 4 off the diagonal;
    # E(s) = -((xi . s)^2 - 4) / 8, so E(xi) = -(16 - 4) / 8 = -1.5 and E((1, -1, -1, -1)) = -(4 - 4) / 8 = 0
    W = store(np.array([[1, 1, -1, -1]]))
    assert energy(W, np.array([1, 1, -1, -1])) == pytest.approx(-1.5, abs=1e-15)
    assert energy(W, np.array([1, -1, -1, -1])) == pytest.approx(0.0, abs=1e-15)
    assert isinstance(energy(W, np.array([1, 1, -1, -1])), float)
    with pytest.raises(ValueError, match=r"^`state` must have shape \(4,\); got shape \(1, 4\)\.$"):
        energy(W, np.ones((1, 4)))


def test_fields_are_h_equals_W_s_for_an_update_by_hand() -> None:
    # W = [[0, 1, -2], [1, 0, 0.5], [-2, 0.5, 0]]; s = (1, -1, 1)
    # h = W s = (0 - 1 - 2, 1 + 0 + 0.5, -2 - 0.5 + 0) = (-3, 1.5, -2.5) -> sign (-1, 1, -1)
    W = np.array([[0.0, 1.0, -2.0], [1.0, 0.0, 0.5], [-2.0, 0.5, 0.0]])
    np.testing.assert_array_equal(update_sync(W, np.array([[1, -1, 1]])), [[-1.0, 1.0, -1.0]])
    np.testing.assert_array_equal(update_sync(W, np.array([1, -1, 1])), [-1.0, 1.0, -1.0])  # one state, shape kept


@pytest.mark.parametrize(
    ("W", "message"),
    [
        (
            np.array([[0.0, 1.0], [0.5, 0.0]]),
            r"^`W` must be symmetric \(w_ij = w_ji\); got max \|w_ij - w_ji\| = 0\.5\.$",
        ),
        (
            np.array([[0.25, 1.0], [1.0, 0.0]]),
            r"^`W` must have a zero diagonal \(w_ii = 0\); got max \|w_ii\| = 0\.25\.$",
        ),
    ],
    ids=["asymmetric", "self-coupling"],
)
@pytest.mark.parametrize("function", ["energy", "update_async", "update_sync", "recall"])
def test_weights_must_be_symmetric_with_zero_diagonal(W: np.ndarray, message: str, function: str) -> None:
    call = {
        "energy": lambda: energy(W, np.array([1, 1])),
        "update_async": lambda: update_async(W, np.array([1, 1]), rng=0),
        "update_sync": lambda: update_sync(W, np.array([[1, 1]])),
        "recall": lambda: recall(W, np.array([1, 1]), rng=0),
    }[function]
    with pytest.raises(ValueError, match=message):
        call()


def test_weights_symmetric_up_to_rounding_are_accepted() -> None:
    """The pseudo-inverse rule of the chapter's exercise 3 is symmetric only up to rounding."""
    xi = random_patterns(6, 40, 0)
    P = xi.T @ np.linalg.inv(xi @ xi.T) @ xi
    np.fill_diagonal(P, 0.0)
    W = P + 1e-12 * np.triu(np.ones_like(P), 1)  # asymmetry 1e-12, below 1e-10 * max |w|
    np.testing.assert_array_equal(update_sync(W, xi), update_sync((W + W.T) / 2, xi))
    too_far = P + 1e-8 * np.triu(np.ones_like(P), 1)  # well above 1e-10 * max |w| (max |w| < 1)
    with pytest.raises(ValueError, match=r"^`W` must be symmetric"):
        update_sync(too_far, xi)


def test_recall_reports_convergence_as_an_array_for_one_cue_and_a_batch() -> None:
    xi = random_patterns(2, 50, 1)
    W = store(xi)
    one = recall(W, xi[0], rng=0)
    batch = recall(W, xi, rng=0)
    assert isinstance(one.converged, np.ndarray) and one.converged.shape == () and bool(one.converged)
    assert batch.converged.shape == (2,) and batch.converged.all()
    assert one.steps == 1 and batch.steps == 1  # stored patterns: the first sweep changes nothing


def test_recall_stops_after_max_steps_on_a_cycle_free_but_slow_case() -> None:
    # W = [[0, -1], [-1, 0]] from (1, 1): the first sweep flips one neuron, the second changes nothing
    W = np.array([[0.0, -1.0], [-1.0, 0.0]])
    result = recall(W, np.array([1, 1]), rng=0)
    assert result.steps == 2 and bool(result.converged)
    capped = recall(W, np.array([1, 1]), max_steps=1, rng=0)
    assert capped.steps == 1 and not bool(capped.converged)
    assert sorted(capped.state.tolist()) == [-1.0, 1.0]


def test_recall_stops_after_100_sweeps_by_default() -> None:
    """A domino chain that needs about 175 sweeps is cut off by the default max_steps = 100.

    A clique of three neurons (mutual weights 3000) holds +1 and drives a chain of L = 300 neurons,
    each coupled to the next with weights falling by 1 (301 from the clique to the first, 300, ..., 2).
    From the clique at +1 and the chain at -1, a chain neuron whose predecessor is +1 has the field
    a_k - a_{k+1} = +1 and flips; one whose predecessor is -1 has a field below 0 and keeps -1; the
    clique's field stays above 2 * 3000 - 301 > 0. So the +1 front only moves forward, and a sweep
    carries it on for as long as the random order happens to visit the next chain neuron after
    the last one flipped: e - 1 = 1.72 neurons per sweep on average (standard deviation 0.88),
    about 175 sweeps for the chain. Passing 300 neurons in 100 sweeps is some 14 standard deviations
    away, so the default run stops after exactly 100 sweeps, not converged, with the front inside.
    """
    n_chain = 300
    W = np.zeros((3 + n_chain, 3 + n_chain))
    for i, j in ((0, 1), (0, 2), (1, 2)):
        W[i, j] = W[j, i] = 3000.0
    path = [2, *range(3, 3 + n_chain)]  # the clique's neuron 2, then the chain
    for k in range(n_chain):
        W[path[k], path[k + 1]] = W[path[k + 1], path[k]] = n_chain + 1 - k
    cue = np.array([1.0] * 3 + [-1.0] * n_chain)
    result = recall(W, cue, rng=0)
    assert result.steps == 100 and not bool(result.converged)
    chain = result.state[3:]
    front = int(np.sum(chain == 1.0))
    assert np.all(result.state[:3] == 1.0) and 0 < front < n_chain
    np.testing.assert_array_equal(chain, [1.0] * front + [-1.0] * (n_chain - front))  # +1 up to the front, -1 after


@pytest.mark.parametrize("fraction", [0.5, np.float32(0.5), np.float64(0.5)], ids=["float", "float32", "float64"])
def test_corrupt_flips_exactly_round_fraction_n_bits(fraction: float) -> None:
    p = np.array([1, -1] * 5)
    out = corrupt(p, fraction=fraction, rng=0)
    assert int(np.sum(out != p)) == 5  # round(0.5 * 10)
    np.testing.assert_array_equal(np.abs(out), 1.0)
    assert int(np.sum(corrupt(p, fraction=1, rng=0) != p)) == 10
    assert int(np.sum(corrupt(p, fraction=0.0, rng=0) != p)) == 0
    assert int(np.sum(corrupt(p, fraction=0.26, rng=0) != p)) == 3  # round(2.6)


def test_random_functions_follow_their_seed() -> None:
    p = np.ones(40)
    np.testing.assert_array_equal(corrupt(p, fraction=0.5, rng=1), corrupt(p, fraction=0.5, rng=1))
    assert not np.array_equal(corrupt(p, fraction=0.5, rng=1), corrupt(p, fraction=0.5, rng=2))
    W = store(random_patterns(3, 40, 0))
    s = random_patterns(1, 40, 9)[0]
    np.testing.assert_array_equal(update_async(W, s, rng=4), update_async(W, s, rng=4))
    assert one_step_error_rate(40, 12, rng=3) == one_step_error_rate(40, 12, rng=3)
    # two neurons that disagree, from (1, 1): whichever the order visits first flips, so the seed decides
    W2 = np.array([[0.0, -1.0], [-1.0, 0.0]])
    ends = [tuple(recall(W2, np.array([1, 1]), rng=seed).state.tolist()) for seed in range(10)]
    assert set(ends) == {(-1.0, 1.0), (1.0, -1.0)}
    assert ends == [tuple(recall(W2, np.array([1, 1]), rng=seed).state.tolist()) for seed in range(10)]
    assert one_step_error_rate(40, 12, rng=3) != one_step_error_rate(40, 12, rng=4)


def test_one_step_error_theory_by_hand() -> None:
    # load 1/2: erf(sqrt(1)) = erf(1) = 0.8427007929497149 (Abramowitz & Stegun table 7.1)
    assert one_step_error_theory(0.5) == pytest.approx(0.5 * (1 - 0.8427007929497149), rel=1e-12)
    assert one_step_error_theory(np.float32(0.5)) == pytest.approx(0.07864960352514255, rel=1e-12)


def test_tie_tolerance_is_relative_to_the_largest_row_sum() -> None:
    """A zero field means |h_i| <= 1e-12 max_i sum_j |w_ij| (module notes): the largest row, not the whole matrix."""
    # rows: |w_12| + |w_13| = 1 + 1.5e-12 (the largest), 1, 1.5e-12; the whole matrix sums to about 2.
    # s = (1, -1, -1): h_1 = -1 - 1.5e-12, h_2 = 1, h_3 = 1.5e-12 > 1e-12 * (1 + 1.5e-12): a real field, so s_3 -> +1
    W = np.array([[0.0, 1.0, 1.5e-12], [1.0, 0.0, 0.0], [1.5e-12, 0.0, 0.0]])
    np.testing.assert_array_equal(update_sync(W, np.array([[1, -1, -1]])), [[-1.0, 1.0, 1.0]])
    # tiny weights: the tolerance scales down with them (1e-12 * 1e-13), so fields of -1e-13 are not ties
    tiny = 1e-13 * np.array([[0.0, -1.0], [-1.0, 0.0]])
    np.testing.assert_array_equal(update_sync(tiny, np.array([[1, 1]])), [[-1.0, -1.0]])


def test_tie_tolerance_by_hand() -> None:
    # row sums of |w_ij|: 0.5 + 4 = 4.5, 0.5 + 1 = 1.5, 4 + 1 = 5 (the largest): 1e-12 * 5
    W = np.array([[0.0, 0.5, -4.0], [0.5, 0.0, 1.0], [-4.0, 1.0, 0.0]])
    assert tie_tolerance(W) == pytest.approx(5e-12, rel=1e-15)
    assert tie_tolerance(np.zeros((2, 2))) == 0.0


def test_sign_keep_ties_on_both_sides_of_the_tolerance() -> None:
    # tol 0.5: |h| = 0.5 is a tie (the current state stays), |h| = 0.51 is not
    fields = np.array([0.5, -0.5, 0.51, -0.51, 0.0, 0.0])
    current = np.array([-1, 1, -1, 1, 1, -1])
    np.testing.assert_array_equal(sign_keep_ties(fields, current, tol=0.5), [-1.0, 1.0, 1.0, -1.0, 1.0, -1.0])
    np.testing.assert_array_equal(sign_keep_ties(fields, current, tol=0.0), [1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
    assert sign_keep_ties(np.float64(-2.0), np.float64(1.0), tol=0.0).shape == ()  # one neuron


def test_sign_keep_ties_with_tie_tolerance_is_the_rule_of_update_sync() -> None:
    xi = random_patterns(4, 30, seed=2)  # 4 (30 - 1) is even: exact zero fields occur
    W = store(xi)
    states = random_patterns(6, 30, seed=3)
    expected = sign_keep_ties(states @ W.T, states, tol=tie_tolerance(W))
    np.testing.assert_array_equal(update_sync(W, states), expected)


def _nearly_symmetric_cycle() -> np.ndarray:
    """Neurons 2 and 3 strongly coupled (w = 1); neurons 0 and 1 coupled only by w_01 = 1e-11 and
    w_10 = -1e-11. That asymmetry (2e-11) is within the rounding allowance (1e-10 * max|w|), so `W`
    is accepted; if the fields +-1e-11 counted as non-ties, s_0 would copy s_1 while s_1 copies -s_0,
    and asynchronous updates of neurons 0 and 1 would chase each other for ever."""
    W = np.zeros((4, 4))
    W[2, 3] = W[3, 2] = 1.0
    W[0, 1], W[1, 0] = 1e-11, -1e-11
    return W


def test_tie_tolerance_covers_the_asymmetry_that_is_accepted() -> None:
    W = _nearly_symmetric_cycle()
    # rows 0 and 1: (1/2) * |1e-11 - (-1e-11)| = 1e-11 (exact in binary: doubling and halving);
    # the rounding term is 1e-12 * (largest row sum of |w|, 1) = 1e-12
    assert tie_tolerance(W) == 1e-11
    # exactly symmetric weights with a zero diagonal keep the rounding term alone
    assert tie_tolerance(np.array([[0.0, 2.0, -1.0], [2.0, 0.0, 0.5], [-1.0, 0.5, 0.0]])) == 1e-12 * 3
    # a diagonal within the allowance counts in full: |w_00| = 5e-11 with nothing else in row 0
    D = np.zeros((3, 3))
    D[1, 2] = D[2, 1] = 1.0
    D[0, 0] = 5e-11
    assert tie_tolerance(D) == 5e-11


def test_accepted_nearly_symmetric_weights_cannot_make_recall_cycle() -> None:
    W = _nearly_symmetric_cycle()
    cue = np.array([1.0, 1.0, 1.0, -1.0])
    result = recall(W, cue, max_steps=10)
    assert bool(result.converged) and result.steps <= 2
    # nothing may move on the tiny fields of neurons 0 and 1; neurons 2 and 3 settle to agree
    assert result.state[:2].tolist() == [1.0, 1.0]
    assert result.state[2] == result.state[3]
