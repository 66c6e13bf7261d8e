"""ember.utils.safetensors: round trips, the exact byte layout, hand-built and malformed files."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

import ember
from ember.utils.safetensors import SafetensorError, load, load_file, save, save_file

DTYPES = {"F32": ember.float32, "F64": ember.float64, "F16": ember.float16,
          "BF16": ember.bfloat16, "I8": ember.int8, "I16": ember.int16, "I32": ember.int32,
          "I64": ember.int64, "U8": ember.uint8, "BOOL": ember.bool, "C64": ember.complex64}


def sample(dtype, device="cpu"):
    if dtype is ember.bool:
        return ember.tensor([[True, False, True], [False, False, True]], device=device)
    return (ember.arange(6, device=device).reshape(2, 3) - 2).to(dtype)


def header(data: bytes) -> tuple[dict, int]:
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]), 8 + n


@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_round_trip_every_dtype(device, tmp_path):
    tensors = {code: sample(dt, device) for code, dt in DTYPES.items()}
    tensors["scalar"] = ember.tensor(2.5, device=device)
    tensors["empty"] = ember.zeros(0, 4, device=device)
    path = tmp_path / "all.safetensors"
    save_file(tensors, path, metadata={"format": "pt"})
    out = load_file(path, device=device)
    assert list(out) == sorted(tensors)
    for name, t in tensors.items():
        assert out[name].dtype is t.dtype and out[name].shape == t.shape
        assert out[name].device == ember.device(device)
        assert out[name].tolist() == t.tolist()
    moved = load_file(str(path), device=ember.device("ref" if device == "cpu" else "cpu"))
    assert moved["F32"].tolist() == tensors["F32"].tolist()


def test_layout_matches_the_specification():
    data = save({"b": ember.ones(3), "a": ember.arange(2, dtype=ember.int8),
                 "c": ember.zeros(1, dtype=ember.float64)}, metadata={"k": "v"})
    head, start = header(data)
    assert start % 8 == 0 and data[8:start].decode().rstrip(" ").endswith("}")
    assert head == {"__metadata__": {"k": "v"},
                    "c": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]},
                    "b": {"dtype": "F32", "shape": [3], "data_offsets": [8, 20]},
                    "a": {"dtype": "I8", "shape": [2], "data_offsets": [20, 22]}}
    assert data[start:start + 8] == struct.pack("<d", 0.0)
    assert data[start + 8:start + 20] == struct.pack("<3f", 1, 1, 1)
    assert data[start + 20:] == bytes([0, 1])


def test_hand_built_file(tmp_path):
    meta = json.dumps({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                       "ids": {"dtype": "I64", "shape": [3], "data_offsets": [16, 40]},
                       "h": {"dtype": "BF16", "shape": [1], "data_offsets": [40, 42]}}).encode()
    body = struct.pack("<4f", 1.5, -2, 0.25, 8) + struct.pack("<3q", -1, 2 ** 40, 7) + \
        bytes.fromhex("c03f")  # bfloat16 1.5 is 0x3fc0
    path = tmp_path / "hand.safetensors"
    path.write_bytes(struct.pack("<Q", len(meta)) + meta + body)
    out = load_file(path)
    assert out["w"].tolist() == [[1.5, -2.0], [0.25, 8.0]] and out["w"].dtype is ember.float32
    assert out["ids"].tolist() == [-1, 2 ** 40, 7] and out["ids"].dtype is ember.int64
    assert out["h"].tolist() == [1.5] and out["h"].dtype is ember.bfloat16
    assert load(path.read_bytes(), device="ref")["w"].device == ember.device("ref")


def test_loaded_tensors_are_independent_and_writable(tmp_path):
    save_file({"a": ember.zeros(2), "b": ember.zeros(2)}, tmp_path / "x.safetensors")
    out = load_file(tmp_path / "x.safetensors")
    out["a"][0] = 1.0
    assert out["b"].tolist() == [0.0, 0.0]
    assert not np.shares_memory(out["a"].numpy(), out["b"].numpy())


def test_save_refuses_what_the_format_cannot_hold(tmp_path):
    x = ember.zeros(4)
    with pytest.raises(ValueError, match="non contiguous tensor: `s`"):
        save({"s": x[::2]})
    with pytest.raises(RuntimeError, match="Some tensors share memory.*'[ab]', '[ab]'"):
        save({"a": x, "b": x[:2]})
    with pytest.raises(SafetensorError, match="complex128"):
        save({"c": ember.zeros(1, dtype=ember.complex128)})
    with pytest.raises(TypeError, match="metadata"):
        save({"a": x}, metadata={"n": 1})
    with pytest.raises(TypeError, match="not a tensor"):
        save({"a": [1.0]})


def _file(head, body=b""):
    raw = json.dumps(head).encode() if isinstance(head, dict) else head
    return struct.pack("<Q", len(raw)) + raw + body


@pytest.mark.parametrize("data,match", [
    (b"\x01\x02", "invalid header length"),
    (struct.pack("<Q", 1000) + b"{}", "invalid header length"),
    (struct.pack("<Q", 2 ** 40), "header too large"),
    (_file(b"{not json"), "invalid header deserialization"),
    (_file(b"[1, 2]"), "not a JSON object"),
    (_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(4)),
     "incomplete buffer"),
    (_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, bytes(4)),
     "needs 8 bytes"),
    (_file({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, bytes(8)),
     "invalid offset"),
    (_file({"a": {"dtype": "U16", "shape": [1], "data_offsets": [0, 2]}}, bytes(2)),
     "does not support"),
    (_file({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, bytes(4)),
     "bad shape"),
    (_file({"a": {"dtype": "F32", "shape": [1]}}, bytes(4)), "bad header entry"),
    (_file({"__metadata__": {"k": 1}}), "__metadata__"),
])
def test_malformed_files(data, match, tmp_path):
    with pytest.raises(SafetensorError, match=match):
        load(data)
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(SafetensorError, match=match):
        load_file(path)


def test_against_the_safetensors_package(tmp_path):
    st = pytest.importorskip("safetensors.numpy", reason="the safetensors package is an "
                                                         "optional cross-check (pip install "
                                                         "safetensors)")
    ours = {"w": ember.arange(6.0).reshape(2, 3), "i": ember.arange(3, dtype=ember.int16)}
    save_file(ours, tmp_path / "ours.safetensors", metadata={"m": "x"})
    theirs = st.load_file(str(tmp_path / "ours.safetensors"))
    for k, t in ours.items():
        np.testing.assert_array_equal(theirs[k], t.numpy())
    st.save_file({"a": np.arange(4, dtype=np.float64).reshape(2, 2)},
                 str(tmp_path / "theirs.safetensors"))
    assert load_file(tmp_path / "theirs.safetensors")["a"].tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert (tmp_path / "ours.safetensors").read_bytes() == st.save(
        {k: t.numpy() for k, t in ours.items()}, metadata={"m": "x"})
