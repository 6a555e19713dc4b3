"""Continual learning (nnmem.continual): task builders, replay, EWC, forgetting, errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem.continual import (
    Task,
    _update_buffer,
    ewc_penalty,
    fisher_diagonal,
    permuted_digits,
    split_digits,
    train_sequence,
)
from nnmem.gradcheck import check_gradients
from nnmem.mlp import init_params, loss_and_gradients

#: The forgetting chapter's settings (docs_src/nnbook/experiments/forgetting_split.py).
BOOK = {"layer_sizes": [64, 100, 10], "epochs": 10, "learning_rate": 0.1, "batch_size": 32}


def tiny_tasks(n_tasks: int = 2, n_in: int = 4, n_out: int = 3) -> list[Task]:
    rng = np.random.default_rng(0)
    return [
        Task(f"t{k}", rng.random((12, n_in)), rng.integers(0, n_out, 12), rng.random((6, n_in)),
             rng.integers(0, n_out, 6))
        for k in range(n_tasks)
    ]


def test_split_digits_partitions_the_classes() -> None:
    a, b = split_digits(rng=0)
    assert set(a.labels_train) == set(a.labels_test) == {0, 1, 2, 3, 4}
    assert set(b.labels_train) == set(b.labels_test) == {5, 6, 7, 8, 9}
    # all 1,797 images used exactly once
    assert len(a.x_train) + len(a.x_test) + len(b.x_train) + len(b.x_test) == 1797


def test_permuted_tasks_are_permutations_of_the_same_images() -> None:
    tasks = permuted_digits(3, rng=1)
    base = tasks[0]
    for task in tasks[1:]:
        np.testing.assert_array_equal(task.labels_train, base.labels_train)
        # each image is a reordering of the same image in task 0
        np.testing.assert_array_equal(np.sort(task.x_train, axis=1), np.sort(base.x_train, axis=1))
        # and one column order serves every image, training and test alike: match columns of
        # the stacked data (identical columns, e.g. always-blank pixels, are interchangeable)
        mine, orig = np.vstack([task.x_train, task.x_test]), np.vstack([base.x_train, base.x_test])
        perm = [next(j for j in range(64) if np.array_equal(mine[:, i], orig[:, j])) for i in range(64)]
        np.testing.assert_array_equal(mine, orig[:, perm])
    assert not np.array_equal(tasks[1].x_train, base.x_train)


def test_accuracy_matrix_shape_and_diagonal() -> None:
    tasks = permuted_digits(3, rng=0)
    res = train_sequence(tasks, method="plain", rng=0, **BOOK)
    assert res.accuracy.shape == (3, 3) and res.task_names == ("permutation 0", "permutation 1", "permutation 2")
    assert np.all((res.accuracy >= 0) & (res.accuracy <= 1))
    assert np.all(np.diag(res.accuracy) > 0.85)  # each task is learnt when it is trained on
    assert res.fishers == []


@pytest.mark.parametrize("seed", range(3))
def test_split_digits_plain_forgets_and_replay_remembers(seed: int) -> None:
    """With the book's settings, over seeds 0-4 plain SGD ended at <= 0.4 % on digits 0-4
    and replay (100 examples) at 88-95 %; the thresholds leave a wide margin."""
    tasks = split_digits(rng=seed)
    plain = train_sequence(tasks, method="plain", rng=seed, **BOOK).accuracy
    replay = train_sequence(tasks, method="replay", replay_size=100, rng=seed, **BOOK).accuracy
    assert plain[0, 0] > 0.95 and plain[-1, 0] < 0.20
    assert replay[-1, 0] > 0.80 and replay[-1, 1] > 0.85
    # class-incremental: before task B the network never predicts 5-9
    assert plain[0, 1] == 0.0


def test_ewc_penalty_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(3)
    params = init_params([4, 5, 3], rng=rng)
    anchors = [{k: v + rng.normal(0, 0.3, v.shape) for k, v in params.items()} for _ in range(2)]
    fishers = [{k: rng.random(v.shape) for k, v in params.items()} for _ in range(2)]
    value, grads = ewc_penalty(params, anchors, fishers, ewc_lambda=7.0)
    errors = check_gradients(lambda p: ewc_penalty(p, anchors, fishers, ewc_lambda=7.0)[0], grads, params)
    assert max(errors.values()) < 1e-7
    assert value > 0
    # at the anchor of a single task the penalty and its gradient vanish
    v0, g0 = ewc_penalty(params, [params], fishers[:1], ewc_lambda=7.0)
    assert v0 == 0.0 and all(np.all(g == 0) for g in g0.values())


def test_fisher_is_nonnegative_and_matches_a_per_sample_loop() -> None:
    rng = np.random.default_rng(4)
    params = init_params([5, 6, 4], rng=rng)
    x, labels = rng.random((9, 5)), rng.integers(0, 4, 9)
    F = fisher_diagonal(x, params, labels=labels, fisher="empirical")
    # the same thing one sample at a time: mean of squared per-sample gradients of -log p(y|x)
    loop = {k: np.zeros_like(v) for k, v in params.items()}
    for n in range(9):
        _, g = loss_and_gradients(x[n : n + 1], labels[n : n + 1], params, loss="cross_entropy")
        for k in loop:
            loop[k] += g[k] ** 2 / 9
    for k in params:
        np.testing.assert_allclose(F[k], loop[k], rtol=1e-12, atol=1e-15)
    sampled = fisher_diagonal(x, params, rng=0)
    assert all(np.all(v >= 0) for v in sampled.values()) and any(np.any(v > 0) for v in sampled.values())


def test_fisher_uses_the_activation_it_is_given() -> None:
    # the per-sample loop of the test above, through a deeper tanh network: ReLU's Fisher would differ,
    # and two hidden layers exercise backpropagation through more than one layer
    rng = np.random.default_rng(5)
    params = init_params([3, 4, 4, 3], rng=rng)
    x, labels = rng.normal(size=(6, 3)), rng.integers(0, 3, 6)
    F = fisher_diagonal(x, params, labels=labels, fisher="empirical", activation="tanh")
    loop = {k: np.zeros_like(v) for k, v in params.items()}
    for n in range(6):
        _, g = loss_and_gradients(x[n : n + 1], labels[n : n + 1], params, loss="cross_entropy", activation="tanh")
        for k in loop:
            loop[k] += g[k] ** 2 / 6
    for k in params:
        np.testing.assert_allclose(F[k], loop[k], rtol=1e-12, atol=1e-15)
    relu = fisher_diagonal(x, params, labels=labels, fisher="empirical")
    assert not np.allclose(relu["W1"], F["W1"])


def test_sampled_fisher_draws_labels_from_the_model() -> None:
    # a network that is certain of class 2 for every input: sampled labels are all 2,
    # so the sampled Fisher is ~0, while the empirical Fisher with other labels is not
    params = {"W1": np.zeros((2, 3)), "b1": np.array([0.0, 0.0, 50.0])}
    x = np.ones((5, 2))
    F = fisher_diagonal(x, params, rng=0)
    assert max(float(v.max()) for v in F.values()) < 1e-20
    Fe = fisher_diagonal(x, params, labels=np.zeros(5, dtype=int), fisher="empirical")
    assert Fe["b1"][0] == pytest.approx(1.0)  # (p0 - 1)^2 with p0 ~ 0


def test_buffer_shares_are_equal_and_bounded() -> None:
    tasks = tiny_tasks(3)
    gen = np.random.default_rng(0)
    buf = _update_buffer([], tasks[0], 9, gen)
    assert [len(b[0]) for b in buf] == [9]
    buf = _update_buffer(buf, tasks[1], 9, gen)
    assert [len(b[0]) for b in buf] == [4, 4]  # 9 // 2
    buf = _update_buffer(buf, tasks[2], 9, gen)
    assert [len(b[0]) for b in buf] == [3, 3, 3]
    # the kept examples of task 0 are rows of its training set
    for row in buf[0][0]:
        assert any(np.array_equal(row, r) for r in tasks[0].x_train)


def test_ewc_with_zero_lambda_equals_plain() -> None:
    """With lambda = 0 the penalty is zero, so EWC must train exactly like plain SGD on every task,
    including task 1, the first one trained while the penalty exists."""
    tasks = tiny_tasks(3)
    kw = {"layer_sizes": [4, 5, 3], "epochs": 3, "learning_rate": 0.1, "batch_size": 4}
    plain = train_sequence(tasks, method="plain", rng=1, **kw)
    ewc = train_sequence(tasks, method="ewc", ewc_lambda=0.0, rng=1, **kw)
    assert len(ewc.fishers) == 2 and set(ewc.fishers[0]) == {"W1", "b1", "W2", "b2"}
    for k in plain.params:  # the end state, after tasks trained with the (zero) penalty
        np.testing.assert_array_equal(plain.params[k], ewc.params[k])
    np.testing.assert_array_equal(plain.accuracy, ewc.accuracy)
    np.testing.assert_array_equal(plain.losses, ewc.losses)
    # and a positive lambda does change what task 1 learns
    strong = train_sequence(tasks, method="ewc", ewc_lambda=1.0, rng=1, **kw)
    assert not np.array_equal(strong.params["W1"], plain.params["W1"])
    assert np.all(strong.losses[1:] >= 0) and strong.losses[0].tolist() == plain.losses[0].tolist()


def test_inputs_are_not_modified() -> None:
    tasks = tiny_tasks(2)
    before = [t.x_train.copy() for t in tasks]
    train_sequence(tasks, layer_sizes=[4, 3], method="replay", replay_size=5, epochs=2, learning_rate=0.1, rng=0)
    for t, b in zip(tasks, before, strict=True):
        np.testing.assert_array_equal(t.x_train, b)


def full(message: str) -> str:
    return "^" + re.escape(message) + "$"


def test_huge_lambda_diverges_naming_ewc_lambda() -> None:
    tasks = permuted_digits(2, rng=0)
    with pytest.raises(TrainingDivergedError, match=r"^Training diverged: .* in epoch \d+\. The setting responsible "
                       r"is `ewc_lambda` = 100000: SGD on the penalty is stable only while learning_rate \* ewc_lambda "
                       r"\* max Fisher < 2, so try ewc_lambda below [0-9.e+-]+\.$"):
        train_sequence(tasks, method="ewc", ewc_lambda=1e5, rng=0, **BOOK)


@pytest.mark.parametrize("method", ["plain", "replay", "ewc"])
def test_learning_rate_100_times_too_large_names_learning_rate(method: str) -> None:
    tasks = split_digits(rng=0)
    with pytest.raises(TrainingDivergedError, match=r"^Training diverged: the loss reached .* in epoch 1\. The setting "
                       r"responsible is `learning_rate` = 10: try a smaller learning_rate\.$"):
        train_sequence(tasks, method=method, rng=0, **{**BOOK, "learning_rate": 10.0})


def test_fisher_from_sampled_labels_differs_from_argmax_labels_in_expectation() -> None:
    """One softmax layer with zero weights: every sample has p = softmax(b) = (0.6, 0.3, 0.1).

    For the bias, the per-sample gradient of -log p_y is p - onehot(y), so
    F_b[k] = mean_n (p_k - [y_n = k])^2. With y drawn from p, E F_b[k] = p_k (1 - p_k)^2 + (1 - p_k) p_k^2
    = p_k (1 - p_k): (0.24, 0.21, 0.09). With the argmax label (always class 0) it would be
    ((0.6 - 1)^2, 0.3^2, 0.1^2) = (0.16, 0.09, 0.01).
    """
    p = np.array([0.6, 0.3, 0.1])
    params = {"W1": np.zeros((2, 3)), "b1": np.log(p)}
    n = 40_000
    F = fisher_diagonal(np.ones((n, 2)), params, rng=0)["b1"]
    # the fraction f_k of samples labelled k satisfies F_b[k] = f_k (1 - p_k)^2 + (1 - f_k) p_k^2,
    # so f_k = (F_b[k] - p_k^2) / (1 - 2 p_k): the sampling distribution, recovered from the Fisher
    f = (F - p**2) / (1 - 2 * p)
    sigma = np.sqrt(p * (1 - p) / n)  # binomial standard error of each fraction
    assert np.all(np.abs(f - p) < 5 * sigma), (f, p)
    np.testing.assert_allclose(F, p * (1 - p), atol=0.005)
    argmax_fisher = (p - np.eye(3)[0]) ** 2
    assert np.all(np.abs(F - argmax_fisher) > 0.05)
    # the same seed gives the same labels; another seed other labels
    np.testing.assert_array_equal(F, fisher_diagonal(np.ones((n, 2)), params, rng=0)["b1"])
    assert not np.array_equal(F, fisher_diagonal(np.ones((n, 2)), params, rng=1)["b1"])


def test_buffer_keeps_a_random_subset_of_each_task() -> None:
    """Each of a task's 12 rows should be kept with probability share / 12 = 3 / 12, not the first three."""
    task = Task("t", np.arange(12.0).reshape(12, 1), np.zeros(12, dtype=int), np.zeros((1, 1)), np.zeros(1, dtype=int))
    counts = np.zeros(12)
    n_trials = 600
    for seed in range(n_trials):
        buf = _update_buffer([], task, 3, np.random.default_rng(seed))
        kept = buf[0][0][:, 0].astype(int)
        assert len(set(kept.tolist())) == 3  # without repetition
        counts[kept] += 1
    expected = n_trials * 3 / 12  # 150 per row
    sigma = math.sqrt(n_trials * 0.25 * 0.75)  # binomial, about 10.6
    assert np.all(np.abs(counts - expected) < 5 * sigma), counts
    # a later task shrinks the earlier share to its first rows, which are already a random subset
    buf = _update_buffer([(np.array([[5.0], [7.0], [1.0]]), np.zeros(3, dtype=int))], task, 4,
                         np.random.default_rng(0))
    assert buf[0][0][:, 0].tolist() == [5.0, 7.0] and len(buf[1][0]) == 2


