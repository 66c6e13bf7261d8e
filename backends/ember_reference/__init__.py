"""The pure-Python reference backend: Ember's executable specification (device ``ref``).

Standard library only. Registered through the ``ember.backends`` entry point like any
third-party backend.
"""

from ember.backend import BackendSpec, hookimpl

__all__ = ["ember_register_backends"]


def _load():
    from ._backend import ReferenceBackend

    return ReferenceBackend


@hookimpl
def ember_register_backends():
    return [BackendSpec(name="reference", device_type="ref", load=_load,
                        description="pure Python, the executable specification")]
