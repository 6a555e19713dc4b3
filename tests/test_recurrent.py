"""Tests of nnmem.recurrent: BPTT against central differences, clipping, the task, validation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem._checks import DIVERGENCE_FACTOR
from nnmem.gradcheck import check_gradients
from nnmem.recurrent import (
    accuracy,
    cell_type,
    clip_by_global_norm,
    delayed_recall,
    forward,
    hidden_gradient_norms,
    init_params,
    loss_and_gradients,
    predict,
    train,
)


def _perturbed(cell: str, seed: int = 0, *, n_in: int = 3, n_hidden: int = 4, n_out: int = 3) -> dict:
    # move away from the symmetric start (zero biases) so every term of the gradient is exercised
    p = init_params(n_in, n_hidden, n_out, cell=cell, rng=seed)
    gen = np.random.default_rng(seed + 100)
    return {k: v + 0.3 * gen.normal(size=v.shape) for k, v in p.items()}


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize("seed", [0, 1])
def test_bptt_matches_central_differences(cell, seed):
    gen = np.random.default_rng(seed)
    x = gen.normal(size=(4, 5, 3))  # 4 sequences of T = 5 steps
    labels = np.array([0, 2, 1, 2])
    p = _perturbed(cell, seed)
    _, grads = loss_and_gradients(x, labels, p)
    errors = check_gradients(lambda q: loss_and_gradients(x, labels, q)[0], grads, p)
    assert max(errors.values()) < 1e-6, errors


def _sample_loss_with_nudged_state(x, labels, p, cell, t_nudge, n, vec):  # noqa: ANN001, ANN202
    """Sample n's share L_n / N of the batch loss when h_{t_nudge} of sample n is moved by `vec`.

    An independent forward pass (logistic 1 / (1 + e^-z), not nnmem's sigmoid); the cell state is not
    nudged, so the derivative is the partial dL/dh_t that BPTT carries backwards.
    """
    N, T, _ = x.shape
    H = p["W_hy"].shape[0]
    h, c = np.zeros((N, H)), np.zeros((N, H))
    if t_nudge == 0:
        h[n] += vec
    for t in range(T):
        if cell == "rnn":
            h = np.tanh(x[:, t] @ p["W_xh"] + h @ p["W_hh"] + p["b_h"])
        else:
            z = x[:, t] @ p["W_x"] + h @ p["W_h"] + p["b"]
            i, f, o = (1.0 / (1.0 + np.exp(-z[:, k * H : (k + 1) * H])) for k in range(3))
            c = f * c + i * np.tanh(z[:, 3 * H :])
            h = o * np.tanh(c)
        if t + 1 == t_nudge:
            h = h.copy()
            h[n] += vec
    logits = h[n] @ p["W_hy"] + p["b_y"]
    log_p = logits - logits.max() - np.log(np.sum(np.exp(logits - logits.max())))
    return -log_p[labels[n]] / N


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_hidden_gradient_norms_match_finite_differences_at_every_step(cell):
    """norms[t] = mean over samples of |dL_n/dh_t|, checked by central differences on h_t (t = 0 is h_0)."""
    p = _perturbed(cell, 3, n_in=2, n_hidden=3, n_out=2)
    x = np.random.default_rng(4).normal(size=(3, 4, 2))
    labels = np.array([1, 0, 1])
    norms = hidden_gradient_norms(x, labels, p)
    assert norms.shape == (5,)
    eps = 1e-6
    for t in range(5):
        sizes = []
        for n in range(3):
            grad = np.empty(3)
            for k in range(3):
                e = np.zeros(3)
                e[k] = eps
                up = _sample_loss_with_nudged_state(x, labels, p, cell, t, n, e)
                down = _sample_loss_with_nudged_state(x, labels, p, cell, t, n, -e)
                grad[k] = (up - down) / (2 * eps)
            sizes.append(np.linalg.norm(grad))
        assert norms[t] == pytest.approx(np.mean(sizes), rel=1e-6), (t, norms[t], np.mean(sizes))


def test_loss_is_the_mean_softmax_cross_entropy_by_hand():
    # all weights zero: h_T = 0 and the logits are b_y = (0, ln 3): softmax = (1/4, 3/4)
    # labels (0, 1): loss = (-ln(1/4) - ln(3/4)) / 2
    p = {"W_xh": np.zeros((1, 2)), "W_hh": np.zeros((2, 2)), "b_h": np.zeros(2), "W_hy": np.zeros((2, 2)),
         "b_y": np.array([0.0, np.log(3.0)])}
    loss, grads = loss_and_gradients(np.ones((2, 3, 1)), np.array([0, 1]), p)
    assert loss == pytest.approx((np.log(4.0) - np.log(0.75)) / 2, rel=1e-14)
    # d loss / d b_y = mean over samples of softmax - onehot = ((1/4 - 1) + 1/4, (3/4) + (3/4 - 1)) / 2
    np.testing.assert_allclose(grads["b_y"], [(-0.75 + 0.25) / 2, (0.75 - 0.25) / 2], rtol=1e-14)


def test_forget_bias_orthogonality_and_shapes():
    p = init_params(5, 6, 2, cell="lstm", rng=0)
    shapes = {"W_x": (5, 24), "W_h": (6, 24), "b": (24,), "W_hy": (6, 2), "b_y": (2,)}
    assert {k: v.shape for k, v in p.items()} == shapes
    assert np.array_equal(p["b"], np.r_[np.zeros(6), np.ones(6), np.zeros(12)])
    for k in range(4):
        block = p["W_h"][:, 6 * k : 6 * (k + 1)]
        assert np.allclose(block.T @ block, np.eye(6))
    r = init_params(5, 6, 2, cell="rnn", rng=0)
    assert np.allclose(r["W_hh"].T @ r["W_hh"], np.eye(6)) and cell_type(r) == "rnn" and cell_type(p) == "lstm"
    logits, cache = forward(np.zeros((3, 7, 5)), p)
    assert logits.shape == (3, 2) and cache.h.shape == (8, 3, 6) and cache.c.shape == (8, 3, 6)
    assert cache.gates.shape == (7, 3, 24)
    assert predict(np.zeros((3, 7, 5)), p).shape == (3,)


def test_zero_input_rnn_stays_at_zero_and_lstm_cell_by_hand():
    # RNN: h_t = tanh(0 + h_{t-1} W + 0) = 0 for every t when h_0 = 0 and b_h = 0
    r = init_params(2, 3, 2, cell="rnn", rng=0)
    _, cache = forward(np.zeros((1, 4, 2)), r)
    assert np.all(cache.h == 0)
    # LSTM with all weights zero and only biases: i = f = o = sigmoid(0) = 0.5, g = tanh(b_g)
    p = {"W_x": np.zeros((1, 4)), "W_h": np.zeros((1, 4)), "b": np.array([0.0, 0.0, 0.0, 1.0]),
         "W_hy": np.zeros((1, 2)), "b_y": np.zeros(2)}
    _, cache = forward(np.zeros((1, 2, 1)), p)
    g = np.tanh(1.0)
    c1 = 0.5 * g  # f * 0 + i * g
    c2 = 0.5 * c1 + 0.5 * g
    assert cache.c[1, 0, 0] == pytest.approx(c1) and cache.c[2, 0, 0] == pytest.approx(c2)
    assert cache.h[2, 0, 0] == pytest.approx(0.5 * np.tanh(c2))


def test_clip_keeps_direction_and_caps_norm():
    gen = np.random.default_rng(0)
    grads = {"a": gen.normal(size=(3, 4)), "b": gen.normal(size=5)}
    total = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    clipped, norm = clip_by_global_norm(grads, 0.5)
    assert norm == pytest.approx(total)
    new_total = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
    assert new_total == pytest.approx(0.5)
    for k in grads:
        assert np.allclose(clipped[k] * total / 0.5, grads[k])  # same direction
    same, _ = clip_by_global_norm(grads, 10 * total)
    assert all(np.array_equal(same[k], grads[k]) for k in grads)  # below the cap: untouched
    zero, n0 = clip_by_global_norm({"a": np.zeros(3)}, 1.0)
    assert n0 == 0.0 and np.all(zero["a"] == 0)


def test_delayed_recall_layout():
    x, y = delayed_recall(50, delay=7, n_distractors=3, noise=0.5, rng=1)
    assert x.shape == (50, 8, 4) and y.shape == (50,) and set(np.unique(y)) <= {0, 1}
    assert np.array_equal(x[:, 0, 0], 2.0 * y - 1.0)  # the bit, as -1 or +1
    assert np.all(x[:, 1:, 0] == 0)  # signal channel silent during the delay
    assert np.std(x[:, :, 1:]) == pytest.approx(0.5, rel=0.1)
    x0, _ = delayed_recall(5, delay=2, n_distractors=0, rng=0)
    assert x0.shape == (5, 3, 1)
    again, y_again = delayed_recall(50, delay=7, n_distractors=3, noise=0.5, rng=1)
    assert np.array_equal(again, x) and np.array_equal(y_again, y)


def test_rnn_gradient_vanishes_faster_than_lstm_at_initialisation():
    x, y = delayed_recall(128, delay=49, rng=0)  # T = 50 steps, noise on 4 channels
    ratio = {}
    for cell in ("rnn", "lstm"):
        norms = hidden_gradient_norms(x, y, init_params(x.shape[2], 16, 2, cell=cell, rng=0))
        ratio[cell] = norms[0] / norms[-1]
    assert ratio["rnn"] < 1e-4 and ratio["rnn"] < ratio["lstm"] / 10


def test_short_delay_is_learned_by_both():
    x, y = delayed_recall(1000, delay=5, rng=0)
    xt, yt = delayed_recall(300, delay=5, rng=1)
    for cell in ("rnn", "lstm"):
        res = train(x, y, params=init_params(x.shape[2], 8, 2, cell=cell, rng=0), steps=150,
                    batch_size=32, learning_rate=0.02, rng=0)
        assert res.losses.shape == res.accuracies.shape == res.grad_norms.shape == (150,)
        assert accuracy(xt, yt, res.params) > 0.95, cell


def test_train_does_not_modify_params_and_sgd_runs():
    x, y = delayed_recall(64, delay=3, rng=0)
    p = init_params(x.shape[2], 4, 2, cell="rnn", rng=0)
    before = {k: v.copy() for k, v in p.items()}
    res = train(x, y, params=p, steps=20, optimizer="sgd", learning_rate=0.1, max_norm=None, rng=0)
    assert all(np.array_equal(p[k], before[k]) for k in p)
    assert res.losses[-5:].mean() < res.losses[:5].mean()


def test_divergence_without_clipping_is_reported_without_warnings():
    import warnings

    x, y = delayed_recall(32, delay=3, rng=0)
    p = init_params(x.shape[2], 4, 2, cell="rnn", rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            TrainingDivergedError,
            match=rf"^Training diverged: the loss (became (inf|nan)|reached \S+, more than {DIVERGENCE_FACTOR:g} times "
            r"its starting "
            r"value \S+) in step [12]\. The setting responsible is `learning_rate` = 1e\+300: try a smaller "
            r"learning_rate, or clip gradients with max_norm\.$",
        ):
            train(x, y, params=p, steps=3, optimizer="sgd", learning_rate=1e300, max_norm=None, rng=0)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_divergence_under_clipping_names_the_learning_rate(cell):
    """Before: "`grads` must contain only finite numbers" plus a RuntimeWarning. Now the guard reports it."""
    import warnings

    x, y = delayed_recall(64, delay=3, rng=0)
    p = init_params(x.shape[2], 8, 2, cell=cell, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            TrainingDivergedError,
            match=rf"^Training diverged: the loss (became (inf|nan)|reached \S+, more than {DIVERGENCE_FACTOR:g} times "
            r"its starting "
            r"value \S+) in step \d+\. The setting responsible is `learning_rate` = 1e\+06: try a smaller "
            r"learning_rate\.$",
        ):
            train(x, y, params=p, steps=200, optimizer="sgd", learning_rate=1e6, max_norm=1.0, rng=0)


def test_first_step_by_hand_with_plain_sgd():
    """steps=1, SGD without momentum or clipping: the batch is the first slice of rng's permutation, the
    recorded loss is that batch's loss before the update, and the update is params - lr * grads."""
    x, y = delayed_recall(20, delay=2, rng=3)
    p = init_params(x.shape[2], 4, 2, cell="lstm", rng=1)
    idx = np.random.default_rng(5).permutation(20)[:8]
    loss, grads = loss_and_gradients(x[idx], y[idx], p)
    res = train(x, y, params=p, steps=1, batch_size=8, optimizer="sgd", momentum=0.0, learning_rate=0.3,
                max_norm=None, rng=5)
    assert res.losses[0] == pytest.approx(loss, rel=1e-12)
    assert res.accuracies[0] == np.mean(predict(x[idx], p) == y[idx])
    assert res.grad_norms[0] == pytest.approx(np.sqrt(sum(np.sum(g**2) for g in grads.values())), rel=1e-12)
    for k in p:
        np.testing.assert_allclose(res.params[k], p[k] - 0.3 * grads[k], rtol=1e-12, atol=1e-15)


def test_second_pass_reshuffles_and_momentum_and_clipping_act():
    """Two steps with batch_size = n: each step uses all samples, so the order does not matter; with
    momentum 0.5 and max_norm c the second update is v2 = 0.5 v1 - lr g2_clipped."""
    x, y = delayed_recall(6, delay=2, rng=3)
    p = init_params(x.shape[2], 3, 2, cell="rnn", rng=2)
    res = train(x, y, params=p, steps=2, batch_size=6, optimizer="sgd", momentum=0.5, learning_rate=0.1,
                max_norm=0.05, rng=0)

    def clipped(g):  # noqa: ANN001, ANN202
        norm = np.sqrt(sum(np.sum(v**2) for v in g.values()))
        return {k: v * min(1.0, 0.05 / norm) for k, v in g.items()}

    _, g1 = loss_and_gradients(x, y, p)
    v1 = {k: -0.1 * clipped(g1)[k] for k in p}
    p1 = {k: p[k] + v1[k] for k in p}
    _, g2 = loss_and_gradients(x, y, p1)
    p2 = {k: p1[k] + 0.5 * v1[k] - 0.1 * clipped(g2)[k] for k in p}
    for k in p:
        np.testing.assert_allclose(res.params[k], p2[k], rtol=1e-10, atol=1e-14)


def test_adam_is_the_default_optimizer():
    x, y = delayed_recall(6, delay=2, rng=3)
    p = init_params(x.shape[2], 3, 2, cell="rnn", rng=2)
    res = train(x, y, params=p, steps=1, batch_size=6, learning_rate=0.01, max_norm=None, rng=0)
    _, g = loss_and_gradients(x, y, p)
    # Adam's first step is -lr * g / (|g| + 1e-8) per coordinate, i.e. -0.01 * sign(g) where |g| >> 1e-8
    for k in p:
        big = np.abs(g[k]) > 1e-4
        np.testing.assert_allclose((res.params[k] - p[k])[big], -0.01 * np.sign(g[k][big]), rtol=1e-4)


def test_float32_in_float32_out():
    x, y = delayed_recall(16, delay=3, rng=0)
    p32 = {k: v.astype(np.float32) for k, v in init_params(x.shape[2], 4, 2, cell="lstm", rng=0).items()}
    logits, cache = forward(x.astype(np.float32), p32)
    assert logits.dtype == np.float32 and cache.h.dtype == np.float32 and cache.c.dtype == np.float32
    assert cache.cell == "lstm" and forward(x, init_params(x.shape[2], 4, 2, cell="rnn", rng=0))[1].cell == "rnn"
    _, grads = loss_and_gradients(x, y, p32)
    assert all(g.dtype == np.float32 for g in grads.values())
    res = train(x, y, params=p32, steps=3, batch_size=8, rng=0)
    assert all(v.dtype == np.float32 for v in res.params.values())
    # float64 parameters keep float64 even for float32 input
    p64 = init_params(x.shape[2], 4, 2, cell="rnn", rng=0)
    assert forward(x.astype(np.float32), p64)[0].dtype == np.float64


def test_one_sigmoid_in_the_package():
    import nnmem.activations
    import nnmem.recurrent

    assert nnmem.recurrent.sigmoid is nnmem.activations.sigmoid.__wrapped__  # type: ignore[attr-defined]
    assert not hasattr(nnmem.recurrent, "_sigmoid")


P_RNN = init_params(2, 3, 2, cell="rnn", rng=0)
X_OK = np.zeros((4, 5, 2))
Y_OK = np.array([0, 1, 0, 1])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: init_params(2, 3, 2, cell="gru"), ValueError, "`cell` must be one of"),
        (lambda: init_params(0, 3, 2), ValueError, "`n_in` must be a positive integer"),
        (lambda: init_params(2, 3, 2, forget_bias=np.inf), ValueError, "`forget_bias` must be a finite number"),
        (lambda: forward(X_OK, {"W": np.ones(2)}), ValueError, r"`params` must have the keys"),
        (lambda: forward(X_OK, [1, 2]), TypeError, "`params` must be a dict"),
        (
            lambda: forward(X_OK, {**P_RNN, "W_hh": np.ones((3, 4))}),
            ValueError,
            r"`params\['W_hh'\]` must have shape \(3, 3\)",
        ),
        (
            lambda: forward(X_OK, {**P_RNN, "b_h": np.array([np.nan, 0, 0])}),
            ValueError,
            r"`params\['b_h'\]` must contain only finite numbers",
        ),
        (lambda: forward(np.zeros((4, 5)), P_RNN), ValueError, r"`x` must have shape \(n_samples, T, 2\)"),
        (lambda: forward(np.zeros((4, 5, 3)), P_RNN), ValueError, "to match the input weights"),
        (lambda: forward(np.zeros((4, 0, 2)), P_RNN), ValueError, "at least one sample and one time step"),
        (lambda: forward(np.full((4, 5, 2), np.nan), P_RNN), ValueError, "`x` must contain only finite numbers"),
        (
            lambda: loss_and_gradients(X_OK, np.array([0, 1, 2, 0]), P_RNN),
            ValueError,
            r"`labels` must be class labels in \[0, 1\]",
        ),
        (lambda: loss_and_gradients(X_OK, np.array([0, 1]), P_RNN), ValueError, r"`labels` must have shape \(4,\)"),
        (lambda: loss_and_gradients(X_OK, np.array([0, 0.5, 1, 0]), P_RNN), ValueError, "whole-number class labels"),
        (
            lambda: accuracy(X_OK, np.array([0, 1, 3, 0]), P_RNN),
            ValueError,
            r"`labels` must be class labels in \[0, 1\]",
        ),
        (
            lambda: clip_by_global_norm({"a": np.ones(2)}, 0.0),
            ValueError,
            "`max_norm` must be a finite positive number",
        ),
        (lambda: clip_by_global_norm([np.ones(2)], 1.0), TypeError, "`grads` must be a dict"),
        (
            lambda: clip_by_global_norm({"a": np.array([np.inf])}, 1.0),
            ValueError,
            r"`grads\['a'\]` must contain only finite numbers",
        ),
        (
            lambda: clip_by_global_norm({"a": np.array([1e200, 1e200])}, 1.0),
            ValueError,
            r"`grads` must have a finite global norm; got inf",
        ),
        (lambda: delayed_recall(10, delay=0), ValueError, "`delay` must be a positive integer"),
        (lambda: delayed_recall(0, delay=3), ValueError, "`n_samples` must be a positive integer"),
        (lambda: delayed_recall(10, delay=3, n_distractors=-1), ValueError, "`n_distractors` must be an integer >= 0"),
        (lambda: delayed_recall(10, delay=3, n_distractors=1.5), TypeError, "`n_distractors` must be an integer >= 0"),
        (
            lambda: init_params(2, 3, 2, cell="rnn", forget_bias=2.0),
            ValueError,
            "`forget_bias` applies to the LSTM only",
        ),
        (lambda: delayed_recall(10, delay=3, noise=-1.0), ValueError, "`noise` must be a finite number >= 0"),
        (lambda: train(X_OK, Y_OK, params=P_RNN, steps=0), ValueError, "`steps` must be a positive integer"),
        (
            lambda: train(X_OK, Y_OK, params=P_RNN, steps=2, batch_size=5),
            ValueError,
            r"`batch_size` must be at most the number of samples \(4\)",
        ),
        (
            lambda: train(X_OK, Y_OK, params=P_RNN, steps=2, batch_size=2, optimizer="rmsprop"),
            ValueError,
            "`optimizer` must be",
        ),
        (
            lambda: train(X_OK, Y_OK, params=P_RNN, steps=2, batch_size=2, momentum=1.0),
            ValueError,
            r"`momentum` must be in \[0, 1\)",
        ),
        (
            lambda: train(X_OK, Y_OK, params=P_RNN, steps=2, batch_size=2, learning_rate=0.0),
            ValueError,
            "`learning_rate` must be",
        ),
        (
            lambda: train(X_OK, Y_OK, params=P_RNN, steps=2, batch_size=2, max_norm=-1.0),
            ValueError,
            "`max_norm` must be",
        ),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_init_params_follow_the_documented_recipe_exactly(cell):
    """An independent implementation of the docstring's recipe, drawing in the documented order:
    input weights Glorot-normal, one orthogonal block per gate (QR of a normal matrix with the signs of R's
    diagonal moved into Q), readout Glorot-normal, biases zero except the LSTM forget gate."""
    n_in, H, n_out = 3, 4, 2
    gen = np.random.default_rng(7)
    gates = 4 if cell == "lstm" else 1
    W_x = gen.normal(0.0, np.sqrt(2.0 / (n_in + H)), size=(n_in, gates * H))
    blocks = []
    for _ in range(gates):
        q, r = np.linalg.qr(gen.normal(size=(H, H)))
        blocks.append(q @ np.diag(np.sign(np.diag(r))))
    W_hy = gen.normal(0.0, np.sqrt(2.0 / (H + n_out)), size=(H, n_out))
    b = np.zeros(gates * H)
    if cell == "lstm":
        b[H : 2 * H] = 0.25
    p = init_params(n_in, H, n_out, cell=cell, rng=7, **({"forget_bias": 0.25} if cell == "lstm" else {}))
    keys = ("W_x", "W_h", "b") if cell == "lstm" else ("W_xh", "W_hh", "b_h")
    np.testing.assert_allclose(p[keys[0]], W_x, rtol=1e-12)
    np.testing.assert_allclose(p[keys[1]], np.concatenate(blocks, axis=1), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(p[keys[2]], b)
    np.testing.assert_allclose(p["W_hy"], W_hy, rtol=1e-12)
    np.testing.assert_array_equal(p["b_y"], np.zeros(n_out))


def test_mini_batches_walk_through_a_permutation_and_reshuffle_after_each_pass():
    """n = 4, batch 2, 3 steps: steps 1-2 use the two halves of the first permutation, step 3 the first half
    of a second one (both drawn from `rng` in that order). Plain SGD, so each recorded loss can be replayed."""
    x, y = delayed_recall(4, delay=2, rng=11)
    p = init_params(x.shape[2], 3, 2, cell="rnn", rng=4)
    res = train(x, y, params=p, steps=3, batch_size=2, optimizer="sgd", momentum=0.0, learning_rate=0.5,
                max_norm=None, rng=9)
    gen = np.random.default_rng(9)
    first = gen.permutation(4)
    second = gen.permutation(4)
    q = dict(p)
    for step, idx in enumerate([first[:2], first[2:], second[:2]]):
        loss, g = loss_and_gradients(x[idx], y[idx], q)
        assert res.losses[step] == pytest.approx(loss, rel=1e-12), step
        q = {k: q[k] - 0.5 * g[k] for k in q}
    for k in p:
        np.testing.assert_allclose(res.params[k], q[k], rtol=1e-10, atol=1e-14)


def test_parameters_that_overflow_in_an_update_are_never_returned():
    # a large readout over a nearly linear hidden layer gives input-weight gradients far above 2,
    # so one step of size 1e308 leaves the float64 range (the loss itself, about 5.8, is finite)
    x, y = delayed_recall(8, delay=2, noise=10.0, rng=0)
    p = init_params(x.shape[2], 3, 2, cell="rnn", rng=0)
    p = {**p, "W_hy": p["W_hy"] * 1e3, "W_xh": p["W_xh"] * 1e-3}
    _, g = loss_and_gradients(x, y, p)
    assert max(np.abs(v).max() for v in g.values()) > 2
    with warnings.catch_warnings(), pytest.raises(
        TrainingDivergedError,
        match=r"^Training diverged: the updated parameters became inf\. The setting responsible is `learning_rate` = "
        r"1e\+308: try a smaller learning_rate\.$",
    ):
        warnings.simplefilter("error")  # and no RuntimeWarning on the way
        train(x, y, params=p, steps=1, batch_size=8, optimizer="sgd", momentum=0.0, learning_rate=1e308,
              max_norm=None, rng=0)


def test_predict_and_accuracy_by_hand():
    # zero weights: the logits are b_y for every sequence; b_y = (0, 1) -> class 1 everywhere
    p = {"W_xh": np.zeros((1, 2)), "W_hh": np.zeros((2, 2)), "b_h": np.zeros(2), "W_hy": np.zeros((2, 2)),
         "b_y": np.array([0.0, 1.0])}
    x = np.ones((4, 3, 1))
    pred = predict(x, p)
    assert pred.dtype == np.int64 and pred.tolist() == [1, 1, 1, 1]
    assert accuracy(x, np.array([1, 0, 1, 1]), p) == 0.75


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("W_x", np.zeros((2, 8)), r"^`params\['W_x'\]` must have shape \(n_in, 12\); got \(2, 8\)\.$"),
        ("W_h", np.zeros((3, 8)), r"^`params\['W_h'\]` must have shape \(3, 12\); got \(3, 8\)\.$"),
        ("b", np.zeros(8), r"^`params\['b'\]` must have shape \(12,\); got \(8,\)\.$"),
        ("W_hy", np.zeros(3), r"^`params\['W_hy'\]` must have shape \(n_hidden, n_out\); got \(3,\)\.$"),
        ("b_y", np.zeros(3), r"^`params\['b_y'\]` must have shape \(2,\); got \(3,\)\.$"),
    ],
)
def test_cell_type_names_the_key_with_the_wrong_shape(key, value, message):
    p = init_params(2, 3, 2, cell="lstm", rng=0)
    with pytest.raises(ValueError, match=message):
        cell_type({**p, key: value})


