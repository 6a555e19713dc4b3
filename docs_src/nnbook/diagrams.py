"""Diagrams for the book's pages, drawn with matplotlib at build time.

Every public function returns a matplotlib figure labelled in the language of
the page being built (:func:`nnbook.current_language`); a page prints it with
``print(svg(fig, alt=alt_text("<name>")))``. Numbers shown in a diagram are
computed here by ``nnmem``, never typed: the backpropagation graph runs
``forward_propagation`` and ``backward_propagation`` on the running example,
the Hopfield figures use ``store`` and ``energy``, the activation panels use
``ACTIVATIONS``.

The SVG background is white in both colour schemes (``book.css``), so the
diagrams use dark ink on light fills.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from nnbook import PALETTE, setup_matplotlib, t

__all__ = [
    "ALT",
    "HOPFIELD_PATTERNS",
    "activation_panels",
    "alt_text",
    "artificial_neuron",
    "backprop_values",
    "backprop_values_graph",
    "hopfield_graph",
    "hopfield_landscape",
    "hopfield_states_and_energies",
    "lstm_cell",
    "network_231",
    "neuron_and_synapse",
    "rnn_unrolled",
    "running_example",
]

INK = "#222222"
GREY = "#777777"
BLUE, ORANGE, GREEN, PINK, YELLOW, SKY = PALETTE[:6]
FILL = "#E8F1FA"  # light blue
FILL2 = "#FDEBD9"  # light orange
FILL3 = "#E3F4EC"  # light green

# Two orthogonal patterns of N = 6 neurons (overlap 0): the small network of
# the Hopfield figures. With these, the only states from which no single flip
# lowers the energy are the two patterns and their negatives (tests/test_diagrams.py).
HOPFIELD_PATTERNS = np.array([[1, 1, 1, -1, -1, -1], [1, 1, -1, -1, 1, 1]], dtype=float)


# --- alt texts --------------------------------------------------------------------------------------------------

ALT: dict[str, tuple[str, str]] = {
    "network_231": (
        "The 2-3-1 network of the running example: two input neurons x1 and x2, three hidden neurons with "
        "activation f and one linear output neuron y-hat. Every input is connected to every hidden neuron by "
        "the weights w_ih (the matrix W1, shape 2 by 3); every hidden neuron to the output by w_ho (W2, shape "
        "3 by 1). A constant 1 feeds the hidden biases b_h (b1) and the output bias b_o (b2).",
        "运行示例中的 2-3-1 网络：两个输入神经元 x1、x2，三个使用激活函数 f 的隐藏神经元，一个线性输出神经元 y-hat。"
        "每个输入通过权重 w_ih（矩阵 W1，形状 2×3）连到每个隐藏神经元；每个隐藏神经元通过 w_ho（W2，形状 3×1）"
        "连到输出。常数 1 提供隐藏层偏置 b_h（b1）和输出偏置 b_o（b2）。",
    ),
    "backprop_values_graph": (
        "Computational graph of the worked example with its numbers. Forward, in black: x = {x}, "
        "z1 = {z}, a1 = {a}, y-hat = {y_hat} and, with target y = {y}, loss L = {loss}. Backward, in "
        "orange: dL/dy-hat = {d_y_hat}, dL/da1 = {d_a}, dL/dz1 = {d_z}; the parameter gradients are "
        "dL/dW1 = {d_w_ih}, dL/db1 = {d_b_h}, dL/dW2 = {d_w_ho} and dL/db2 = {d_b_o}. "
        "All numbers are computed by nnmem.twolayer.",
        "带数值的实例计算图。前向（黑色）：x = {x}，z1 = {z}，a1 = {a}，y-hat = {y_hat}，"
        "目标 y = {y} 时损失 L = {loss}。反向（橙色）：dL/dy-hat = {d_y_hat}，dL/da1 = {d_a}，dL/dz1 = {d_z}；"
        "参数梯度为 dL/dW1 = {d_w_ih}，dL/db1 = {d_b_h}，dL/dW2 = {d_w_ho}，dL/db2 = {d_b_o}。"
        "所有数值均由 nnmem.twolayer 计算。",
    ),
    "neuron_and_synapse": (
        "Top: a schematic neuron. Branched dendrites on the left lead to the soma with its nucleus; the axon "
        "leaves the soma at the initial segment, runs to the right wrapped in myelin with gaps (nodes of "
        "Ranvier), and branches into axon terminals. Signals flow from dendrites to terminals. Bottom: a "
        "chemical synapse. The presynaptic terminal above holds vesicles filled with neurotransmitter; one "
        "vesicle fuses with the membrane after calcium enters through a channel and releases transmitter into "
        "the synaptic cleft, which binds to receptors on the postsynaptic membrane below.",
        "上：示意的神经元。左侧分枝的树突通向含细胞核的胞体；轴突从胞体的起始段发出，向右延伸，外裹有间断"
        "（郎飞结）的髓鞘，末端分成轴突末梢。信号从树突流向末梢。下：化学突触。上方的突触前末梢含装满神经递质的"
        "突触囊泡；钙离子经通道流入后，一个囊泡与细胞膜融合，把递质释放到突触间隙，递质与下方突触后膜上的受体结合。",
    ),
    "artificial_neuron": (
        "An artificial neuron j. Inputs x1, x2 up to xd, each multiplied by its weight w1j, w2j up to wdj, "
        "enter a summation node that also adds the bias bj; the sum is the pre-activation zj, which the "
        "activation function f turns into the output aj = f(zj).",
        "人工神经元 j。输入 x1、x2 直到 xd 各乘以权重 w1j、w2j 直到 wdj，进入求和节点，并加上偏置 bj；"
        "和为预激活 zj，激活函数 f 把它变成输出 aj = f(zj)。",
    ),
    "activation_panels": (
        "Four small plots over z from -4 to 4, each showing an activation function f (solid) and its derivative "
        "f' (dashed), computed from nnmem.activations: sigmoid rises from 0 to 1 with derivative peaking at 0.25; "
        "tanh rises from -1 to 1 with derivative peaking at 1; ReLU is 0 then z, derivative 0 then 1; identity "
        "is z with derivative 1.",
        "四个小图，z 从 -4 到 4，每个画出一个激活函数 f（实线）和它的导数 f'（虚线），由 nnmem.activations 计算："
        "sigmoid 从 0 升到 1，导数最大 0.25；tanh 从 -1 升到 1，导数最大 1；ReLU 先为 0 后为 z，导数先 0 后 1；"
        "恒等函数为 z，导数为 1。",
    ),
    "hopfield_graph": (
        "A Hopfield network of six neurons drawn as a graph, storing two patterns with nnmem.hopfield.store. "
        "Every pair of neurons is joined by an edge; solid blue edges are positive weights (the two neurons agree "
        "in both patterns), dashed orange edges negative ones (they disagree in both); pairs that agree in one "
        "pattern and disagree in the other have weight 0 and no edge. Neuron fills show the two stored patterns.",
        "画成图的六神经元霍普菲尔德网络，用 nnmem.hopfield.store 存入两个模式。实线蓝边为正权重（两个神经元在两个模式中"
        "都一致），橙色虚线为负权重（在两个模式中都相反）；在一个模式中一致、在另一个中相反的神经元对权重为 0，不画边。"
        "神经元的填色显示两个存入的模式。",
    ),
    "hopfield_landscape": (
        "Energy of all {n_states} states of the six-neuron network, computed with nnmem.hopfield.energy, as bars in "
        "Gray-code order so that neighbouring bars differ by one neuron. The four lowest bars, at energy {e_min}, are "
        "the two stored patterns and their negatives; they are the only states from which no single flip lowers "
        "the energy.",
        "六神经元网络全部 {n_states} 个状态的能量（由 nnmem.hopfield.energy 计算），按格雷码顺序画成柱，"
        "相邻两柱只差一个神经元。最低的四根柱能量为 {e_min}，是两个存入的模式及其反模式；"
        "只有从这四个状态出发，任何单个翻转都不能降低能量。",
    ),
    "rnn_unrolled": (
        "A recurrent network unrolled in time. The hidden state starts at h0 = 0; at each step t the input x_t "
        "enters through W_xh and the previous state h_(t-1) through W_hh to give h_t; the same W_xh, W_hh and b_h "
        "are used at every step. After the last step T, the output y = h_T W_hy + b_y feeds the loss L.",
        "按时间展开的循环网络。隐藏状态从 h0 = 0 开始；每一步 t，输入 x_t 经 W_xh、上一步的状态 h_(t-1) 经 W_hh "
        "得到 h_t；每一步用的都是同一组 W_xh、W_hh 和 b_h。最后一步 T 之后，输出 y = h_T W_hy + b_y 进入损失 L。",
    ),
    "lstm_cell": (
        "An LSTM cell. The inputs x_t and h_(t-1) feed four gates: the forget gate f_t (sigmoid), the input gate "
        "i_t (sigmoid), the candidate g_t (tanh) and the output gate o_t (sigmoid). Along the top runs the cell "
        "state: c_(t-1) is multiplied by f_t and i_t times g_t is added, giving c_t. The new hidden state h_t "
        "is o_t times tanh of c_t.",
        "LSTM 单元。输入 x_t 和 h_(t-1) 进入四个门：遗忘门 f_t（sigmoid）、输入门 i_t（sigmoid）、候选值 g_t（tanh）"
        "和输出门 o_t（sigmoid）。顶部是细胞状态：c_(t-1) 乘以 f_t，再加上 i_t 乘 g_t，得到 c_t。新的隐藏状态 h_t "
        "等于 o_t 乘以 c_t 的 tanh。",
    ),
}


def alt_text(name: str) -> str:
    """The alt text of diagram `name` in the language of the page being built, numbers filled in."""
    en, zh = ALT[name]
    numbers: dict[str, str] = {}
    if name == "backprop_values_graph":
        numbers = {key: _fmt(value, brackets=True) for key, value in backprop_values().items()}
    elif name == "hopfield_landscape":
        _, states, energies = hopfield_states_and_energies()
        numbers = {"n_states": str(len(states)), "e_min": _fmt(energies.min())}
    return t(en, zh).format(**numbers)


# --- small drawing helpers --------------------------------------------------------------------------------------


def _canvas(width: float, height: float, xlim: tuple[float, float], ylim: tuple[float, float]) -> tuple[Any, Any]:
    plt = setup_matplotlib()
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _arrow(
    ax: Any,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    color: str = INK,
    lw: float = 1.3,
    style: str = "-",
    shrink: float = 0.0,
    head: str = "-|>",
) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle=head, color=color, lw=lw, linestyle=style, shrinkA=shrink, shrinkB=shrink, mutation_scale=12
        ),
    )


def _circle(
    ax: Any,
    centre: tuple[float, float],
    radius: float,
    label: str = "",
    *,
    fc: str = FILL,
    ec: str = INK,
    fontsize: float = 11,
    lw: float = 1.2,
) -> None:
    from matplotlib.patches import Circle

    ax.add_patch(Circle(centre, radius, fc=fc, ec=ec, lw=lw, zorder=3))
    if label:
        ax.text(*centre, label, ha="center", va="center", fontsize=fontsize, zorder=4, color=INK)


def _box(
    ax: Any,
    centre: tuple[float, float],
    width: float,
    height: float,
    label: str = "",
    *,
    fc: str = FILL,
    ec: str = INK,
    fontsize: float = 10,
    lw: float = 1.2,
    color: str = INK,
) -> None:
    from matplotlib.patches import FancyBboxPatch

    x, y = centre
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04", fc=fc, ec=ec, lw=lw, zorder=3
        )
    )
    if label:
        ax.text(x, y, label, ha="center", va="center", fontsize=fontsize, zorder=4, color=color)


def _fmt(values: Any, *, brackets: bool = False) -> str:
    """Numbers as the page writes them: ``4``, ``-1``, ``2.5``, ``(4, 1, 0)``."""
    array = np.asarray(values, dtype=float)

    def one(v: float) -> str:
        v = 0.0 if v == 0 else v  # no "-0"
        return f"{v:g}"

    if array.ndim == 0 or array.size == 1:
        return one(float(array.reshape(-1)[0]))
    if array.ndim == 2 and min(array.shape) > 1:
        left, right = ("[", "]") if brackets else ("(", ")")
        return "[" + ", ".join(left + ", ".join(one(v) for v in row) + right for row in array) + "]"
    return "(" + ", ".join(one(v) for v in array.reshape(-1)) + ")"


# --- 1. the 2-3-1 network (forward propagation) -----------------------------------------------------------------


def network_231() -> Any:
    """The running example's 2-3-1 network with the parameter names of `nnmem.twolayer`."""
    fig, ax = _canvas(7.0, 4.0, (-1.2, 8.6), (-0.9, 4.7))
    inputs = [(0.6, 3.0), (0.6, 1.4)]
    hidden = [(3.8, 3.6), (3.8, 2.2), (3.8, 0.8)]
    output = (7.0, 2.2)
    bias_h, bias_o = (2.2, 4.35), (5.6, 4.35)
    for p in inputs:
        for q in hidden:
            ax.plot([p[0], q[0]], [p[1], q[1]], color=BLUE, lw=1.4, zorder=1)
    for q in hidden:
        ax.plot([q[0], output[0]], [q[1], output[1]], color=ORANGE, lw=1.4, zorder=1)
        ax.plot([bias_h[0], q[0]], [bias_h[1], q[1]], color=GREY, lw=1.0, ls="--", zorder=1)
    ax.plot([bias_o[0], output[0]], [bias_o[1], output[1]], color=GREY, lw=1.0, ls="--", zorder=1)
    for k, p in enumerate(inputs, start=1):
        _circle(ax, p, 0.42, f"$x_{k}$", fc="#F3F3F3")
    for k, q in enumerate(hidden, start=1):
        _circle(ax, q, 0.42, f"$a^{{(1)}}_{k}$", fontsize=10)
    _circle(ax, output, 0.42, r"$\hat y$", fc=FILL2)
    for p in (bias_h, bias_o):
        _box(ax, p, 0.45, 0.45, "1", fc="#F3F3F3")
    _arrow(ax, (output[0] + 0.45, output[1]), (output[0] + 1.3, output[1]))
    # one named edge per layer, so the index order w_ij (from i to j) is visible
    ax.text(1.7, 3.38, "$w^{(1)}_{11}$", fontsize=9, color=BLUE, ha="center", va="bottom")
    ax.text(2.2, 1.0, "$w^{(1)}_{23}$", fontsize=9, color=BLUE, ha="center", va="top")
    ax.text(5.75, 1.25, "$w^{(2)}_{31}$", fontsize=9, color=ORANGE, ha="center", va="top")
    # parameter arrays by their names in the package
    ax.text(2.2, -0.35, "w_ih", family="monospace", fontsize=10, color=BLUE, ha="center")
    ax.text(2.2, -0.8, r"$W^{(1)}$: $2 \times 3$", fontsize=10, color=BLUE, ha="center")
    ax.text(5.45, -0.35, "w_ho", family="monospace", fontsize=10, color=ORANGE, ha="center")
    ax.text(5.45, -0.8, r"$W^{(2)}$: $3 \times 1$", fontsize=10, color=ORANGE, ha="center")
    ax.text(1.0, 4.35, "b_h", family="monospace", fontsize=10, color=GREY, ha="right", va="center")
    ax.text(1.85, 4.35, "$b^{(1)}$", fontsize=10, color=GREY, ha="right", va="center")
    ax.text(5.95, 4.35, "$b^{(2)}$", fontsize=10, color=GREY, ha="left", va="center")
    ax.text(6.8, 4.35, "b_o", family="monospace", fontsize=10, color=GREY, ha="left", va="center")
    # layer names
    ax.text(0.6, 0.55, t("input", "输入层"), fontsize=9, ha="center", va="top")
    ax.text(0.6, 0.2, "$d = 2$", fontsize=9, ha="center", va="top")
    ax.text(3.8, 0.15, t("hidden, f", "隐藏层，f"), fontsize=9, ha="center", va="top")
    ax.text(3.8, -0.2, "$h = 3$", fontsize=9, ha="center", va="top")
    ax.text(7.0, 1.55, t("output, linear", "输出层，线性"), fontsize=9, ha="center", va="top")
    ax.text(7.0, 1.2, "$m = 1$", fontsize=9, ha="center", va="top")
    return fig