def test_float32_tasks_train_in_float32() -> None:
    tasks = [Task(t.name, t.x_train.astype(np.float32), t.labels_train, t.x_test.astype(np.float32), t.labels_test)
             for t in tiny_tasks(2)]
    res = train_sequence(tasks, method="ewc", ewc_lambda=1.0, rng=0, **KW)
    assert all(v.dtype == np.float32 for v in res.params.values())
    assert all(v.dtype == np.float32 for v in res.fishers[0].values())
    res64 = train_sequence(tasks, method="plain", rng=0, dtype=np.float64, **KW)
    assert all(v.dtype == np.float64 for v in res64.params.values())


def test_losses_record_the_objective_with_the_penalty() -> None:
    tasks = tiny_tasks(2)
    kw = {"layer_sizes": [4, 3], "epochs": 2, "learning_rate": 1e-9, "batch_size": 12}
    # a learning rate of 1e-9 keeps the parameters (almost) at their start, so with one full batch
    # per epoch the loss of task 0 is the cross-entropy of the initial network on its data
    res = train_sequence(tasks, method="plain", rng=0, **kw)
    start = init_params([4, 3], rng=np.random.default_rng(0))
    expected, _ = loss_and_gradients(tasks[0].x_train, tasks[0].labels_train, start, loss="cross_entropy")
    np.testing.assert_allclose(res.losses[0], [expected, expected], rtol=1e-6)
    assert res.losses.shape == (2, 2)