def test_mixed_dtypes_compute_in_float64_and_float32_clipping_keeps_float32():
    p = init_params(2, 3, 2, cell="rnn", rng=0)
    mixed = {**p, "W_hy": p["W_hy"].astype(np.float32)}  # one float32 array is not enough for float32 arithmetic
    assert forward(np.zeros((1, 2, 2)), mixed)[0].dtype == np.float64
    # float32 gradients of size 1e20: their squares overflow float32 but the norm is summed in float64
    g = {"a": np.full(4, 1e20, dtype=np.float32)}
    clipped, norm = clip_by_global_norm(g, 1.0)
    assert norm == pytest.approx(2e20, rel=1e-6)  # sqrt(4 * 1e40)
    assert clipped["a"].dtype == np.float32
    np.testing.assert_allclose(clipped["a"], 0.5, rtol=1e-6)


def test_delayed_recall_labels_are_int64_and_balanced_by_chance():
    _, y = delayed_recall(4000, delay=1, n_distractors=0, rng=5)
    assert y.dtype == np.int64
    # fair coin: the fraction of ones has standard deviation sqrt(0.25 / 4000) = 0.0079; allow 5 of them
    assert abs(y.mean() - 0.5) < 5 * 0.0079


def test_delayed_recall_defaults_are_four_unit_noise_distractors():
    x, _ = delayed_recall(2000, delay=4, rng=0)
    assert x.shape == (2000, 5, 5)
    # 2000 * 5 * 4 = 40000 draws: the sample variance has relative standard error sqrt(2 / 40000) = 0.7 %
    assert abs(np.mean(x[:, :, 1:] ** 2) - 1.0) < 5 * np.sqrt(2 / 40000)