# --- 2. the computational graph with numbers (backpropagation) --------------------------------------------------


def running_example() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Parameters, input and target of the worked example of the forward and backpropagation chapters."""
    params = {
        "w_ih": np.array([[1.0, -1.0, 0.0], [2.0, 1.0, -1.0]]),
        "b_h": np.array([-1.0, 0.0, 1.0]),
        "w_ho": np.array([[1.0], [-2.0], [3.0]]),
        "b_o": np.array([0.5]),
    }
    return params, np.array([[1.0, 2.0]]), np.array([[3.0]])


def backprop_values() -> dict[str, np.ndarray]:
    """Forward values and backward gradients of the worked example, computed by `nnmem.twolayer`.

    Keys: ``x, z, a, y_hat, y, loss`` (forward) and ``d_y_hat, d_a, d_z, d_w_ih, d_b_h, d_w_ho, d_b_o``
    (gradients of the loss). With one sample, the bias gradients are the error signals themselves:
    ``d_z`` is ``b_h``'s gradient and ``d_y_hat`` is ``b_o``'s; ``d_a`` is ``d_y_hat`` times ``w_ho``
    transposed.
    """
    from nnmem.losses import mse_loss
    from nnmem.twolayer import backward_propagation, forward_propagation

    params, x, y = running_example()
    y_hat, cache = forward_propagation(x, params, activation="relu")
    grads = backward_propagation(y, cache, params)
    d_y_hat = grads["b_o"].reshape(1, -1)
    return {
        "x": x[0],
        "z": cache.z_h[0],
        "a": cache.a_h[0],
        "y_hat": y_hat[0],
        "y": y[0],
        "loss": np.array(mse_loss(y, y_hat)),
        "d_y_hat": d_y_hat[0],
        "d_a": (d_y_hat @ params["w_ho"].T)[0],
        "d_z": grads["b_h"],
        "d_w_ih": grads["w_ih"],
        "d_b_h": grads["b_h"],
        "d_w_ho": grads["w_ho"][:, 0],
        "d_b_o": grads["b_o"],
    }


def backprop_values_graph() -> Any:
    """The worked example's graph: forward values in black above, gradients of the loss in orange below."""
    v = backprop_values()
    fig, ax = _canvas(8.4, 4.4, (-0.3, 12.3), (-2.0, 4.3))
    y0 = 2.4
    nodes = [
        ("x", 0.8, "$x$", v["x"], None),
        ("z", 3.55, "$z^{(1)}$", v["z"], v["d_z"]),
        ("a", 6.3, "$a^{(1)}$", v["a"], v["d_a"]),
        ("y", 8.95, r"$\hat y$", v["y_hat"], v["d_y_hat"]),
        ("L", 11.3, "$L$", v["loss"], None),
    ]
    ops = [r"$x W^{(1)} + b^{(1)}$", "ReLU", r"$a W^{(2)} + b^{(2)}$", r"$(\hat y - y)^2$"]
    local = [None, r"$\odot\, f'(z^{(1)})$", r"$\cdot\, W^{(2)\top}$", r"$2(\hat y - y)$"]
    for i, (_key, cx, name, value, grad) in enumerate(nodes):
        _box(ax, (cx, y0), 1.9, 1.05, fc=FILL if _key != "x" else "#F3F3F3")
        ax.text(cx, y0 + 0.22, name, ha="center", va="center", fontsize=11, zorder=4)
        ax.text(cx, y0 - 0.22, _fmt(value), ha="center", va="center", fontsize=10, zorder=4)
        if grad is not None:
            ax.text(cx, y0 - 0.85, _fmt(grad), ha="center", va="center", fontsize=10, color=ORANGE, zorder=4)
        if i + 1 < len(nodes):
            x0, x1 = cx + 1.0, nodes[i + 1][1] - 1.0
            _arrow(ax, (x0, y0 + 0.28), (x1, y0 + 0.28))
            ax.text((x0 + x1) / 2, y0 + 0.85, ops[i], ha="center", va="bottom", fontsize=8.5)
            if local[i] is not None:  # nobody needs dL/dx
                _arrow(ax, (x1, y0 - 0.28), (x0, y0 - 0.28), color=ORANGE, style="--")
                ax.text((x0 + x1) / 2, y0 - 1.3, local[i], ha="center", va="top", fontsize=8.5, color=ORANGE)
    # dL/dL = 1 under the loss, the target next to it
    ax.text(11.3, y0 - 0.85, "1", ha="center", va="center", fontsize=10, color=ORANGE)
    ax.text(11.85, y0 + 0.85, f"$y = {_fmt(v['y'])}$", ha="center", va="bottom", fontsize=10)
    ax.text(0.8, y0 - 0.85, r"$\partial L / \partial(\cdot)$", ha="center", va="center", fontsize=10, color=ORANGE)
    # parameters and their gradients
    params = [
        (3.55, "1", _fmt(v["d_w_ih"]), _fmt(v["d_b_h"])),
        (8.95, "2", _fmt(v["d_w_ho"]), _fmt(v["d_b_o"])),
    ]
    for cx, layer, grad_w, grad_b in params:
        _box(ax, (cx, -0.45), 1.9, 0.6, f"$W^{{({layer})}}$, $b^{{({layer})}}$", fc="#F3F3F3", fontsize=10)
        _arrow(ax, (cx - 0.82, -0.12), (cx - 0.82, y0 - 0.55))
        ax.text(cx, -0.95, f"$W^{{({layer})}}$: {grad_w}", ha="center", va="top", fontsize=9, color=ORANGE)
        ax.text(cx, -1.4, f"$b^{{({layer})}}$: {grad_b}", ha="center", va="top", fontsize=9, color=ORANGE)
    ax.text(-0.25, 4.2, t("forward: values", "前向：数值"), fontsize=9, color=INK, va="top")
    ax.text(
        4.2,
        4.2,
        t("backward: gradients of L (orange, dashed)", "反向：L 的梯度（橙色虚线）"),
        fontsize=9,
        color=ORANGE,
        va="top",
    )
    return fig