KW = {"layer_sizes": [4, 3], "epochs": 1, "learning_rate": 0.1}


@pytest.mark.parametrize(
    ("make", "extra", "error", "message"),
    [
        (lambda: [], {}, ValueError, "`tasks` must contain at least one Task; got an empty list."),
        (lambda: tiny_tasks(1)[0], {}, TypeError, "`tasks` must be a list of Task; got Task."),
        (lambda: [tiny_tasks(1)[0], "x"], {}, TypeError, "`tasks[1]` must be a Task; got str."),
        (lambda: tiny_tasks(1) + tiny_tasks(1, n_in=5), {}, ValueError,
         "`tasks[1].x_train` must have 4 columns to match `layer_sizes[0]`; got shape (12, 5)."),
        (lambda: tiny_tasks(1, n_out=4), {}, ValueError,
         "`tasks[0].labels_train` must be class labels in [0, 2]; got values from 0 to 3."),
        (lambda: [Task("nan", np.full((3, 4), np.nan), np.zeros(3, int), np.zeros((2, 4)), np.zeros(2, int))], {},
         ValueError, "`tasks[0].x_train` must contain only finite numbers; got 12 NaN or infinite value(s)."),
        (lambda: tiny_tasks(1), {"ewc_lambda": -1.0}, ValueError,
         "`ewc_lambda` must be a finite number >= 0; got -1.0."),
        (lambda: tiny_tasks(1), {"replay_size": 0}, ValueError, "`replay_size` must be a positive integer; got 0."),
        (lambda: tiny_tasks(1), {"method": "magic"}, ValueError,
         "`method` must be one of ('plain', 'replay', 'ewc'); got 'magic'."),
        (lambda: tiny_tasks(1), {"learning_rate": 0.0}, ValueError,
         "`learning_rate` must be a finite positive number; got 0.0."),
    ],
    ids=["empty", "one-task", "not-a-task", "width", "labels", "nan", "lambda", "replay-size", "method", "lr"],
)
def test_errors_name_the_argument(make, extra, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=full(message)):
        train_sequence(make(), **{**KW, **extra})