def test_defaults_are_adam_learning_rate_one_hundredth_and_clipping_at_one():
    x, y = delayed_recall(40, delay=2, rng=1)
    p = init_params(x.shape[2], 4, 2, cell="rnn", rng=1)
    p = {**p, "W_hy": 5 * p["W_hy"]}  # gradients above the clipping threshold, so max_norm matters
    implicit = train(x, y, params=p, steps=3, rng=2)
    assert implicit.grad_norms.max() > 1.0
    explicit = train(x, y, params=p, steps=3, batch_size=32, learning_rate=0.01, optimizer="adam", max_norm=1.0,
                     rng=2)
    for k in p:
        np.testing.assert_array_equal(implicit.params[k], explicit.params[k])


def test_accuracies_are_recorded_per_step():
    x, y = delayed_recall(4, delay=2, rng=11)
    p = init_params(x.shape[2], 3, 2, cell="rnn", rng=4)
    res = train(x, y, params=p, steps=2, batch_size=2, optimizer="sgd", momentum=0.0, learning_rate=0.5,
                max_norm=None, rng=9)
    first = np.random.default_rng(9).permutation(4)
    p1 = {k: p[k] - 0.5 * loss_and_gradients(x[first[:2]], y[first[:2]], p)[1][k] for k in p}
    assert res.accuracies[0] == np.mean(predict(x[first[:2]], p) == y[first[:2]])
    assert res.accuracies[1] == np.mean(predict(x[first[2:]], p1) == y[first[2:]])
    g2 = loss_and_gradients(x[first[2:]], y[first[2:]], p1)[1]
    assert res.grad_norms[1] == pytest.approx(np.sqrt(sum(np.sum(v**2) for v in g2.values())), rel=1e-12)


