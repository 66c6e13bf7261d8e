"""The ``>>>`` examples in ember.serialization's and ember.utils.safetensors' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

import ember

MODULES = ["ember.serialization", "ember.serialization._save", "ember.serialization._load",
           "ember.serialization._unpickler", "ember.serialization._safetensors",
           "ember.utils.safetensors"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"ember": ember},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("fn", [ember.save, ember.load])
def test_public_functions_have_examples(fn):
    assert ">>>" in fn.__doc__ and "Args:" in fn.__doc__