# --- 3. a neuron and a chemical synapse (nervous system) --------------------------------------------------------


def neuron_and_synapse() -> Any:
    """A schematic neuron (dendrites, soma, axon, myelin, terminals) and a chemical synapse."""
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Rectangle

    plt = setup_matplotlib()
    # one above the other, so that the labels stay legible at phone width
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(6.4, 6.0), gridspec_kw={"height_ratios": [4.8, 5.5]})
    for a in (ax, bx):
        a.set_aspect("equal")
        a.axis("off")
    ax.set_xlim(-0.3, 11.2)
    ax.set_ylim(-2.3, 2.5)
    bx.set_xlim(-2.9, 8.6)
    bx.set_ylim(-0.6, 4.9)
    cell = dict(color=BLUE, lw=2.0, solid_capstyle="round", zorder=2)

    # dendrites: a small tree on each side of the soma's left half
    soma = (2.6, 0.0)
    for sign in (1, -1):
        trunk_end = (1.4, 0.9 * sign)
        ax.plot([soma[0] - 0.5, trunk_end[0]], [0.25 * sign, trunk_end[1]], **cell)
        for tip in [(0.3, 1.6 * sign), (0.4, 0.55 * sign), (1.0, 1.9 * sign)]:
            ax.plot([trunk_end[0], tip[0]], [trunk_end[1], tip[1]], color=BLUE, lw=1.4, zorder=2)
    ax.plot([soma[0] - 0.5, 0.5], [0, 0], **cell)
    ax.add_patch(Circle(soma, 0.62, fc=FILL, ec=BLUE, lw=2.0, zorder=3))
    ax.add_patch(Circle(soma, 0.22, fc=SKY, ec=BLUE, lw=1.0, zorder=4))
    # axon with myelin and nodes of Ranvier
    ax.plot([soma[0] + 0.6, 9.3], [0, 0], **cell)
    for x0 in np.arange(3.9, 8.6, 1.15):
        ax.add_patch(
            FancyBboxPatch((x0, -0.2), 0.95, 0.4, boxstyle="round,pad=0.02", fc=YELLOW, ec=INK, lw=0.8, zorder=3)
        )
    # terminals
    for dy in (1.0, 0.35, -0.35, -1.0):
        ax.plot([9.3, 10.3], [0, dy], color=BLUE, lw=1.4, zorder=2)
        ax.add_patch(Circle((10.4, dy), 0.13, fc=BLUE, ec=BLUE, zorder=3))
    label = dict(fontsize=10, color=INK, ha="center")
    lead = dict(arrowstyle="-", color=GREY, lw=0.8)
    ax.annotate(t("dendrites", "树突"), (0.55, 1.4), (0.7, 2.2), arrowprops=lead, **label)
    ax.annotate(t("soma", "胞体"), (2.8, 0.5), (3.2, 1.5), arrowprops=lead, **label)
    ax.annotate(t("nucleus", "细胞核"), (2.6, -0.15), (2.2, -1.45), arrowprops=lead, **label)
    ax.annotate(t("initial segment", "起始段"), (3.5, -0.05), (3.6, -2.0), arrowprops=lead, **label)
    ax.annotate(t("myelin", "髓鞘"), (5.5, 0.2), (5.5, 1.2), arrowprops=lead, **label)
    ax.annotate(t("node of Ranvier", "郎飞结"), (6.95, -0.05), (7.2, -1.45), arrowprops=lead, **label)
    ax.annotate(t("axon", "轴突"), (8.9, 0.05), (8.6, 1.2), arrowprops=lead, **label)
    ax.annotate(t("axon terminals", "轴突末梢"), (10.45, -1.1), (10.0, -2.0), arrowprops=lead, **label)
    _arrow(ax, (4.8, 1.9), (7.3, 1.9), color=GREY)
    ax.text(5.8, 2.05, t("signal direction", "信号方向"), fontsize=9.5, color=GREY, ha="center", va="bottom")

    # the synapse: presynaptic terminal above, cleft, postsynaptic membrane below
    bx.add_patch(
        FancyBboxPatch(
            (0.6, 2.0), 3.4, 2.6, boxstyle="round,pad=0.0,rounding_size=1.0", fc=FILL, ec=BLUE, lw=2.0, zorder=2
        )
    )
    bx.add_patch(Rectangle((0.0, -0.8), 4.6, 1.3, fc=FILL3, ec="none", zorder=1))
    bx.plot([0.0, 4.6], [0.5, 0.5], color=GREEN, lw=2.0, zorder=2)
    for cx, cy in [(1.3, 3.4), (2.1, 3.8), (2.9, 3.3), (1.8, 2.8), (3.3, 2.6)]:
        bx.add_patch(Circle((cx, cy), 0.28, fc="white", ec=PINK, lw=1.3, zorder=3))
        for ddx, ddy in [(-0.09, 0.06), (0.08, 0.08), (0.0, -0.1)]:
            bx.add_patch(Circle((cx + ddx, cy + ddy), 0.045, fc=PINK, ec="none", zorder=4))
    # a vesicle fusing with the membrane and transmitter crossing the cleft
    bx.add_patch(Ellipse((2.3, 2.05), 0.6, 0.35, fc="white", ec=PINK, lw=1.3, zorder=3))
    rng = np.random.default_rng(3)
    for _ in range(9):
        bx.add_patch(
            Circle((2.3 + rng.uniform(-0.55, 0.55), rng.uniform(0.8, 1.75)), 0.05, fc=PINK, ec="none", zorder=4)
        )
    for rx in (1.2, 1.9, 2.7, 3.4):
        bx.add_patch(Rectangle((rx - 0.1, 0.5), 0.2, 0.25, fc=GREEN, ec=INK, lw=0.6, zorder=3))
    bx.add_patch(Rectangle((3.91, 2.3), 0.18, 0.35, fc=ORANGE, ec=INK, lw=0.6, zorder=3))
    lab = dict(fontsize=10, color=INK, ha="left", va="center")
    bx.annotate(t("presynaptic terminal", "突触前末梢"), (3.9, 3.9), (4.8, 4.1), arrowprops=lead, **lab)
    bx.annotate(t("vesicles", "突触囊泡"), (3.55, 2.75), (4.8, 3.2), arrowprops=lead, **lab)
    bx.annotate(t("Ca²⁺ channel", "Ca²⁺ 通道"), (4.1, 2.45), (4.8, 2.45), arrowprops=lead, **lab)
    bx.annotate(t("transmitter", "神经递质"), (2.75, 1.3), (4.8, 1.65), arrowprops=lead, **lab)
    bx.annotate(t("synaptic cleft", "突触间隙"), (3.8, 1.0), (4.8, 1.05), arrowprops=lead, **lab)
    bx.annotate(t("receptors", "受体"), (3.5, 0.65), (4.8, 0.15), arrowprops=lead, **lab)
    bx.text(2.3, -0.2, t("postsynaptic cell", "突触后细胞"), fontsize=10, color=INK, ha="center", va="center")
    return fig