def test_starting_params_whose_logits_can_overflow_are_refused_before_training():
    # |h| <= 1, so the logits are bounded by a column sum of |W_hy|: 3 * 1e308 overflows float64
    p = init_params(2, 3, 2, cell="rnn", rng=0)
    p = {**p, "W_hh": np.zeros((3, 3)), "b_h": np.ones(3), "W_hy": np.full((3, 2), 1e308)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^`x` and `params` are finite but the computation overflowed"):
            train(np.zeros((2, 3, 2)), np.array([0, 1]), params=p, steps=1, batch_size=2, rng=0)
    # one column summing to just below the largest float64 passes the check (and the loss is finite)
    ok = {**p, "W_hy": np.full((3, 2), 0.3e308)}
    assert np.isfinite(forward(np.zeros((2, 3, 2)), ok)[0]).all()


def test_an_overflowing_gradient_is_divergence_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # a readout of 1e300: the loss (about 1e300) is finite, but the gradient reaching W_xh overflows
        xs, ys = delayed_recall(4, delay=2, noise=100.0, rng=0)
        q = init_params(xs.shape[2], 3, 2, cell="rnn", rng=0)
        with pytest.raises(TrainingDivergedError, match=r"^Training diverged: the loss became inf in step 1\. "):
            train(xs, ys, params={**q, "W_hy": q["W_hy"] * 1e300}, steps=1, batch_size=4, rng=0)


# ---------------------------------------------------------------- the overflow bound, on both sides of it
BIG = np.finfo(np.float64).max  # 1.797e308


def _rnn_two_by_two(**arrays: np.ndarray) -> dict:
    """An RNN with n_in = 2, H = 2, K = 2 and all parameters zero except `arrays`."""
    p = {"W_xh": np.zeros((2, 2)), "W_hh": np.zeros((2, 2)), "b_h": np.zeros(2), "W_hy": np.zeros((2, 2)),
         "b_y": np.zeros(2)}
    return {**p, **arrays}


# Each column of |W_xh| and |W_hh| below puts its whole mass in column 0, split over two rows, so a column sum
# is twice a row sum. Bound on the pre-activations: max|x| * colsum|W_xh| + colsum|W_hh| + max|b_h|; on the
# logits: colsum|W_hy| + max|b_y|. Refused exactly when one of them is not below the largest float (1.797e308).
TALL = np.array([[1.0, 0.0], [1.0, 0.0]])
BOUND_CASES = [
    # 0.9 * 1.2e308 + 0.7e308 = 1.78e308: accepted; 0.95 * 1.2e308 + 0.7e308 = 1.84e308: refused
    pytest.param(0.9, {"W_xh": 0.6e308 * TALL, "W_hh": 0.35e308 * TALL}, True, id="x-0.9-accepted"),
    pytest.param(0.95, {"W_xh": 0.6e308 * TALL, "W_hh": 0.35e308 * TALL}, False, id="x-0.95-refused"),
    # no input: 1e308 + 0.5e308 = 1.5e308 accepted; 1e308 + 1e308 = 2e308 refused
    pytest.param(0.0, {"W_hh": 0.5e308 * TALL, "b_h": np.array([0.5e308, 0.0])}, True, id="bias-0.5e308-accepted"),
    pytest.param(0.0, {"W_hh": 0.5e308 * TALL, "b_h": np.array([1e308, 0.0])}, False, id="bias-1e308-refused"),
    # logits: 1e308 + 0.5e308 accepted, 1e308 + 1e308 refused
    pytest.param(0.0, {"W_hy": 0.5e308 * TALL, "b_y": np.array([0.5e308, 0.0])}, True, id="b_y-0.5e308-accepted"),
    pytest.param(0.0, {"W_hy": 0.5e308 * TALL, "b_y": np.array([1e308, 0.0])}, False, id="b_y-1e308-refused"),
    # the comparison is strict: a column of |W_hy| adding up to exactly the largest float is refused,
    # one adding up to the float just below it is accepted
    pytest.param(0.0, {"W_hy": np.array([[BIG / 2, 0.0], [BIG / 2, 0.0]])}, False, id="W_hy-exactly-max-refused"),
    pytest.param(0.0, {"W_hy": np.array([[BIG / 2, 0.0], [np.nextafter(BIG / 2, 0.0), 0.0]])}, True,
                 id="W_hy-just-below-max-accepted"),
]


@pytest.mark.parametrize(("x_max", "arrays", "accepted"), BOUND_CASES)
def test_overflow_bound_is_checked_on_both_sides(x_max, arrays, accepted):
    p = _rnn_two_by_two(**arrays)
    x = np.full((3, 2, 2), x_max)
    x[1] *= -1  # the bound uses max|x|: a negative sample counts the same
    if accepted:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            logits, _ = forward(x, p)
        assert np.isfinite(logits).all()
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=r"^`x` and `params` are finite but the computation overflowed"):
                forward(x, p)


