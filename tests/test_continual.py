"""Continual learning (nnmem.continual): task builders, replay, EWC, forgetting, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nnmem import TrainingDivergedError
from nnmem.continual import (
    Task,
    _fisher,
    _update_buffer,
    ewc_penalty,
    fisher_diagonal,
    permuted_digits,
    split_digits,
    train_sequence,
)
from nnmem.gradcheck import check_gradients
from nnmem.mlp import _layers, init_mlp, loss_and_gradients

#: The forgetting chapter's settings (docs_src/nnbook/experiments/forgetting_split.py).
BOOK = {"layer_sizes": [64, 100, 10], "epochs_per_task": 10, "learning_rate": 0.1, "batch_size": 32}


def tiny_tasks(n_tasks: int = 2, n_in: int = 4, n_out: int = 3) -> list[Task]:
    rng = np.random.default_rng(0)
    return [
        Task(f"t{k}", rng.random((12, n_in)), rng.integers(0, n_out, 12), rng.random((6, n_in)), rng.integers(0, n_out, 6))
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
    params = init_mlp([4, 5, 3], rng=rng)
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
    params = init_mlp([5, 6, 4], rng=rng)
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
    tasks = tiny_tasks(2)
    kw = {"layer_sizes": [4, 5, 3], "epochs_per_task": 3, "learning_rate": 0.1, "batch_size": 4}
    plain = train_sequence(tasks, method="plain", rng=1, **kw)
    ewc = train_sequence(tasks, method="ewc", ewc_lambda=0.0, rng=1, **kw)
    # EWC draws Fisher labels from rng after task 0, so only task 0's row must match exactly
    np.testing.assert_array_equal(plain.accuracy[0], ewc.accuracy[0])
    assert len(ewc.fishers) == 1 and set(ewc.fishers[0]) == {"W1", "b1", "W2", "b2"}


def test_inputs_are_not_modified() -> None:
    tasks = tiny_tasks(2)
    before = [t.x_train.copy() for t in tasks]
    train_sequence(tasks, layer_sizes=[4, 3], method="replay", replay_size=5, epochs_per_task=2, learning_rate=0.1, rng=0)
    for t, b in zip(tasks, before):
        np.testing.assert_array_equal(t.x_train, b)


def test_huge_lambda_diverges_with_a_hint() -> None:
    tasks = permuted_digits(2, rng=0)
    with pytest.raises(TrainingDivergedError, match="ewc_lambda"):
        train_sequence(tasks, method="ewc", ewc_lambda=1e5, rng=0, **BOOK)


KW = {"layer_sizes": [4, 3], "epochs_per_task": 1, "learning_rate": 0.1}


@pytest.mark.parametrize(
    ("make", "extra", "error", "match"),
    [
        (lambda: [], {}, ValueError, "`tasks` must contain at least one Task"),
        (lambda: tiny_tasks(1)[0], {}, TypeError, "`tasks` must be a list of Task"),
        (lambda: [tiny_tasks(1)[0], "x"], {}, TypeError, r"`tasks\[1\]` must be a Task"),
        (lambda: tiny_tasks(1) + tiny_tasks(1, n_in=5), {}, ValueError, r"`tasks\[1\].x_train` must have 4 columns"),
        (lambda: tiny_tasks(1, n_out=4), {}, ValueError, r"`tasks\[0\].labels_(train|test)` must be in \[0, 2\]"),
        (lambda: [Task("nan", np.full((3, 4), np.nan), np.zeros(3, int), np.zeros((2, 4)), np.zeros(2, int))], {},
         ValueError, r"`tasks\[0\].x_train` must contain only finite numbers"),
        (lambda: tiny_tasks(1), {"ewc_lambda": -1.0}, ValueError, "`ewc_lambda` must be a finite number >= 0"),
        (lambda: tiny_tasks(1), {"replay_size": 0}, ValueError, "`replay_size` must be a positive integer"),
        (lambda: tiny_tasks(1), {"method": "magic"}, ValueError, "`method` must be one of"),
        (lambda: tiny_tasks(1), {"learning_rate": 0.0}, ValueError, "`learning_rate` must be a finite positive number"),
    ],
)
def test_errors_name_the_argument(make, extra, error, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        train_sequence(make(), **{**KW, **extra})


def test_helper_errors() -> None:
    params = init_mlp([4, 3], rng=0)
    with pytest.raises(ValueError, match="`ewc_lambda` must be a finite number >= 0"):
        ewc_penalty(params, [params], [params], ewc_lambda=-2.0)
    with pytest.raises(ValueError, match="`anchors` and `fishers` must have one entry per earlier task"):
        ewc_penalty(params, [params], [], ewc_lambda=1.0)
    with pytest.raises(ValueError, match=r"`fishers\[0\]` must have the keys and shapes"):
        ewc_penalty(params, [params], [{"W1": np.zeros((4, 3))}], ewc_lambda=1.0)
    with pytest.raises(ValueError, match="`labels` must be given for fisher='empirical'"):
        fisher_diagonal(np.ones((2, 4)), params, fisher="empirical")
    with pytest.raises(ValueError, match="`fisher` must be 'sampled' or 'empirical'"):
        fisher_diagonal(np.ones((2, 4)), params, fisher="true")
    with pytest.raises(ValueError, match="`x` must have shape"):
        fisher_diagonal(np.ones((2, 5)), params)
    with pytest.raises(ValueError, match="`n_tasks` must be a positive integer"):
        permuted_digits(0)
