"""The diagrams of `nnbook.diagrams`: drawn in both languages, with numbers that are the package's.

The expected numbers are derived here independently: the backpropagation
example by a few lines of numpy written from the page's equations, the
Hopfield landscape by brute force over all states with the Hebbian rule and
the energy written out in this file.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))

import nnbook  # noqa: E402
from nnbook import diagrams  # noqa: E402

DIAGRAMS = [
    "network_231",
    "backprop_values_graph",
    "neuron_and_synapse",
    "artificial_neuron",
    "activation_panels",
    "hopfield_graph",
    "hopfield_landscape",
    "rnn_unrolled",
    "lstm_cell",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    nnbook.set_language("en")


def _texts(fig) -> list[str]:
    return [text.get_text() for text in fig.findobj(lambda artist: hasattr(artist, "get_text"))]


@pytest.mark.parametrize("name", DIAGRAMS)
def test_each_diagram_is_a_figure_in_both_languages_with_alt_text(name: str) -> None:
    from matplotlib.figure import Figure

    figures = {}
    for language in ("en", "zh"):
        nnbook.set_language(language)
        fig = getattr(diagrams, name)()
        assert isinstance(fig, Figure)
        words = " ".join(_texts(fig))
        alt = diagrams.alt_text(name)
        assert "{" not in alt, f"{name}: a placeholder was not filled in: {alt}"
        html = nnbook.svg(fig, alt=alt)
        assert html.startswith('<figure class="nnbook-figure"><svg role="img"')
        figures[language] = (words, alt)
    # the English drawing and its alt text carry no Chinese; the Chinese alt text is Chinese
    assert not CJK.search(figures["en"][0]) and not CJK.search(figures["en"][1])
    assert CJK.search(figures["zh"][1])
    if CJK.search(figures["zh"][0]) is None:  # some drawings hold only symbols; then both must be identical
        assert figures["zh"][0] == figures["en"][0]


def _relu_net_by_hand():
    """The worked example, written out from the page's equations (forward chapter, backprop chapter)."""
    W1 = np.array([[1.0, -1.0, 0.0], [2.0, 1.0, -1.0]])
    b1 = np.array([-1.0, 0.0, 1.0])
    W2 = np.array([[1.0], [-2.0], [3.0]])
    b2 = np.array([0.5])
    x, y = np.array([1.0, 2.0]), np.array([3.0])
    z = x @ W1 + b1  # (1 + 4 - 1, -1 + 2 + 0, 0 - 2 + 1) = (4, 1, -1)
    a = np.where(z > 0, z, 0.0)  # (4, 1, 0)
    y_hat = a @ W2 + b2  # 4 - 2 + 0 + 0.5 = 2.5
    loss = float(np.mean((y_hat - y) ** 2))  # 0.25
    d_y_hat = 2 * (y_hat - y) / 1  # N m = 1: -1
    d_a = d_y_hat @ W2.T  # (-1, 2, -3)
    d_z = d_a * (z > 0)  # (-1, 2, 0)
    return {
        "x": x,
        "z": z,
        "a": a,
        "y_hat": y_hat,
        "y": y,
        "loss": loss,
        "d_y_hat": d_y_hat,
        "d_a": d_a,
        "d_z": d_z,
        "d_w_ih": np.outer(x, d_z),
        "d_b_h": d_z,
        "d_w_ho": a * d_y_hat[0],
        "d_b_o": d_y_hat,
    }


