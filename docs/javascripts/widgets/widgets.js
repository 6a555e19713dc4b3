// Live models in the page: Hopfield recall (hopfield page) and gradient descent on a
// quadratic bowl (training page). Self-hosted, no dependencies. The model code
// (hopfieldRun, gdTrajectory, gdRegime) is exposed on window.nnWidgets so the
// browser tests can compare it step by step with the `nnmem` package.
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------- the models

  // Same tie rule as nnmem.hopfield.tie_tolerance: a field with |h_i| <= tau counts as zero, where
  // tau = max(1e-12 max_i sum_j |w_ij|, max_i (sum_j |w_ij - w_ji| / 2 + |w_ii|)); the second term is
  // zero for the widget's weights (nnmem.hopfield.store: exactly symmetric, zero diagonal).
  function hopfieldTieTolerance(W) {
    let largest = 0, slack = 0;
    W.forEach((row, i) => {
      let total = 0, asymmetry = 0;
      row.forEach((w, j) => { total += Math.abs(w); asymmetry += Math.abs(w - W[j][i]); });
      largest = Math.max(largest, total);
      slack = Math.max(slack, 0.5 * asymmetry + Math.abs(row[i]));
    });
    return Math.max(1e-12 * largest, slack);
  }

  // h_i = sum_j w_ij s_j
  function hopfieldField(W, s, i) {
    const row = W[i];
    let h = 0;
    for (let j = 0; j < s.length; j++) h += row[j] * s[j];
    return h;
  }

  // New state of neuron i: sign(h_i); a zero field keeps the current state.
  function hopfieldUpdateOne(W, s, i, tol) {
    const h = hopfieldField(W, s, i);
    return h > tol ? 1 : h < -tol ? -1 : s[i];
  }

  // E(s) = -1/2 s^T W s
  function hopfieldEnergy(W, s) {
    let e = 0;
    for (let i = 0; i < s.length; i++) e += s[i] * hopfieldField(W, s, i);
    return -0.5 * e;
  }

  function hopfieldOverlap(pattern, s) {
    let m = 0;
    for (let i = 0; i < s.length; i++) m += pattern[i] * s[i];
    return m / s.length;
  }

  // Update the neurons one at a time in `order`; return the state and energy after every update.
  function hopfieldRun(W, state, order) {
    const tol = hopfieldTieTolerance(W);
    const s = state.slice();
    const states = [];
    const energies = [];
    for (const i of order) {
      s[i] = hopfieldUpdateOne(W, s, i, tol);
      states.push(s.slice());
      energies.push(hopfieldEnergy(W, s));
    }
    return { states, energies };
  }

  // theta <- theta - eta * A (theta - theta*), `steps` times; returns steps + 1 points.
  function gdTrajectory(A, thetaStar, theta0, eta, steps) {
    const path = [theta0.slice()];
    let theta = theta0.slice();
    for (let k = 0; k < steps; k++) {
      const d0 = theta[0] - thetaStar[0];
      const d1 = theta[1] - thetaStar[1];
      const g0 = A[0][0] * d0 + A[0][1] * d1;
      const g1 = A[1][0] * d0 + A[1][1] * d1;
      theta = [theta[0] - eta * g0, theta[1] - eta * g1];
      path.push(theta);
    }
    return path;
  }

  // The training chapter's regimes for the largest curvature: |1 - eta*lam_max| decides.
  // eta <= 1/lam_max: every coordinate shrinks without changing sign ("converges");
  // 1/lam_max < eta < 2/lam_max: the steep coordinate flips sign but shrinks ("oscillates");
  // eta = 2/lam_max: it flips with constant size ("bound"); eta > 2/lam_max: it grows ("diverges").
  function gdRegime(eta, lamMax) {
    const half = 1 / lamMax;
    const bound = 2 / lamMax;
    if (eta <= half) return "converges";
    if (eta < bound) return "oscillates";
    if (eta === bound) return "bound";
    return "diverges";
  }

  // Eigenvalues and unit eigenvectors of a symmetric 2 x 2 matrix (for the contour ellipses).
  function sym2Eig(A) {
    const a = A[0][0], b = A[0][1], d = A[1][1];
    const mean = (a + d) / 2;
    const r = Math.hypot((a - d) / 2, b);
    const l1 = mean + r, l2 = mean - r;
    let v1 = Math.abs(b) > 0 ? [l1 - d, b] : a >= d ? [1, 0] : [0, 1];
    const n = Math.hypot(v1[0], v1[1]);
    v1 = [v1[0] / n, v1[1] / n];
    return { values: [l1, l2], vectors: [v1, [-v1[1], v1[0]]] };
  }

  // --------------------------------------------------------------- labels

  const LABELS = {
    en: {
      hopTitle: "Try it: recall in a Hopfield network",
      hopHelp: "Pick a stored letter or draw on the grid (click a cell, or focus the grid and use the arrow keys and Space), corrupt it, then play or step through asynchronous recall, one neuron at a time.",
      load: "Load",
      clear: "Clear grid",
      grid: "Drawing grid, 12 by 12 neurons. Arrow keys move, Space or Enter flips the neuron under the cursor.",
      fraction: "Share of neurons to flip",
      corrupt: "Corrupt",
      play: "Play",
      pause: "Pause",
      step: "Step",
      overlaps: "overlap m with each stored letter",
      energy: "energy E",
      updates: "updates",
      status: (n, i, e) => `${n} single-neuron updates; last neuron: ${i === null ? "none" : `row ${Math.floor(i / 12) + 1}, column ${(i % 12) + 1}`}; E = ${e.toFixed(3)}`,
      converged: "A whole sweep changed nothing: the state is a fixed point.",
      gdTitle: "Try it: gradient descent on the quadratic bowl",
      gdHelp: "Move the slider to change the learning rate; the path shows the first 20 steps from the same start as the figure above.",
      eta: "learning rate η",
      regime: {
        converges: "converges (every coordinate shrinks without changing sign)",
        oscillates: "oscillates (the steep coordinate flips sign but shrinks): still converges",
        bound: "oscillates with constant amplitude: exactly at the bound, neither converges nor diverges",
        diverges: "diverges (the steep coordinate flips sign and grows)",
      },
      lossAfter: (k, l) => `loss after ${k} steps: ${l}`,
      plotLabel: "Contour plot of the loss with the path of gradient descent",
      colon: ": ",
      stop: ". ",
    },
    zh: {
      hopTitle: "动手试试：Hopfield 网络的回忆",
      hopHelp: "选一个存储的字母，或在网格上作画（点击格子，或让网格获得焦点后用方向键和空格键），加入噪声，然后播放或逐步观看异步回忆：每次更新一个神经元。",
      load: "载入",
      clear: "清空网格",
      grid: "绘图网格，12×12 个神经元。方向键移动光标，空格键或回车键翻转光标处的神经元。",
      fraction: "翻转的神经元比例",
      corrupt: "加噪声",
      play: "播放",
      pause: "暂停",
      step: "单步",
      overlaps: "与每个存储字母的重叠度 m",
      energy: "能量 E",
      updates: "更新次数",
      status: (n, i, e) => `已更新单个神经元 ${n} 次；上一个神经元：${i === null ? "无" : `第 ${Math.floor(i / 12) + 1} 行第 ${(i % 12) + 1} 列`}；E = ${e.toFixed(3)}`,
      converged: "整整一遍更新没有改变任何神经元：状态已是不动点。",
      gdTitle: "动手试试：二次碗上的梯度下降",
      gdHelp: "拖动滑块改变学习率；轨迹是从上图同一起点出发的前 20 步。",
      eta: "学习率 η",
      regime: {
        converges: "收敛（每个坐标都缩小且不变号）",
        oscillates: "振荡（陡峭方向的坐标每步变号但在缩小）：仍然收敛",
        bound: "等幅振荡：恰好在界上，既不收敛也不发散",
        diverges: "发散（陡峭方向的坐标每步变号且越来越大）",
      },
      lossAfter: (k, l) => `${k} 步后的损失：${l}`,
      plotLabel: "损失的等高线图和梯度下降的轨迹",
      colon: "：",
      stop: "。",
    },
  };

  function labels() {
    return (document.documentElement.lang || "en").toLowerCase().startsWith("zh") ? LABELS.zh : LABELS.en;
  }

  // --------------------------------------------------------------- DOM helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  function readData(container) {
    const script = container.querySelector('script[type="application/json"]');
    return JSON.parse(script.textContent);
  }

  function shuffled(n) {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  let uid = 0;

  // --------------------------------------------------------------- Hopfield widget

  function initHopfield(container) {
    const L = labels();
    const data = readData(container);
    const size = data.size;
    const N = data.n;
    const W = data.w_times_n.map((row) => row.map((k) => k / N)); // = nnmem.hopfield.store(patterns)
    const patterns = data.patterns;
    const tol = hopfieldTieTolerance(W);
    const id = `nnw-${++uid}`;

    let s = patterns[0].slice();
    let cursor = 0;
    let order = shuffled(N);
    let pos = 0; // next position in `order`
    let changedThisSweep = false;
    let converged = false;
    let lastNeuron = null;
    let history; // {m: [[...] per letter], e: [...]}
    let timer = null;
    let drawing = true; // false while a recall runs to its end without animation
    // A reader whose system asks for reduced motion gets the end of the recall at once, not 30 ms frames.
    const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

    const title = el("p", { class: "nn-widget__title", text: L.hopTitle });
    const help = el("p", { class: "nn-widget__help", id: `${id}-help`, text: L.hopHelp });
    const letterRow = el("div", { class: "nn-widget__row" });
    patterns.forEach((_, k) => {
      const b = el("button", { type: "button", class: "md-button nn-widget__button", "data-letter": data.letters[k],
                               text: `${L.load} ${data.letters[k]}` });
      b.addEventListener("click", () => setState(patterns[k].slice()));
      letterRow.append(b);
    });
    const clearButton = el("button", { type: "button", class: "md-button nn-widget__button", "data-action": "clear", text: L.clear });
    clearButton.addEventListener("click", () => setState(new Array(N).fill(-1)));
    letterRow.append(clearButton);

    const grid = el("div", { class: "nn-hopfield__grid", role: "grid", tabindex: "0", "aria-label": L.grid,
                             "aria-describedby": `${id}-help`, style: `--nnw-size: ${size}` });
    const cells = [];
    for (let i = 0; i < N; i++) {
      const c = el("div", { class: "nn-hopfield__cell", "data-i": String(i), "aria-hidden": "true" });
      c.addEventListener("click", () => { cursor = i; flip(i); });
      cells.push(c);
      grid.append(c);
    }
    grid.addEventListener("keydown", (event) => {
      const r = Math.floor(cursor / size), c = cursor % size;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (event.key in moves) {
        const [dr, dc] = moves[event.key];
        cursor = Math.min(size - 1, Math.max(0, r + dr)) * size + Math.min(size - 1, Math.max(0, c + dc));
        event.preventDefault();
        drawGrid();
      } else if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        flip(cursor);
      }
    });

    const fracId = `${id}-frac`;
    const frac = el("input", { type: "range", id: fracId, min: "0", max: "0.5", step: "0.05", value: "0.25" });
    const fracOut = el("output", { for: fracId, text: "25%" });
    frac.addEventListener("input", () => { fracOut.textContent = `${Math.round(Number(frac.value) * 100)}%`; });
    const corruptButton = el("button", { type: "button", class: "md-button nn-widget__button", "data-action": "corrupt", text: L.corrupt });
    corruptButton.addEventListener("click", () => {
      const t = s.slice();
      const flips = Math.round(Number(frac.value) * N);
      for (const i of shuffled(N).slice(0, flips)) t[i] = -t[i];
      setState(t);
    });
    const corruptRow = el("div", { class: "nn-widget__row" },
      el("label", { for: fracId, text: L.fraction }), frac, fracOut, corruptButton);

    const playButton = el("button", { type: "button", class: "md-button md-button--primary nn-widget__button", "data-action": "play", text: L.play });
    const stepButton = el("button", { type: "button", class: "md-button nn-widget__button", "data-action": "step", text: L.step });
    playButton.addEventListener("click", () => (timer ? pause() : play()));
    stepButton.addEventListener("click", () => { pause(); stepOnce(); });
    const runRow = el("div", { class: "nn-widget__row" }, playButton, stepButton);

    const status = el("p", { class: "nn-widget__status", role: "status", "aria-live": "polite" });

    // Plots: overlaps (top) and energy (bottom) against the number of updates.
    const PW = 320, PH = 110, ML = 38, MR = 8, MT = 14, MB = 18;
    const plot = svgEl("svg", { viewBox: `0 0 ${PW} ${2 * PH + 6}`, class: "nn-widget__plot", role: "img",
                                "aria-label": `${L.overlaps}; ${L.energy}` });
    const mLines = patterns.map((_, k) => svgEl("polyline", { class: `nnw-line nnw-c${k % 6}` }));
    const eLine = svgEl("polyline", { class: "nnw-line nnw-energy" });
    const mAxis = svgEl("g", { class: "nnw-axis" });
    const eAxis = svgEl("g", { class: "nnw-axis", transform: `translate(0 ${PH + 6})` });
    const eGroup = svgEl("g", { transform: `translate(0 ${PH + 6})` });
    eGroup.append(eLine);
    plot.append(mAxis, eAxis, ...mLines, eGroup);
    const legend = el("p", { class: "nn-widget__legend" });
    data.letters.forEach((name, k) => legend.append(el("span", { class: `nnw-key nnw-c${k % 6}`, text: name })));

    const left = el("div", { class: "nn-hopfield__left" }, grid);
    const right = el("div", { class: "nn-hopfield__right" }, plot, legend);
    const body = el("div", { class: "nn-hopfield__body" }, left, right);
    container.append(title, help, letterRow, corruptRow, runRow, body, status);

    function flip(i) {
      const t = s.slice();
      t[i] = -t[i];
      setState(t);
    }

    function setState(t) {
      pause();
      s = t;
      order = shuffled(N);
      pos = 0;
      changedThisSweep = false;
      converged = false;
      lastNeuron = null;
      history = { m: patterns.map((p) => [hopfieldOverlap(p, s)]), e: [hopfieldEnergy(W, s)] };
      render();
    }

    function stepOnce() {
      if (converged) return false;
      const i = order[pos];
      const v = hopfieldUpdateOne(W, s, i, tol);
      if (v !== s[i]) changedThisSweep = true;
      s[i] = v;
      lastNeuron = i;
      pos += 1;
      if (pos === N) {
        if (!changedThisSweep) converged = true;
        order = shuffled(N);
        pos = 0;
        changedThisSweep = false;
      }
      patterns.forEach((p, k) => history.m[k].push(hopfieldOverlap(p, s)));
      history.e.push(hopfieldEnergy(W, s));
      if (drawing) render();
      return !converged;
    }

    function play() {
      if (converged) return;
      if (reducedMotion.matches) {
        // Symmetric weights with a zero diagonal always settle; the cap only guards against a page bug.
        drawing = false;
        for (let k = 0; k < 100 * N && stepOnce(); k++);
        drawing = true;
        render();
        return;
      }
      playButton.textContent = L.pause;
      playButton.setAttribute("aria-pressed", "true");
      status.setAttribute("aria-live", "off"); // a status line per 30 ms frame would flood a screen reader
      timer = setInterval(() => { if (!stepOnce()) pause(); }, 30);
    }

    function pause() {
      if (timer) {
        clearInterval(timer);
        status.setAttribute("aria-live", "polite");
        status.textContent = status.textContent; // announce where the recall stopped, once
      }
      timer = null;
      playButton.textContent = L.play;
      playButton.setAttribute("aria-pressed", "false");
    }

    function drawGrid() {
      for (let i = 0; i < N; i++) {
        cells[i].classList.toggle("is-on", s[i] > 0);
        cells[i].classList.toggle("is-last", i === lastNeuron);
        cells[i].classList.toggle("is-cursor", i === cursor);
      }
    }

    function axis(group, y0, y1, x1, ticks, name) {
      group.replaceChildren();
      const sx = (PW - ML - MR);
      const sy = (v) => MT + (PH - MT - MB) * (1 - (v - y0) / (y1 - y0));
      group.append(svgEl("rect", { x: ML, y: MT, width: sx, height: PH - MT - MB, class: "nnw-frame" }));
      for (const v of ticks) {
        group.append(svgEl("line", { x1: ML, x2: ML + sx, y1: sy(v), y2: sy(v), class: "nnw-grid" }));
        const t = svgEl("text", { x: ML - 3, y: sy(v) + 3, "text-anchor": "end" });
        t.textContent = Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1);
        group.append(t);
      }
      const label = svgEl("text", { x: ML, y: MT - 4 });
      label.textContent = name;
      const xl = svgEl("text", { x: ML + sx, y: PH - 5, "text-anchor": "end" });
      xl.textContent = `${x1} ${L.updates}`;
      group.append(label, xl);
      return sy;
    }

    function points(values, x1, sy) {
      const sx = (PW - ML - MR) / x1;
      return values.map((v, k) => `${(ML + k * sx).toFixed(1)},${sy(v).toFixed(1)}`).join(" ");
    }

    function render() {
      drawGrid();
      const n = history.e.length - 1;
      const x1 = Math.max(N, Math.ceil(n / N) * N);
      const sy = axis(mAxis, -1, 1, x1, [-1, 0, 1], L.overlaps);
      mLines.forEach((line, k) => line.setAttribute("points", points(history.m[k], x1, sy)));
      let lo = Math.min(...history.e), hi = Math.max(...history.e);
      if (hi - lo < 1) { const mid = (hi + lo) / 2; lo = mid - 0.5; hi = mid + 0.5; }
      const se = axis(eAxis, lo, hi, x1, [lo, hi], L.energy);
      eLine.setAttribute("points", points(history.e, x1, se));
      status.textContent = L.status(n, lastNeuron, history.e[n]) + (converged ? ` ${L.converged}` : "");
      container.dataset.updates = String(n);
      container.dataset.converged = converged ? "1" : "0";
    }

    setState(patterns[0].slice());
    container.nnState = () => s.slice(); // for the tests
  }

  // --------------------------------------------------------------- gradient-descent widget

  function initGradientDescent(container) {
    const L = labels();
    const data = readData(container);
    const A = data.A, thetaStar = data.theta_star, theta0 = data.theta0, steps = data.steps;
    const [x0, x1] = data.xlim, [y0, y1] = data.ylim;
    const id = `nnw-${++uid}`;

    const title = el("p", { class: "nn-widget__title", text: L.gdTitle });
    const help = el("p", { class: "nn-widget__help", text: L.gdHelp });

    const sliderId = `${id}-eta`;
    const listId = `${id}-marks`;
    const slider = el("input", { type: "range", id: sliderId, min: String(data.eta_min), max: String(data.eta_max),
                                 step: String(data.eta_step), value: String(data.eta0), list: listId });
    const marks = el("datalist", { id: listId },
      el("option", { value: String(data.half_bound) }), el("option", { value: String(data.bound) }));
    const out = el("output", { for: sliderId, class: "nn-gd__eta" });
    const markRow = el("div", { class: "nn-gd__marks", "aria-hidden": "true" });
    for (const [v, k] of [[data.half_bound, 1], [data.bound, 2]]) {
      const frac = (v - data.eta_min) / (data.eta_max - data.eta_min);
      // Marks right of the first third hang to the left of their tick, so they neither overflow nor overlap.
      const m = el("span", { class: `nn-gd__mark${frac > 0.3 ? " nn-gd__mark--left" : ""}`,
                             style: `left: ${(100 * frac).toFixed(2)}%` },
                   `${k}/λ`, el("sub", { text: "max" }), ` = ${v}`);
      markRow.append(m);
    }
    const sliderBox = el("div", { class: "nn-gd__slider" }, slider, markRow, marks);
    const sliderRow = el("div", { class: "nn-widget__row" }, el("label", { for: sliderId, text: L.eta }), out);

    // Contour plot, equal scale on both axes.
    const M = 24, scale = 300 / (x1 - x0);
    const VW = 2 * M + (x1 - x0) * scale, VH = 2 * M + (y1 - y0) * scale;
    const X = (t) => M + (t - x0) * scale, Y = (t) => M + (y1 - t) * scale;
    const plot = svgEl("svg", { viewBox: `0 0 ${VW} ${VH}`, class: "nn-widget__plot nn-gd__plot", role: "img", "aria-label": L.plotLabel });
    const clipId = `${id}-clip`;
    const defs = svgEl("defs");
    const clip = svgEl("clipPath", { id: clipId });
    clip.append(svgEl("rect", { x: M, y: M, width: VW - 2 * M, height: VH - 2 * M }));
    defs.append(clip);
    const inner = svgEl("g", { "clip-path": `url(#${clipId})` });
    const eig = sym2Eig(A);
    for (const level of data.levels) {
      const pts = [];
      for (let k = 0; k <= 96; k++) {
        const phi = (2 * Math.PI * k) / 96;
        const a = Math.sqrt((2 * level) / eig.values[0]) * Math.cos(phi);
        const b = Math.sqrt((2 * level) / eig.values[1]) * Math.sin(phi);
        const t1 = thetaStar[0] + a * eig.vectors[0][0] + b * eig.vectors[1][0];
        const t2 = thetaStar[1] + a * eig.vectors[0][1] + b * eig.vectors[1][1];
        pts.push(`${X(t1).toFixed(1)},${Y(t2).toFixed(1)}`);
      }
      inner.append(svgEl("polyline", { points: pts.join(" "), class: "nnw-contour" }));
    }
    const path = svgEl("polyline", { class: "nnw-line nnw-path" });
    const dots = svgEl("g", { class: "nnw-dots" });
    inner.append(path, dots);
    const star = svgEl("text", { x: X(thetaStar[0]), y: Y(thetaStar[1]) + 5, "text-anchor": "middle", class: "nnw-star" });
    star.textContent = "★";
    const frame = svgEl("rect", { x: M, y: M, width: VW - 2 * M, height: VH - 2 * M, class: "nnw-frame" });
    const xl = svgEl("text", { x: VW - M, y: VH - 6, "text-anchor": "end" });
    const diagonal = A[0][1] === 0 && A[1][0] === 0;
    xl.textContent = diagonal ? `θ₁ (λ₁ = ${A[0][0]})` : "θ₁";
    const yl = svgEl("text", { x: M, y: M - 8 });
    yl.textContent = diagonal ? `θ₂ (λ₂ = ${A[1][1]})` : "θ₂";
    plot.append(defs, inner, star, frame, xl, yl);

    const readout = el("p", { class: "nn-widget__status nn-gd__readout", role: "status", "aria-live": "polite" });
    container.append(title, help, sliderRow, sliderBox, plot, readout);

    const lamMax = eig.values[0];
    function loss(t) {
      const d0 = t[0] - thetaStar[0], d1 = t[1] - thetaStar[1];
      return 0.5 * (d0 * (A[0][0] * d0 + A[0][1] * d1) + d1 * (A[1][0] * d0 + A[1][1] * d1));
    }
    function update() {
      const eta = Number(slider.value);
      out.textContent = `η = ${eta}`;
      const traj = gdTrajectory(A, thetaStar, theta0, eta, steps);
      // Points far outside the plot are pulled in along their ray only for drawing.
      const lim = 1e4;
      const pts = traj.map((t) => [Math.max(-lim, Math.min(lim, X(t[0]))), Math.max(-lim, Math.min(lim, Y(t[1])))]);
      path.setAttribute("points", pts.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(" "));
      dots.replaceChildren(...pts.map((p) => svgEl("circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 2.2 })));
      const regime = gdRegime(eta, lamMax);
      container.dataset.regime = regime;
      const l = loss(traj[steps]);
      readout.textContent = `η = ${eta}${L.colon}${L.regime[regime]}${L.stop}${L.lossAfter(steps, l < 1e-3 || l > 1e4 ? l.toExponential(2) : l.toFixed(3))}`;
    }
    slider.addEventListener("input", update);
    update();
  }

  // --------------------------------------------------------------- start

  const WIDGETS = { hopfield: initHopfield, "gradient-descent": initGradientDescent };

  function initAll() {
    document.querySelectorAll(".nn-widget[data-widget]").forEach((container) => {
      if (container.dataset.ready) return;
      const init = WIDGETS[container.dataset.widget];
      if (!init) return;
      container.dataset.ready = "1";
      init(container);
    });
  }

  window.nnWidgets = { hopfieldRun, hopfieldEnergy, hopfieldTieTolerance, gdTrajectory, gdRegime, labels };
  if (typeof document$ !== "undefined") document$.subscribe(initAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