def test_helper_errors() -> None:
    params = init_params([4, 3], rng=0)
    with pytest.raises(ValueError, match=full("`ewc_lambda` must be a finite number >= 0; got -2.0.")):
        ewc_penalty(params, [params], [params], ewc_lambda=-2.0)
    with pytest.raises(ValueError, match=full(
        "`anchors` and `fishers` must have one entry per earlier task each; got 1 and 0."
    )):
        ewc_penalty(params, [params], [], ewc_lambda=1.0)
    with pytest.raises(ValueError, match=full("`fishers[0]` must have the keys ['W1', 'b1'] of `params`; got ['W1'].")):
        ewc_penalty(params, [params], [{"W1": np.zeros((4, 3))}], ewc_lambda=1.0)
    negative = {"W1": np.zeros((4, 3)), "b1": np.array([0.0, -0.5, 0.0])}
    with pytest.raises(ValueError, match=full(
        "`fishers[0]['b1']` must be >= 0 (a diagonal Fisher); got a minimum of -0.5."
    )):
        ewc_penalty(params, [params], [negative], ewc_lambda=1.0)
    with pytest.raises(ValueError, match=full("`labels` must be given for fisher='empirical'; got None.")):
        fisher_diagonal(np.ones((2, 4)), params, fisher="empirical")
    with pytest.raises(ValueError, match=full(
        "`labels` must be None for fisher='sampled' (the labels are drawn from the model); got labels."
    )):
        fisher_diagonal(np.ones((2, 4)), params, labels=[0, 1])
    with pytest.raises(ValueError, match=full("`fisher` must be 'sampled' or 'empirical'; got 'true'.")):
        fisher_diagonal(np.ones((2, 4)), params, fisher="true")
    with pytest.raises(ValueError, match=full(
        "`x` must have shape (n_samples, 4) to match `params['W1']`; got shape (2, 5)."
    )):
        fisher_diagonal(np.ones((2, 5)), params)
    with pytest.raises(ValueError, match=full("`n_tasks` must be a positive integer; got 0.")):
        permuted_digits(0)


