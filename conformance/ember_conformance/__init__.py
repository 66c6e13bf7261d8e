"""Ember's backend conformance suite: a pytest plugin, an op database and the tests.

Run it against any registered backend::

    pytest -p ember_conformance --pyargs ember_conformance --ember-backend NAME --ember-report
    ember conformance --backend NAME

Without ``--ember-backend`` the suite is inert (its test modules are not collected), so
the plugin, auto-loaded through the ``pytest11`` entry point, changes nothing in other
test runs. This package imports nothing at import time; Ember is imported only once a
backend is named.
"""

__all__: list[str] = []
