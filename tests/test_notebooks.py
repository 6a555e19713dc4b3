"""The chapters as Jupyter notebooks (written by ``hooks/notebooks.py`` during the build).

For every page with executed code the strict build writes one notebook per
language. Each must be a valid nbformat 4.5 notebook whose code cells are
exactly the blocks the build executes (found here independently, by letting
Python-Markdown's SuperFences, the parser markdown-exec itself relies on,
collect them), whose prose is the page's own text, whose two languages run
the same code, and which runs from top to bottom in both languages, as a
reader would run it in Jupyter.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import io
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import matplotlib
import pytest
import yaml

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "docs_src"))

import nnbook  # noqa: E402
from nnbook.languages import DEFAULT_LANGUAGE, LANGUAGES, language_of, site_prefix  # noqa: E402
from test_code_language import logic  # noqa: E402  (tests/ is on sys.path under pytest)

pytestmark = pytest.mark.docs


def _source(name: str, lang: str) -> Path:
    return DOCS / (f"{name}.md" if lang == DEFAULT_LANGUAGE else f"{name}.{lang}.md")


def _default_language_pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if language_of(p.name) == DEFAULT_LANGUAGE)


def _hook(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"nnbook_{name}_hook", ROOT / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


HOOK = _hook("notebooks")
BIB = _hook("bib")  # runs before the notebook hook (mkdocs.yml), so notebooks hold its citations


def _page_as_built(name: str, lang: str) -> str:
    """The page's Markdown as the notebook hook receives it: citations rendered, then snippets expanded."""
    source = _source(name, lang)
    cited = BIB.process_page(source.read_text(encoding="utf-8"), BIB.load_bibliography(), source.name, lang)
    return str(HOOK.expand_snippets(cited, {"base_path": [str(ROOT)]}))


def executed_blocks(markdown: str) -> list[tuple[str, str]]:
    """(code, id) of every executed Python block, as SuperFences hands them to markdown-exec.

    The page is converted with the site's own Markdown extensions and
    settings from ``mkdocs.yml``; a custom fence for ``python`` records each
    block whose options say ``exec``. Blocks inside admonitions, collapsible
    solutions and lists are found (and dedented) by SuperFences, not by us.
    """
    import markdown as md_lib

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    extensions, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "pymdownx.arithmatex":
            options = {"generic": True}
        if name in ("toc", "pymdownx.highlight", "pymdownx.tabbed"):
            options = {}
        if name == "pymdownx.snippets":
            options = {"base_path": [str(ROOT)], "check_paths": True}
        extensions.append(name)
        settings[name] = options
    found: list[tuple[str, str]] = []

    def validator(language, inputs, options, attrs, md):  # noqa: ANN001, ANN202, ARG001
        if inputs.get("exec", "0").lower() not in ("1", "true", "on", "yes"):
            return False
        options.update(inputs)
        return True

    def formatter(source, language, css_class, options, md, **kwargs):  # noqa: ANN001, ANN202, ARG001
        found.append((source, options.get("id", "")))
        return ""

    fences = [{"name": "python", "class": "python", "validator": validator, "format": formatter}]
    settings["pymdownx.superfences"] = {"custom_fences": fences}
    md_lib.Markdown(extensions=extensions, extension_configs=settings).convert(markdown)
    return found


PAGES = [p.stem for p in _default_language_pages() if 'exec="1"' in p.read_text(encoding="utf-8")]


def notebook_file(site: Path, lang: str, name: str) -> Path:
    return site / site_prefix(lang) / "notebooks" / f"{name}.ipynb"


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
def test_notebook_holds_the_page_code_and_prose(built_site: Path, lang: str, name: str) -> None:
    import nbformat

    text = notebook_file(built_site, lang, name).read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata.kernelspec.name == "python3"
    assert [cell.id for cell in notebook.cells] == [f"cell-{k:03d}" for k in range(len(notebook.cells))]
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n" == text  # canonical form
    first, setup = notebook.cells[0], notebook.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("> ")
    assert setup.cell_type == "code" and f'nnbook.set_language("{lang}")' in setup.source
    # the code cells are exactly the blocks the build executes, in order
    page = _page_as_built(name, lang)
    expected = executed_blocks(page)
    cells = [(cell.source, cell.metadata.get("nnbook", {}).get("block", "")) for cell in notebook.cells[2:]
             if cell.cell_type == "code"]
    assert cells == [(code.strip("\n"), block) for code, block in expected]
    # the prose is the page's own text, in order, with citations rendered and the snippets expanded
    assert "--8<--" not in text
    position = 0
    for cell in notebook.cells[2:]:
        if cell.cell_type == "markdown":
            found = page.find(cell.source, position)
            assert found >= 0, f"{lang}/{name}: a Markdown cell is not verbatim page text:\n{cell.source[:300]}"
            position = found + len(cell.source)


