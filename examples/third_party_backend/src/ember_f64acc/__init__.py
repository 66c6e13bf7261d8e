"""ember-f64acc: an Ember backend plugin whose float32 reductions accumulate in float64.

Installing this distribution is the whole registration: its ``pyproject.toml`` names this
module in the entry-point group ``ember.backends``, Ember loads it as a pluggy plugin on
first use and calls :func:`ember_register_backends`. The hook is cheap: NumPy and the
backend class are imported only when a tensor first asks for the device (``_load``).

Example:
    >>> import ember
    >>> x = ember.tensor([1e8, 1.0, -1e8])      # float32
    >>> x.sum()                                 # NumPy adds in float32: 1e8 + 1 == 1e8
    tensor(0.)
    >>> x.to("f64acc").sum()                    # accumulated in float64, rounded once
    tensor(1., device='f64acc')
"""

from __future__ import annotations

from pathlib import Path

from ember.backend import Backend, BackendSpec, hookimpl

__all__ = ["XFAILS", "ember_register_backends"]

#: The conformance suite's expected failures for this backend, one ``case-glob  # reason``
#: a line: ``ember conformance --backend f64acc --xfails-file <XFAILS>``.
XFAILS = Path(__file__).with_name("xfails.txt")


def _load() -> type[Backend]:
    from ._backend import F64AccBackend  # NumPy is imported here, not at discovery

    return F64AccBackend


@hookimpl
def ember_register_backends() -> list[BackendSpec]:
    """The one backend this plugin provides: device type ``f64acc``."""
    return [BackendSpec(name="f64acc", device_type="f64acc", load=_load,
                        description="NumPy kernels; float32 sums, products, scans and "
                                    "matmul accumulated in float64")]
