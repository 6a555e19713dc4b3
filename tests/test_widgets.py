"""The live models in the pages (``docs/javascripts/widgets/widgets.js``), in Chromium.

* The JavaScript model code, exposed as ``window.nnWidgets``, is compared step
  by step with numpy and ``nnmem``: every single-neuron Hopfield update (state
  and energy) for several seeds and update orders, and gradient-descent
  trajectories on either side of 1/λ_max and 2/λ_max.
  ``nnmem.hopfield`` has no public function that updates one given neuron or
  follows an explicit order (``update_async`` draws its own order from
  ``rng``), so the expected sequence is computed here with an explicit field
  computation, the package's documented tie rule and ``nnmem.hopfield.energy``;
  its end state after a whole sweep in the order ``update_async`` draws for a
  seed is checked against ``update_async`` itself.
* The widgets on the built pages: the weights in the page are
  ``nnmem.hopfield.store`` of the chapter's letters; keyboard operation; Play animated, or at once under
  ``prefers-reduced-motion``; labels
  in both languages; no console errors and no request to another host; no
  horizontal scroll at 375 px; readable in the light and the dark scheme.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest

from nnmem.hopfield import corrupt, energy, store, tie_tolerance, update_async

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))
from nnbook.experiments.hopfield_images import STORED, letter_patterns  # noqa: E402

pytestmark = pytest.mark.docs

LANGS = ("en", "zh")
WIDGET_PAGES = {"hopfield": "hopfield/", "gradient-descent": "training/"}
# The visible words the readout must use for each regime, per language.
REGIME_WORDS = {
    "en": {"converges": "converges", "oscillates": "oscillates", "bound": "neither converges nor diverges",
           "diverges": "diverges"},
    "zh": {"converges": "收敛", "oscillates": "振荡", "bound": "既不收敛也不发散", "diverges": "发散"},
}


def url(site_url: str, lang: str, widget: str) -> str:
    return site_url + ("" if lang == "en" else "zh/") + WIDGET_PAGES[widget]


class Page:
    """One page in its own browser context, with console errors and requested hosts recorded."""

    def __init__(self, browser: Any, address: str, *, width: int = 1280, reduced_motion: str = "no-preference") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion=reduced_motion)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url))
        self.page.goto(address, wait_until="load")
        self.page.wait_for_function("window.nnWidgets && document.querySelector('.nn-widget[data-ready]')")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def model_page(browser: Any, site_url: str) -> Iterator[Any]:
    """The Hopfield page, used only to call the exposed model functions."""
    p = Page(browser, url(site_url, "en", "hopfield"))
    yield p.page
    p.close()


# --- Hopfield: JavaScript against nnmem, one neuron at a time ------------------------------------

def expected_async(W: np.ndarray, state: np.ndarray, order: np.ndarray) -> tuple[list[np.ndarray], list[float], int]:
    """States and energies after each single-neuron update, and the number of zero-field ties met.

    The rule of ``nnmem.hopfield`` (module notes): h_i = sum_j w_ij s_j; s_i = sign(h_i),
    where |h_i| <= ``tie_tolerance(W)`` counts as zero and keeps s_i.
    """
    tol = tie_tolerance(W)
    s = np.array(state, dtype=float)
    states, energies, ties = [], [], 0
    for i in order:
        h = float(W[i] @ s)
        if h > tol:
            s[i] = 1.0
        elif h < -tol:
            s[i] = -1.0
        else:
            ties += 1
        states.append(s.copy())
        energies.append(energy(W, s))
    return states, energies, ties


def js_async(page: Any, W: np.ndarray, state: np.ndarray, order: np.ndarray) -> dict[str, Any]:
    return page.evaluate("([W, s, order]) => window.nnWidgets.hopfieldRun(W, s, order)",
                         [W.tolist(), np.asarray(state, dtype=float).tolist(), [int(i) for i in order]])


def compare_runs(page: Any, W: np.ndarray, cue: np.ndarray, order: np.ndarray) -> int:
    got = js_async(page, W, cue, order)
    states, energies, ties = expected_async(W, cue, order)
    assert len(got["states"]) == len(states) == len(order)
    for k, (s_js, s_py) in enumerate(zip(got["states"], states, strict=True)):
        assert np.array_equal(np.array(s_js), s_py), f"state after update {k} (neuron {order[k]}) differs"
    np.testing.assert_allclose(got["energies"], energies, rtol=1e-12, atol=1e-12)
    return ties


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_hopfield_js_follows_nnmem_on_letters(model_page: Any, seed: int) -> None:
    xi = letter_patterns(STORED)
    W = store(xi)
    rng = np.random.default_rng(100 + seed)
    cue = corrupt(xi[seed % len(xi)], fraction=0.3, rng=rng)
    # 1. one sweep in the order update_async draws for this seed: its end state is nnmem's
    order = np.random.default_rng(seed).permutation(W.shape[0])
    compare_runs(model_page, W, cue, order)
    end = js_async(model_page, W, cue, order)["states"][-1]
    assert np.array_equal(np.array(end), update_async(W, cue, rng=seed))
    # 2. three sweeps in fresh random orders, and 3. an arbitrary sequence with repeats
    sweeps = np.concatenate([rng.permutation(W.shape[0]) for _ in range(3)])
    compare_runs(model_page, W, cue, sweeps)
    compare_runs(model_page, W, rng.choice([-1.0, 1.0], size=W.shape[0]), rng.integers(0, W.shape[0], size=300))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hopfield_js_keeps_the_state_on_ties(model_page: Any, seed: int) -> None:
    # Two patterns of 9 neurons: N h_i is a sum of p(N - 1) = 16 terms of +-1, so zero fields are common
    # and (as sums of ninths) may come out as +-1e-17 instead of 0. A rule with sign(0) = +1 or -1, or
    # without the tolerance, fails here.
    rng = np.random.default_rng(seed)
    W = store(rng.choice([-1.0, 1.0], size=(2, 9)))
    ties = 0
    for _ in range(30):
        cue = rng.choice([-1.0, 1.0], size=9)
        order = rng.permutation(9)
        ties += compare_runs(model_page, W, cue, order)
        end = js_async(model_page, W, cue, order)["states"][-1]
        assert np.array_equal(np.array(end), expected_async(W, cue, order)[0][-1])
    assert ties > 0, "the test must meet zero fields"
    # and with the order update_async draws, the same end state as the package
    cue = rng.choice([-1.0, 1.0], size=9)
    end = js_async(model_page, W, cue, np.random.default_rng(seed).permutation(9))["states"][-1]
    assert np.array_equal(np.array(end), update_async(W, cue, rng=seed))


def test_hopfield_tie_rule_by_hand(model_page: Any) -> None:
    # Three neurons, W = store([[1, 1, 1], [1, -1, -1]]): w_12 = (1 - 1)/3 = 0, w_13 = 0, w_23 = (1 + 1)/3.
    # From s = (-1, 1, -1): neuron 0 sees h = 0 (a tie: stays -1); neuron 1 sees h = w_12 s_2 = -2/3 -> -1;
    # neuron 2 sees h = w_21 s_1 = -2/3 -> -1. Energies: E = -(w_12 s_1 s_2) = -(2/3)(-1)(-1) = -2/3 at the end,
    # +2/3 at the start and after the first (unchanged) update.
    W = store(np.array([[1, 1, 1], [1, -1, -1]]))
    got = js_async(model_page, W, np.array([-1, 1, -1]), np.array([0, 1, 2]))
    assert got["states"] == [[-1, 1, -1], [-1, -1, -1], [-1, -1, -1]]
    np.testing.assert_allclose(got["energies"], [2 / 3, -2 / 3, -2 / 3], rtol=1e-12)


def test_hopfield_js_tie_tolerance_is_the_packages(model_page: Any) -> None:
    """The letters' weights (only the rounding term), and weights whose asymmetry or diagonal sets the tolerance."""
    rng = np.random.default_rng(7)
    symmetric = store(rng.choice([-1.0, 1.0], size=(3, 12)))
    # within what the package accepts as symmetric with a zero diagonal (1e-10 of the largest weight, 0.25 here)
    skewed = symmetric + 3e-12 * rng.standard_normal(symmetric.shape)
    cases = [store(letter_patterns(STORED)), symmetric, skewed, symmetric + np.diag(np.full(12, 1e-11))]
    for W in cases:
        got = model_page.evaluate("W => window.nnWidgets.hopfieldTieTolerance(W)", W.tolist())
        assert got == pytest.approx(tie_tolerance(W), rel=1e-12)
    rounding = 1e-12 * np.abs(symmetric).sum(axis=1).max()
    assert tie_tolerance(cases[2]) > 10 * rounding and tie_tolerance(cases[3]) >= 1e-11  # the second term decides