def test_the_largest_accepted_readout_reaches_the_top_of_the_range_without_overflowing():
    # h = tanh(30) = 1.0 exactly in float64, so the logit is the column sum itself: BIG minus one unit in the last place
    p = _rnn_two_by_two(b_h=np.array([30.0, 30.0]), W_hy=np.array([[BIG / 2, 0.0], [np.nextafter(BIG / 2, 0.0), 0.0]]))
    logits, cache = forward(np.zeros((1, 1, 2)), p)
    assert cache.h[1].tolist() == [[1.0, 1.0]]
    assert logits[0, 0] == np.nextafter(BIG, 0.0)


def test_float32_bound_is_summed_exactly():
    """float32 parameters: a column of |W_hy| whose exact sum is just below the float32 maximum is accepted
    (adding the column up in float32 would round it to the maximum itself), and with h = 1 its logit is finite."""
    top = np.finfo(np.float32).max  # 2**128 - 2**104
    col = np.array([np.nextafter(top, np.float32(0)), np.float32(1.5 * 2.0**103)], dtype=np.float32)
    assert float(col[0]) + float(col[1]) == float(top) - 2.0**102  # exact, below the maximum
    p = {"W_xh": np.full((1, 2), 20.0), "W_hh": np.zeros((2, 2)), "b_h": np.zeros(2),
         "W_hy": np.stack([col, np.zeros(2)], axis=1), "b_y": np.zeros(2)}
    p = {k: v.astype(np.float32) for k, v in p.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logits, cache = forward(np.ones((1, 1, 1), dtype=np.float32), p)
    assert cache.h[1].tolist() == [[1.0, 1.0]]  # tanh(20) rounds to 1 in float32
    assert logits.dtype == np.float32 and np.isfinite(logits).all() and logits[0, 0] == top
    # one step further (the exact sum at the maximum itself) is refused
    over = {**p, "W_hy": np.stack([np.array([top, 1.0], dtype=np.float32), np.zeros(2, np.float32)], axis=1)}
    with pytest.raises(ValueError, match=r"^`x` and `params` are finite but the computation overflowed"):
        forward(np.ones((1, 1, 1), dtype=np.float32), over)


def test_trained_params_must_also_pass_the_bound_with_rows_and_columns_told_apart():
    # |W_hy| columns add up to 3 * 0.7e308 = 2.1e308 (over), its rows to 1.4e308 (under): refused before training
    p = init_params(2, 3, 2, cell="rnn", rng=0)
    p = {**p, "W_hy": np.full((3, 2), 0.7e308)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^`x` and `params` are finite but the computation overflowed"):
            train(np.ones((2, 3, 2)), np.array([0, 1]), params=p, steps=1, batch_size=2, rng=0)


def _gradient_overflows_to_nan() -> tuple[np.ndarray, np.ndarray, dict]:
    """T = 1, H = 1: h_1 = tanh(0.55) = 0.50, logits = (0.45e308, -0.45e308), finite loss 0.9e308 for label 1.

    dL/dh_1 = (1, -1) . (0.9e308, -0.9e308) = 1.8e308 overflows to inf, and dL/dW_hh = h_0 * inf = 0 * inf
    is NaN: the backward pass meets an invalid operation, which must not leak out as a RuntimeWarning.
    """
    p = {"W_xh": np.array([[0.55]]), "W_hh": np.zeros((1, 1)), "b_h": np.zeros(1),
         "W_hy": np.array([[0.9e308, -0.9e308]]), "b_y": np.zeros(2)}
    return np.ones((1, 1, 1)), np.array([1]), p


def test_nan_in_the_backward_pass_is_a_clear_error_without_warnings():
    x, y, p = _gradient_overflows_to_nan()
    logits, _ = forward(x, p)
    assert logits[0, 0] == pytest.approx(np.tanh(0.55) * 0.9e308) and logits[0, 1] == -logits[0, 0]
    for call in (loss_and_gradients, hidden_gradient_norms):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=r"^`x` and `params` are finite but the computation overflowed"):
                call(x, y, p)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TrainingDivergedError, match=r"^Training diverged: the loss became inf in step 1\. "):
            train(x, y, params=p, steps=1, batch_size=1, rng=0)


