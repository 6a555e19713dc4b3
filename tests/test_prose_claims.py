"""Sentences of prose that state a computed outcome, checked against the values the page computes.

Every test here protects one sentence (or one short passage) of a chapter: its
docstring quotes the English sentence and names the page; the Chinese twin of
the page states the same claim and runs the same code (``test_bilingual``
checks that the executed code of the two languages is identical), so the same
test protects both. A change in the package or in an experiment that falsifies
a sentence makes its test fail.

The values come from running the page's own executed blocks (``run_page``),
in order and with the page's sessions, exactly as markdown-exec runs them at
build time; experiments come from :func:`nnbook.run_experiment`, so a build
and this module share one cached result. These tests check that the *prose
agrees with the computation*; whether the computation is right is the job of
the package's unit tests and of the experiment tests.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import sys
import textwrap
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))

import nnbook  # noqa: E402

# Experiments come from the session build's cache when there is one (see ``experiment_cache`` in conftest.py).
pytestmark = pytest.mark.usefixtures("experiment_cache")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})\s*python\b(?P<info>[^\n]*)$")


@dataclass
class PageRun:
    """What a page computed: the globals of each markdown-exec session and the text each block printed."""

    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)

    def ns(self, session: str) -> dict[str, Any]:
        return self.sessions[session]


def executed_blocks(markdown: str) -> list[tuple[str, str, str]]:
    """The page's executed blocks in order, as (session, id, code); indented blocks (in solutions) are dedented."""
    lines = markdown.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and re.search(r"""\bexec=["']?1""", m["info"]):
            indent, ticks = m["indent"], m["ticks"]
            body = []
            i += 1
            while lines[i].strip() != ticks:
                body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            session = re.search(r'session="([^"]+)"', m["info"])
            block_id = re.search(r'id="([^"]+)"', m["info"])
            blocks.append(
                (
                    session[1] if session else "",
                    block_id[1] if block_id else f"line{i}",
                    textwrap.dedent("\n".join(body)),
                )
            )
        i += 1
    return blocks


@functools.cache
def run_page(name: str, language: str = "en") -> PageRun:
    """Execute ``docs/<name>.md`` (or its Chinese twin) block by block, as the build does."""
    path = ROOT / "docs" / (f"{name}.md" if language == "en" else f"{name}.{language}.md")
    run = PageRun()
    nnbook.set_language(language)
    try:
        for session, block_id, code in executed_blocks(path.read_text(encoding="utf-8")):
            ns = run.sessions.setdefault(session, {"__name__": f"nnbook_page_{name}"}) if session else {}
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"<{path.name}:{block_id}>", "exec"), ns)  # noqa: S102 - the page's own code
            run.printed[block_id] = out.getvalue()
    finally:
        nnbook.set_language("en")
    return run


def prose(name: str, language: str = "en") -> str:
    """The page's text with line breaks folded into spaces, to check that a quoted sentence is still there."""
    path = ROOT / "docs" / (f"{name}.md" if language == "en" else f"{name}.{language}.md")
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def test_the_block_runner_keeps_sessions_and_dedents_solutions() -> None:
    page = textwrap.dedent("""\
        ```python exec="1" session="s" id="a"
        x = 2
        print(x)
        ```

        ??? success "Solution"
            ```python exec="1" session="s" id="b"
            print(x * 3)
            ```

        ```python
        not executed
        ```
        """)
    blocks = executed_blocks(page)
    assert [(s, i) for s, i, _ in blocks] == [("s", "a"), ("s", "b")]
    assert blocks[1][2] == "print(x * 3)"


_LATEX = {
    r"\beta": "β",
    r"\lambda": "λ",
    r"\eta": "η",
    r"\mu": "μ",
    r"\alpha": "α",
    r"\tau": "τ",
    r"\ge": "≥",
    r"\le": "≤",
    r"\approx": "≈",
    r"\pm": "±",
    r"\ln": "ln",
    r"\text": "",
    r"\mathrm": "",
    r"\,": " ",
}


def _plain(text: str) -> str:
    """Markdown and LaTeX reduced to comparable plain text: link text kept, citations, markup and quotes unified."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\s*\[@[^\]]*\]", "", text)
    for command, symbol in _LATEX.items():
        text = text.replace(command, symbol)
    text = re.sub(r"[*`${}_\\]", "", text)
    text = re.sub(r"[“”\"‘’']", "'", text).replace("−", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text)


def quoted_fragments(doc: str) -> list[str]:
    """The word-only pieces (split at "...") of every "quoted" sentence in a docstring; formulas are skipped."""
    pieces = []
    for quote in re.findall(r'"([^"]+)"', " ".join(doc.split())):
        for piece in re.split(r"\s*(?:\.\.\.|…)\s*", quote):
            piece = piece.strip(" ,;.")
            if len(piece.split()) >= 3 and not set(piece) & set("/±√≈<>=^−"):
                pieces.append(piece)
    return pieces


def test_every_quoted_sentence_is_still_on_its_page() -> None:
    """A guard and its sentence change together: every sentence quoted in a docstring below is on the English page
    the docstring names. Rewrite a sentence and this test asks for its guard to be rewritten too."""
    missing = []
    for name, func in sorted(globals().items()):
        match = re.match(r"([a-z-]+)\.md", func.__doc__ or "") if name.startswith("test_") else None
        if match:
            page = _plain((ROOT / "docs" / f"{match[1]}.md").read_text(encoding="utf-8"))
            missing += [f"{name}: {piece}" for piece in quoted_fragments(func.__doc__) if _plain(piece) not in page]
    assert not missing, "quoted sentences no longer on their page:\n" + "\n".join(missing)


# --------------------------------------------------------------------------- training.md


def test_training_step_sizes_on_the_quadratic_bowl() -> None:
    """training.md: "The small step is safe but slow along the flat direction ... The good step oscillates
    across the steep direction but converges in both. At η = 0.21 ... the loss grows geometrically"."""
    out = run_page("training").printed["training-quadratic"]
    losses = {
        float(m[1]): (float(m[2]), float(m[3]))
        for m in re.finditer(r"η = ([\d.]+) .*?loss ([\d.]+) -> ([\d.e+]+) after", out)
    }
    (start, small), (_, good), (_, big) = losses[0.02], losses[0.15], losses[0.21]
    assert good < small < start  # the small step descends, but far less than the good one
    assert good < 0.01 * start
    assert big > 10 * start


def test_training_article_settings_solve_xor_only_some_of_the_time() -> None:
    """training.md: "With the article's settings, XOR is solved only some of the time, and it depends on the
    seed alone"."""
    xor = run_page("training").ns("training")["xor"]
    assert 0.1 * xor["seeds"] < xor["article"]["n_solved"] < 0.9 * xor["seeds"]


def _grid(key: str) -> dict[tuple[str, float], dict[str, Any]]:
    grid = run_page("training").ns("training")["grid"]
    x = "hidden_size" if key == "by_size" else "learning_rate"
    return {(c["activation"], c[x]): c for c in grid[key]}


