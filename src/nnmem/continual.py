r"""Learning tasks one after another: catastrophic forgetting and two remedies.

A network is trained on a sequence of tasks $T_1, T_2, \dots$, each only
after the previous one, and tested on all of them after every task. Three
training methods share one mini-batch SGD loop built on `nnmem.mlp`:

``"plain"``
    Ordinary SGD on the current task only. Gradient descent moves the
    weights wherever the current loss wants them; nothing protects what
    earlier tasks needed.

``"replay"`` (experience replay)
    A buffer of at most `replay_size` stored training examples of the
    earlier tasks, split equally between them (after $t$ finished tasks each
    keeps $\lfloor \text{replay\_size} / t \rfloor$; a task's share is a
    random subset of its training set, and it only shrinks later). Every
    mini-batch of $B$ new examples is concatenated with $\min(B, \text{buffer size})$
    examples drawn from the buffer without replacement, and the loss is the
    mean cross-entropy over the joint batch.

``"ewc"`` (elastic weight consolidation, Kirkpatrick et al. 2017)
    After task $t$ the diagonal Fisher information $F^{(t)}$ is computed at
    the task's solution $\theta^{*(t)}$, and later tasks minimise

    $$L(\theta) + \frac{\lambda}{2} \sum_{t} \sum_i F^{(t)}_i \big(\theta_i - \theta^{*(t)}_i\big)^2,$$

    one quadratic anchor per earlier task (the original's form, not the
    "online" running average). The Fisher is the *true* Fisher of the
    original paper: labels are sampled from the model's own softmax, not
    taken from the data (set ``fisher="empirical"`` in `fisher_diagonal` for
    the empirical variant).

Evaluation always uses the full output layer: a test image counts as correct
only if the argmax over *all* outputs is its label. For `split_digits` this
is the class-incremental setting (one shared 10-way head, no task identity
at test time); for `permuted_digits` it is the domain-incremental one.

References
----------
Kirkpatrick, J. et al. (2017). Overcoming catastrophic forgetting in neural
networks. PNAS 114(13), 3521-3526.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnmem._checks import (
    TrainingDivergedError,
    as_array,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    make_rng,
)
from nnmem.activations import get_activation
from nnmem.datasets import digits, train_test_split
from nnmem.mlp import _as_dict, _backward, _forward, _layers, _loss_and_output_grad, init_mlp

__all__ = [
    "METHODS",
    "ContinualResult",
    "Task",
    "ewc_penalty",
    "fisher_diagonal",
    "permuted_digits",
    "split_digits",
    "train_sequence",
]

Params = dict[str, np.ndarray]
METHODS = ("plain", "replay", "ewc")


@dataclass(frozen=True)
class Task:
    """One task of a sequence: a training set and a test set.

    Attributes
    ----------
    name : str
        A short label, e.g. ``"digits 0-4"``.
    x_train : ndarray of shape (n_train, n_features)
    labels_train : ndarray of shape (n_train,)
        Integer classes.
    x_test : ndarray of shape (n_test, n_features)
    labels_test : ndarray of shape (n_test,)
    """

    name: str
    x_train: np.ndarray
    labels_train: np.ndarray
    x_test: np.ndarray
    labels_test: np.ndarray


@dataclass(frozen=True)
class ContinualResult:
    """Outcome of `train_sequence`.

    Attributes
    ----------
    accuracy : ndarray of shape (n_tasks, n_tasks)
        ``accuracy[i, j]`` is the test accuracy on task ``j`` after training
        on tasks ``0..i``; the diagonal is each task just after it was learnt,
        the last row is the end state.
    params : dict of str to ndarray
        The parameters after the last task.
    method : str
        ``"plain"``, ``"replay"`` or ``"ewc"``.
    task_names : tuple of str
        The tasks' names, in training order.
    fishers : list of dict
        For ``"ewc"``: the diagonal Fisher of every task but the last (the
        last is never needed); empty otherwise.
    """

    accuracy: np.ndarray
    params: Params
    method: str
    task_names: tuple[str, ...]
    fishers: list[Params] = field(default_factory=list)


# ----------------------------------------------------------------------------
# Task builders
# ----------------------------------------------------------------------------


def split_digits(*, test_fraction: float = 0.25, rng: Any = None) -> list[Task]:
    """The split-digits sequence: digits 0-4, then digits 5-9.

    The 1,797 digits of `nnmem.datasets.digits` are split once, stratified by
    class (`nnmem.datasets.train_test_split`); each task keeps its five
    classes of both parts. Labels stay 0-9, so a network with one 10-way
    output learns the classes incrementally.

    Parameters
    ----------
    test_fraction : float, default 0.25
        Share of every class held out for testing.
    rng : None, int or numpy.random.Generator
        Source of randomness for the split.

    Returns
    -------
    list of Task
        ``[digits 0-4, digits 5-9]``.

    Examples
    --------
    >>> a, b = split_digits(rng=0)
    >>> sorted(set(a.labels_train.tolist())), sorted(set(b.labels_test.tolist()))
    ([0, 1, 2, 3, 4], [5, 6, 7, 8, 9])
    """
    x, labels = digits()
    split = train_test_split(x, labels, test_fraction=test_fraction, rng=rng)
    tasks = []
    for name, classes in (("digits 0-4", range(0, 5)), ("digits 5-9", range(5, 10))):
        tr = np.isin(split.labels_train, list(classes))
        te = np.isin(split.labels_test, list(classes))
        tasks.append(Task(name, split.x_train[tr], split.labels_train[tr], split.x_test[te], split.labels_test[te]))
    return tasks


def permuted_digits(n_tasks: int, *, test_fraction: float = 0.25, rng: Any = None) -> list[Task]:
    """Tasks that show all ten digits through different fixed pixel permutations.

    Task 0 uses the identity (the original images); task $k > 0$ reorders
    the 64 pixels of every image, training and test alike, by one random
    permutation drawn for that task. The labels are always the ten digits,
    so only the input distribution changes (domain-incremental learning).

    Parameters
    ----------
    n_tasks : int
        Number of tasks, at least 1.
    test_fraction : float, default 0.25
        Share of every class held out for testing (one split for all tasks).
    rng : None, int or numpy.random.Generator
        Source of randomness for the split and the permutations.

    Returns
    -------
    list of Task
        Named ``"permutation 0"``, ``"permutation 1"``, ...

    Examples
    --------
    >>> tasks = permuted_digits(3, rng=0)
    >>> import numpy as np
    >>> np.array_equal(np.sort(tasks[1].x_train, axis=1), np.sort(tasks[0].x_train, axis=1))
    True
    """
    n_tasks = check_positive_int("n_tasks", n_tasks)
    gen = make_rng(rng)
    x, labels = digits()
    split = train_test_split(x, labels, test_fraction=test_fraction, rng=gen)
    tasks = []
    for k in range(n_tasks):
        perm = np.arange(x.shape[1]) if k == 0 else gen.permutation(x.shape[1])
        tasks.append(
            Task(f"permutation {k}", split.x_train[:, perm], split.labels_train.copy(), split.x_test[:, perm], split.labels_test.copy())
        )
    return tasks


# ----------------------------------------------------------------------------
# Elastic weight consolidation
# ----------------------------------------------------------------------------


# --8<-- [start:fisher]
def _fisher(x, Ws, bs, activation, sampled, labels, gen):  # type: ignore[no-untyped-def]
    """Diagonal Fisher at (Ws, bs) over the rows of x; labels sampled from the model or given."""
    f = get_activation(activation)
    cache = _forward(x, Ws, bs, activation)
    z = cache.output - cache.output.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)  # softmax probabilities, shape (N, n_out)
    if sampled:  # y ~ p(y | x): the Fisher information of the model's own distribution
        u = gen.random((x.shape[0], 1))
        y = np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)
    else:  # the "empirical Fisher": the data's labels
        y = labels
    delta = p.copy()
    delta[np.arange(x.shape[0]), y] -= 1.0  # d(-log p_y)/dz for each sample separately (not / N)
    n = x.shape[0]
    FWs, Fbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        # per-sample gradient of W is the outer product a_n delta_n^T; its square,
        # summed over n, is (a**2)^T (delta**2): no per-sample loop needed
        a = cache.inputs[l]
        FWs[l] = (a * a).T @ (delta * delta) / n
        Fbs[l] = (delta * delta).sum(axis=0) / n
        if l > 0:
            delta = (delta @ Ws[l].T) * f.derivative(cache.pre_activations[l - 1])
    return _as_dict(FWs, Fbs)
# --8<-- [end:fisher]


def fisher_diagonal(
    x: np.ndarray,
    params: Params,
    *,
    labels: np.ndarray | None = None,
    fisher: str = "sampled",
    activation: str = "relu",
    rng: Any = None,
) -> Params:
    r"""Diagonal of the Fisher information of a softmax classifier at `params`.

    For every parameter $\theta_i$,

    $$F_i = \frac{1}{N} \sum_{n=1}^N \left(\frac{\partial \log p_\theta(y_n \mid x_n)}{\partial \theta_i}\right)^2,$$

    with $y_n$ drawn from the model's prediction $p_\theta(\cdot \mid x_n)$
    (``fisher="sampled"``, the definition used by Kirkpatrick et al. 2017)
    or equal to the data's label (``fisher="empirical"``). One label is drawn
    per sample. Per-sample gradients are not formed one by one: for a weight
    $w_{ij}$ of a layer with input $a$ and output error $\delta$ the
    per-sample gradient is $a_{ni}\delta_{nj}$, so the sum of its squares is
    $\sum_n a_{ni}^2 \delta_{nj}^2$, a matrix product.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs of the task.
    params : dict of str to ndarray
        ``W1, b1, ..., WL, bL``; the output layer gives the logits.
    labels : ndarray of shape (n_samples,), optional
        Needed for ``fisher="empirical"``.
    fisher : {"sampled", "empirical"}, default "sampled"
        Where the labels come from.
    activation : str, default "relu"
        Hidden activation.
    rng : None, int or numpy.random.Generator
        For the sampled labels.

    Returns
    -------
    dict of str to ndarray
        Same keys and shapes as `params`; every entry is >= 0.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3)}
    >>> F = fisher_diagonal(np.ones((4, 2)), params, rng=0)
    >>> bool(np.all(F["W1"] >= 0)), F["b1"].shape
    (True, (3,))
    """
    Ws, bs = _layers(params)
    x = as_array("x", x, ndim=2, shape_hint=f"(n_samples, {Ws[0].shape[0]})")
    if x.shape[1] != Ws[0].shape[0]:
        raise ValueError(f"`x` must have shape (n_samples, {Ws[0].shape[0]}) to match `params['W1']`; got {x.shape}.")
    if x.shape[0] == 0:
        raise ValueError("`x` must hold at least one sample; got 0 rows.")
    if fisher not in ("sampled", "empirical"):
        raise ValueError(f"`fisher` must be 'sampled' or 'empirical'; got {fisher!r}.")
    y = None
    if fisher == "empirical":
        if labels is None:
            raise ValueError("`labels` must be given for fisher='empirical'; got None.")
        y = _check_labels("labels", labels, x.shape[0], Ws[-1].shape[1])
    return _fisher(x, Ws, bs, get_activation(activation).name, fisher == "sampled", y, make_rng(rng))


# --8<-- [start:ewc]
def _ewc_value_and_grads(Ws, bs, anchors, fishers, ewc_lambda):  # type: ignore[no-untyped-def]
    """(λ/2) Σ_t Σ_i F_i^(t) (θ_i − θ*_i^(t))² and its gradient λ Σ_t F^(t) ⊙ (θ − θ*^(t))."""
    theta = _as_dict(Ws, bs)
    value = 0.0
    grads = {k: np.zeros_like(v) for k, v in theta.items()}
    for anchor, F in zip(anchors, fishers):  # one quadratic anchor per earlier task
        for k in theta:
            diff = theta[k] - anchor[k]
            value += 0.5 * ewc_lambda * float(np.sum(F[k] * diff * diff))
            grads[k] += ewc_lambda * F[k] * diff
    return value, grads
# --8<-- [end:ewc]


def ewc_penalty(params: Params, anchors: list[Params], fishers: list[Params], *, ewc_lambda: float) -> tuple[float, Params]:
    r"""The elastic-weight-consolidation penalty and its gradient.

    $$\Omega(\theta) = \frac{\lambda}{2} \sum_t \sum_i F^{(t)}_i \big(\theta_i - \theta^{*(t)}_i\big)^2, \qquad
    \frac{\partial \Omega}{\partial \theta_i} = \lambda \sum_t F^{(t)}_i \big(\theta_i - \theta^{*(t)}_i\big).$$

    Parameters
    ----------
    params : dict of str to ndarray
        Current parameters $\theta$.
    anchors : list of dict
        $\theta^{*(t)}$, the parameters after each earlier task.
    fishers : list of dict
        $F^{(t)}$, the diagonal Fisher at each anchor (same keys and shapes).
    ewc_lambda : float
        $\lambda \ge 0$, the strength of the penalty.

    Returns
    -------
    value : float
    grads : dict of str to ndarray
        Same keys and shapes as `params`.

    Examples
    --------
    >>> import numpy as np
    >>> p = {"W1": np.array([[2.0]]), "b1": np.array([0.0])}
    >>> a = {"W1": np.array([[1.0]]), "b1": np.array([0.0])}
    >>> F = {"W1": np.array([[3.0]]), "b1": np.array([1.0])}
    >>> value, g = ewc_penalty(p, [a], [F], ewc_lambda=2.0)  # (2/2) * 3 * (2-1)**2 = 3
    >>> value, float(g["W1"][0, 0])                            # 2 * 3 * (2-1) = 6
    (3.0, 6.0)
    """
    Ws, bs = _layers(params)
    ewc_lambda = check_nonnegative_float("ewc_lambda", ewc_lambda)
    if len(anchors) != len(fishers):
        raise ValueError(f"`anchors` and `fishers` must have one entry per earlier task each; got {len(anchors)} and {len(fishers)}.")
    for name, group in (("anchors", anchors), ("fishers", fishers)):
        for t, d in enumerate(group):
            if not isinstance(d, dict) or set(d) != set(params) or any(np.shape(d[k]) != np.shape(params[k]) for k in params):
                raise ValueError(f"`{name}[{t}]` must have the keys and shapes of `params`.")
    return _ewc_value_and_grads(Ws, bs, anchors, fishers, ewc_lambda)


# ----------------------------------------------------------------------------
# Experience replay
# ----------------------------------------------------------------------------


# --8<-- [start:replay]
def _update_buffer(buffer, task, replay_size, gen):  # type: ignore[no-untyped-def]
    """Give each finished task an equal share of at most `replay_size` slots."""
    share = replay_size // (len(buffer) + 1)
    kept = [(xs[:share], ys[:share]) for xs, ys in buffer]  # old shares shrink (stored shuffled)
    pick = gen.permutation(task.x_train.shape[0])[:share]
    kept.append((task.x_train[pick], task.labels_train[pick]))
    return kept


def _replay_batch(xb, yb, memory_x, memory_y, gen):  # type: ignore[no-untyped-def]
    """Append as many stored examples as there are new ones (fewer if the buffer is small)."""
    if memory_x.shape[0] == 0:
        return xb, yb
    k = min(xb.shape[0], memory_x.shape[0])
    pick = gen.choice(memory_x.shape[0], size=k, replace=False)
    return np.concatenate([xb, memory_x[pick]]), np.concatenate([yb, memory_y[pick]])
# --8<-- [end:replay]


# ----------------------------------------------------------------------------
# The training loop
# ----------------------------------------------------------------------------


# --8<-- [start:loop]
def _train_task(x, y, Ws, bs, *, activation, learning_rate, epochs, batch_size, memory, anchors, fishers, ewc_lambda, gen):  # type: ignore[no-untyped-def]
    n = x.shape[0]
    for epoch in range(epochs):
        order = gen.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            xb, yb = x[idx], y[idx]
            if memory is not None:  # experience replay: mix stored old examples into the batch
                xb, yb = _replay_batch(xb, yb, *memory, gen)
            cache = _forward(xb, Ws, bs, activation)
            value, d_out = _loss_and_output_grad(cache.output, yb, "cross_entropy")
            gWs, gbs = _backward(d_out, cache, Ws)
            if anchors:  # elastic weight consolidation: pull important weights back
                penalty, pg = _ewc_value_and_grads(Ws, bs, anchors, fishers, ewc_lambda)
                value += penalty
                for l in range(len(Ws)):
                    gWs[l] += pg[f"W{l + 1}"]
                    gbs[l] += pg[f"b{l + 1}"]
            for l in range(len(Ws)):
                Ws[l] -= learning_rate * gWs[l]
                bs[l] -= learning_rate * gbs[l]
            total += value * idx.size
        if not np.isfinite(total):
            raise TrainingDivergedError(
                f"The training loss became {total / n} in epoch {epoch + 1} with learning_rate={learning_rate}"
                f" and ewc_lambda={ewc_lambda}; SGD diverged. Try a smaller learning rate or ewc_lambda."
            )
# --8<-- [end:loop]


def _check_labels(name: str, labels: Any, n_samples: int, n_out: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] != n_samples:
        raise ValueError(f"`{name}` must be integer labels of shape ({n_samples},); got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.issubdtype(labels.dtype, np.number) or not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError(f"`{name}` must hold integer class labels; got non-integer values.")
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_out):
        raise ValueError(
            f"`{name}` must be in [0, {n_out - 1}] for a network with {n_out} outputs; got values from {labels.min()} to {labels.max()}."
        )
    return labels


def _check_tasks(tasks: Any, n_in: int, n_out: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    if isinstance(tasks, Task) or not hasattr(tasks, "__len__"):
        raise TypeError(f"`tasks` must be a list of Task; got {type(tasks).__name__}.")
    if len(tasks) == 0:
        raise ValueError("`tasks` must contain at least one Task; got an empty sequence.")
    checked = []
    for i, task in enumerate(tasks):
        if not isinstance(task, Task):
            raise TypeError(f"`tasks[{i}]` must be a Task; got {type(task).__name__}.")
        parts = []
        for part in ("train", "test"):
            name = f"tasks[{i}].x_{part}"
            x = as_array(name, getattr(task, f"x_{part}"), ndim=2, shape_hint=f"(n_samples, {n_in})")
            if x.shape[1] != n_in:
                raise ValueError(f"`{name}` must have {n_in} columns to match `layer_sizes[0]`; got shape {x.shape}.")
            if x.shape[0] == 0:
                raise ValueError(f"`{name}` must hold at least one sample; got 0 rows.")
            y = _check_labels(f"tasks[{i}].labels_{part}", getattr(task, f"labels_{part}"), x.shape[0], n_out)
            parts += [x, y]
        checked.append(tuple(parts))
    return checked  # type: ignore[return-value]


def train_sequence(
    tasks: list[Task],
    *,
    layer_sizes: Any,
    method: str = "plain",
    epochs_per_task: int,
    learning_rate: float,
    batch_size: int = 32,
    replay_size: int = 200,
    ewc_lambda: float = 100.0,
    activation: str = "relu",
    rng: Any = None,
) -> ContinualResult:
    r"""Train one network on `tasks` in order and test it on every task after each.

    Each task gets `epochs_per_task` epochs of mini-batch SGD (learning rate
    $\eta$, no momentum) with softmax cross-entropy over the whole output
    layer. The methods differ only in what the loop adds (see the module
    docstring): nothing (``"plain"``), replayed old examples (``"replay"``)
    or the EWC penalty (``"ewc"``).

    Parameters
    ----------
    tasks : list of Task
        The sequence, at least one task; all inputs have ``layer_sizes[0]``
        columns and all labels lie in ``[0, layer_sizes[-1] - 1]``.
    layer_sizes : sequence of int
        $(n_0, \dots, n_L)$, as for `nnmem.mlp.init_mlp`.
    method : {"plain", "replay", "ewc"}, default "plain"
    epochs_per_task : int
        Passes over each task's training set.
    learning_rate : float
        $\eta > 0$.
    batch_size : int, default 32
        New examples per mini-batch (replay adds up to as many old ones).
    replay_size : int, default 200
        For ``"replay"``: the buffer's capacity, in examples, shared equally
        by the finished tasks.
    ewc_lambda : float, default 100.0
        For ``"ewc"``: $\lambda \ge 0$. SGD stays stable only while
        $\eta \lambda \max_i F_i < 2$ (the penalty is a quadratic bowl).
    activation : str, default "relu"
        Hidden activation.
    rng : None, int or numpy.random.Generator
        Initialisation, batch order, buffer contents and Fisher label samples.

    Returns
    -------
    ContinualResult

    Raises
    ------
    ValueError, TypeError
        For an empty task list, inputs whose width differs from
        ``layer_sizes[0]``, labels out of range, non-finite data, an unknown
        method, a non-positive `replay_size` or a negative `ewc_lambda`.
    TrainingDivergedError
        If the loss becomes NaN or infinite.

    Examples
    --------
    >>> tasks = split_digits(rng=0)
    >>> res = train_sequence(tasks, layer_sizes=[64, 32, 10], epochs_per_task=2, learning_rate=0.1, rng=0)
    >>> res.accuracy.shape
    (2, 2)
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}; got {method!r}.")
    gen = make_rng(rng)
    params = init_mlp(layer_sizes, activation=activation, rng=gen)
    Ws, bs = _layers(params)
    Ws, bs = [W.copy() for W in Ws], [b.copy() for b in bs]
    data = _check_tasks(tasks, Ws[0].shape[0], Ws[-1].shape[1])
    learning_rate = check_positive_float("learning_rate", learning_rate)
    epochs_per_task = check_positive_int("epochs_per_task", epochs_per_task)
    batch_size = check_positive_int("batch_size", batch_size)
    replay_size = check_positive_int("replay_size", replay_size)
    ewc_lambda = check_nonnegative_float("ewc_lambda", ewc_lambda)
    act = get_activation(activation).name

    n = len(data)
    acc = np.zeros((n, n))
    buffer: list[tuple[np.ndarray, np.ndarray]] = []
    anchors: list[Params] = []
    fishers: list[Params] = []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned about
        for i, (x_tr, y_tr, _, _) in enumerate(data):
            memory = None
            if method == "replay" and buffer:
                memory = (np.concatenate([b[0] for b in buffer]), np.concatenate([b[1] for b in buffer]))
            _train_task(
                x_tr, y_tr, Ws, bs, activation=act, learning_rate=learning_rate, epochs=epochs_per_task,
                batch_size=batch_size, memory=memory, anchors=anchors if method == "ewc" else [],
                fishers=fishers, ewc_lambda=ewc_lambda, gen=gen,
            )
            for j, (_, _, x_te, y_te) in enumerate(data):
                out = _forward(x_te, Ws, bs, act).output
                acc[i, j] = float(np.mean(np.argmax(out, axis=1) == y_te))
            if i < n - 1:
                if method == "replay":
                    task = Task(tasks[i].name, x_tr, y_tr, data[i][2], data[i][3])
                    buffer = _update_buffer(buffer, task, replay_size, gen)
                elif method == "ewc":
                    anchors.append({k: v.copy() for k, v in _as_dict(Ws, bs).items()})
                    fishers.append(_fisher(x_tr, Ws, bs, act, True, None, gen))
    return ContinualResult(
        accuracy=acc, params=_as_dict(Ws, bs), method=method, task_names=tuple(t.name for t in tasks), fishers=fishers
    )
