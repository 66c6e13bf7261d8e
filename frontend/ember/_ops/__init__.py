"""The frontend's operations, one module per family. ``_registry`` enumerates them."""

import importlib

_FAMILIES = ("_shape", "_views", "_join", "_indexing", "_reduction", "_stats", "_sorting",
             "_linalg")


def _load_families() -> None:
    """Import every op family module so that their ``@public`` registrations run."""
    for name in _FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