def test_training_grid_width_and_tanh_help() -> None:
    """training.md: "Three patterns stand out. Width helps: with more hidden units it becomes likely that
    enough of them start in useful positions. Tanh helps: a tanh unit is never exactly flat"."""
    by_size = _grid("by_size")
    sizes = sorted({h for _, h in by_size})
    for act in ("relu", "tanh"):
        solved = [by_size[act, h]["n_solved"] for h in sizes]
        assert solved == sorted(solved), act  # never fewer solved runs with more units
    assert by_size["relu", sizes[-1]]["n_solved"] > by_size["relu", sizes[0]]["n_solved"]
    assert all(by_size["tanh", h]["n_solved"] >= by_size["relu", h]["n_solved"] for h in sizes)
    by_rate = _grid("by_rate")
    assert all(by_rate["tanh", r]["n_solved"] >= by_rate["relu", r]["n_solved"] for _, r in by_rate)


def test_training_grid_learning_rate_has_a_sweet_spot() -> None:
    """training.md: "the learning rate has a sweet spot: 0.01 is too slow for 1000 epochs; a large rate moves
    fast but can throw ReLU units into the dead region or, with tanh, make the loss diverge"."""
    by_rate = _grid("by_rate")
    rates = sorted({r for _, r in by_rate})
    assert rates[0] == 0.01 and 0.1 in rates
    for act in ("relu", "tanh"):
        assert by_rate[act, 0.01]["n_solved"] < by_rate[act, 0.1]["n_solved"], act
    assert by_rate["relu", rates[-1]]["n_solved"] < by_rate["relu", 0.1]["n_solved"]
    assert by_rate["tanh", rates[-1]]["n_diverged"] > 0


def test_training_recommended_settings_are_reliable() -> None:
    """training.md: "The settings this book recommends for XOR ... 8 hidden tanh units, learning rate 0.1,
    1000 epochs. Checked over the same 100 seeds" (section "Settings that solve XOR reliably")."""
    xor = run_page("training").ns("training")["xor"]
    rec = xor["recommended"]
    assert rec["settings"] == {"hidden_size": 8, "activation": "tanh", "learning_rate": 0.1, "epochs": 1000}
    assert rec["n_solved"] >= 0.99 * xor["seeds"] and rec["n_diverged"] == 0


def test_training_dead_units_claims() -> None:
    """training.md: "A run with two or three dead units cannot solve XOR at all" and "Solved runs can also
    carry a dead unit"; "Units can also die during training"."""
    art = run_page("training").ns("training")["xor"]["article"]
    solved_dead = [d for d, ok in zip(art["dead_end"], art["solved"], strict=True) if ok]
    assert max(solved_dead) <= 1
    assert 1 in solved_dead
    assert any(end > start for start, end in zip(art["dead_init"], art["dead_end"], strict=True))


def test_training_stuck_runs_stop_at_simple_fractions() -> None:
    """training.md: "The stuck runs stop at a handful of loss values that are simple fractions" (1/4, 1/6
    and 1/8, each explained in the text)."""
    cont = run_page("training").ns("training")["xor"]["continued"]
    stuck = [loss for loss, ok in zip(cont["final_loss"], cont["solved"], strict=True) if not ok]
    assert stuck
    levels = [float(Fraction(1, k)) for k in (4, 6, 8)]
    assert all(min(abs(loss - q) for q in levels) < 1e-3 for loss in stuck)


def test_training_regression_hidden_size_claims() -> None:
    """training.md: "two steps can imitate that only roughly: the 2-unit fit falls short of the peaks and
    does not return to zero at the ends. More units give more steps to work with. With 64 points and modest
    noise the larger networks do not visibly overfit within 3000 epochs"."""
    reg = run_page("training").ns("training")["reg"]
    by_h = {s["hidden_size"]: s for s in reg["sizes"]}
    two = np.array(by_h[2]["curve"])
    assert two.max() < 0.9 and two.min() > -0.9  # short of the peaks at +-1
    assert abs(two[0]) > 0.1 and abs(two[-1]) > 0.1  # sin(+-pi) = 0
    errors = [by_h[h]["true_error"] for h in sorted(by_h)]
    assert errors == sorted(errors, reverse=True)  # closer to sin x with every size: no visible overfitting
    assert min(errors) < reg["noise"] ** 2  # the best fit is closer to sin x than the noise


def test_training_rate_sweep_claims() -> None:
    """training.md: "a ten times larger rate reaches the same loss in about ten times fewer epochs";
    "At the large rates the table counts epochs in which the loss went up"; "Beyond the limit, training
    breaks down and `train` says so"."""
    rates = {r["learning_rate"]: r for r in run_page("training").ns("training")["reg"]["rates"]}
    slow, fast = rates[0.001], rates[0.01]
    target = slow["final_loss"]
    epochs, losses = np.array(fast["epochs"]), np.array(fast["losses"])
    reached = epochs[np.argmax(losses <= target)]
    assert np.any(losses <= target)
    assert 5 <= slow["epochs"][-1] / reached <= 20  # "about ten times fewer"
    stable = [r for r in rates.values() if not r["diverged"]]
    assert max(r["n_rises"] for r in stable) > 0
    assert all(r["n_rises"] == 0 for r in stable if r["learning_rate"] <= 0.03)
    diverged = [r for r in rates.values() if r["diverged"]]
    assert diverged and min(r["learning_rate"] for r in diverged) > max(r["learning_rate"] for r in stable)
    for r in diverged:  # the message names the setting responsible and its value
        assert "learning_rate" in r["message"] and re.search(rf"\b{r['learning_rate']:g}\b", r["message"])


def test_training_exercise_dead_init_probabilities() -> None:
    """training.md exercise 3: "estimate the probability that a unit is dead and that at least two of the three
    are" (theory 1/4 and 10/64); the printed estimates must agree within sampling error."""
    out = run_page("training").printed["training-ex-dead-init"]
    one, two = (float(v) for v in re.findall(r"≈ ([\d.]+)", out))
    # 20 000 networks: standard errors sqrt(p(1-p)/n) (per unit, 60 000 units: 0.0018; per network: 0.0026)
    assert abs(one - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 60_000)
    assert abs(two - 10 / 64) < 4 * np.sqrt(10 / 64 * 54 / 64 / 20_000)


def test_training_exercise_best_rate_lands_close_to_theory() -> None:
    """training.md exercise 4: "A sweep of the loss after 50 steps lands close to it" (η* = 2/11)."""
    out = run_page("training").printed["training-ex-best-rate"]
    best = float(re.search(r"best η on the grid: ([\d.]+)", out)[1])
    assert abs(best - 2 / 11) < 0.01


# --------------------------------------------------------------------------- digits.md


def test_digits_classes_are_nearly_balanced() -> None:
    """digits.md: "The classes are nearly balanced, so ... a model that always answers the same digit would
    score about 10 %"."""
    ns = run_page("digits").ns("digits")
    counts = np.bincount(ns["split"].labels_test)
    assert counts.max() / counts.sum() < 0.11