def test_backprop_graph_numbers_are_the_worked_example() -> None:
    shown = diagrams.backprop_values()
    expected = _relu_net_by_hand()
    assert set(shown) == set(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(np.asarray(shown[key], dtype=float).reshape(np.shape(value)), value, err_msg=key)
    # the hand values of the page, as a guard on the hand computation itself
    np.testing.assert_array_equal(expected["d_w_ih"], [[-1, 2, 0], [-2, 4, 0]])
    assert expected["loss"] == 0.25


def test_backprop_graph_prints_those_numbers() -> None:
    nnbook.set_language("en")
    words = " ".join(_texts(diagrams.backprop_values_graph()))
    for text in [
        "(4, 1, -1)",
        "(4, 1, 0)",
        "2.5",
        "0.25",
        "(-1, 2, -3)",
        "(-1, 2, 0)",
        "[(-1, 2, 0), (-2, 4, 0)]",
        "(-4, -1, 0)",
    ]:
        assert text in words, text
    alt = diagrams.alt_text("backprop_values_graph")
    assert "z1 = (4, 1, -1)" in alt and "dL/dW1 = [[-1, 2, 0], [-2, 4, 0]]" in alt and "L = 0.25" in alt


def _hebb(patterns: np.ndarray) -> np.ndarray:
    n = patterns.shape[1]
    W = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                W[i, j] = sum(p[i] * p[j] for p in patterns) / n
    return W


def test_hopfield_landscape_is_every_state_with_its_energy() -> None:
    W, states, energies = diagrams.hopfield_states_and_energies()
    xi = diagrams.HOPFIELD_PATTERNS
    n = xi.shape[1]
    np.testing.assert_allclose(W, _hebb(xi))
    assert len({tuple(s) for s in states}) == 2**n == len(states)
    # Gray-code order: consecutive bars differ in exactly one neuron
    assert all(int(np.sum(states[k] != states[k + 1])) == 1 for k in range(len(states) - 1))
    for s, e in zip(states, energies, strict=True):
        by_hand = -0.5 * sum(W[i, j] * s[i] * s[j] for i in range(n) for j in range(n))
        assert e == pytest.approx(by_hand)


def test_hopfield_landscape_minima_are_the_stored_patterns_and_their_negatives() -> None:
    xi = diagrams.HOPFIELD_PATTERNS
    n = xi.shape[1]
    W = _hebb(xi)

    def energy(s: np.ndarray) -> float:
        return -0.5 * float(s @ W @ s)

    local_minima = set()
    for bits in itertools.product([-1.0, 1.0], repeat=n):
        s = np.array(bits)
        flips = [s * np.where(np.arange(n) == i, -1.0, 1.0) for i in range(n)]
        if all(energy(f) > energy(s) + 1e-12 for f in flips):
            local_minima.add(bits)
    expected = {tuple(p) for p in xi} | {tuple(-p) for p in xi}
    assert local_minima == expected
    # and the figure's lowest bars are exactly these states
    _, states, energies = diagrams.hopfield_states_and_energies()
    lowest = {tuple(s) for s, e in zip(states, energies, strict=True) if np.isclose(e, energies.min())}
    assert lowest == expected


def test_hopfield_graph_draws_one_edge_per_nonzero_weight() -> None:
    from matplotlib.lines import Line2D

    nnbook.set_language("en")
    fig = diagrams.hopfield_graph()
    W = _hebb(diagrams.HOPFIELD_PATTERNS)
    nonzero = int(np.sum(~np.isclose(np.triu(W, 1), 0.0)))
    for ax in fig.axes:
        lines = [line for line in ax.get_children() if isinstance(line, Line2D) and len(line.get_xdata()) == 2]
        assert len(lines) == nonzero


def test_activation_panels_plot_the_package_functions() -> None:
    from nnmem.activations import ACTIVATIONS

    nnbook.set_language("en")
    fig = diagrams.activation_panels()
    for ax, name in zip(fig.axes, ["sigmoid", "tanh", "relu", "identity"], strict=True):
        f_line, d_line = ax.get_lines()[:2]
        z = np.asarray(f_line.get_xdata())
        # independent formulas, not the package's
        expected = {
            "sigmoid": (1 / (1 + np.exp(-z)), np.exp(-z) / (1 + np.exp(-z)) ** 2),
            "tanh": (np.tanh(z), 1 / np.cosh(z) ** 2),
            "relu": (np.maximum(z, 0), (z > 0).astype(float)),
            "identity": (z, np.ones_like(z)),
        }[name]
        np.testing.assert_allclose(f_line.get_ydata(), expected[0], atol=1e-12)
        np.testing.assert_allclose(d_line.get_ydata(), expected[1], atol=1e-12)
        assert name in ACTIVATIONS