def test_replay_batch_appends_distinct_stored_examples() -> None:
    from nnmem.continual import _replay_batch

    xb, yb = np.zeros((3, 1)), np.zeros(3, dtype=int)
    mem_x, mem_y = np.arange(1.0, 6.0).reshape(5, 1), np.arange(1, 6)
    for seed in range(20):
        x2, y2 = _replay_batch(xb, yb, mem_x, mem_y, np.random.default_rng(seed))
        assert x2.shape == (6, 1) and x2[:3].tolist() == [[0.0]] * 3  # the new batch first, then 3 old ones
        old = x2[3:, 0].tolist()
        assert len(set(old)) == 3 and set(old) <= {1.0, 2.0, 3.0, 4.0, 5.0}  # drawn without replacement
        assert y2[3:].tolist() == [int(v) for v in old]  # labels travel with their images
    x2, _ = _replay_batch(xb, yb, mem_x[:2], mem_y[:2], np.random.default_rng(0))  # a small buffer: all of it
    assert sorted(x2[3:, 0].tolist()) == [1.0, 2.0]
    x2, y2 = _replay_batch(xb, yb, mem_x[:0], mem_y[:0], np.random.default_rng(0))
    assert x2.shape == (3, 1) and y2.shape == (3,)


def test_divergence_names_ewc_lambda_exactly_at_the_stability_bound() -> None:
    from nnmem.continual import _guard

    F = [{"W1": np.array([[0.25, 1.0]]), "b1": np.zeros(2)}]  # max Fisher 1.0
    # learning_rate * ewc_lambda * max F = 0.5 * 4 * 1 = 2: unstable, the bound is 2 / (0.5 * 1) = 4
    g = _guard("ewc", F, 0.5, 4.0)
    assert (g.setting, g.value) == ("ewc_lambda", 4.0)
    assert g.hint == ("SGD on the penalty is stable only while learning_rate * ewc_lambda * max Fisher < 2, "
                      "so try ewc_lambda below 4")
    g = _guard("ewc", F, 0.5, 3.99)  # 1.995 < 2: the penalty is not to blame
    assert (g.setting, g.hint, g.value) == ("learning_rate", "try a smaller learning_rate", 0.5)
    assert _guard("plain", F, 0.5, 100.0).setting == "learning_rate"
    assert _guard("ewc", [], 0.5, 100.0).setting == "learning_rate"  # the first task has no penalty yet


