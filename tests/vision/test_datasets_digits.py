"""Digits: scikit-learn's bundled 8x8 digits, split deterministically."""

from __future__ import annotations

import builtins

import numpy as np
import pytest

import ember
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms

sklearn_datasets = pytest.importorskip("sklearn.datasets",
                                       reason="scikit-learn (the 'examples' extra) bundles the "
                                              "digits")


def test_split_sizes_and_values():
    train, test = datasets.Digits(train=True), datasets.Digits(train=False)
    assert len(train) + len(test) == 1797 and len(test) == 359
    bunch = sklearn_datasets.load_digits()
    np.testing.assert_allclose(train.data.numpy(), bunch.images[:1438] / 16.0, rtol=1e-6)
    np.testing.assert_array_equal(test.targets.numpy(), bunch.target[1438:])
    assert train.data.dtype is ember.float32 and train.targets.dtype is ember.int64
    assert float(train.data.min()) == 0.0 and float(train.data.max()) == 1.0


def test_samples_are_1x8x8_tensors():
    ds = datasets.Digits(train=False, transform=transforms.Normalize((0.5,), (0.5,)))
    x, y = ds[0]
    assert tuple(x.shape) == (1, 8, 8) and x.dtype is ember.float32 and type(y) is int
    assert -1.0 <= float(x.min()) and float(x.max()) <= 1.0
    with pytest.raises(IndexError):
        ds[359]


def test_dataloader_and_repr():
    ds = datasets.Digits("unused", train=True)
    x, y = next(iter(DataLoader(ds, batch_size=16, shuffle=True)))
    assert tuple(x.shape) == (16, 1, 8, 8) and tuple(y.shape) == (16,)
    assert ds.classes == [str(i) for i in range(10)] and ds.class_to_idx["7"] == 7
    assert repr(ds) == ("Dataset Digits\n    Number of datapoints: 1438\n    Root location: "
                        "unused\n    Split: Train")


def test_missing_scikit_learn_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match="pip install scikit-learn.*examples"):
        datasets.Digits()
