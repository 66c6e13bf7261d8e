"""``ember.onnx``: export models to ONNX (``torch.onnx``).

:func:`export` traces the model with :func:`ember.jit.trace` and maps the recorded graph to
ONNX nodes. The ``onnx`` package is imported only when exporting; ONNX Runtime (or any
ONNX runtime) runs the result.

Example:
    >>> import io, ember
    >>> buf = io.BytesIO()
    >>> _ = ember.onnx.export(ember.nn.Linear(3, 2), ember.randn(1, 3), buf)
"""

from __future__ import annotations

from ._builder import UnsupportedOperatorError
from ._export import export

__all__ = ["export", "UnsupportedOperatorError", "OnnxExporterError", "errors"]

OnnxExporterError = RuntimeError


class errors:  # noqa: N801  (torch.onnx.errors is a module; a namespace is enough here)
    """``torch.onnx.errors``: the exporter's error types."""

    UnsupportedOperatorError = UnsupportedOperatorError
    OnnxExporterError = RuntimeError