def test_split_digits_names_its_tasks_and_honours_test_fraction() -> None:
    a, b = split_digits(test_fraction=0.5, rng=0)
    assert (a.name, b.name) == ("digits 0-4", "digits 5-9")
    n_test, n_train = len(a.x_test) + len(b.x_test), len(a.x_train) + len(b.x_train)
    # half of every class held out: about 1797 / 2, not the default quarter (~449)
    assert n_test + n_train == 1797 and abs(n_test - 1797 / 2) <= 10


def digit_rows(x: np.ndarray) -> np.ndarray:
    """The rows of x in lexicographic order: compares two sets of images regardless of their order."""
    return x[np.lexsort(x.T[::-1])]


def test_permuted_digits_keeps_task_0_unpermuted_and_is_seeded() -> None:
    from nnmem.datasets import digits

    images, _ = digits()
    tasks = permuted_digits(3, test_fraction=0.5, rng=2)
    first = np.vstack([tasks[0].x_train, tasks[0].x_test])
    np.testing.assert_array_equal(digit_rows(first), digit_rows(images))  # the original images, pixels in place
    for task in tasks[1:]:  # every other task moves the pixels
        assert not np.array_equal(digit_rows(np.vstack([task.x_train, task.x_test])), digit_rows(images))
    assert abs(len(tasks[0].x_test) - 1797 / 2) <= 10  # test_fraction reaches the split
    again = permuted_digits(3, test_fraction=0.5, rng=2)  # the same seed: the same split and permutations
    for t, u in zip(tasks, again, strict=True):
        np.testing.assert_array_equal(t.x_train, u.x_train)
        np.testing.assert_array_equal(t.x_test, u.x_test)


def test_replay_batch_with_a_one_example_buffer_appends_it() -> None:
    from nnmem.continual import _replay_batch

    x2, y2 = _replay_batch(np.zeros((3, 1)), np.zeros(3, dtype=int), np.array([[7.0]]), np.array([2]),
                           np.random.default_rng(0))
    assert x2[:, 0].tolist() == [0.0, 0.0, 0.0, 7.0] and y2.tolist() == [0, 0, 0, 2]


