"""Loading untrusted files: weights_only refuses code, corrupt files fail clearly and cleanly."""

from __future__ import annotations

import io
import os
import pickle
import struct
import uuid
import zipfile

import pytest

import ember
from ember.serialization import add_safe_globals, clear_safe_globals, get_safe_globals
from ember.serialization import safe_globals as safe_globals_cm


def saved(obj) -> bytes:
    buf = io.BytesIO()
    ember.save(obj, buf)
    return buf.getvalue()


def checkpoint(pkl: bytes, records: dict[str, bytes] | None = None) -> bytes:
    """A well-formed zip checkpoint (written by Python's zipfile) around ``pkl``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("archive/data.pkl", pkl)
        z.writestr("archive/byteorder", b"little")
        for name, body in (records or {}).items():
            z.writestr(f"archive/{name}", body)
        z.writestr("archive/version", b"3\n")
    return out.getvalue()


def load(data: bytes, **kwargs):
    return ember.load(io.BytesIO(data), **kwargs)


class Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / f"pwned_{uuid.uuid4().hex}"
    yield path
    assert not path.exists(), "the malicious pickle ran"


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_malicious_reduce_is_refused(marker, protocol):
    data = checkpoint(pickle.dumps({"w": [Evil(marker)]}, protocol=protocol))
    with pytest.raises(pickle.UnpicklingError,
                       match=r"(?s)Weights only load failed.*Unsupported global: GLOBAL "
                             r"(posix|os|nt)\.system was not an allowed global"):
        load(data)


def test_malicious_global_inside_a_real_checkpoint(marker):
    # A genuine Ember checkpoint whose pickle gains an os.system call next to the tensors.
    src = zipfile.ZipFile(io.BytesIO(saved({"w": ember.ones(2)})))
    pkl = src.read("archive/data.pkl")
    evil = pickle.dumps(Evil(marker), protocol=2)[2:-1]  # the body, without PROTO and STOP
    tampered = pkl[:2] + evil + b"0" + pkl[2:]  # call it, POP the result, then the dict
    records = {n.split("/", 1)[1]: src.read(n) for n in src.namelist()
               if not n.endswith(("data.pkl", "byteorder", "version"))}
    with pytest.raises(pickle.UnpicklingError, match="system was not an allowed global"):
        load(checkpoint(tampered, records))


@pytest.mark.parametrize("module,name", [("builtins", "eval"), ("__builtin__", "eval"),
                                         ("builtins", "getattr"), ("subprocess", "Popen"),
                                         ("torch.serialization", "load"),
                                         ("ember.serialization._load", "load"),
                                         ("numpy.core.multiarray", "_reconstruct")])
def test_other_globals_are_refused(module, name):
    pkl = b"\x80\x02c" + f"{module}\n{name}\n".encode() + b"."
    with pytest.raises(pickle.UnpicklingError, match="was not an allowed global"):
        load(checkpoint(pkl))


def test_malicious_legacy_checkpoint_is_refused(marker, tmp_path):
    path = tmp_path / "legacy.pt"
    parts = [0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}, {"w": Evil(marker)}, []]
    path.write_bytes(b"".join(pickle.dumps(p, protocol=2) for p in parts))
    with pytest.raises(pickle.UnpicklingError, match="system was not an allowed global"):
        ember.load(path)


def test_persistent_id_must_name_a_storage(marker):
    pkl = pickle.dumps(("evil", 1), protocol=2)[2:-1]
    with pytest.raises(RuntimeError, match="unexpected persistent id"):
        load(checkpoint(b"\x80\x02" + pkl + b"Q."))


def _rebuild_pickle(size, stride, offset, numel, dtype="FloatStorage"):
    return (b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(" +
            b"(X\x07\x00\x00\x00storagectorch\n" + dtype.encode() + b"\nX\x01\x00\x00\x000" +
            b"X\x03\x00\x00\x00cpu" + pickle.dumps(numel, 2)[2:-1] + b"tQ" +
            pickle.dumps(offset, 2)[2:-1] + pickle.dumps(tuple(size), 2)[2:-1] +
            pickle.dumps(tuple(stride), 2)[2:-1] +
            b"\x89ccollections\nOrderedDict\n)RtR.")


def test_hand_built_rebuild_loads():
    data = checkpoint(_rebuild_pickle((2, 2), (1, 2), 1, 5),
                      {"data/0": struct.pack("<5f", 0, 1, 2, 3, 4)})
    t = load(data)
    assert t.stride() == (1, 2) and t.tolist() == [[1.0, 3.0], [2.0, 4.0]]


@pytest.mark.parametrize("size,stride,offset", [
    ((4,), (1,), 2),          # runs past the end
    ((2, 2), (1, 4), 0),      # a stride that leaves the storage
    ((3,), (-1,), 2),         # negative stride
    ((-1,), (1,), 0),         # negative size
    ((10 ** 12,), (1,), 0),   # huge size
    ((2,), (1, 1), 0),        # rank mismatch
    ((1,), (1,), -1),         # negative offset
])
def test_out_of_bounds_views_are_rejected(size, stride, offset):
    data = checkpoint(_rebuild_pickle(size, stride, offset, 5), {"data/0": bytes(20)})
    with pytest.raises(RuntimeError, match="corrupt checkpoint: a tensor of size .* does not "
                                           "fit in storage '0' of 5 elements"):
        load(data)


def test_record_size_mismatch():
    data = checkpoint(_rebuild_pickle((5,), (1,), 0, 5), {"data/0": bytes(12)})
    with pytest.raises(RuntimeError, match="holds 12 bytes but its storage needs 20"):
        load(data)


def test_missing_data_record():
    with pytest.raises(RuntimeError, match="no record 'archive/data/0'"):
        load(checkpoint(_rebuild_pickle((5,), (1,), 0, 5)))


def test_unknown_storage_type_is_refused():
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL torch.QInt8Storage"):
        load(checkpoint(_rebuild_pickle((5,), (1,), 0, 5, "QInt8Storage"), {"data/0": bytes(5)}))


def test_safe_globals_allowlist():
    data = saved({"c": Marker(3)})
    with pytest.raises(pickle.UnpicklingError, match=r"add_safe_globals\(\[test_safety.Marker\]"):
        load(data)
    with safe_globals_cm([Marker]):
        assert load(data)["c"].n == 3
    assert Marker not in get_safe_globals()
    add_safe_globals([Marker])
    try:
        assert load(data)["c"].n == 3
    finally:
        clear_safe_globals()
    with pytest.raises(ValueError, match="cannot be allowlisted"):
        add_safe_globals([os.system])
    assert load(data, weights_only=False)["c"].n == 3


class Marker:
    def __init__(self, n):
        self.n = n


def test_truncated_checkpoint(tmp_path):
    data = saved({"w": ember.arange(100.0)})
    for cut in (len(data) // 2, len(data) - 10, 40):
        path = tmp_path / f"cut{cut}.pt"
        path.write_bytes(data[:cut])
        with pytest.raises(RuntimeError, match=rf"'{path}'.*(truncated|corrupt)"):
            ember.load(path)


def test_corrupted_tensor_bytes_fail_the_crc():
    data = bytearray(saved({"w": ember.arange(100.0)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("archive/data/0")
    data[info.header_offset + 200] ^= 0xFF
    with pytest.raises(RuntimeError, match="(?i)crc"):
        load(bytes(data))


def test_corrupted_pickle():
    src = zipfile.ZipFile(io.BytesIO(saved({"w": ember.ones(2)})))
    pkl = bytearray(src.read("archive/data.pkl"))
    records = {n.split("/", 1)[1]: src.read(n) for n in src.namelist() if "/data/" in n}
    for bad in (bytes(pkl[:len(pkl) // 2]), b"\x80\x02\xff\xff", bytes(pkl[:-1])):
        with pytest.raises(RuntimeError, match="failed reading data.pkl|corrupt"):
            load(checkpoint(bad, records))


@pytest.mark.parametrize("content,match", [
    (b"", "empty"),
    (b"hello world, not a checkpoint", "not a zip archive"),
    (pickle.dumps({"a": 1}), "not a zip archive"),
    (b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.\x80\x02", "legacy"),
])
def test_files_that_are_not_checkpoints(content, match, tmp_path):
    path = tmp_path / "x.pt"
    path.write_bytes(content)
    with pytest.raises(RuntimeError, match=match):
        ember.load(path)


def test_zip_that_is_not_a_checkpoint():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("archive/readme.txt", "hi")
    with pytest.raises(RuntimeError, match="no data.pkl"):
        load(out.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("flat.txt", "hi")
    with pytest.raises(RuntimeError, match="not in a subdirectory"):
        load(out.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("model/constants.pkl", b"")
    with pytest.raises(RuntimeError, match="TorchScript"):
        load(out.getvalue())


def test_failed_load_changes_nothing(tmp_path):
    model = ember.nn.Linear(3, 2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    data = saved({k: v + 1 for k, v in model.state_dict().items()})
    path = tmp_path / "bad.pt"
    path.write_bytes(data[:-30])
    with pytest.raises(RuntimeError):
        model.load_state_dict(ember.load(path))
    for k, v in model.state_dict().items():
        assert v.tolist() == before[k].tolist()


def test_build_cannot_patch_a_class():
    numpy_method = ember.Tensor.numpy
    pkl = b"\x80\x02cember._tensor\nTensor\nN}X\x05\x00\x00\x00numpyNs\x86b."
    with pytest.raises(RuntimeError, match="sets the state of a type"):
        load(checkpoint(pkl))
    assert ember.Tensor.numpy is numpy_method


@pytest.mark.parametrize("pkl", [
    b"\x80\x02cember._tensor\nTensor\n)R}X\x05\x00\x00\x00_dataNsb.",
    b"\x80\x02cember._tensor\nTensor\n)RN}X\x08\x00\x00\x00_backendNs\x86b.",
    b"\x80\x02ctorch._utils\n_rebuild_parameter_with_state\n(cember._tensor\nTensor\n)R\x88N"
    b"}X\x09\x00\x00\x00__class__NstR.",
], ids=["dict-state", "slot-state", "parameter-state"])
def test_state_cannot_reach_tensor_internals(pkl):
    with pytest.raises(RuntimeError, match="sets the attribute '(_data|_backend|__class__)'"):
        load(checkpoint(pkl))


def test_build_on_allowed_objects_still_works():
    pkl = (b"\x80\x02ccollections\nOrderedDict\n)R}X\x09\x00\x00\x00_metadataK\x07sb.")
    assert load(checkpoint(pkl))._metadata == 7


def test_embers_own_pickles_load_when_they_need_no_numpy():
    obj = {"p": ember.nn.Parameter(ember.ones(2, device="ref")), "d": ember.int8,
           "s": ember.Size([1, 2]), "dev": ember.device("ref")}
    out = load(checkpoint(pickle.dumps(obj, protocol=2)))
    assert type(out["p"]) is ember.nn.Parameter and out["p"].device == ember.device("ref")
    assert out["d"] is ember.int8 and out["s"] == (1, 2) and out["dev"] == ember.device("ref")
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL numpy"):
        load(checkpoint(pickle.dumps(ember.ones(2), protocol=2)))