def test_digits_test_accuracy_is_well_over_90_percent() -> None:
    """digits.md: "Well over 90 % of digits the network has never seen are read correctly. The training
    accuracy is only a little higher than the test accuracy"."""
    ns = run_page("digits").ns("digits")
    assert ns["test_acc"] > 0.93
    assert 0 <= ns["train_acc"] - ns["test_acc"] < 0.03


def test_digits_learning_curve_claims() -> None:
    """digits.md: "most of the learning happens in the first few epochs: the network passes 90 % test accuracy
    long before the training loss has settled"; "keeps falling, while the test loss falls more slowly and less
    steadily, so the gap between the two widens"; "the accuracy of 'the network after epoch 30' can move by a few
    points from one epoch to the next"."""
    ns = run_page("digits").ns("digits")
    acc, train, test = ns["acc"], ns["train_loss"], ns["test_loss"]
    first_90 = ns["first_90"]
    assert acc[first_90 - 1] > 0.9 and first_90 <= 5
    assert train[-1] < 0.5 * train[first_90 - 1]  # the training loss is far from settled at that epoch
    assert train[-1] / train[9] < test.min() / test[9]  # from epoch 10 on the training loss falls faster
    assert np.any(np.diff(test[9:]) > 0) and np.all(np.diff(train[9:]) < 0.01)  # less steadily
    assert test[-1] - train[-1] > test[9] - train[9]  # the gap widens
    jumps = np.abs(np.diff(acc[-10:]))
    assert 0.01 <= jumps.max() <= 0.06  # "a few points"


def test_digits_errors_gather_in_pairs_that_share_ink() -> None:
    """digits.md: "The errors are not spread evenly. They gather in a few cells" (the most frequent mistakes
    are printed above the sentence)."""
    ns = run_page("digits").ns("digits")
    off = ns["off"]
    top3 = np.sort(off, axis=None)[::-1][:3].sum()
    assert top3 >= 0.4 * off.sum()  # three of the 90 off-diagonal cells hold a large share of the errors


def test_digits_first_layer_facts() -> None:
    """digits.md: "training changed W^(1) by a fraction of its initial size"; "weights from pixels that are
    blank in every training image never move"; "a ReLU unit that is inactive on every training image gets no
    gradient at all; ... it stays silent"."""
    ns = run_page("digits").ns("digits")
    assert 0 < ns["ratio"] < 1
    assert len(ns["blank"]) > 0 and np.array_equal(ns["W_end"][ns["blank"]], ns["W_init"][ns["blank"]])
    assert set(ns["dead_start"]) <= set(ns["dead_end"])


def test_digits_sklearn_agrees_within_a_few_test_images() -> None:
    """digits.md: "The two libraries agree to within a few test images"; "a difference of a few images between
    two libraries is no evidence that either is better"."""
    ns = run_page("digits").ns("digits")
    gap = abs(ns["ours"].mean() - ns["theirs"].mean())
    assert gap * ns["n_test"] <= 5
    assert gap < 2 * ns["se"]


def test_digits_float32_changes_no_prediction() -> None:
    """digits.md: "After more than a thousand steps the weights of the two networks differ by about a millionth
    of their size ... here they stay far below anything that changes a prediction"."""
    d = run_page("digits").ns("digits")["runs"]["float32"]
    assert 1e-8 < d["max_weight_difference"] / d["max_weight"] < 1e-5
    assert d["same_prediction"] == 1.0


def test_digits_width_and_depth_claims() -> None:
    """digits.md: "The first row has no hidden layer at all ... it is already far above chance; a hidden layer
    does better still. The two networks with hidden layers differ by a few test images, which is of the order
    of the standard error computed above"."""
    ns = run_page("digits").ns("digits")
    acc_by = ns["acc_by"]
    assert acc_by["64-10"].mean() > 0.8  # chance is about 0.1
    assert acc_by["64-128-10"].mean() > acc_by["64-10"].mean()
    diff = abs(acc_by["64-64-64-10"].mean() - acc_by["64-128-10"].mean())
    assert diff * ns["n_test"] <= 6 and diff < 2 * ns["se"]


def test_digits_momentum_exercise() -> None:
    """digits.md exercise 4: "Without momentum the small learning rate gets noticeably less far in 30 epochs.
    With μ = 0.9 the effective step is 0.01/(1 − 0.9) = 0.1, and the run behaves much like the book's"."""
    ns = run_page("digits").ns("digits")
    plain, heavy = ns["runs"]["momentum"]
    book_loss, book_acc = ns["result"].losses[-1], ns["test_acc"]
    assert plain["final_loss"] > 2 * book_loss and plain["test_accuracy"] < book_acc
    assert 0.5 * book_loss < heavy["final_loss"] < 2 * book_loss
    assert abs(heavy["test_accuracy"] - book_acc) < 0.02


# --------------------------------------------------------------------------- forgetting.md


def _split_finals(method: str) -> np.ndarray:
    split = run_page("forgetting").ns("forgetting")["split"]
    return np.array(split["matrices"][method])[:, -1, :]  # (seeds, 2): task A, task B at the end


def test_forgetting_split_plain_replay_ewc() -> None:
    """forgetting.md: "Plain SGD learns task B and loses task A almost completely. Replay keeps most of task A
    at a small cost on task B. EWC keeps only a little more of task A than plain SGD. The same holds for every
    seed we ran"."""
    plain, replay, ewc = (_split_finals(m) for m in ("plain", "replay", "ewc"))
    assert plain[:, 0].max() < 0.05 and plain[:, 1].min() > 0.9
    assert replay[:, 0].min() > 0.8
    assert 0 < plain[:, 1].mean() - replay[:, 1].mean() < 0.1
    assert np.all(ewc[:, 0] >= plain[:, 0]) and ewc[:, 0].max() < 0.3
    assert np.all(replay[:, 0] > ewc[:, 0])


def test_forgetting_output_layer_claims() -> None:
    """forgetting.md: "The last line is the task-incremental score of the same network: told that the answer
    is one of 0–4, it still recognises most of task A" (and exercise 1: "scores near zero on task A when it
    must choose among all ten digits, but much better when told that the answer is one of 0–4")."""
    ns = run_page("forgetting").ns("forgetting")
    task_a, logits = ns["task_a"], ns["logits"]
    assert np.mean(logits.argmax(axis=1) >= 5) > 0.95
    assert ns["new_max"] > ns["old_max"]
    assert np.mean(ns["restricted"] == task_a.labels_test) > 0.8


def test_forgetting_small_buffers_recover_task_a() -> None:
    """forgetting.md: "Ten stored images, about two per old class, already recover a large part of task A; a
    few dozen recover most of it. Memory buys retention with quickly diminishing returns"."""
    buffer = {b["size"]: np.mean(b["task_a"]) for b in run_page("forgetting").ns("forgetting")["split"]["buffer"]}
    assert buffer[10] > 0.5 and buffer[30] > 0.8
    assert buffer[300] - buffer[100] < buffer[30] - buffer[10]


