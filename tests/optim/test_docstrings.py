"""The ``>>>`` examples in ember.optim's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ember
import ember.optim

MODULES = ["ember.optim"] + sorted(
    m.name for m in pkgutil.walk_packages(ember.optim.__path__, "ember.optim."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"ember": ember}, report=True,
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_public_class_has_an_example():
    for name in ember.optim.__all__ + ember.optim.lr_scheduler.__all__:
        obj = getattr(ember.optim, name, None) or getattr(ember.optim.lr_scheduler, name)
        if isinstance(obj, type) and name != "_LRScheduler":
            assert obj.__doc__ and ">>>" in obj.__doc__, name