def test_divergence_bound_scales_with_the_largest_fisher() -> None:
    from nnmem.continual import _guard

    F = [{"W1": np.array([[4.0, 1.0]]), "b1": np.zeros(2)}]  # max Fisher 4
    # 0.5 * 1 * 4 = 2: unstable, and the bound on ewc_lambda is 2 / (0.5 * 4) = 1
    g = _guard("ewc", F, 0.5, 1.0)
    assert (g.setting, g.value) == ("ewc_lambda", 1.0) and g.hint.endswith("so try ewc_lambda below 1")
    assert _guard("ewc", F, 0.5, 0.99).setting == "learning_rate"  # 1.98 < 2


def test_hidden_activation_is_used_for_init_training_and_evaluation() -> None:
    """One full-batch SGD step of a tanh network, rebuilt by hand: tanh's initialisation, tanh's
    gradient, and a test accuracy from a tanh forward pass written out in numpy."""
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(12, 4)), rng.integers(0, 3, 12)
    x_test, y_test = rng.normal(size=(300, 4)), rng.integers(0, 3, 300)
    res = train_sequence([Task("t", x, y, x_test, y_test)], layer_sizes=[4, 5, 3], activation="tanh", epochs=1,
                         batch_size=12, learning_rate=0.5, rng=0)
    start = init_params([4, 5, 3], activation="tanh", rng=np.random.default_rng(0))
    _, g = loss_and_gradients(x, y, start, loss="cross_entropy", activation="tanh")
    expected = {k: start[k] - 0.5 * g[k] for k in start}
    for k in start:
        np.testing.assert_allclose(res.params[k], expected[k], rtol=1e-12, atol=1e-15)
    logits = np.tanh(x_test @ expected["W1"] + expected["b1"]) @ expected["W2"] + expected["b2"]
    assert res.accuracy[0, 0] == np.mean(np.argmax(logits, axis=1) == y_test)


def test_ewc_training_adds_the_penalty_to_loss_and_gradient() -> None:
    """Two tasks of full-batch SGD, two epochs each, replayed by hand: the penalty is written out
    here as (lambda / 2) sum F (theta - theta*)^2 with gradient lambda F (theta - theta*)."""
    tasks = tiny_tasks(2)
    lr, lam = 0.5, 2.0
    res = train_sequence(tasks, method="ewc", layer_sizes=[4, 3], epochs=2, batch_size=12, learning_rate=lr,
                         ewc_lambda=lam, rng=0)
    assert res.method == "ewc"
    theta = init_params([4, 3], rng=np.random.default_rng(0))
    losses = []
    for _ in range(2):  # task 0: no penalty
        value, g = loss_and_gradients(tasks[0].x_train, tasks[0].labels_train, theta, loss="cross_entropy")
        losses.append(value)
        theta = {k: theta[k] - lr * g[k] for k in theta}
    anchor, F = theta, res.fishers[0]
    penalties = []
    for _ in range(2):  # task 1: cross-entropy plus the pull towards task 0's solution
        value, g = loss_and_gradients(tasks[1].x_train, tasks[1].labels_train, theta, loss="cross_entropy")
        penalty = 0.5 * lam * sum(float(np.sum(F[k] * (theta[k] - anchor[k]) ** 2)) for k in theta)
        losses.append(value + penalty)
        penalties.append(penalty)
        theta = {k: theta[k] - lr * (g[k] + lam * F[k] * (theta[k] - anchor[k])) for k in theta}
    assert penalties[0] == 0.0 and penalties[1] > 1e-3  # the second epoch starts away from the anchor
    np.testing.assert_allclose(res.losses.ravel(), losses, rtol=1e-12)
    for k in theta:
        np.testing.assert_allclose(res.params[k], theta[k], rtol=1e-12, atol=1e-15)


def test_epoch_loss_is_the_mean_over_all_its_mini_batches() -> None:
    tasks = tiny_tasks(1)
    # batches of 5, 5 and 2 rows; a learning rate of 1e-9 keeps the network at its start, so the
    # size-weighted mean of the three batch losses is the cross-entropy over all 12 rows
    res = train_sequence(tasks, layer_sizes=[4, 3], epochs=2, batch_size=5, learning_rate=1e-9, rng=0)
    start = init_params([4, 3], rng=np.random.default_rng(0))
    expected, _ = loss_and_gradients(tasks[0].x_train, tasks[0].labels_train, start, loss="cross_entropy")
    np.testing.assert_allclose(res.losses[0], [expected, expected], rtol=1e-6)


