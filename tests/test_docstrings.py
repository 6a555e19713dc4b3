"""Every public function and class of nnmem is documented the way the API page needs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import nnmem

MODULES = [
    importlib.import_module(f"nnmem.{m.name}")
    for m in pkgutil.iter_modules(nnmem.__path__)
    if not m.name.startswith("_")
]
PUBLIC = [
    (module.__name__, name, obj)
    for module in MODULES
    for name in getattr(module, "__all__", [])
    if inspect.isfunction(obj := getattr(module, name)) or inspect.isclass(obj)
]


def test_every_module_declares_its_public_names() -> None:
    for module in MODULES:
        assert module.__doc__, f"{module.__name__} has no module docstring"
        assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"


@pytest.mark.parametrize(("module", "name", "obj"), PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_public_objects_are_documented_in_markdown(module: str, name: str, obj: object) -> None:
    doc = inspect.getdoc(obj)
    assert doc, f"{module}.{name} has no docstring"
    # mkdocstrings renders Markdown, not reStructuredText roles
    assert not re.search(r":(func|class|data|mod|meth|attr):`", doc), f"{module}.{name} uses a Sphinx role"
    if inspect.isfunction(obj) and inspect.signature(obj).parameters and len(doc.splitlines()) > 3:
        assert "Parameters\n----------" in doc, f"{module}.{name} documents no Parameters section"


def _all_docstrings() -> list[tuple[str, str]]:
    """(qualified name, docstring) of every module, class, function and method in the package, private included."""
    found = []
    for module in [nnmem, *(importlib.import_module(f"nnmem.{m.name}") for m in pkgutil.iter_modules(nnmem.__path__))]:
        found.append((module.__name__, module.__doc__ or ""))
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.append((f"{module.__name__}.{name}", obj.__doc__ or ""))
            if inspect.isclass(obj):
                found += [(f"{module.__name__}.{name}.{k}", v.__doc__ or "") for k, v in vars(obj).items()
                          if inspect.isfunction(v)]
    return found


def test_no_docstring_holds_a_control_character() -> None:
    # A backslash in a non-raw docstring is an escape: "$k \bmod n$" holds a backspace and
    # "\text" a tab, which KaTeX on the API page cannot parse. Only newlines belong in a docstring.
    bad = [name for name, doc in _all_docstrings() if re.search(r"[\x00-\x09\x0b-\x1f\x7f]", doc)]
    assert bad == []


def test_the_control_character_check_bites() -> None:
    assert re.search(r"[\x00-\x09\x0b-\x1f\x7f]", "$k \bmod n_\text{c}$")
    assert len(_all_docstrings()) > 100
