"""pluggy hook specifications for Ember backend plugins.

A backend plugin is a module named by an entry point in the group ``ember.backends``
that implements :func:`ember_register_backends`. Hooks run when Ember discovers its
backends and on rare events, never per operation.

Example plugin module::

    from ember.backend import BackendSpec, hookimpl

    @hookimpl
    def ember_register_backends():
        return [BackendSpec(name="mine", device_type="mine", load=_load)]

    def _load():
        from ._backend import MyBackend   # the array library is imported only here
        return MyBackend
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT", "hookspec", "hookimpl", "ember_register_backends", "ember_backend_loaded"]

PROJECT = "ember"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def ember_register_backends():  # type: ignore[empty-body]
    """Return a list of :class:`ember.backend.BackendSpec` this plugin provides.

    Must be cheap: do not import the array library here; put that in the spec's ``load``.
    """


@hookspec
def ember_backend_loaded(backend):  # type: ignore[empty-body]
    """Called once when a backend instance is created for a device (a rare event)."""