def test_forgetting_ewc_strength_bound() -> None:
    """forgetting.md: "gradient descent on it is guaranteed to stay stable only while η λ F_i < 2"; "far above
    it, SGD diverges" (λ ten times 2/(η F_max)); "gives the penalised loss above with λ = N_A/N_B: about 1 for
    two tasks of similar size"."""
    ns = run_page("forgetting").ns("forgetting")
    assert abs(ns["n_a"] / ns["n_b"] - 1) < 0.05
    assert "TrainingDivergedError" in run_page("forgetting").printed["forgetting-ewc-scale"]
    for entry in ns["split"]["lambdas"]:  # no strength inside the guaranteed range fails to train
        if entry["lambda"] < ns["bound"]:
            assert not any(entry["diverged"]), entry["lambda"]


def test_forgetting_no_ewc_strength_saves_task_a() -> None:
    """forgetting.md: "Across the range that trains, from λ = 1 (essentially the Bayesian value) upwards, no
    strength saves task A"."""
    split = run_page("forgetting").ns("forgetting")["split"]
    assert split["lambdas"][0]["lambda"] == 1.0
    trained = [
        (a, b)
        for entry in split["lambdas"]
        for a, b in zip(entry["task_a"], entry["task_b"], strict=True)
        if a is not None
    ]
    assert len({e["lambda"] for e in split["lambdas"] if not all(e["diverged"])}) >= 3  # a range, not one value
    assert max(a for a, _ in trained) < 0.3
    assert min(b for _, b in trained) > 0.9  # every strength that trains learns task B


def test_forgetting_permuted_claims() -> None:
    """forgetting.md: "Here plain SGD forgets gradually rather than completely ... EWC keeps the old
    permutations well above plain SGD, and its price is visible on the diagonal ... Replay again does best,
    with 100 stored examples"."""
    m = {k: np.array(v) for k, v in run_page("forgetting").ns("forgetting")["permuted"]["matrices"].items()}
    last = m["plain"].shape[0] - 1
    assert m["plain"][-1, :last].min() > 0.3  # not forgotten completely (chance is 0.1)
    assert np.all(m["ewc"][-1, :last] > m["plain"][-1, :last] + 0.1)
    assert m["ewc"][-1, last] < m["plain"][-1, last]
    means = {k: v[-1].mean() for k, v in m.items()}
    assert max(means, key=means.get) == "replay"


def test_forgetting_exercise_appended_buffer() -> None:
    """forgetting.md exercise 3: "The old classes still appear in the loss, so task A is not lost completely,
    but it is protected less"."""
    ns = run_page("forgetting").ns("forgetting")
    appended = ns["appended"].accuracy[-1, 0]
    assert 0.3 < appended < ns["split"]["matrices"]["replay"][0][-1][0]


def test_forgetting_exercise_fisher_is_small_where_confident() -> None:
    """forgetting.md exercise 4 (and "at task A's solution the network was confident, so its sampled-label
    gradients, and with them the Fisher, were small"): the Fisher total on task A's images is smaller than on
    task B's."""
    out = run_page("forgetting").printed["forgetting-ex-fisher"]
    on_a, on_b = (float(v) for v in re.findall(r"= ([\d.]+)", out))
    assert on_a < 0.5 * on_b


# --------------------------------------------------------------------------- hopfield.md


def test_hopfield_async_descent_and_sync_two_cycle() -> None:
    """hopfield.md: "The asynchronous curve only goes down, and most of the descent happens in the first sweep";
    "the synchronous run settles into two states that alternate, both far from the pattern ..., and the energy
    stops above the level reached asynchronously"; the Goles function "falls and then stays flat"."""
    tr = run_page("hopfield").ns("hopfield")["tr"]
    e = np.array(tr["async_energy"])
    assert np.all(np.diff(e) <= 1e-9)
    n = tr["n_neurons"]
    assert e[0] - e[n] > 0.8 * (e[0] - e[-1])  # first sweep = first N single-neuron updates
    assert tr["sync_two_cycle"] and max(tr["sync_overlaps"][-2:]) < 0.9 < tr["async_overlap"]
    assert tr["sync_energy"][-1] > e[-1]
    assert np.all(np.diff(tr["sync_lyapunov"]) <= 1e-12)


def test_hopfield_two_neuron_cycle() -> None:
    """hopfield.md: "The energy is E = −w12 s1 s2 = +1 in both states, and the network never reaches either of
    the two minima (+1, −1) and (−1, +1) (energy −1), which one asynchronous update finds at once"."""
    dyn = run_page("hopfield").ns("hopfield")["dyn"]
    cycle = [tuple(s) for s in dyn["two_neuron_sync"]]
    assert set(cycle) == {(1, 1), (-1, -1)}
    assert tuple(dyn["two_neuron_async"]) in {(1, -1), (-1, 1)}


def test_hopfield_letters_overlaps_and_completion() -> None:
    """hopfield.md: "Their pairwise overlaps (printed below) are much larger than the ±1/√144 ≈ ±0.08 typical of
    random patterns"; "The noisy cues are cleaned up within the first sweep"; "Blanking the lower half of T ...
    T comes back"; "whether it finds X depends on the random order of the updates"."""
    img = run_page("hopfield").ns("hopfield")["img"]
    C = np.array(img["rates_five"]["correlation"])
    assert np.abs(C - np.eye(len(C))).max() > 3 / 12
    for demo in img["demos"]:
        assert demo["overlaps"][3] == 1.0, demo["letter"]  # column "1 sweep"
    occluded = {d["letter"]: d for d in img["occluded"]}
    assert occluded["T"]["exact_share"] == 1.0
    assert 0 < occluded["X"]["exact_share"] < 1


def test_hopfield_a_and_h_are_no_longer_fixed_points() -> None:
    """hopfield.md: "At a load of 6/144 ≈ 0.04, far below any capacity limit, A and H are no longer even fixed
    points: started at A, the network moves to a blend of the two"."""
    img = run_page("hopfield").ns("hopfield")["img"]
    assert all(r["fixed_point"] for r in img["rates_five"]["rows"])
    six = {r["letter"]: r["fixed_point"] for r in img["rates_six"]["rows"]}
    assert six == {"A": False, "C": True, "T": True, "X": True, "Z": True, "H": False}
    m = img["six_from_a"]["overlaps"]
    assert 0.5 < m[0] < 1 and 0.5 < m[5] < 1  # close to both A and H, equal to neither


def test_hopfield_spurious_states() -> None:
    """hopfield.md: the majority vote of three patterns has m = 1/2 with each and "is a fixed point. Its energy
    per neuron, −3/8, is higher than the −1/2 of a pattern"; a reversed pattern is a fixed point with the same
    energy."""
    sp = run_page("hopfield").ns("hopfield")["dyn"]["spurious"]
    assert sp["mix_unstable_bits"] == 0 and sp["settled_changed_bits"] == 0
    assert np.allclose(sp["mix_overlaps"][:3], 0.5, atol=0.05)
    assert sp["energy_pattern"] < sp["energy_mix"] < 0 and abs(sp["energy_mix"] + 3 / 8) < 0.03
    assert sp["reversed_fixed"] and sp["energy_reversed"] == pytest.approx(sp["energy_pattern"])


