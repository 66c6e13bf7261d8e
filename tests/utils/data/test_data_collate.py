"""default_collate / default_convert against torch.utils.data on equivalent inputs."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import ember
from ember.utils.data import default_collate, default_convert
from ember.utils.data._utils.collate import collate, default_collate_fn_map

Point = collections.namedtuple("Point", ["x", "y"])


class FrozenMapping(collections.abc.Mapping):
    """A read-only mapping type: collate must rebuild it through its constructor."""

    def __init__(self, data):
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def assert_same(ours, theirs, torch):
    """Same structure, container types, tensor dtypes/shapes/values, and leaves."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, ember.Tensor), type(ours)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        return
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray)
        np.testing.assert_array_equal(ours, theirs)
        return
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    if isinstance(theirs, collections.abc.Mapping):
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_same(ours[key], theirs[key], torch)
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b, torch)
    else:
        assert ours == theirs


def to_torch(sample, torch):
    """The same sample with every ember tensor replaced by the equal torch tensor."""
    if isinstance(sample, ember.Tensor):
        return torch.from_numpy(sample.numpy().copy())
    if isinstance(sample, FrozenMapping):
        return FrozenMapping({k: to_torch(v, torch) for k, v in sample.items()})
    if isinstance(sample, dict):
        return type(sample)((k, to_torch(v, torch)) for k, v in sample.items())
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(to_torch(v, torch) for v in sample))
    if isinstance(sample, (list, tuple)):
        return type(sample)(to_torch(v, torch) for v in sample)
    return sample


BATCHES = {
    "ints": [0, 1, 2],
    "floats": [1.5, 2.0, -3.25],
    "float_then_int": [1.5, 2],
    "bools": [True, False, True],
    "strings": ["a", "bc"],
    "bytes": [b"a", b"b"],
    "float32_tensors": [ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0])],
    "int_tensors_2d": [ember.arange(6).reshape(2, 3), ember.arange(6, 12).reshape(2, 3)],
    "scalar_tensors": [ember.tensor(1.0), ember.tensor(2.0)],
    "numpy_arrays": [np.arange(3, dtype=np.int16), np.arange(3, 6, dtype=np.int16)],
    "numpy_float32_scalars": [np.float32(1.5), np.float32(2.5)],
    "numpy_int32_scalars": [np.int32(1), np.int32(7)],
    "numpy_float64_scalars": [np.float64(1.5), np.float64(2.5)],
    "numpy_bool_scalars": [np.bool_(True), np.bool_(False)],
    "numpy_str_scalars": [np.str_("a"), np.str_("b")],
    "dicts": [{"x": ember.tensor([1.0]), "y": 1, "name": "a"},
              {"x": ember.tensor([2.0]), "y": 2, "name": "b"}],
    "ordered_dicts": [collections.OrderedDict(b=1.0, a=2), collections.OrderedDict(b=3.0, a=4)],
    "frozen_mappings": [FrozenMapping({"k": 1}), FrozenMapping({"k": 2})],
    "namedtuples": [Point(1, ember.tensor([1.0])), Point(2, ember.tensor([2.0]))],
    "tuples": [(1, 2.0, "a"), (3, 4.0, "b")],
    "lists": [[1, 2], [3, 4]],
    "nested": [{"pair": (ember.tensor([1, 2]), [0.5, {"deep": 1}])},
               {"pair": (ember.tensor([3, 4]), [1.5, {"deep": 2}])}],
}


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_default_collate_matches_torch(name, torch):
    batch = BATCHES[name]
    expected = torch.utils.data.default_collate([to_torch(s, torch) for s in batch])
    assert_same(default_collate(batch), expected, torch)


CONVERTS = {
    "numpy_array": np.arange(4.0),
    "numpy_scalar": np.float64(2.5),
    "numpy_str_array": np.array(["x", "y"]),
    "numpy_str_scalar": np.str_("s"),
    "tensor": ember.tensor([1, 2]),
    "dict": {"a": np.arange(2), "b": "text"},
    "tuple": (1, np.arange(2)),
    "namedtuple": Point(np.int64(3), "y"),
    "list": [np.arange(2), 5],
    "string": "plain",
    "int": 7,
}


@pytest.mark.parametrize("name", sorted(CONVERTS))
def test_default_convert_matches_torch(name, torch):
    sample = CONVERTS[name]
    expected = torch.utils.data.default_convert(to_torch(sample, torch))
    assert_same(default_convert(sample), expected, torch)


def test_tensors_are_stacked_on_the_reference_backend():
    batch = [ember.tensor([1.0, 2.0], device="ref"), ember.tensor([3.0, 4.0], device="ref")]
    out = default_collate(batch)
    assert out.device.type == "ref"
    assert out.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_mismatched_tensor_shapes_name_the_shapes():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but "
                                           r"got \[3\] at entry 0 and \[4\] at entry 1$"):
        default_collate([ember.zeros(3), ember.zeros(4)])


def test_mismatched_shapes_in_a_dict_name_the_key():
    batch = [{"a": {"img": ember.zeros(3)}}, {"a": {"img": ember.zeros(4)}}]
    with pytest.raises(RuntimeError) as info:
        default_collate(batch)
    msg = str(info.value)
    assert msg.startswith("stack expects each tensor to be equal size, but got [3] at entry 0 "
                          "and [4] at entry 1")
    assert "['a']['img']" in msg


def test_unequal_sequences_raise_like_torch(torch):
    with pytest.raises(RuntimeError) as theirs:
        torch.utils.data.default_collate([[1, 2], [3]])
    with pytest.raises(RuntimeError) as ours:
        default_collate([[1, 2], [3]])
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("batch", [[object(), object()], [np.array(["a"]), np.array(["b"])],
                                   [None, None]], ids=["object", "numpy_str_array", "none"])
def test_uncollatable_elements_raise_like_torch(batch, torch):
    with pytest.raises(TypeError) as theirs:
        torch.utils.data.default_collate(batch)
    with pytest.raises(TypeError) as ours:
        default_collate(batch)
    assert str(ours.value) == str(theirs.value)


def test_collate_with_an_extended_map():
    def join_strings(batch, *, collate_fn_map):
        return "".join(batch)

    fns = {**default_collate_fn_map, str: join_strings}
    out = collate([("a", 1.0), ("b", 2.0)], collate_fn_map=fns)
    assert out[0] == "ab"
    assert out[1].dtype == ember.float64


def test_numpy_arrays_become_tensors_without_copy_of_dtype():
    out = default_collate([np.zeros((2, 2), dtype=np.float32)] * 3)
    assert out.dtype == ember.float32 and tuple(out.shape) == (3, 2, 2)