def test_logits_that_overflow_after_an_update_stop_training_at_that_step():
    """W_hy = 0: step 1 has logits 0, p = (1/2, 1/2) and, with h = 1 and both labels 1, gradients
    (1/2, -1/2) for every row of W_hy and for b_y, zero for the rest. One SGD step of size 1e308 gives
    W_hy rows and b_y of (-0.5e308, 0.5e308) (finite), so step 2's logits are 4 * 0.5e308 + 0.5e308 = inf."""
    p = {"W_xh": np.full((1, 4), 20.0), "W_hh": np.zeros((4, 4)), "b_h": np.zeros(4), "W_hy": np.zeros((4, 2)),
         "b_y": np.zeros(2)}
    x, y = np.ones((2, 1, 1)), np.array([1, 1])
    one = train(x, y, params=p, steps=1, batch_size=2, optimizer="sgd", momentum=0.0, learning_rate=1e308,
                max_norm=None, rng=0)
    np.testing.assert_array_equal(one.params["W_hy"], np.tile([-0.5e308, 0.5e308], (4, 1)))
    np.testing.assert_array_equal(one.params["b_y"], [-0.5e308, 0.5e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            TrainingDivergedError,
            match=r"^Training diverged: the loss became inf in step 2\. The setting responsible is `learning_rate` = "
            r"1e\+308: try a smaller learning_rate, or clip gradients with max_norm\.$",
        ):
            train(x, y, params=p, steps=2, batch_size=2, optimizer="sgd", momentum=0.0, learning_rate=1e308,
                  max_norm=None, rng=0)


def test_labels_of_the_wrong_shape_name_the_number_of_samples():
    x = np.zeros((4, 5, 2))
    for call in (loss_and_gradients, hidden_gradient_norms):
        with pytest.raises(
            ValueError, match=r"^`labels` must have shape \(4,\), one label per sample; got shape \(4, 1\)\.$"
        ):
            call(x, np.zeros((4, 1), dtype=int), P_RNN)