def test_hopfield_random_starts() -> None:
    """hopfield.md: "At low load most random starts fall into a stored pattern (or its reverse) and the rest into
    mixtures; at load 0.2 none reaches a pattern: the largest overlap of the end state with any stored pattern
    stays far below 1, though above what an unrelated random state shows"."""
    rs = run_page("hopfield").ns("hopfield")["dyn"]["random_starts"]
    low, high = rs["loads"]
    assert low["retrieved"] > rs["starts"] / 2
    assert high["retrieved"] == 0 and np.median(high["max_overlap"]) < 0.5
    unrelated = np.median(run_page("hopfield").ns("hopfield")["m_rand"])
    assert unrelated < np.median(high["max_overlap"])


def test_hopfield_one_step_errors_follow_the_gaussian_theory() -> None:
    """hopfield.md: "The measurement follows the Gaussian approximation, and the published column is that formula
    rounded. The largest relative deviation is at the lowest load"; "At α = 0.138 about 0.36 % of the bits are
    wrong after one step"."""
    rows = run_page("hopfield").ns("hopfield")["cap"]["one_step"]
    rel = [abs(r["measured"] - r["theory"]) / r["theory"] for r in rows]
    assert max(rel) < 0.3
    assert int(np.argmax(rel)) == int(np.argmin([r["load"] for r in rows]))
    for r in rows:  # published values are the formula to two significant figures (one for 0.001)
        assert abs(r["published"] - r["theory"]) <= 0.05 * r["theory"]
    at_c = next(r for r in rows if abs(r["load"] - 0.138) < 1e-9)
    assert abs(at_c["measured"] - 0.0036) < 0.0006


