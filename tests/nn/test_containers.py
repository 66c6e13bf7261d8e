"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict against PyTorch."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn


def _scale_cls(lib):
    class Scale(lib.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k
            self.w = lib.nn.Parameter(lib.full((1,), float(k)))

        def forward(self, x):
            return x * self.w

        def extra_repr(self):
            return f"k={self.k}"

    return Scale


def _seq(lib, *ks):
    Scale = _scale_cls(lib)
    return lib.nn.Sequential(*[Scale(k) for k in ks])


def _keys(m):
    return list(m._modules)


def _ks(seq):
    return [m.k for m in seq]


# ------------------------------------------------------------------ Sequential
def test_sequential_forward_and_forms():
    s = _seq(ember, 2, 3)
    np.testing.assert_array_equal(s(ember.ones(2)).detach().numpy(), [6.0, 6.0])
    Scale = _scale_cls(ember)
    named = nn.Sequential(OrderedDict([("first", Scale(1)), ("second", Scale(5))]))
    assert _keys(named) == ["first", "second"] and named.second.k == 5
    assert len(nn.Sequential()) == 0
    np.testing.assert_array_equal(nn.Sequential()(ember.ones(1)).numpy(), [1.0])


def test_sequential_indexing_matches_torch(torch):
    for idx in (0, 2, -1, -4, slice(1, 3), slice(None, None, -1), slice(-2, None)):
        t, e = _seq(torch, 1, 2, 3, 4)[idx], _seq(ember, 1, 2, 3, 4)[idx]
        if isinstance(idx, slice):
            assert type(e) is nn.Sequential and _keys(e) == _keys(t) and _ks(e) == _ks(t)
        else:
            assert e.k == t.k
    for idx in (4, -5):
        with pytest.raises(IndexError, match=f"index {idx} is out of range"):
            _seq(ember, 1, 2, 3, 4)[idx]


def test_sequential_mutation_matches_torch(torch):
    def run(lib):
        Scale = _scale_cls(lib)
        s = _seq(lib, 1, 2, 3, 4, 5)
        s[1] = Scale(20)
        del s[0]
        del s[-2:]
        s.append(Scale(6))
        s.insert(1, Scale(7))
        s.insert(-1, Scale(8))
        s.extend(_seq(lib, 9))
        popped = s.pop(0)
        both = s + _seq(lib, 10)
        s += _seq(lib, 11)
        doubled = _seq(lib, 1, 2) * 2
        return (_keys(s), _ks(s), popped.k, _keys(both), _ks(both), _ks(doubled),
                _ks(2 * _seq(lib, 3)), repr(s))

    assert run(ember) == run(torch)


def test_sequential_errors():
    s = _seq(ember, 1)
    with pytest.raises(ValueError, match="add operator supports only objects of Sequential"):
        s + [1]
    with pytest.raises(ValueError, match="Non-positive multiplication factor 0"):
        s * 0
    with pytest.raises(IndexError, match="Index out of range: 5"):
        s.insert(5, _scale_cls(ember)(1))
    with pytest.raises(AssertionError, match="module should be of type"):
        s.insert(0, 3)


def test_sequential_repr_and_iteration_match_torch(torch):
    t, e = _seq(torch, 1, 2), _seq(ember, 1, 2)
    assert repr(e) == repr(t)
    assert [m.k for m in e] == [m.k for m in t] and len(e) == len(t)
    assert "0" not in dir(e) and "append" in dir(e)
    nested_t = torch.nn.Sequential(t, torch.nn.Sequential())
    nested_e = nn.Sequential(e, nn.Sequential())
    assert repr(nested_e) == repr(nested_t)


# ------------------------------------------------------------------ ModuleList
def test_module_list_matches_torch(torch):
    def run(lib):
        Scale = _scale_cls(lib)
        ml = lib.nn.ModuleList([Scale(1), Scale(2)])
        ml.append(Scale(3))
        ml.extend([Scale(4), Scale(5)])
        ml.insert(1, Scale(6))
        ml[0] = Scale(7)
        del ml[-1]
        ml += [Scale(8)]
        popped = ml.pop(2)
        sliced = ml[1:3]
        return (_keys(ml), _ks(ml), popped.k, _ks(sliced), _keys(sliced), ml[-1].k, len(ml),
                _ks(ml + lib.nn.ModuleList([Scale(9)])),
                [n for n, _ in ml.named_parameters()])

    assert run(ember) == run(torch)
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable"):
        nn.ModuleList().extend(3)
    with pytest.raises(IndexError, match="index 0 is out of range"):
        nn.ModuleList()[0]


def test_module_list_repr_compresses_repeats_like_torch(torch):
    def build(lib):
        Scale = _scale_cls(lib)
        inner = lib.nn.Sequential(Scale(1), Scale(1))
        return lib.nn.ModuleList([Scale(1), Scale(1), Scale(1), Scale(2), inner, Scale(2)])

    assert repr(build(ember)) == repr(build(torch))
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"


# ------------------------------------------------------------------ ModuleDict
def test_module_dict_matches_torch(torch):
    def run(lib):
        Scale = _scale_cls(lib)
        md = lib.nn.ModuleDict({"b": Scale(1), "a": Scale(2)})
        md["c"] = Scale(3)
        md.update([("d", Scale(4))])
        md.update(OrderedDict([("e", Scale(5))]))
        del md["a"]
        popped = md.pop("b")
        out = (list(md.keys()), [m.k for m in md.values()], [k for k, _ in md.items()],
               "c" in md, len(md), popped.k, list(md), repr(md))
        md.clear()
        return out + (len(md),)

    assert run(ember) == run(torch)
    with pytest.raises(ValueError, match="has length 3; 2 is required"):
        nn.ModuleDict([("a", nn.Identity(), 1)])


# ------------------------------------------------------------------ parameter containers
def test_parameter_list_matches_torch(torch):
    def run(lib):
        pl = lib.nn.ParameterList([lib.zeros(2), lib.nn.Parameter(lib.ones(3, 2))])
        pl.append(lib.ones(1, dtype=lib.float64))
        pl.extend([lib.zeros(4)])
        pl[0] = lib.full((2,), 5.0)
        pl.append("not a tensor")
        return (repr(pl).replace("torch.", "ember."), len(pl),
                [type(p).__name__ for p in pl], [n for n, _ in pl.named_parameters()],
                [tuple(p.shape) for p in pl[1:3]])

    assert run(ember) == run(torch)
    pl = nn.ParameterList([ember.zeros(2)])
    assert isinstance(pl[0], nn.Parameter) and pl[-1] is pl[0]
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        pl(1)
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable"):
        pl.extend(ember.zeros(2))


def test_parameter_dict_matches_torch(torch):
    def run(lib):
        pd = lib.nn.ParameterDict({"b": lib.zeros(2), "a": lib.nn.Parameter(lib.ones(1))})
        pd["c"] = lib.ones(2, 2, dtype=lib.float64)
        pd.update(OrderedDict([("z", lib.zeros(1)), ("y", lib.zeros(1))]))
        pd.setdefault("d", lib.zeros(3))
        popped = pd.pop("a")
        last = pd.popitem()[0]
        merged = pd | lib.nn.ParameterDict({"m": lib.zeros(1)})
        return (repr(pd).replace("torch.", "ember."), list(pd.keys()), list(pd), len(pd),
                tuple(popped.shape), last, "b" in pd, pd.get("nope", 7), list(merged.keys()),
                [n for n, _ in pd.named_parameters()], list(reversed(pd)))

    assert run(ember) == run(torch)
    with pytest.raises(TypeError, match="cannot be used as a key as it is not a string"):
        nn.ParameterDict()[1]


def test_containers_register_for_state_dict_and_to(torch):
    def build(lib):
        Scale = _scale_cls(lib)
        m = lib.nn.Module()
        m.seq = _seq(lib, 1)
        m.ml = lib.nn.ModuleList([Scale(2)])
        m.md = lib.nn.ModuleDict({"x": Scale(3)})
        m.pl = lib.nn.ParameterList([lib.zeros(1)])
        m.pd = lib.nn.ParameterDict({"p": lib.zeros(1)})
        return m

    e = build(ember)
    assert list(e.state_dict()) == list(build(torch).state_dict())
    e.double()
    assert all(p.dtype == ember.float64 for p in e.parameters())
