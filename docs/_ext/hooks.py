"""MkDocs hooks for Ember's site: the ``ember`` namespace reference is generated.

``docs/api/ember.md`` holds the marker ``<!-- ember-namespace -->``; :func:`on_page_markdown`
replaces it with one mkdocstrings block per public function of ``ember``, grouped by the
private module that defines it (so a new op appears in the right section without anyone
editing the page), with an "Other functions" section for anything not classified.
"""

from __future__ import annotations

import types
from typing import Any

MARKER = "<!-- ember-namespace -->"

#: (section title, prefixes of the defining module), in page order.
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Tensor creation", ("ember._ops._creation",)),
    ("Random sampling", ("ember._random",)),
    ("Pointwise math", ("ember._ops._unary", "ember._ops._arith", "ember._ops._power",
                        "ember._ops._elementwise",
                        "ember._ops._minmax")),
    ("Reductions, scans and sorting", ("ember._ops._reduction", "ember._ops._extremes",
                                       "ember._ops._stats", "ember._ops._order_stats",
                                       "ember._ops._scans", "ember._ops._sorting",
                                       "ember._ops._unique")),
    ("Shapes, views and joining", ("ember._ops._shape", "ember._ops._views", "ember._ops._join",
                                   "ember._ops._repeat", "ember._ops._triangles")),
    ("Indexing, slicing and scattering", ("ember._ops._getitem", "ember._ops._index_ops",
                                          "ember._ops._indexing", "ember._ops._masked",
                                          "ember._ops._scatter")),
    ("Linear algebra", ("ember._ops._linalg", "ember._ops._products", "ember._ops._einsum",
                        "ember.linalg")),
    ("Neural-network functions", ("ember.nn.functional", "ember._functional_exports")),
    ("Gradient modes", ("ember.autograd.grad_mode",)),
    ("Saving and loading", ("ember.serialization",)),
    ("Data types, devices and defaults", ("ember._defaults", "ember._dtype_info",
                                          "ember._promotion", "ember._size", "ember._layout",
                                          "ember.backend")),
    ("Printing", ("ember._printoptions", "ember._printing")),
    ("Tensor queries", ("ember",)),  # defined in ember/__init__.py itself: exact match only
]

#: Names in ``ember``'s namespace that are not API: documented elsewhere or leaked imports.
SKIP = {"Tensor", "OPS", "attach_methods", "annotations", "default_generator"}


def _defining_module(obj: Any) -> str:
    return getattr(obj, "__module__", None) or ""


def _within(module: str, prefix: str) -> bool:
    if prefix == "ember":
        return module == "ember"
    return module == prefix or module.startswith(prefix + ".")


def namespace_sections() -> list[tuple[str, list[str]]]:
    """``[(title, [name, ...]), ...]`` for the public callables of ``ember``."""
    import ember

    grouped: dict[str, list[str]] = {title: [] for title, _ in SECTIONS}
    other: list[str] = []
    for name in sorted(dir(ember), key=str.lower):
        if name.startswith("_") or name in SKIP:
            continue
        obj = getattr(ember, name)
        if isinstance(obj, types.ModuleType) or not callable(obj):
            continue  # submodules have pages of their own; dtypes are tabled by hand
        if isinstance(obj, type) and obj.__name__.endswith("Tensor") and obj is not ember.Tensor:
            continue  # legacy FloatTensor & co., described on the Tensor page
        module = _defining_module(obj)
        for title, prefixes in SECTIONS:
            if any(_within(module, p) for p in prefixes):
                grouped[title].append(name)
                break
        else:
            other.append(name)
    out = [(title, names) for title, names in grouped.items() if names]
    if other:
        out.append(("Other functions", other))
    return out


def _entry(name: str) -> list[str]:
    import inspect

    import ember

    obj = getattr(ember, name)
    if "<locals>" not in getattr(obj, "__qualname__", ""):
        return [f"::: ember.{name}", "    options:", "      heading_level: 3", ""]
    # A function made inside another (``ember.softmax`` binds nn.functional's): griffe
    # cannot import it by path, so its signature and docstring are written out here.
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = "(...)"
    doc = inspect.getdoc(obj) or ""
    return [f"### `ember.{name}`", "", "```python", f"ember.{name}{signature}", "```", "",
            doc, ""]


def render() -> str:
    """The Markdown that replaces :data:`MARKER`."""
    lines: list[str] = []
    for title, names in namespace_sections():
        lines += [f"## {title}", ""]
        for name in names:
            lines += _entry(name)
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, render())
    return markdown