def test_documented_defaults_of_batch_replay_and_lambda() -> None:
    """Leaving batch_size, replay_size and ewc_lambda out is the same as passing 32, 200 and 100.0;
    a neighbouring value changes the result, so the comparison can fail."""
    rng = np.random.default_rng(8)
    tasks = [Task(f"t{k}", rng.random((250, 4)), rng.integers(0, 3, 250), rng.random((20, 4)),
                  rng.integers(0, 3, 20)) for k in range(2)]
    kw = {"layer_sizes": [4, 3], "epochs": 1, "learning_rate": 0.01, "rng": 0}
    for method, name, default, other in [("plain", "batch_size", 32, 33), ("replay", "replay_size", 200, 201),
                                         ("ewc", "ewc_lambda", 100.0, 101.0)]:
        implicit = train_sequence(tasks, method=method, **kw).params
        explicit = train_sequence(tasks, method=method, **{name: default}, **kw).params
        moved = train_sequence(tasks, method=method, **{name: other}, **kw).params
        for k in implicit:
            np.testing.assert_array_equal(implicit[k], explicit[k])
        assert not np.array_equal(implicit["W1"], moved["W1"]), name


def test_dtype_float32_trains_and_evaluates_float64_tasks_in_float32() -> None:
    """dtype=np.float32 with float64 data: training and evaluation round the inputs to float32.

    A test point placed where rounding it to float32 flips the prediction of the trained 1-input
    network tells float32 evaluation from float64 evaluation."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(20, 1))
    y = (x[:, 0] > 0).astype(int)
    kw = {"layer_sizes": [1, 2], "epochs": 1, "learning_rate": 0.1, "dtype": np.float32, "rng": 0}
    res = train_sequence([Task("t", x, y, x, y)], **kw)
    W, b = res.params["W1"], res.params["b1"]
    assert all(v.dtype == np.float32 for v in res.params.values())
    # trained in float32 arithmetic: exactly as if the data had been given in float32
    x32 = x.astype(np.float32)
    same = train_sequence([Task("t", x32, y, x32, y)], **{**kw, "dtype": None}).params
    for k in same:
        np.testing.assert_array_equal(res.params[k], same[k])

    def predict32(v: float) -> int:
        return int(np.argmax(np.float32(v) * W[0] + b))  # float32 arithmetic throughout

    def predict64(v: float) -> int:
        return int(np.argmax(v * W[0].astype(np.float64) + b.astype(np.float64)))

    boundary = float((b[1] - b[0]) / (W[0, 0] - W[0, 1]))  # where the two logits are equal
    point = next(v for v in boundary + np.abs(boundary) * 1e-7 * np.linspace(-50, 50, 1001)
                 if predict32(v) != predict64(v))
    res = train_sequence([Task("t", x, y, np.array([[point]]), np.array([predict32(point)]))], **kw)
    assert res.accuracy[0, 0] == 1.0


def test_an_overflowing_fisher_between_tasks_is_reported_as_such() -> None:
    """EWC on inputs near 1e160: the squared per-sample gradients (~x^2 ~ 1e320) overflow in the Fisher
    computed after the first task. That must stop training with the Fisher named and the inputs' size, not
    later as a divergence blamed on the learning rate, and no RuntimeWarning may leak out."""
    import warnings

    gen = np.random.default_rng(0)
    tasks = [
        Task(f"t{k}", gen.random((6, 2)) * 1e160, np.arange(6) % 2, gen.random((3, 2)) * 1e160, np.arange(3) % 2)
        for k in range(2)
    ]
    biggest = float(np.abs(tasks[0].x_train).max())  # the Fisher after task t0 is taken over t0's training inputs
    message = (
        "The Fisher diagonal after task 't0' overflowed to infinity for finite inputs; "
        f"got inputs up to {biggest:.3g}: scale them down."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError, match="^" + re.escape(message) + "$"):
            train_sequence(tasks, layer_sizes=[2, 2], method="ewc", epochs=1, learning_rate=1e-300, rng=0)