# --- 4. an artificial neuron (artificial neurons) ---------------------------------------------------------------


def artificial_neuron() -> Any:
    """Inputs, weights, sum with bias, activation and output of one unit j."""
    fig, ax = _canvas(7.0, 3.4, (-0.6, 10.4), (-0.9, 4.3))
    ys = [3.3, 2.2, 0.6]
    names = ["$x_1$", "$x_2$", "$x_d$"]
    weights = ["$w_{1j}$", "$w_{2j}$", "$w_{dj}$"]
    node = (4.6, 2.0)
    for y, name, w in zip(ys, names, weights, strict=True):
        _circle(ax, (0.4, y), 0.38, name, fc="#F3F3F3")
        _arrow(ax, (0.8, y), (node[0] - 0.55, node[1] + (y - node[1]) * 0.25))
        ax.text(2.2, node[1] + (y - node[1]) * 0.62 + 0.18, w, fontsize=10, color=BLUE, ha="center", va="bottom")
    ax.text(0.4, 1.45, r"$\vdots$", fontsize=12, ha="center", va="center")
    _circle(ax, node, 0.55, r"$\Sigma$", fontsize=15)
    _circle(ax, (4.6, 3.9), 0.0)
    ax.text(4.6, 3.85, "$b_j$", fontsize=11, ha="center", va="center", color=GREY)
    _arrow(ax, (4.6, 3.6), (4.6, 2.6), color=GREY)
    _box(ax, (7.2, 2.0), 1.0, 0.8, "$f$", fc=FILL2, fontsize=13)
    _arrow(ax, (5.2, 2.0), (6.65, 2.0))
    ax.text(5.9, 2.15, "$z_j$", fontsize=11, ha="center", va="bottom")
    _arrow(ax, (7.75, 2.0), (9.4, 2.0))
    ax.text(8.6, 2.15, "$a_j = f(z_j)$", fontsize=11, ha="center", va="bottom")
    row = -0.4
    for x, text in [
        (0.4, t("inputs", "输入")),
        (2.2, t("weights", "权重")),
        (4.6, t("weighted sum", "加权求和")),
        (7.2, t("activation", "激活函数")),
        (8.9, t("output", "输出")),
    ]:
        ax.text(x, row, text, fontsize=9, ha="center", va="center", color=INK)
    ax.text(4.6, 0.9, "$z_j = \\sum_i w_{ij} x_i + b_j$", fontsize=9, ha="center", va="center", color=INK)
    ax.text(5.3, 3.85, t("bias", "偏置"), fontsize=9, ha="left", va="center", color=GREY)
    return fig


