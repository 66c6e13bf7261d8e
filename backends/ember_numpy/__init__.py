"""The NumPy CPU backend (device ``cpu``), built on Ember's array-API kernel base."""

from ember.backend import BackendSpec, hookimpl

__all__ = ["ember_register_backends"]


def _load():
    from ._backend import NumpyBackend

    return NumpyBackend


@hookimpl
def ember_register_backends():
    return [BackendSpec(name="numpy", device_type="cpu", load=_load, priority=10,
                        description="NumPy on the CPU")]
