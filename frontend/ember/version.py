"""``ember.version``: the version, and ``cuda`` (the CUDA runtime version, or None)."""

__all__ = ["__version__", "git_version"]  # plus the lazy attribute ``cuda``

__version__ = "0.1.0"
git_version = None


def _cuda_version() -> str | None:
    # Reported only when the CuPy backend is usable; never imports CuPy otherwise.
    from .cuda import is_available

    if not is_available():
        return None
    from ._defaults import backend_for

    return getattr(backend_for("cuda"), "cuda_version", None)


def __getattr__(name: str):
    if name == "cuda":
        return _cuda_version()
    raise AttributeError(name)