# --- 7. activation functions and their derivatives (artificial neurons) -----------------------------------------


def activation_panels() -> Any:
    """Small plots of sigmoid, tanh, ReLU and identity with their derivatives, from `nnmem.activations`."""
    from nnmem.activations import ACTIVATIONS

    plt = setup_matplotlib()
    fig, axes = plt.subplots(1, 4, figsize=(8.4, 2.2), sharey=True)
    z = np.linspace(-4.0, 4.0, 401)
    for ax, name in zip(axes, ["sigmoid", "tanh", "relu", "identity"], strict=True):
        act = ACTIVATIONS[name]
        ax.plot(z, act(z), color=BLUE, label="$f(z)$")
        ax.plot(z, act.derivative(z), "--", color=ORANGE, label="$f'(z)$")
        ax.set_title({"relu": "ReLU", "identity": t("identity", "恒等函数")}.get(name, name), fontsize=10)
        ax.set_xlabel("$z$")
        ax.set_ylim(-1.3, 1.6)
        ax.set_xticks([-4, 0, 4])
    axes[0].legend(fontsize=8, loc="upper left", frameon=False)
    return fig


# --- 5. a small Hopfield network and its energy landscape -------------------------------------------------------


def hopfield_states_and_energies() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights of `HOPFIELD_PATTERNS`, all 2^N states in Gray-code order, and their energies.

    In Gray-code order consecutive states differ in exactly one neuron, so the
    bar chart of the energies is a one-dimensional walk through state space.
    """
    from nnmem.hopfield import energy, store

    W = store(HOPFIELD_PATTERNS)
    n = HOPFIELD_PATTERNS.shape[1]
    codes = [k ^ (k >> 1) for k in range(2**n)]
    states = np.array([[1.0 if (code >> (n - 1 - i)) & 1 else -1.0 for i in range(n)] for code in codes])
    energies = np.array([energy(W, s) for s in states])
    return W, states, energies


def hopfield_graph() -> Any:
    """The six-neuron network as a graph; edges coloured and sized by the stored weights."""
    from nnmem.hopfield import store

    W = store(HOPFIELD_PATTERNS)
    plt = setup_matplotlib()
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.5))
    n = W.shape[0]
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    pos = np.c_[np.cos(angles), np.sin(angles)]
    scale = np.abs(W).max()
    from fractions import Fraction

    weight = str(Fraction(float(scale)).limit_denominator(100))
    for ax, (mu, pattern) in zip(axes, enumerate(HOPFIELD_PATTERNS, start=1), strict=True):
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.45, 1.55)
        for i, j in itertools.combinations(range(n), 2):
            w = W[i, j]
            if np.isclose(w, 0.0):
                continue
            ax.plot(
                *pos[[i, j]].T,
                color=BLUE if w > 0 else ORANGE,
                ls="-" if w > 0 else "--",
                lw=3.0 * abs(w) / scale,
                zorder=1,
            )
        for i, (p, s) in enumerate(zip(pos, pattern, strict=True)):
            _circle(ax, tuple(p), 0.2, f"{i + 1}", fc=INK if s > 0 else "white", ec=INK, fontsize=9)
            ax.texts[-1].set_color("white" if s > 0 else INK)
        ax.set_title(t(f"pattern ξ{mu} on the neurons", f"神经元上的模式 ξ{mu}"), fontsize=9)
    fig.text(
        0.5,
        0.02,
        t(
            f"solid blue: w = +{weight}    dashed orange: w = −{weight}    black: +1, white: −1",
            f"蓝色实线：w = +{weight}    橙色虚线：w = −{weight}    黑：+1，白：−1",
        ),
        ha="center",
        fontsize=8.5,
        color=INK,
    )
    return fig


def hopfield_landscape() -> Any:
    """Energies of all 2^N states in Gray-code order, stored patterns and their negatives marked."""
    _, states, energies = hopfield_states_and_energies()
    plt = setup_matplotlib()
    fig, ax = plt.subplots(figsize=(7.2, 2.8))
    stored = {tuple(p) for p in HOPFIELD_PATTERNS}
    negatives = {tuple(-p) for p in HOPFIELD_PATTERNS}
    colours = [BLUE if tuple(s) in stored else PINK if tuple(s) in negatives else "#BBBBBB" for s in states]
    ax.bar(np.arange(len(states)), energies, color=colours, width=0.85)
    ax.axhline(0.0, color=GREY, lw=0.8)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=BLUE, label=t("stored pattern", "存入的模式")),
            Patch(color=PINK, label=t("its negative", "其反模式")),
            Patch(color="#BBBBBB", label=t("other state", "其他状态")),
        ],
        fontsize=8,
        loc="upper right",
        frameon=False,
        ncols=3,
    )
    ax.set_xlabel(
        t(
            f"all {len(states)} states, Gray-code order (neighbours differ in one neuron)",
            f"全部 {len(states)} 个状态，按格雷码排列（相邻状态只差一个神经元）",
        )
    )
    ax.set_ylabel(t("energy E(s)", "能量 E(s)"))
    ax.set_xlim(-1, len(states))
    ax.set_ylim(energies.min() - 0.3, energies.max() + 0.9)
    ax.set_xticks([])
    return fig


# --- 6. an unrolled RNN and an LSTM cell (working memory) -------------------------------------------------------


def rnn_unrolled() -> Any:
    """h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h) for t = 1..T, then y = h_T W_hy + b_y and the loss."""
    fig, ax = _canvas(8.0, 3.3, (-0.7, 12.4), (-0.9, 4.3))
    steps = [(2.2, "1"), (4.6, "2"), (7.0, "3"), (10.0, "T")]
    _box(ax, (0.0, 1.8), 1.0, 0.75, "$h_0 = 0$", fc="#F3F3F3", fontsize=9)
    prev = 0.5
    for cx, label in steps:
        _box(ax, (cx, 1.8), 1.05, 0.75, f"$h_{label}$", fontsize=11)
        _circle(ax, (cx, 0.0), 0.36, f"$x_{label}$", fc="#F3F3F3", fontsize=10)
        _arrow(ax, (cx, 0.38), (cx, 1.4), color=BLUE)
        ax.text(cx + 0.1, 0.85, "$W_{xh}$", fontsize=9, color=BLUE, ha="left", va="center")
        if label == "T":
            ax.text(8.5, 1.8, r"$\cdots$", fontsize=14, ha="center", va="center")
            _arrow(ax, (7.55, 1.8), (8.15, 1.8), color=ORANGE)
            _arrow(ax, (8.85, 1.8), (cx - 0.55, 1.8), color=ORANGE)
            ax.text(9.2, 1.95, "$W_{hh}$", fontsize=9, color=ORANGE, ha="center", va="bottom")
        else:
            _arrow(ax, (prev, 1.8), (cx - 0.55, 1.8), color=ORANGE)
            ax.text((prev + cx - 0.55) / 2, 1.95, "$W_{hh}$", fontsize=9, color=ORANGE, ha="center", va="bottom")
        prev = cx + 0.55
    _arrow(ax, (10.0, 2.2), (10.0, 3.1), color=GREEN)
    ax.text(10.1, 2.6, "$W_{hy}$", fontsize=9, color=GREEN, ha="left", va="center")
    _box(ax, (10.0, 3.45), 0.8, 0.6, "$y$", fc=FILL2)
    _arrow(ax, (10.45, 3.45), (11.4, 3.45))
    ax.text(11.7, 3.45, "$L$", fontsize=11, ha="center", va="center")
    ax.text(
        3.4,
        3.3,
        t("the same W_xh, W_hh, b_h at every step", "每一步都用同一组 W_xh、W_hh、b_h"),
        fontsize=9,
        ha="center",
        va="center",
        color=INK,
    )
    ax.text(5.0, -0.7, t("time →", "时间 →"), fontsize=9, ha="center", va="center", color=GREY)
    return fig


def lstm_cell() -> Any:
    """One LSTM step with the page's symbols: gates f_t, i_t, g_t, o_t, cell c_t, hidden h_t."""
    fig, ax = _canvas(7.6, 4.2, (-1.3, 11.3), (-1.4, 5.4))
    top, gate_y, bottom = 4.3, 1.9, 0.2
    # the cell line along the top: the constant error carousel
    ax.text(-1.0, top, "$c_{t-1}$", fontsize=11, ha="center", va="center")
    _arrow(ax, (-0.55, top), (1.75, top), color=BLUE, lw=2.2)
    _circle(ax, (2.0, top), 0.26, r"$\times$", fc="white", fontsize=11)
    _arrow(ax, (2.26, top), (4.75, top), color=BLUE, lw=2.2)
    _circle(ax, (5.0, top), 0.26, "$+$", fc="white", fontsize=11)
    _arrow(ax, (5.26, top), (10.4, top), color=BLUE, lw=2.2)
    ax.text(10.8, top, "$c_t$", fontsize=11, ha="center", va="center")
    # inputs along the bottom
    ax.text(-1.0, bottom, "$h_{t-1}$", fontsize=11, ha="center", va="center")
    ax.text(-1.0, -0.9, "$x_t$", fontsize=11, ha="center", va="center")
    ax.plot([-0.5, 7.0], [bottom, bottom], color=INK, lw=1.3)
    ax.plot([-0.6, 0.2], [-0.9, -0.9], color=INK, lw=1.3)
    ax.plot([0.2, 0.2], [-0.9, bottom], color=INK, lw=1.3)
    gates = [
        (2.0, r"$\sigma$", "$f_t$", t("forget", "遗忘门")),
        (3.8, r"$\sigma$", "$i_t$", t("input", "输入门")),
        (5.0, "tanh", "$g_t$", t("candidate", "候选值")),
        (7.0, r"$\sigma$", "$o_t$", t("output", "输出门")),
    ]
    for cx, fn, sym, name in gates:
        ax.plot([cx, cx], [bottom, gate_y - 0.35], color=INK, lw=1.3)
        _box(ax, (cx, gate_y), 0.8 if fn == "tanh" else 0.65, 0.6, fn, fc=FILL2, fontsize=10)
        ax.text(cx, gate_y - 0.55, name, fontsize=8, ha="center", va="top", color=GREY)
        ax.text(cx - 0.12, gate_y + 0.5, sym, fontsize=10, ha="right", va="bottom", color=ORANGE)
    _arrow(ax, (2.0, gate_y + 0.35), (2.0, top - 0.28), color=ORANGE)  # f_t scales the old cell
    _circle(ax, (4.4, 3.2), 0.26, r"$\times$", fc="white", fontsize=11)  # i_t * g_t
    _arrow(ax, (3.8, gate_y + 0.35), (4.22, 3.02), color=ORANGE)
    _arrow(ax, (5.0, gate_y + 0.35), (4.58, 3.02), color=ORANGE)
    _arrow(ax, (4.55, 3.42), (4.88, top - 0.24), color=ORANGE)
    # read-out: h_t = o_t * tanh(c_t)
    ax.plot([8.6, 8.6], [top, 3.55], color=BLUE, lw=1.3)
    _box(ax, (8.6, 3.25), 0.8, 0.5, "tanh", fc=FILL2, fontsize=9)
    _circle(ax, (8.6, gate_y), 0.26, r"$\times$", fc="white", fontsize=11)
    _arrow(ax, (8.6, 3.0), (8.6, gate_y + 0.27), color=INK)
    _arrow(ax, (7.35, gate_y), (8.33, gate_y), color=ORANGE)
    ax.plot([8.87, 9.6], [gate_y, gate_y], color=INK, lw=1.3)
    ax.plot([9.6, 9.6], [gate_y, bottom], color=INK, lw=1.3)
    _arrow(ax, (9.6, bottom), (10.4, bottom), color=INK, lw=1.3)
    ax.text(10.8, bottom, "$h_t$", fontsize=11, ha="center", va="center")
    ax.text(
        5.0,
        5.05,
        t("cell state: multiplied only by the forget gate", "细胞状态：只乘以遗忘门"),
        fontsize=9,
        ha="center",
        va="center",
        color=BLUE,
    )
    return fig
