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
    "online" running average). The Fisher is the *true* Fisher: labels are
    sampled from the model's own softmax, not taken from the data, which
    would give the *empirical* Fisher (Kunstner et al. 2019; set
    ``fisher="empirical"`` in `fisher_diagonal` for it). The EWC paper does
    not say which of the two it computed.

Evaluation always uses the full output layer: a test image counts as correct
only if the argmax over *all* outputs is its label. For `split_digits` this
is the class-incremental setting (one shared 10-way head, no task identity
at test time); for `permuted_digits` it is the domain-incremental one.

Training uses the package's shared pieces: `nnmem.mlp` for the network,
`nnmem.losses` for the cross-entropy, `nnmem.optim.sgd_step` for the update
and the divergence rules of `nnmem._checks.DivergenceGuard` (a mini-batch
loss that is NaN, infinite or 100 times the first of its task, or a task's
epoch losses that surge above 3 times the first epoch's and do not recover).

dtype policy: float32 in, float32 out. The network is trained in float32 when
the first task's training inputs are float32 (or ``dtype=np.float32``), in
float64 otherwise.

References
----------
Kirkpatrick, J. et al. (2017). Overcoming catastrophic forgetting in neural
networks. PNAS 114(13), 3521-3526.

Kunstner, F., Hennig, P., & Balles, L. (2019). Limitations of the empirical
Fisher approximation for natural gradient descent. NeurIPS 32.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnmem._checks import (
    DivergenceGuard,
    Seed,
    as_array,
    check_array_dict,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    make_rng,
)
from nnmem.activations import get_activation
from nnmem.datasets import digits, train_test_split
from nnmem.losses import softmax
from nnmem.mlp import accuracy, forward, init_params, loss_and_gradients
from nnmem.optim import momentum_init, sgd_step

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
Buffer = list[tuple[np.ndarray, np.ndarray]]
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
    losses : ndarray of shape (n_tasks, epochs)
        ``losses[i, k]``: the objective minimised in epoch ``k`` of task ``i``
        (cross-entropy over the batch, replayed examples included, plus the
        EWC penalty), the mean over the epoch's mini-batches weighted by
        their number of new examples, each taken at its forward pass before
        its update.
    """

    accuracy: np.ndarray
    params: Params
    method: str
    task_names: tuple[str, ...]
    fishers: list[Params] = field(default_factory=list)
    losses: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


# ----------------------------------------------------------------------------
# Task builders
# ----------------------------------------------------------------------------


def split_digits(*, test_fraction: float = 0.25, rng: Seed = None) -> list[Task]:
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


def permuted_digits(n_tasks: int, *, test_fraction: float = 0.25, rng: Seed = None) -> list[Task]:
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
            Task(f"permutation {k}", split.x_train[:, perm], split.labels_train.copy(), split.x_test[:, perm],
                 split.labels_test.copy())
        )
    return tasks


# ----------------------------------------------------------------------------
# Elastic weight consolidation
# ----------------------------------------------------------------------------


# --8<-- [start:fisher]
def _fisher(x: np.ndarray, params: Params, activation: str, labels: np.ndarray | None,
            gen: np.random.Generator) -> Params:
    """Diagonal Fisher at `params` over the rows of x; labels sampled from the model unless given."""
    output, cache = forward(x, params, activation=activation)
    p = softmax(output, axis=1)  # the model's p(y | x), shape (N, n_out)
    if labels is None:  # y ~ p(y | x): the true Fisher of the model's own distribution
        c = p.cumsum(axis=1)
        u = gen.random((x.shape[0], 1)) * c[:, -1:]  # uniform in [0, total): never past the last class
        labels = (c < u).sum(axis=1)  # inverse-CDF sampling: the first class whose cumulative sum reaches u
    delta = p.copy()
    delta[np.arange(x.shape[0]), labels] -= 1  # d(-log p_y)/dz for each sample separately (not / N)
    f, n, n_layers = get_activation(activation), x.shape[0], len(params) // 2
    fisher = {}
    for i in range(n_layers, 0, -1):
        # per-sample gradient of W is the outer product a_n delta_n^T; its square,
        # summed over n, is (a**2)^T (delta**2): no per-sample loop needed
        a = cache.inputs[i - 1]
        fisher[f"W{i}"] = (a * a).T @ (delta * delta) / n
        fisher[f"b{i}"] = (delta * delta).sum(axis=0) / n
        if i > 1:
            delta = (delta @ params[f"W{i}"].T) * f.derivative(cache.pre_activations[i - 2])
    return {k: fisher[k] for k in params}
# --8<-- [end:fisher]


def _task_fisher(name: str, x: np.ndarray, params: Params, activation: str, gen: np.random.Generator) -> Params:
    """`_fisher` after task `name` in `train_sequence`, refusing one that overflowed (it would poison EWC)."""
    fisher = _fisher(x, params, activation, None, gen)
    if not all(np.isfinite(v).all() for v in fisher.values()):
        raise FloatingPointError(
            f"The Fisher diagonal after task {name!r} overflowed to infinity for finite inputs; "
            f"got inputs up to {float(np.abs(x).max()):.3g}: scale them down."
        )
    return fisher


def fisher_diagonal(
    x: ArrayLike,
    params: Params,
    *,
    labels: ArrayLike | None = None,
    fisher: str = "sampled",
    activation: str = "relu",
    rng: Seed = None,
) -> Params:
    r"""Diagonal of the Fisher information of a softmax classifier at `params`.

    For every parameter $\theta_i$,

    $$F_i = \frac{1}{N} \sum_{n=1}^N \left(\frac{\partial \log p_\theta(y_n \mid x_n)}{\partial \theta_i}\right)^2,$$

    with $y_n$ drawn from the model's prediction $p_\theta(\cdot \mid x_n)$
    (``fisher="sampled"``, the *true* Fisher, an expectation over the model's
    own labels) or equal to the data's label (``fisher="empirical"``, the
    empirical Fisher). One label is drawn per sample, by inverse-CDF
    sampling from the softmax. Per-sample gradients are not formed one by
    one: for a weight $w_{ij}$ of a layer with input $a$ and output error
    $\delta$ the per-sample gradient is $a_{ni}\delta_{nj}$, so the sum of
    its squares is $\sum_n a_{ni}^2 \delta_{nj}^2$, a matrix product.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_0)
        Inputs of the task.
    params : dict of str to ndarray
        ``W1, b1, ..., WL, bL``; the output layer gives the logits.
    labels : ndarray of shape (n_samples,), optional
        Needed for ``fisher="empirical"``, not allowed for ``"sampled"``.
    fisher : {"sampled", "empirical"}, default "sampled"
        Where the labels come from.
    activation : str, default "relu"
        Hidden activation.
    rng : None, int or numpy.random.Generator
        For the sampled labels.

    Returns
    -------
    dict of str to ndarray
        Same keys, shapes and dtypes as `params`; every entry is >= 0.

    Raises
    ------
    FloatingPointError
        If the squared gradients overflow although `x` and `params` are finite.

    Examples
    --------
    >>> params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3)}
    >>> F = fisher_diagonal(np.ones((4, 2)), params, rng=0)
    >>> bool(np.all(F["W1"] >= 0)), F["b1"].shape
    (True, (3,))
    """
    output, cache = forward(x, params, activation=activation)  # checks x and params
    x = cache.inputs[0]
    if fisher not in ("sampled", "empirical"):
        raise ValueError(f"`fisher` must be 'sampled' or 'empirical'; got {fisher!r}.")
    if fisher == "empirical" and labels is None:
        raise ValueError("`labels` must be given for fisher='empirical'; got None.")
    if fisher == "sampled" and labels is not None:
        raise ValueError(
            "`labels` must be None for fisher='sampled' (the labels are drawn from the model); got labels."
        )
    if labels is not None:
        labels = check_labels("labels", labels, n_samples=x.shape[0], n_classes=output.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        result = _fisher(x, check_array_dict("params", params), get_activation(activation).name, labels, make_rng(rng))
    if not all(np.isfinite(v).all() for v in result.values()):
        raise FloatingPointError(
            "The Fisher diagonal overflowed to infinity for finite `x` and `params`; "
            f"got inputs up to {float(np.abs(x).max()):.3g}: scale them down."
        )
    return result


# --8<-- [start:ewc]
def _ewc_value_and_grads(params: Params, anchors: list[Params], fishers: list[Params],
                         ewc_lambda: float) -> tuple[float, Params]:
    """(λ/2) Σ_t Σ_i F_i^(t) (θ_i − θ*_i^(t))² and its gradient λ Σ_t F^(t) ⊙ (θ − θ*^(t))."""
    value = 0.0
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    for anchor, F in zip(anchors, fishers, strict=True):  # one quadratic anchor per earlier task
        for k, theta in params.items():
            diff = theta - anchor[k]
            value += 0.5 * ewc_lambda * float(np.sum(F[k] * diff * diff))
            grads[k] += ewc_lambda * F[k] * diff
    return value, grads
# --8<-- [end:ewc]


def _check_anchors(params: Params, anchors: Any, fishers: Any) -> tuple[list[Params], list[Params]]:
    for name, group in (("anchors", anchors), ("fishers", fishers)):
        if not isinstance(group, (list, tuple)):
            raise TypeError(f"`{name}` must be a list of dicts, one per earlier task; got {type(group).__name__}.")
    if len(anchors) != len(fishers):
        raise ValueError(
            f"`anchors` and `fishers` must have one entry per earlier task each; got {len(anchors)} and {len(fishers)}."
        )
    checked_anchors = [check_array_dict(f"anchors[{t}]", a, like=params) for t, a in enumerate(anchors)]
    checked_fishers = [check_array_dict(f"fishers[{t}]", F, like=params) for t, F in enumerate(fishers)]
    for t, F in enumerate(checked_fishers):
        for k, v in F.items():
            if np.any(v < 0):
                raise ValueError(
                    f"`fishers[{t}][{k!r}]` must be >= 0 (a diagonal Fisher); got a minimum of {float(v.min())!r}."
                )
    return checked_anchors, checked_fishers


def ewc_penalty(
    params: Params, anchors: list[Params], fishers: list[Params], *, ewc_lambda: float
) -> tuple[float, Params]:
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
        $F^{(t)} \ge 0$, the diagonal Fisher at each anchor (same keys and shapes).
    ewc_lambda : float
        $\lambda \ge 0$, the strength of the penalty.

    Returns
    -------
    value : float
    grads : dict of str to ndarray
        Same keys and shapes as `params`.

    Raises
    ------
    ValueError
        For mismatched keys or shapes, non-finite values, a negative Fisher
        entry or a negative `ewc_lambda`.
    FloatingPointError
        If the penalty overflows although every input is finite.

    Examples
    --------
    >>> p = {"W1": np.array([[2.0]]), "b1": np.array([0.0])}
    >>> a = {"W1": np.array([[1.0]]), "b1": np.array([0.0])}
    >>> F = {"W1": np.array([[3.0]]), "b1": np.array([1.0])}
    >>> value, g = ewc_penalty(p, [a], [F], ewc_lambda=2.0)  # (2/2) * 3 * (2-1)**2 = 3
    >>> value, float(g["W1"][0, 0])                            # 2 * 3 * (2-1) = 6
    (3.0, 6.0)
    """
    params = check_array_dict("params", params)
    ewc_lambda = check_nonnegative_float("ewc_lambda", ewc_lambda)
    anchors, fishers = _check_anchors(params, anchors, fishers)
    with np.errstate(over="ignore", invalid="ignore"):
        value, grads = _ewc_value_and_grads(params, anchors, fishers, ewc_lambda)
    if not (np.isfinite(value) and all(np.isfinite(g).all() for g in grads.values())):
        raise FloatingPointError(
            f"The EWC penalty overflowed to infinity with `ewc_lambda` = {ewc_lambda:g} for finite `params`, "
            "`anchors` and `fishers`: try a smaller ewc_lambda."
        )
    return value, grads


