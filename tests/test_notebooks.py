"""The chapters as Jupyter notebooks (written by ``hooks/notebooks.py`` during the build).

For every page with executed code the strict build writes one notebook per
language; each must be a valid nbformat 4.5 notebook, the two languages must
run exactly the same code, the page must link to its notebook, and every
notebook must run from top to bottom, as a reader would run it in Jupyter.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import re
import sys
import types
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "docs_src"))

import nnbook  # noqa: E402

pytestmark = pytest.mark.docs

LANGUAGES = ("en", "zh")
EXEC_FENCE = re.compile(r"""^[ \t]*`{3,}\s*python\b[^\n]*\bexec="1\"""", re.M)


def _source(name: str, lang: str) -> Path:
    return DOCS / (f"{name}.md" if lang == "en" else f"{name}.zh.md")


PAGES = sorted(p.stem for p in DOCS.glob("*.md") if not p.name.endswith(".zh.md") and EXEC_FENCE.search(p.read_text(encoding="utf-8")))


def notebook_file(site: Path, lang: str, name: str) -> Path:
    return site / ("" if lang == "en" else f"{lang}/") / "notebooks" / f"{name}.ipynb"


def load(site: Path, lang: str, name: str) -> dict:
    return json.loads(notebook_file(site, lang, name).read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_there_is_one_notebook_per_page_with_code_and_language(built_site: Path) -> None:
    assert PAGES, "no page with executed code found"
    for lang in LANGUAGES:
        found = sorted(p.stem for p in notebook_file(built_site, lang, "x").parent.glob("*.ipynb"))
        assert found == PAGES, f"{lang}: notebooks {found}, pages with code {PAGES}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_notebook_is_valid_and_deterministic(built_site: Path, lang: str, name: str) -> None:
    import nbformat

    text = notebook_file(built_site, lang, name).read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in notebook.cells]
    assert ids == [f"cell-{k:03d}" for k in range(len(ids))]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in notebook.cells if cell.cell_type == "code")
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n" == text  # canonical form
    # the first cells: a title with the note, then the setup in the page's language
    first, setup = notebook.cells[0], notebook.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert setup.cell_type == "code" and f'nnbook.set_language("{lang}")' in setup.source
    # every executed block of the page is a code cell, in order, and nothing else is
    page = _source(name, lang).read_text(encoding="utf-8")
    assert len(code_cells(notebook)) == 1 + len(EXEC_FENCE.findall(page))
    assert "--8<--" not in text, "snippet includes must be expanded into the package's code"
    assert not re.search(r"\{\s*#[\w-]+\s*\}", "".join(c.source for c in notebook.cells if c.cell_type == "markdown"))


@pytest.mark.parametrize("name", PAGES)
def test_both_languages_run_the_same_code(built_site: Path, name: str) -> None:
    en, zh = code_cells(load(built_site, "en", name)), code_cells(load(built_site, "zh", name))
    assert len(en) == len(zh)
    # the setup cell differs only in its comment, message and language
    assert "".join(en[0]["source"]).count("\n") == "".join(zh[0]["source"]).count("\n")
    for a, b in zip(en[1:], zh[1:]):
        assert a["source"] == b["source"], f"{name}: block {a['metadata']} differs between the languages"
        assert a["metadata"] == b["metadata"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_links_to_its_notebook(built_site: Path, lang: str, name: str) -> None:
    page_dir = built_site / ("" if lang == "en" else f"{lang}/") / ("" if name == "index" else name)
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    label = {"en": "Download this chapter as a Jupyter notebook", "zh": "下载本章的 Jupyter 笔记本"}[lang]
    links = re.findall(r'<p class="nnbook-notebook" data-search-exclude><a href="([^"]+)" download="[^"]+"[^>]*>.*?' + re.escape(label) + "</a>", html)
    assert len(links) == 1, f"{lang}/{name}: expected one download link"
    href = links[0]
    assert not href.startswith(("/", "http")), "the link must be relative (the site may live under a sub-path)"
    assert (page_dir / href).resolve() == notebook_file(built_site, lang, name).resolve()


def test_pages_without_code_have_no_link(built_site: Path) -> None:
    for path in sorted(DOCS.glob("*.md")):
        if path.name.endswith(".zh.md") or path.stem in PAGES:
            continue
        html = (built_site / path.stem / "index.html").read_text(encoding="utf-8")
        assert "nnbook-notebook" not in html, path.name


@pytest.fixture
def clean_state(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.chdir(ROOT)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
    nnbook.set_language("en")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_notebook_runs_top_to_bottom(built_site: Path, lang: str, name: str, clean_state: None) -> None:
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    output = io.StringIO()
    cells = code_cells(load(built_site, lang, name))
    for cell in cells:
        source = "".join(cell["source"])
        label = f"<notebook {lang}/{name}.ipynb, {cell['id']} {cell['metadata'].get('nnbook', {}).get('block', 'setup')}>"
        with contextlib.redirect_stdout(output):
            exec(compile(source, label, "exec"), namespace)  # noqa: S102
    assert nnbook.current_language() == lang
    if any("print(svg(" in "".join(cell["source"]) for cell in cells):
        assert "<svg" in output.getvalue()  # outside Jupyter, figures print as before


def _fake_jupyter(monkeypatch: pytest.MonkeyPatch) -> list:
    shown: list = []
    shell = types.SimpleNamespace(kernel=object())
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell  # type: ignore[attr-defined]
    display = types.ModuleType("IPython.display")
    display.HTML = lambda text: ("html", text)  # type: ignore[attr-defined]
    display.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    return shown


def _figure() -> object:
    plt = nnbook.setup_matplotlib()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    return fig


def test_printed_figures_display_as_figures_in_jupyter(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = nnbook.svg(_figure(), alt="A line")
    assert isinstance(figure, str) and figure._repr_html_() == figure  # type: ignore[attr-defined]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(figure)
    assert out.getvalue() == figure + "\n"  # the build and plain Python print the HTML

    shown = _fake_jupyter(monkeypatch)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(figure)
    assert out.getvalue() == "\n"  # no SVG source in the notebook's text output ...
    assert shown == [("html", str.__str__(figure))]  # ... but the figure itself


def _hook() -> types.ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("nnbook_notebook_hook", ROOT / "hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


CONVERSION_SOURCE = '''# A page {#page}

Intro with $x^2$ and a [link](other.md#part) and [here](#sec).

## Section {#sec}

```bash
make test
```

!!! note "Key point"
    Text in a note.

1. **Question**

    ??? success "Solution"
        Before the code:

        ```python exec="1" session="p" id="p-solution"
        y = 2
        print(y)
        ```

        After the code.

2. Next question.
'''


def test_conversion_of_prose_containers_and_code() -> None:
    hook = _hook()
    notebook = hook.page_notebook(CONVERSION_SOURCE, language="en", book="Book", web_page="../page/", web_root="../")
    cells = [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]
    assert [kind for kind, _ in cells] == ["markdown", "code", "markdown", "code", "markdown"]
    assert cells[0][1].startswith("# A page\n\n> This notebook was generated from the sources of *Book*")
    assert "[on the web](../page/)" in cells[0][1]
    prose = cells[2][1]
    assert "[link](../other/#part)" in prose and "[here](#sec)" in prose
    assert '## Section <a id="sec"></a>' in prose and "{#" not in prose
    assert "```bash\nmake test\n```" in prose
    assert "> **Key point**\n>\n> Text in a note." in prose
    assert "1. **Question**\n\n    > **Solution**\n    >\n    > Before the code:" in prose
    assert cells[3][1] == "y = 2\nprint(y)"  # exactly the block's code, dedented
    assert notebook["cells"][3]["metadata"] == {"nnbook": {"block": "p-solution"}}
    assert cells[4][1] == "> After the code.\n\n2. Next question."
    assert hook.dumps(notebook) == hook.dumps(hook.page_notebook(CONVERSION_SOURCE, language="en", book="Book",
                                                                  web_page="../page/", web_root="../"))