def test_hopfield_retrieval_breaks_down_near_alpha_c() -> None:
    """hopfield.md: "Retrieval is perfect at low load and collapses over a range of loads around α_c"; "The
    fraction of wrong bits in the retrieved states grows with the load"."""
    for curve in run_page("hopfield").ns("hopfield")["cap"]["curves"]:
        pts = curve["points"]
        assert all(p["fraction_retrieved"] == 1.0 for p in pts if p["load"] <= 0.1)
        assert all(p["fraction_retrieved"] <= 0.2 for p in pts if p["load"] >= 0.2)
        assert 0 < next(p for p in pts if p["load"] == 0.14)["fraction_retrieved"] < 1
        wrong = [p["wrong_bits"] for p in pts if p["wrong_bits"] is not None]
        assert wrong[-1] > wrong[len(wrong) // 2] > wrong[0]


def test_hopfield_mceliece_bound_for_n_1000() -> None:
    """hopfield.md: "the limit is much lower, p < N/(4 ln N) (McEliece et al. 1987), about 36 patterns for
    N = 1000"."""
    assert round(1000 / (4 * np.log(1000))) == 36


def test_hopfield_exercise_pseudo_inverse_keeps_all_six() -> None:
    """hopfield.md exercise 3: with the pseudo-inverse rule every one of the six letters is a fixed point (the
    Hebbian rule loses A and H)."""
    out = run_page("hopfield").printed["hopfield-ex-projection"]
    pinv, hebb = out.splitlines()[1:3]
    assert "False" not in pinv and hebb.count("False") == 2


# --------------------------------------------------------------------------- modern-hopfield.md


def test_modern_hopfield_capacity_ordering() -> None:
    """modern-hopfield.md: "The degree-2 dense memory follows the classical network ... Each step up in degree
    multiplies the capacity, but from degree 3 to degree 4 by much less than the factor N = 64"; "the exponential
    interaction shows no failure at all in the range we can afford to simulate"."""
    ns = run_page("modern-hopfield").ns("modern-hopfield")
    cap, best = ns["cap"], ns["largest_perfect"]
    keys = ["classical", "degree2", "degree3", "degree4", "exponential"]
    p = {k: best(cap[k]) for k in keys}
    assert p["degree2"] == p["classical"]
    assert p["classical"] < p["degree3"] < p["degree4"]
    assert p["degree4"] / p["degree3"] < cap["n_neurons"] / 4
    assert all(f == 1.0 for f in cap["exponential"])


def test_modern_hopfield_beta_regimes() -> None:
    """modern-hopfield.md: as β → 0 "the update returns the mean of all stored patterns"; separating the cluster
    from the unrelated patterns "needs β of about 10"; separating the patterns of the cluster "needs β in the
    hundreds"."""
    ns = run_page("modern-hopfield").ns("modern-hopfield")
    betas, entropy, dist = ns["betas"], ns["entropy"], ns["dist"]

    def at(b: float) -> int:
        return int(np.argmin(np.abs(betas - b)))

    assert np.exp(entropy[at(0.1)]) > 60 and dist["all"][at(0.1)] < 0.05
    assert 3 < np.exp(entropy[at(10)]) < 5 and dist["cluster"][at(10)] < dist["pattern"][at(10)]
    assert np.exp(entropy[at(1000)]) < 1.1 and dist["pattern"][at(1000)] < 0.01


def test_modern_hopfield_large_load() -> None:
    """modern-hopfield.md: "The classical network at p/N = 50 is nowhere near a working memory ... The modern
    network does not even need to iterate"."""
    ns = run_page("modern-hopfield").ns("modern-hopfield")
    assert ns["exact"].mean() == 1.0
    assert ns["exact_c"] == 0.0 and ns["overlap_c"].mean() < 0.5  # worse than the cue it started from


def test_modern_hopfield_exercise_overlap_statistics() -> None:
    """modern-hopfield.md exercise 4: "for a typical query the largest of them is 3–4 standard deviations out,
    and over all 200 queries it comes closer to 50"."""
    out = run_page("modern-hopfield").printed["modern-hopfield-ex-beta"]
    median, overall = (float(v) for v in re.search(r"median ([\d.]+) \| over all queries ([\d.]+)", out).groups())
    assert 30 <= median <= 40 and median < overall < 50


def test_modern_hopfield_exercise_energy_never_rises() -> None:
    """modern-hopfield.md exercise 5: the update "can only lower E"; "The constants make E ≥ 0"."""
    out = run_page("modern-hopfield").printed["modern-hopfield-ex-energy"]
    assert "never rises: True" in out and "E >= 0: True" in out


# --------------------------------------------------------------------------- working-memory.md


def test_working_memory_gradient_decay() -> None:
    """working-memory.md: "The LSTM's gradient also shrinks at initialisation, but far more slowly. After training
    it drops over the first few steps and then stops shrinking: what reaches step 1 is no smaller than what
    reaches step 40"."""
    g = run_page("working-memory").ns("working-memory")["g"]
    assert np.all(np.diff(np.log(g["rnn"][:60])) < 0)  # a straight line down on the log scale
    assert g["lstm"][50] > 100 * g["rnn"][50]
    trained = g["lstm_trained"]
    assert trained[5] < trained[0] and trained[50] >= trained[11]  # T = 51: step 1 is T - 50, step 40 is T - 11


def test_working_memory_lstm_learns_and_rnn_does_not_in_the_budget() -> None:
    """working-memory.md: "In the shared budget the LSTM learns the task and the tanh RNN does not: its test loss
    is still no better than guessing"; "Continued with the same settings, the RNN in this run does learn the
    task"."""
    runs = run_page("working-memory").ns("working-memory")["runs"]
    assert runs["lstm"]["test_accuracy"] >= 0.95
    assert runs["rnn"]["test_accuracy"] < 0.7 and runs["rnn"]["test_loss"] >= np.log(2)
    assert abs(runs["rnn"]["test_accuracy"] - 0.5) > 0.2  # "an accuracy far from 0.5 together with a loss above ln 2"
    assert runs["rnn_longer"]["test_accuracy"] >= 0.95


def test_working_memory_no_forget_gate_is_wide_open() -> None:
    """working-memory.md: "No unit keeps its gate wide open on average"."""
    f = run_page("working-memory").ns("working-memory")["f"]
    assert f.max() < 0.95 and f.max() ** 50 < 0.01


def test_working_memory_exercises() -> None:
    """working-memory.md exercise 3: "the same RNN learns the 50-step task within the budget in which it failed
    with four noise channels"; exercise 4: "the orthogonal network passes the gradient back over 20 steps with its
    size still of the same order. Scaled by 3, it explodes ... Yet the growth is far below 3^20"."""
    printed = run_page("working-memory").printed
    assert float(re.search(r"([\d.]+)\s*$", printed["working-memory-ex-one-channel"].strip())[1]) >= 0.95
    ratios = [float(v) for v in re.findall(r"= ([\d.e+-]+)\n", printed["working-memory-ex-explode"])]
    unscaled, scaled = ratios[0], ratios[1]
    assert 0.1 < unscaled < 10 and scaled > 10 and scaled < 1e-3 * 3.0**20


# --------------------------------------------------------------------------- plasticity.md


def test_plasticity_hebb_growth_matches_the_eigenvalue() -> None:
    """plasticity.md: "The measured slope is close to η N λ1 ..., and the weight vector points along v1"."""
    out = run_page("plasticity").printed["plasticity-hebb-growth"]
    measured, predicted = (float(v) for v in re.search(r"measured ([\d.]+), predicted .*= ([\d.]+)", out).groups())
    assert abs(measured - predicted) < 0.02 * predicted
    assert float(re.search(r"\|cos\(w, v1\)\| after 20 epochs: ([\d.]+)", out)[1]) > 0.999


def test_plasticity_hebb_overflows_when_predicted() -> None:
    """plasticity.md: "Keep going and the numbers leave the range of floating point arithmetic; `learn` then
    raises `TrainingDivergedError`" (at the epoch the growth rate predicts, printed above the error)."""
    out = run_page("plasticity").printed["plasticity-hebb-diverge"]
    expected = float(re.search(r"about (\d+) epochs", out)[1])
    actual = float(re.search(r"in epoch (\d+)", out)[1])
    assert "TrainingDivergedError" in out and abs(actual - expected) <= 0.05 * expected


def test_plasticity_oja_converges_to_the_first_eigenvector() -> None:
    """plasticity.md: "then it settles on the unit circle along v1"; "On the right, the same happens in five
    dimensions"."""
    out = run_page("plasticity").printed["plasticity-oja-runs"]
    for line in out.strip().splitlines():
        miss, norm = (float(v) for v in re.search(r"= ([\d.e+-]+)\s+\|w\| = ([\d.]+)", line).groups())
        assert miss < 1e-4 and abs(norm - 1) < 0.01


def test_plasticity_stdp_window_shape() -> None:
    """plasticity.md: "The potentiation side is taller and narrower, the depression side lower and wider: because
    τ− is about twice τ+, at −40 ms depression keeps a larger fraction of its peak than potentiation does at
    +40 ms"."""
    from nnmem.hebbian import stdp_window

    values = dict(
        re.findall(
            r"dt = +([+-]?\d+) ms\s+dw/w = ([+-][\d.]+)", run_page("plasticity").printed["plasticity-stdp-values"]
        )
    )
    at = {int(k): float(v) for k, v in values.items()}
    peak_plus, peak_minus = stdp_window(np.array([1e-9]))[0], -stdp_window(np.array([-1e-9]))[0]
    assert peak_plus > peak_minus  # taller
    assert -at[-40] / peak_minus > at[40] / peak_plus  # wider


def test_plasticity_pair_simulation_agrees_with_theory() -> None:
    """plasticity.md: "The simulation agrees with the correlation formula to within a few standard errors ...
    at identical firing rates, the timing alone decides whether the synapse grows or shrinks ... with the Bi–Poo
    fit the area of the window is positive, so even unrelated firing strengthens the synapse"."""
    pairs = run_page("plasticity").ns("plasticity")["pairs"]
    for case in ("independent", "causal", "anticausal"):
        assert abs(pairs[case]["mean"] - pairs[case]["theory"]) < 4 * pairs[case]["sem"], case
        assert abs(pairs[case]["rate_post_hz"] - pairs["rate_hz"]) < 0.05 * pairs["rate_hz"]
    assert pairs["causal"]["mean"] > 0 > pairs["anticausal"]["mean"]
    assert pairs["integral_ms"] > 0 and pairs["independent"]["mean"] > 0


def test_plasticity_exercises() -> None:
    """plasticity.md exercise 3: "It is a principal component analyser only for zero-mean inputs"; exercise 4:
    Sanger's rule gives the first two eigenvectors."""
    printed = run_page("plasticity").printed
    cov, second = (float(v) for v in re.findall(r"= ([\d.]+)", printed["plasticity-ex-uncentred"]))
    assert cov < 0.9 and second > 0.999
    cosines = [float(v) for v in re.findall(r"\|cos\(w, v\d\)\| = ([\d.]+)", printed["plasticity-ex-sanger"])]
    assert len(cosines) == 2 and min(cosines) > 0.99


# --------------------------------------------------------------------------- nervous-system.md


def test_nervous_system_hodgkin_huxley_step() -> None:
    """nervous-system.md: "The weak step depolarises the membrane by a few millivolts and nothing else happens.
    The strong one produces a train of identical spikes, each rising from about −65 mV to well above 0 mV";
    "The rate printed above lies well inside the range that real neurons use: most fire at up to a few hundred
    spikes per second"."""
    out = run_page("nervous-system").printed["nervous-system-hh-step"]
    (n_weak, v_weak), (n_strong, v_strong) = (
        (int(n), float(v)) for n, v in re.findall(r"(\d+) spikes, max V\s+([+-][\d.]+) mV", out)
    )
    assert n_weak == 0 and -65 < v_weak < -55
    assert n_strong >= 3 and v_strong > 20
    rate = float(re.search(r"-> ([\d.]+) Hz", out)[1])
    assert 10 < rate < 300


def test_nervous_system_hh_is_class_2_with_onset_spikes() -> None:
    """nervous-system.md: "The rate does not rise smoothly from zero: it jumps from silence to several tens of
    hertz"; "in a band of weaker currents the model fires once or twice at the step's onset and then falls
    silent"."""
    fi = run_page("nervous-system").ns("nervous-system")["fi"]
    rate, n = np.array(fi["hh_rate"]), np.array(fi["hh_n_spikes"])
    first = int(np.argmax(rate > 0))
    assert rate[first] >= 30
    onset = (rate == 0) & (n > 0)
    assert onset.any() and n[onset].max() <= 2 and np.flatnonzero(onset).max() < first


def test_nervous_system_lif_is_class_1() -> None:
    """nervous-system.md: "the LIF neuron is class 1: its rate rises continuously from zero at the rheobase,
    steeply at first ..., and approaches 1/t_ref for very large currents"; the simulation matches the formula."""
    from nnmem.neurons import lif_rate_theory

    # rheobase (-50 - -65) mV / 10 MOhm = 1.5 nA; above it the rate falls towards 0 (logarithmically slowly)
    i = np.array([1.5, 1.5 + 1e-12, 1.5 + 1e-6, 1.5 + 1e-3, 1.6, 1e4])
    r = lif_rate_theory(i)
    assert r[0] == 0 and np.all(np.diff(r) > 0) and r[1] < 5
    assert r[-1] == pytest.approx(500, rel=0.01)  # 1 / t_ref = 1 / 2 ms
    out = run_page("nervous-system").printed["nervous-system-lif-check"]
    for sim, theory in re.findall(r"^\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s", out, flags=re.M):
        assert abs(float(sim) - float(theory)) < 0.01 * float(theory)  # within a time step of 0.05 ms


def test_nervous_system_refractory_exercise() -> None:
    """nervous-system.md exercise: "A stronger pulse recovers a second spike sooner"."""
    out = run_page("nervous-system").printed["nervous-system-ex-refractory"]
    delays = [int(v) for v in re.findall(r"Delta = (\d+) ms", out)]
    assert len(delays) >= 3 and delays == sorted(delays, reverse=True) and delays[0] > delays[-1]


# --------------------------------------------------------------------------- pages with short computations


def _table(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `text`, as lists of cell strings."""
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in row] for row in rows[2:]]


def test_forward_init_scale_compounds_over_depth() -> None:
    """forward.md: "A factor of 2 in the weight scale becomes a factor of about 2^10 ≈ 1000 after 10 layers, in
    one direction or the other"."""
    out = run_page("forward").printed["forward-init-depth"]
    at10 = [float(v) for v in re.findall(r"layer 10 ([\d.e+-]+)", out)]
    half, he, double = at10
    assert 500 < he / half < 2000 and 500 < double / he < 2000


def test_forward_exercise_tanh_scales() -> None:
    """forward.md exercise 3: "Half the Glorot scale still shrinks the signal geometrically. With the Glorot scale,
    tanh ... loses a little at each layer, but slowly. Twice the scale cannot explode, because tanh is bounded by
    ±1: the spread of the activations settles at a fixed level"."""
    rows = {r[0]: [float(v) for v in r[1:]] for r in _table(run_page("forward").printed["forward-ex3"])}
    half, glorot, double = rows["0.5 x Glorot"], rows["Glorot"], rows["2 x Glorot"]
    assert half[-1] < 0.01 * half[0]
    assert glorot == sorted(glorot, reverse=True) and glorot[-1] > 0.25 * glorot[0]
    assert max(double) <= 1 and abs(double[-1] - double[-2]) < 0.01


def test_backprop_wrong_implementations_table() -> None:
    """backprop.md: "Mistake B is caught for every activation ... Mistake A is caught for tanh and sigmoid ...
    For ReLU, mistake A is invisible"."""
    rows = _table(run_page("backprop").printed["backprop-wrong"])
    err = {(r[0], r[1][0]): float(r[2]) for r in rows}
    for act in ("relu", "tanh", "sigmoid"):
        assert err[act, "B"] > 1e-2
    assert err["tanh", "A"] > 1e-2 and err["sigmoid", "A"] > 1e-2
    assert err["relu", "A"] < 1e-7


def test_backprop_gradient_check_passes_everywhere() -> None:
    """backprop.md: the gradient check of every network and activation gives a relative error far below the rule
    of thumb for float64 (the table printed in "Checking gradients numerically")."""
    rows = _table(run_page("backprop").printed["backprop-gradcheck"])
    assert len(rows) == 6 and max(float(v) for r in rows for v in r[2:]) < 1e-7


def test_backprop_cost_ratio() -> None:
    """backprop.md: "The ratio in the table is below 2 for these networks ... backpropagation gives its gradient
    for the price of at most about three forward passes"."""
    rows = _table(run_page("backprop").printed["backprop-cost"])
    assert all(1 <= float(r[2]) < 2 for r in rows)


def test_artificial_neurons_linear_layers_collapse() -> None:
    """artificial-neurons.md: "The first difference is at the level of floating-point rounding (about 10^-16 per
    operation); the two computations are the same function"."""
    out = run_page("artificial-neurons").printed["artificial-neurons-linear-collapse"]
    assert float(re.search(r"max \|difference\|: ([\d.e+-]+)", out)[1]) < 1e-12
    assert float(re.search(r"relative error: ([\d.]+)", out)[1]) > 0.05  # the ReLU network is not affine


def test_artificial_neurons_exercise_sine_error_falls_like_one_over_h_squared() -> None:
    """artificial-neurons.md exercise 4: the largest error falls like 1/h² "(each doubling of h divides it by
    about four)"."""
    out = run_page("artificial-neurons").printed["artificial-neurons-ex-sine"]
    errors = [float(v) for v in re.findall(r"max \|error\| = ([\d.]+)", out)]
    ratios = np.array(errors[1:-1]) / np.array(errors[2:])  # from h = 4 on
    assert np.all((ratios > 3) & (ratios < 5.5))


def test_background_perceptron_learns_and_or_but_not_xor() -> None:
    """background.md: "AND and OR are learned after a few sweeps and stay learned. For XOR the weights keep
    changing and the mistakes never stop, however long we run"."""
    rows = {r[0]: r[1:] for r in _table(run_page("background").printed["background-perceptron-table"])}
    assert int(rows["AND"][0]) <= 10 and int(rows["OR"][0]) <= 10
    assert rows["AND"][1] == rows["OR"][1] == "0"
    assert int(rows["XOR"][1]) > 0 and not rows["XOR"][0].isdigit()


def test_background_exercise_learning_rate_does_not_matter_from_zero() -> None:
    """background.md exercise 4: "every decision, and hence every later update, is the same"."""
    out = run_page("background").printed["background-ex-eta"]
    mistakes = re.findall(r"mistakes = (\[.*\])", out)
    assert len(mistakes) == 3 and len(set(mistakes)) == 1


def test_errata_article_sign_climbs_the_loss() -> None:
    """errata.md: the article's sign makes the loss climb while the correct sign lowers it (table in "The sign of
    the error"; "even a version that ran would climb the loss")."""
    rows = [[float(v) for v in r] for r in _table(run_page("errata").printed["errata-sign"])]
    right, wrong = [r[1] for r in rows], [r[2] for r in rows]
    assert right == sorted(right, reverse=True) and wrong == sorted(wrong) and wrong[-1] > 10 * wrong[0]


def test_errata_derivative_at_the_wrong_point() -> None:
    """errata.md: "Only the hidden-layer gradients are affected ... At the start the error is moderate ... the
    last row evaluates the same faulty gradient after 300 epochs ..., when the hidden units have left the linear
    range"."""
    rows = [[float(v) for v in r[1:]] for r in _table(run_page("errata").printed["errata-gradcheck"])]
    right, start, late = rows
    assert max(right) < 1e-7 and max(start[2:] + late[2:]) < 1e-7  # output layer unaffected
    assert 1e-3 < min(start[:2]) and max(start[:2]) < min(late[:2])


def test_errata_output_derivative_zeroes_the_error() -> None:
    """errata.md: "Since all gradients are linear in the output error, a zero output error means every gradient
    is zero" (the spurious ReLU factor on the linear output is printed as all zeros)."""
    out = run_page("errata").printed["errata-output-derivative"]
    assert "spurious factor: [0. 0. 0. 0.]" in out
    assert float(re.search(r"with factor: ([\d.]+)", out)[1]) == 0.0


def test_memory_map_hebbian_recall() -> None:
    """memory-map.md: "The cue shares 70 % of its entries with pattern 1, an overlap of 0.7 − 0.3 = 0.4. Within a
    step the overlap with pattern 1 reaches 1 ... and it stays there. The overlap with pattern 2 is small but not
    zero"."""
    out = run_page("memory-map").printed["memory-map-hebbian-recall"]
    pairs = re.findall(r"pattern 1 = ([+-][\d.]+), with pattern 2 = ([+-][\d.]+)", out)
    steps = [(float(a), float(b)) for a, b in pairs]
    assert steps[0][0] == 0.4
    assert all(m1 == 1.0 for m1, _ in steps[1:])
    assert all(0 < abs(m2) < 0.3 for _, m2 in steps)


def test_memory_map_persistent_activity() -> None:
    """memory-map.md: "A brief input pulse pushes it from one to the other, and it stays there after the pulse"."""
    ns = run_page("memory-map").ns("memory-map")
    a, high = ns["a"], ns["a_high"]
    assert np.allclose(a[[9, 20, 39, 50]], [-high, high, high, -high], atol=1e-3)


def test_memory_map_attention_favours_the_matching_pattern() -> None:
    """memory-map.md: "The cue matches pattern 1 far better than pattern 2, so almost all of the weight falls on
    pattern 1"."""
    out = run_page("memory-map").printed["memory-map-attention-retrieval"]
    w1, w2 = (float(v) for v in re.search(r"\[([\d.]+) ([\d.]+)\]", out).groups())
    assert w1 > 0.9 > 0.1 > w2


def test_memory_map_exercise_capacity() -> None:
    """memory-map.md exercise: "Recall is essentially perfect while the load α = p/N is well below 0.14 and
    breaks down once α is well above it"."""
    out = run_page("memory-map").printed["memory-map-ex-capacity"]
    m = {float(a): float(o) for a, o in re.findall(r"M/N = ([\d.]+)\): mean final overlap = ([\d.]+)", out)}
    assert all(o >= 0.98 for a, o in m.items() if a <= 0.1)
    assert all(o < 0.8 for a, o in m.items() if a >= 0.2)


def test_outlook_overfitting_table() -> None:
    """outlook.md: "The training error falls with every added parameter and at degree 9 ... is zero up to rounding.
    The test error first falls ... then rises far above the noise floor ... The best model is the one in
    between"."""
    out = run_page("outlook").printed["outlook-overfit"]
    rows = [[float(v) for v in r[1:]] for r in _table(out)]
    train, test = [r[1] for r in rows], [r[2] for r in rows]
    assert train == sorted(train, reverse=True) and train[-1] < 1e-12
    best = int(np.argmin(test))
    assert 0 < best < len(test) - 1 and test[-1] > 100 * 0.2**2
    assert f"lowest median test MSE at degree {best}" in out


def test_outlook_exercises() -> None:
    """outlook.md exercise 3: "the same model class that failed with 10 points works with 100"; exercise 4: "The
    error is raised when the loss stops being a finite number, grows beyond 100 times its initial value, or climbs
    above 3 times it and is still above half of it over the last tenth of the epochs; short of that a run can
    climb, oscillate or stall and still end without an exception"."""
    printed = run_page("outlook").printed
    test_mse = dict(re.findall(r"degree (\d): median test MSE ([\d.]+)", printed["outlook-ex-more-data"]))
    assert float(test_mse["9"]) < 1.5 * 0.2**2 < float(test_mse["1"])
    out = printed["outlook-ex-learning-rate"]
    finished = re.findall(r"loss ([\d.]+) -> ([\d.e+-]+)", out)
    assert finished and all(float(end) <= 100 * float(start) for start, end in finished)
    assert "TrainingDivergedError" in out


def test_index_exercise_zero_output_at_the_origin() -> None:
    """index.md: "ReLU and tanh give exactly 0 for every seed; the sigmoid does not"."""
    out = run_page("index").printed["index-ex-check"]
    values = {name: re.search(rf"{name}\s.*: \[(.*)\]", out)[1] for name in ("relu", "tanh", "sigmoid")}
    assert values["relu"] == values["tanh"] == "0.0, 0.0, 0.0"
    assert all(float(v) != 0 for v in values["sigmoid"].split(","))


def test_modern_hopfield_update_is_attention() -> None:
    """modern-hopfield.md: "retrieval in the associative space followed by a linear read-out is the same as
    attention with V = K W_V" (and the Hopfield update equals attention, printed as a difference of zero up to
    rounding)."""
    printed = run_page("modern-hopfield").printed
    plain = float(re.search(r"= ([\d.e+-]+)", printed["modern-hopfield-attention-check"])[1])
    projected = float(re.search(r"attention\| = ([\d.e+-]+)", printed["modern-hopfield-projections"])[1])
    assert plain < 1e-12 and projected < 1e-12


def test_performance_page_claims() -> None:
    """performance.md: "A lean numpy loop wins here" (digits); "No implementation can beat the time these products
    take by themselves"; "After one epoch of this synthetic task the test accuracy is low for every library, and it
    differs between them ... The column shows that every library really trained on the data"."""
    report = run_page("performance").ns("performance")["report"]
    digits, mnist = report["workloads"]["digits"], report["workloads"]["mnist"]
    assert all(r["time_vs_nnmem"] > 1 for name, r in digits["results"].items() if name != "nnmem")
    assert 0 < mnist["nnmem_fraction_of_gemm_limit"] <= 1
    accuracies = [r["test_accuracy"] for r in mnist["results"].values()]
    assert all(0.1 < a < 0.5 for a in accuracies)  # above chance (10 classes), far from trained
    assert len({round(a, 3) for a in accuracies}) == len(accuracies)