# ----------------------------------------------------------------------------
# Experience replay
# ----------------------------------------------------------------------------


# --8<-- [start:replay]
def _update_buffer(buffer: Buffer, task: Task, replay_size: int, gen: np.random.Generator) -> Buffer:
    """Give each finished task an equal share of at most `replay_size` slots."""
    share = replay_size // (len(buffer) + 1)
    kept = [(xs[:share], ys[:share]) for xs, ys in buffer]  # old shares shrink (stored shuffled)
    pick = gen.permutation(task.x_train.shape[0])[:share]  # a random subset, stored in random order
    kept.append((task.x_train[pick], task.labels_train[pick]))
    return kept


def _replay_batch(xb: np.ndarray, yb: np.ndarray, memory_x: np.ndarray, memory_y: np.ndarray,
                  gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
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
def _train_task(x: np.ndarray, y: np.ndarray, params: Params, *, activation: str, learning_rate: float,
                epochs: int, batch_size: int, memory: tuple[np.ndarray, np.ndarray] | None,
                anchors: list[Params], fishers: list[Params], ewc_lambda: float, guard: DivergenceGuard,
                gen: np.random.Generator) -> tuple[Params, np.ndarray]:
    n = x.shape[0]
    velocity = momentum_init(params)  # stays zero: plain SGD, no momentum
    losses = np.empty(epochs)
    for epoch in range(epochs):
        order = gen.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            xb, yb = x[idx], y[idx]
            if memory is not None:  # experience replay: mix stored old examples into the batch
                xb, yb = _replay_batch(xb, yb, *memory, gen)
            value, grads = loss_and_gradients(xb, yb, params, loss="cross_entropy", activation=activation)
            if anchors:  # elastic weight consolidation: pull important weights back
                penalty, pull = _ewc_value_and_grads(params, anchors, fishers, ewc_lambda)
                value += penalty
                grads = {k: grads[k] + pull[k] for k in grads}
            guard.check(value, epoch=epoch + 1)  # NaN, inf or 100x the task's first batch loss: stop
            params, velocity = sgd_step(params, grads, velocity, learning_rate=learning_rate)
            total += value * idx.size
        losses[epoch] = total / n
    return params, losses
# --8<-- [end:loop]


def _check_tasks(tasks: Any, n_in: int, n_out: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    if isinstance(tasks, Task) or not isinstance(tasks, (list, tuple)):
        raise TypeError(f"`tasks` must be a list of Task; got {type(tasks).__name__}.")
    if len(tasks) == 0:
        raise ValueError("`tasks` must contain at least one Task; got an empty list.")
    checked = []
    for i, task in enumerate(tasks):
        if not isinstance(task, Task):
            raise TypeError(f"`tasks[{i}]` must be a Task; got {type(task).__name__}.")
        parts: list[np.ndarray] = []
        for part in ("train", "test"):
            name = f"tasks[{i}].x_{part}"
            x = as_array(name, getattr(task, f"x_{part}"), ndim=2, shape_hint=f"(n_samples, {n_in})", dtype=None)
            if x.shape[1] != n_in:
                raise ValueError(f"`{name}` must have {n_in} columns to match `layer_sizes[0]`; got shape {x.shape}.")
            labels = getattr(task, f"labels_{part}")
            y = check_labels(f"tasks[{i}].labels_{part}", labels, n_samples=x.shape[0], n_classes=n_out)
            parts += [x, y]
        checked.append((parts[0], parts[1], parts[2], parts[3]))
    return checked


def _guard(method: str, fishers: list[Params], learning_rate: float, ewc_lambda: float) -> DivergenceGuard:
    """The divergence guard for the next task, naming the setting that makes SGD unstable."""
    if method == "ewc" and fishers:
        max_f = max(float(v.max()) for F in fishers for v in F.values())
        if learning_rate * ewc_lambda * max_f >= 2:  # the penalty's quadratic bowl is too steep for SGD
            return DivergenceGuard(
                "ewc_lambda",
                f"SGD on the penalty is stable only while learning_rate * ewc_lambda * max Fisher < 2, "
                f"so try ewc_lambda below {2 / (learning_rate * max_f):.3g}",
                value=ewc_lambda,
            )
    return DivergenceGuard("learning_rate", "try a smaller learning_rate", value=learning_rate)


def _spawn(gen: np.random.Generator) -> np.random.Generator:
    """An independent stream for the Fisher's label samples that leaves `gen`'s own stream untouched."""
    return gen.spawn(1)[0]


def train_sequence(
    tasks: list[Task],
    *,
    layer_sizes: Sequence[int],
    method: str = "plain",
    epochs: int,
    learning_rate: float,
    batch_size: int = 32,
    replay_size: int = 200,
    ewc_lambda: float = 100.0,
    activation: str = "relu",
    dtype: DTypeLike | None = None,
    rng: Seed = None,
) -> ContinualResult:
    r"""Train one network on `tasks` in order and test it on every task after each.

    Each task gets `epochs` epochs of mini-batch SGD (learning rate $\eta$,
    no momentum; `nnmem.optim.sgd_step`) with softmax cross-entropy over the
    whole output layer. The methods differ only in what the loop adds (see
    the module docstring): nothing (``"plain"``), replayed old examples
    (``"replay"``) or the EWC penalty (``"ewc"``).

    Parameters
    ----------
    tasks : list of Task
        The sequence, at least one task; all inputs have ``layer_sizes[0]``
        columns and all labels lie in ``[0, layer_sizes[-1] - 1]``.
    layer_sizes : sequence of int
        $(n_0, \dots, n_L)$, as for `nnmem.mlp.init_params`.
    method : {"plain", "replay", "ewc"}, default "plain"
    epochs : int
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
    dtype : float32 or float64, optional
        Arithmetic precision; defaults to float32 if the first task's
        training inputs are float32, float64 otherwise.
    rng : None, int or numpy.random.Generator
        Initialisation, batch order and buffer contents; the Fisher's label
        samples come from an independent stream spawned from it, so
        ``"ewc"`` with ``ewc_lambda=0`` trains exactly like ``"plain"``.

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
        If a mini-batch loss (penalty included) is NaN, infinite or more than
        100 times the first mini-batch loss of its task, or if a task's epoch
        losses rise above 3 times its first epoch's and the last tenth of its
        epochs ends above half of it (the package's divergence rules,
        `nnmem._checks`). The message names
        `ewc_lambda` when $\eta \lambda \max_i F_i \ge 2$ for the task, and
        `learning_rate` otherwise.

    Examples
    --------
    >>> tasks = split_digits(rng=0)
    >>> res = train_sequence(tasks, layer_sizes=[64, 32, 10], epochs=2, learning_rate=0.1, rng=0)
    >>> res.accuracy.shape, res.losses.shape
    ((2, 2), (2, 2))
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}; got {method!r}.")
    gen = make_rng(rng)
    fisher_gen = _spawn(gen)
    act = get_activation(activation).name
    params = init_params(layer_sizes, activation=act, rng=gen)
    n_in, n_out = params["W1"].shape[0], params[f"W{len(params) // 2}"].shape[1]
    data = _check_tasks(tasks, n_in, n_out)
    dt = np.dtype(data[0][0].dtype if dtype is None else dtype)
    if dt.type not in (np.float32, np.float64):
        raise ValueError(f"`dtype` must be float32 or float64; got {dtype!r}.")
    params = {k: np.asarray(v, dtype=dt) for k, v in params.items()}
    data = [(np.asarray(x_tr, dtype=dt), y_tr, np.asarray(x_te, dtype=dt), y_te) for x_tr, y_tr, x_te, y_te in data]
    learning_rate = check_positive_float("learning_rate", learning_rate)
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    replay_size = check_positive_int("replay_size", replay_size)
    ewc_lambda = check_nonnegative_float("ewc_lambda", ewc_lambda)

    n = len(data)
    acc = np.zeros((n, n))
    losses = np.zeros((n, epochs))
    buffer: list[tuple[np.ndarray, np.ndarray]] = []
    anchors: list[Params] = []
    fishers: list[Params] = []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the guard, not warned about
        for i, (x_tr, y_tr, _, _) in enumerate(data):
            memory = None
            if method == "replay" and buffer:
                memory = (np.concatenate([b[0] for b in buffer]), np.concatenate([b[1] for b in buffer]))
            guard = _guard(method, fishers, learning_rate, ewc_lambda)
            params, losses[i] = _train_task(
                x_tr, y_tr, params, activation=act, learning_rate=learning_rate, epochs=epochs,
                batch_size=batch_size, memory=memory, anchors=anchors, fishers=fishers, ewc_lambda=ewc_lambda,
                guard=guard, gen=gen,
            )
            guard.check_curve(losses[i])  # a surge that never recovered
            for j, (_, _, x_te, y_te) in enumerate(data):
                acc[i, j] = accuracy(x_te, y_te, params, activation=act)
            if i < n - 1:
                if method == "replay":
                    task = Task(tasks[i].name, x_tr, y_tr, data[i][2], data[i][3])
                    buffer = _update_buffer(buffer, task, replay_size, gen)
                elif method == "ewc":
                    anchors.append(params)  # sgd_step returns new arrays, so this stays as it is
                    fishers.append(_task_fisher(tasks[i].name, x_tr, params, act, fisher_gen))
    return ContinualResult(
        accuracy=acc, params=params, method=method, task_names=tuple(t.name for t in tasks), fishers=fishers,
        losses=losses,
    )
