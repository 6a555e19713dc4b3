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
