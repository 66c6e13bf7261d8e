"""The frontend's operations, one module per family. ``_registry`` enumerates them."""

import importlib

_FAMILIES = ("_shape", "_views", "_join", "_repeat", "_triangles", "_indexing", "_getitem",
             "_index_ops", "_scatter", "_masked", "_reduction", "_extremes", "_stats",
             "_order_stats", "_sorting", "_unique", "_scans", "_linalg", "_products",
             "_einsum", "_complex_views", "_complex_parts")


def _load_families() -> None:
    """Import every op family module so that their ``@public`` registrations run."""
    for name in _FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