@pytest.mark.parametrize("name", PAGES)
def test_both_languages_run_the_same_code(built_site: Path, name: str) -> None:
    en, zh = code_cells(load(built_site, "en", name)), code_cells(load(built_site, "zh", name))
    assert len(en) == len(zh)
    # the setup cell differs only in its comment, message and language
    assert "".join(en[0]["source"]).count("\n") == "".join(zh[0]["source"]).count("\n")
    # strings and comments are in each notebook's language; the code itself is the same
    for a, b in zip(en[1:], zh[1:], strict=True):
        assert logic("".join(a["source"])) == logic("".join(b["source"])), (
            f"{name}: block {a['metadata']} differs between the languages (strings and comments aside)"
        )
        assert a["metadata"] == b["metadata"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_links_to_its_notebook(built_site: Path, lang: str, name: str) -> None:
    page_dir = built_site / site_prefix(lang) / ("" if name == "index" else name)
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    label = {"en": "Download this chapter as a Jupyter notebook", "zh": "下载本章的 Jupyter 笔记本"}[lang]
    links = re.findall(r'<p class="nnbook-notebook" data-search-exclude><a href="([^"]+)" download="[^"]+"[^>]*>.*?'
                       + re.escape(label) + "</a>", html)
    assert len(links) == 1, f"{lang}/{name}: expected one download link"
    href = links[0]
    assert not href.startswith(("/", "http")), "the link must be relative (the site may live under a sub-path)"
    assert (page_dir / href).resolve() == notebook_file(built_site, lang, name).resolve()


def test_pages_without_code_have_no_link(built_site: Path) -> None:
    for path in _default_language_pages():
        if path.stem in PAGES:
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
def test_notebook_runs_top_to_bottom(built_site: Path, lang: str, name: str, clean_state: None,
                                     experiment_cache: str) -> None:
    """Every cell in order, in one namespace, as Jupyter would; experiments come from the session build's cache."""
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    output = io.StringIO()
    cells = code_cells(load(built_site, lang, name))
    for cell in cells:
        source = "".join(cell["source"])
        block = cell["metadata"].get("nnbook", {}).get("block", "setup")
        label = f"<notebook {lang}/{name}.ipynb, {cell['id']} {block}>"
        with contextlib.redirect_stdout(output):
            exec(compile(source, label, "exec"), namespace)  # noqa: S102
    assert nnbook.current_language() == lang
    if any("print(svg(" in "".join(cell["source"]) for cell in cells):
        assert "<svg" in output.getvalue()  # outside Jupyter, figures print as before


# --------------------------------------------------------------------------- the splitter, on a page written here

SMALL_PAGE = '''# A page {#page}

Intro with $x^2$ and a [link](other.md#part).

```bash
make test
```

```python
def shown_not_run():
    pass
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

````markdown
```python exec="1" id="only-an-example"
print("inside another fence: not a block")
```
````

~~~python exec="1" id="tilde"
print(3)
~~~
'''


def test_splitter_keeps_prose_verbatim_and_cuts_at_executed_blocks() -> None:
    pieces = HOOK.split_page(SMALL_PAGE)
    assert [kind for kind, _, _ in pieces] == ["markdown", "code", "markdown", "code"]
    # the prose before the first block, byte for byte (other fences included)
    before = SMALL_PAGE[: SMALL_PAGE.index('        ```python exec="1"')].rstrip("\n")
    assert pieces[0][2] is None and pieces[0][1] == before
    assert pieces[1] == ("code", "y = 2\n\nprint(y)", "p-solution")  # dedented by 8, inner blank line kept
    between = SMALL_PAGE[SMALL_PAGE.index("        After the code.") : SMALL_PAGE.index("~~~python")].rstrip("\n")
    assert pieces[2][1] == between and "only-an-example" in pieces[2][1]
    assert pieces[3] == ("code", 'print(3)', "tilde")
    # the same blocks as SuperFences finds (the example inside the four-backtick fence is not one)
    assert [(code, block) for kind, code, block in pieces if kind == "code"] == [
        (code.strip("\n"), block) for code, block in executed_blocks(SMALL_PAGE)
    ]


def test_notebook_from_the_small_page_is_deterministic_and_runs(tmp_path: Path, clean_state: None) -> None:
    import nbformat

    notebook = HOOK.page_notebook(SMALL_PAGE, language="zh", book="书", web_page="../page/")
    text = HOOK.dumps(notebook)
    assert text == HOOK.dumps(HOOK.page_notebook(SMALL_PAGE, language="zh", book="书", web_page="../page/"))
    nbformat.validate(nbformat.reads(text, as_version=4))
    cells = json.loads(text)["cells"]
    assert "[网页版](../page/)" in "".join(cells[0]["source"])
    assert [c["cell_type"] for c in cells] == ["markdown", "code", "markdown", "code", "markdown", "code"]
    assert cells[3]["metadata"] == {"nnbook": {"block": "p-solution"}}
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with contextlib.redirect_stdout(out):
        for cell in cells:
            if cell["cell_type"] == "code":
                exec("".join(cell["source"]), namespace)  # noqa: S102
    assert out.getvalue() == "2\n3\n" and nnbook.current_language() == "zh"


def test_the_hook_keeps_no_state_between_builds() -> None:
    """Nothing mutable at module level: a `mkdocs serve` rebuild cannot see the previous build's notebooks."""
    mutable = [name for name, value in vars(HOOK).items()
               if isinstance(value, (dict, list, set)) and not name.isupper() and not name.startswith("__")]
    assert mutable == []


# --------------------------------------------------------------------------- figures in Jupyter


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