# --- gradient descent: JavaScript against a numpy loop ---------------------------------------------

def numpy_gd(A: np.ndarray, theta_star: np.ndarray, theta0: np.ndarray, eta: float, steps: int) -> np.ndarray:
    path = [np.array(theta0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - eta * (A @ (path[-1] - theta_star)))
    return np.array(path)


def regime_from_the_path(path: np.ndarray, steep: np.ndarray) -> str:
    """Read the regime off the coordinate along the steepest direction: signs and sizes of its steps."""
    c = path @ steep
    if np.all(np.abs(np.diff(np.abs(c))) < 1e-12 * np.abs(c[0])):
        return "bound"
    if np.all(c[1:] * c[:-1] >= 0):
        return "converges"
    return "oscillates" if abs(c[-1]) < abs(c[0]) else "diverges"


# The training chapter: curvatures (1, 10), start (-4, 1), minimum at 0; 1/λ_max = 0.1, 2/λ_max = 0.2.
CHAPTER = {"A": np.diag([1.0, 10.0]), "theta_star": np.zeros(2), "theta0": np.array([-4.0, 1.0])}
ETAS = {0.05: "converges", 0.1: "converges", 0.15: "oscillates", 0.2: "bound", 0.21: "diverges", 0.25: "diverges"}


@pytest.mark.parametrize("eta", sorted(ETAS))
def test_gd_js_follows_numpy_on_the_chapters_bowl(model_page: Any, eta: float) -> None:
    A, theta_star, theta0 = CHAPTER["A"], CHAPTER["theta_star"], CHAPTER["theta0"]
    got = np.array(model_page.evaluate("([A, ts, t0, eta]) => window.nnWidgets.gdTrajectory(A, ts, t0, eta, 30)",
                                       [A.tolist(), theta_star.tolist(), theta0.tolist(), eta]))
    want = numpy_gd(A, theta_star, theta0, eta, 30)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
    assert regime_from_the_path(want, np.array([0.0, 1.0])) == ETAS[eta]
    assert model_page.evaluate("([eta, lm]) => window.nnWidgets.gdRegime(eta, lm)", [eta, 10.0]) == ETAS[eta]


@pytest.mark.parametrize("eta", [0.05, 0.3, 0.5])
def test_gd_js_follows_numpy_on_a_rotated_bowl(model_page: Any, eta: float) -> None:
    # A with eigenvalues (5 ± sqrt(5))/2 = 3.618, 1.382: 1/λ_max = 0.276, 2/λ_max = 0.553.
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    theta_star, theta0 = np.array([0.5, -1.0]), np.array([2.0, 1.5])
    got = np.array(model_page.evaluate("([A, ts, t0, eta]) => window.nnWidgets.gdTrajectory(A, ts, t0, eta, 25)",
                                       [A.tolist(), theta_star.tolist(), theta0.tolist(), eta]))
    np.testing.assert_allclose(got, numpy_gd(A, theta_star, theta0, eta, 25), rtol=1e-12, atol=1e-12)


# --- the widgets on the built pages -----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_page_holds_the_chapters_letters_and_nnmem_weights(browser: Any, site_url: str, lang: str) -> None:
    p = Page(browser, url(site_url, lang, "hopfield"))
    try:
        data = json.loads(p.page.evaluate(
            "document.querySelector('.nn-widget[data-widget=hopfield] script[type=\"application/json\"]').textContent"))
        xi = letter_patterns(STORED)
        assert data["letters"] == list(STORED)
        assert np.array_equal(np.array(data["patterns"]), xi)
        assert np.array_equal(np.array(data["w_times_n"]) / data["n"], store(xi))  # exactly nnmem's W
    finally:
        p.close()


# Words a readout must not contain: monotone convergence neither oscillates nor diverges, and so on.
FORBIDDEN = {"converges": ("oscillates", "diverges"), "oscillates": ("diverges",), "bound": (),
             "diverges": ("converges", "oscillates")}


@pytest.mark.parametrize("lang", LANGS)
def test_gd_slider_readout_at_each_regime(browser: Any, site_url: str, lang: str) -> None:
    p = Page(browser, url(site_url, lang, "gradient-descent"))
    try:
        data = json.loads(p.page.evaluate(
            "document.querySelector('.nn-widget[data-widget=gradient-descent] script').textContent"))
        lam_max = np.linalg.eigvalsh(np.array(data["A"])).max()
        assert lam_max == 10.0 and data["bound"] == 2 / lam_max and data["half_bound"] == 1 / lam_max
        assert data["theta0"] == CHAPTER["theta0"].tolist()
        slider = p.page.locator(".nn-widget[data-widget=gradient-descent] input[type=range]")
        marks = p.page.eval_on_selector_all(".nn-widget datalist option", "os => os.map(o => Number(o.value))")
        assert marks == [0.1, 0.2]
        for eta, regime in ETAS.items():
            slider.fill(str(eta))
            readout = p.page.locator(".nn-gd__readout").inner_text()
            assert p.page.locator(".nn-widget[data-widget=gradient-descent]").get_attribute("data-regime") == regime
            assert REGIME_WORDS[lang][regime] in readout, (eta, readout)
            for other in FORBIDDEN[regime]:
                assert REGIME_WORDS[lang][other] not in readout, (eta, readout)
        # With the keyboard: Tab reaches the slider, arrow keys move it by one step, End goes to the top.
        slider.fill("0.15")
        p.page.locator(".nn-widget[data-widget=gradient-descent] .nn-widget__title").click()
        p.page.keyboard.press("Tab")
        assert p.page.evaluate("document.activeElement.type") == "range"
        p.page.keyboard.press("ArrowRight")
        assert slider.input_value() == "0.155"
        assert "η = 0.155" in p.page.locator(".nn-gd__readout").inner_text()
        p.page.keyboard.press("End")
        assert p.page.locator(".nn-widget[data-widget=gradient-descent]").get_attribute("data-regime") == "diverges"
        assert not p.errors
    finally:
        p.close()


@pytest.mark.parametrize("lang", LANGS)
def test_hopfield_widget_with_the_keyboard(browser: Any, site_url: str, lang: str) -> None:
    """Every control with the keyboard, for a reader whose system asks for reduced motion (Play then shows the end
    of the recall at once; the animation is checked in the test below)."""
    p = Page(browser, url(site_url, lang, "hopfield"), reduced_motion="reduce")
    page = p.page
    try:
        widget = page.locator(".nn-widget[data-widget=hopfield]")
        state = lambda: np.array(page.evaluate(  # noqa: E731
            "document.querySelector('.nn-widget[data-widget=hopfield]').nnState()"))
        xi = letter_patterns(STORED)
        # Tab from the first letter button to the one for T, and press Enter.
        widget.locator("button[data-letter]").first.focus()
        for _ in range(STORED.index("T")):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.letter") == "T"
        page.keyboard.press("Enter")
        assert np.array_equal(state(), xi[STORED.index("T")])
        # Tab on to the grid: arrow keys move the cursor, Space flips the neuron under it.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('nn-hopfield__grid')"):
                break
        assert page.evaluate("document.activeElement.classList.contains('nn-hopfield__grid')")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        before = state()
        page.keyboard.press("Space")
        after = state()
        assert np.flatnonzero(before != after).tolist() == [13]  # row 1, column 1 of 12 x 12
        # Step with Space, then play with Enter until the recall stops.
        widget.locator("button[data-action=step]").focus()
        page.keyboard.press("Space")
        assert widget.get_attribute("data-updates") == "1"
        widget.locator("button[data-action=play]").focus()
        page.keyboard.press("Enter")
        assert widget.get_attribute("data-converged") == "1"  # no animation: the recall ran to its end at once
        assert int(widget.get_attribute("data-updates") or 0) >= 2 * 144  # at least a sweep, then one unchanged
        assert widget.locator("button[data-action=play]").get_attribute("aria-pressed") != "true"
        final = state()
        assert float(final @ xi[STORED.index("T")]) / final.size > 0.9  # one flipped pixel: back to T
        # Corrupt with the keyboard: 25 % of the neurons flip.
        widget.locator("button[data-action=corrupt]").focus()
        page.keyboard.press("Enter")
        assert int((state() != final).sum()) == 36
        assert widget.get_attribute("data-updates") == "0"
        assert not p.errors
    finally:
        p.close()


def test_hopfield_play_animates_and_pauses(browser: Any, site_url: str) -> None:
    """Without a reduced-motion preference Play runs the recall one update per frame and Pause stops it; the status
    line is not a live region while it runs (a screen reader would announce every frame)."""
    p = Page(browser, url(site_url, "en", "hopfield"))
    page = p.page
    try:
        widget = page.locator(".nn-widget[data-widget=hopfield]")
        play = widget.locator("button[data-action=play]")
        page.locator(".nn-widget[data-widget=hopfield] button[data-action=corrupt]").click()
        status = widget.locator(".nn-widget__status")
        assert status.get_attribute("aria-live") == "polite"
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
        assert status.get_attribute("aria-live") == "off"  # not one announcement per frame
        page.wait_for_function("Number(document.querySelector('.nn-widget[data-widget=hopfield]').dataset.updates) > 4")
        play.click()
        assert play.get_attribute("aria-pressed") == "false"
        assert status.get_attribute("aria-live") == "polite"
        paused_at = widget.get_attribute("data-updates")
        assert widget.get_attribute("data-converged") == "0"  # 25 % flipped: far from the end after a few frames
        page.wait_for_timeout(200)  # several 30 ms frames
        assert widget.get_attribute("data-updates") == paused_at
        assert not p.errors
    finally:
        p.close()


# Lowest WCAG contrast ratio of the widget's texts on its background: the status line, labels and
# outlined buttons (their text colour's alpha blended over the widget's background).
CONTRAST_JS = """(sel) => {
    const rgba = (c) => { const v = c.match(/[\\d.]+/g).map(Number); return v.length > 3 ? v : [...v, 1]; };
    const lin = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
    const w = document.querySelector(sel);
    const bg = rgba(getComputedStyle(w).backgroundColor);
    const texts = w.querySelectorAll('.nn-widget__status, label, button:not(.md-button--primary)');
    return Math.min(...Array.from(texts, (t) => {
        const fg = rgba(getComputedStyle(t).color);
        const shown = fg.slice(0, 3).map((x, k) => fg[3] * x + (1 - fg[3]) * bg[k]);
        const [a, b] = [lum(shown), lum(bg)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }));
}"""
LABELS = {"en": ("Play", "Step", "Corrupt", "learning rate"), "zh": ("播放", "单步", "加噪声", "学习率")}


# Set after a page has loaded, so that a scheme's colours apply at once instead of through the theme's colour
# transitions (125-250 ms; a fixed wait for them was not enough under load).
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", LANGS)
def test_widgets_in_each_language_scheme_and_width(browser: Any, site_url: str, lang: str, width: int) -> None:
    """Labels in the page's language, no horizontal scroll, and readable text in both schemes (switched in the
    loaded page, as the theme's toggle does)."""
    for widget in WIDGET_PAGES:
        p = Page(browser, url(site_url, lang, widget), width=width)
        try:
            text = p.page.locator(f".nn-widget[data-widget={widget}]").inner_text()
            words = LABELS[lang][:3] if widget == "hopfield" else LABELS[lang][3:]
            for word in words:
                assert word in text
            assert p.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll"
            p.page.add_style_tag(content=NO_TRANSITIONS)
            box, backgrounds = f".nn-widget[data-widget={widget}]", set()
            for scheme in ("default", "slate"):
                p.page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
                background = "sel => getComputedStyle(document.querySelector(sel)).backgroundColor"
                backgrounds.add(p.page.evaluate(background, box))
                contrast = p.page.evaluate(CONTRAST_JS, box)
                assert contrast >= 4.5, f"text contrast {contrast:.2f} in {scheme}"
            assert len(backgrounds) == 2, f"the schemes did not change the widget's background: {backgrounds}"
            assert p.hosts <= {"127.0.0.1"}, p.hosts
            assert not p.errors, p.errors
        finally:
            p.close()
