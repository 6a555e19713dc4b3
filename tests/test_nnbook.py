"""The book's build helpers: language switch, reproducible SVG, experiment cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_src"))

import nnbook  # noqa: E402
from nnbook import cache  # noqa: E402
from nnbook.languages import format_date  # noqa: E402


@pytest.fixture(autouse=True)
def english() -> None:
    nnbook.set_language("en")
    yield
    nnbook.set_language("en")


def test_language_switch() -> None:
    assert nnbook.t("loss", "损失") == "loss"
    nnbook.set_language("zh")
    assert nnbook.t("loss", "损失") == "损失"
    with pytest.raises(ValueError, match=r"`language` must be one of \('en', 'zh'\); got 'fr'"):
        nnbook.set_language("fr")


@pytest.mark.parametrize(
    ("iso", "en", "zh"),
    [("2026-12-02", "December 2, 2026", "2026年12月2日"), ("2027-01-31", "January 31, 2027", "2027年1月31日"),
     ("2024-02-29", "February 29, 2024", "2024年2月29日"), ("2025-10-09", "October 9, 2025", "2025年10月9日")],
)
def test_dates_in_each_language(iso: str, en: str, zh: str) -> None:
    assert format_date(iso, "en") == en
    assert format_date(iso, "zh") == zh


def test_dates_refuse_unknown_languages_and_bad_dates() -> None:
    with pytest.raises(ValueError, match=r"`language` must be one of \('en', 'zh'\); got 'fr'"):
        format_date("2026-12-02", "fr")
    with pytest.raises(ValueError):
        format_date("2026-13-02", "en")


def _figure() -> object:
    plt = nnbook.setup_matplotlib()
    fig, ax = plt.subplots()
    ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2, label="x²")
    ax.set_title("标题 title")
    ax.legend()
    return fig


def test_svg_is_reproducible_accessible_and_timeless() -> None:
    first, second = nnbook.svg(_figure(), alt="A parabola"), nnbook.svg(_figure(), alt="A parabola")
    assert first == second
    assert first.startswith('<figure class="nnbook-figure"><svg role="img" aria-label="A parabola"')
    assert "<title>A parabola</title>" in first
    assert "<dc:date>" not in first and "<?xml" not in first
    assert "标题 title" in first  # text stays text, so Chinese labels use the page's fonts


def test_figures_on_one_page_share_no_ids_and_each_reference_resolves_in_its_figure() -> None:
    """Two different figures (the same markers and clip boxes, which matplotlib names alike) as on one page."""
    import re

    plt = nnbook.setup_matplotlib()
    figures = []
    for k in range(2):
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0, 1, k], marker="o")  # markers and a clipped axes: ids referenced by <use> and url()
        ax.set_title(f"figure {k}")
        figures.append(nnbook.svg(fig, alt=f"figure {k}"))
    ids = [re.findall(r'\sid="([^"]+)"', f) for f in figures]
    references = [re.findall(r'(?:href="#|url\(#)([^")]+)', f) for f in figures]
    assert all(references), "the figures must hold references, or this test checks nothing"
    assert not set(ids[0]) & set(ids[1])
    for own, refs in zip(ids, references, strict=True):
        assert len(own) == len(set(own))
        assert set(refs) == set(own)  # every reference resolves in its own figure; no id is left unused


def test_svg_requires_alt_text() -> None:
    with pytest.raises(ValueError, match="`alt` must describe the figure"):
        nnbook.svg(_figure(), alt="  ")


def test_markdown_table() -> None:
    table = nnbook.markdown_table(["a", "b"], [[1, "x|y"]])
    assert table.splitlines() == ["| a | b |", "| :--- | ---: |", "| 1 | x\\|y |"]
    with pytest.raises(ValueError, match="every row must have 2 cells; got 1"):
        nnbook.markdown_table(["a", "b"], [[1]])


def test_experiment_runs_once_and_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    experiments = tmp_path / "exp"
    experiments.mkdir()
    counter = tmp_path / "count.txt"
    (experiments / "__init__.py").write_text("")
    (experiments / "probe_exp.py").write_text(
        "import numpy as np\n"
        f"COUNTER = {str(counter)!r}\n"
        "def run(n=3):\n"
        "    with open(COUNTER, 'a') as f:\n"
        "        f.write('x')\n"
        "    return {'values': np.arange(n), 'mean': np.float64(1.5)}\n"
    )
    import nnbook.experiments as package

    monkeypatch.setattr(package, "__path__", [str(experiments), *package.__path__])
    monkeypatch.setenv("NNBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_memory", {})

    result = cache.run_experiment("probe_exp", n=3)
    assert result == {"values": [0, 1, 2], "mean": 1.5}
    assert cache.run_experiment("probe_exp", n=3) is result
    assert counter.read_text() == "x"
    stored = list((tmp_path / "cache").glob("probe_exp-*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text()) == result

    monkeypatch.setattr(cache, "_memory", {})  # a new build process reads the disk cache
    assert cache.run_experiment("probe_exp", n=3) == result
    assert counter.read_text() == "x"

    assert cache.run_experiment("probe_exp", n=4)["values"] == [0, 1, 2, 3]
    assert counter.read_text() == "xx"
    assert cache.fingerprint("probe_exp", {"n": 3}) != cache.fingerprint("probe_exp", {"n": 4})
    sys.modules.pop("nnbook.experiments.probe_exp", None)
