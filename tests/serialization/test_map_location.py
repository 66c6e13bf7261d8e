"""ember.load's map_location: None, device strings and objects, dicts, callables, CUDA files."""

from __future__ import annotations

import io
import zipfile

import pytest

import ember
from ember.serialization import Storage


def saved(obj) -> bytes:
    buf = io.BytesIO()
    ember.save(obj, buf)
    return buf.getvalue()


def relocated(data: bytes, old: str, new: str) -> bytes:
    """The checkpoint ``data`` with every storage location ``old`` renamed ``new``, rezipped
    by Python's zipfile (so the loader also meets a zip that Ember did not write)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    pkl = src.read("archive/data.pkl")
    enc = lambda s: b"X" + len(s).to_bytes(4, "little") + s.encode()  # noqa: E731 (BINUNICODE)
    assert enc(old) in pkl
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, pkl.replace(enc(old), enc(new)) if name.endswith("data.pkl")
                         else body)
    return out.getvalue()


def load(data: bytes, **kwargs):
    return ember.load(io.BytesIO(data), **kwargs)


OBJ = lambda: {"x": ember.arange(6.0).reshape(2, 3), "p": ember.nn.Parameter(ember.ones(2))}  # noqa: E731


def test_none_keeps_the_saved_device():
    x = ember.arange(4.0, device="ref")
    out = load(saved({"r": x, "v": x[1:], "c": ember.ones(1)}))
    assert out["r"].device == ember.device("ref") and out["c"].device == ember.device("cpu")
    out["r"][1] = 9.0
    assert out["v"][0].item() == 9.0


@pytest.mark.parametrize("target", ["ref", ember.device("ref"), "cpu", ember.device("cpu")],
                         ids=["str-ref", "device-ref", "str-cpu", "device-cpu"])
def test_device_string_or_object(target):
    out = load(saved({k: v.to("ref") if k == "x" else v for k, v in OBJ().items()}),
               map_location=target)
    dev = ember.device(target)
    assert out["x"].device == dev and out["p"].device == dev
    assert isinstance(out["p"], ember.nn.Parameter) and out["p"].requires_grad
    assert out["x"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_views_still_share_after_moving():
    x = ember.arange(6.0)
    out = load(saved([x, x[3:]]), map_location="ref")
    out[0][4] = -1.0
    assert out[1].device == ember.device("ref") and out[1][1].item() == -1.0


def test_dict_maps_locations():
    data = saved({"a": ember.ones(2), "b": ember.zeros(2, device="ref")})
    out = load(data, map_location={"cpu": "ref"})
    assert out["a"].device == ember.device("ref") and out["b"].device == ember.device("ref")
    out = load(data, map_location={"ref": ember.device("cpu")})
    assert out["a"].device == ember.device("cpu") and out["b"].device == ember.device("cpu")


def test_callable_receives_cpu_storage_and_location():
    seen = []

    def fn(storage, location):
        seen.append((type(storage), storage.device, location, storage.dtype, len(storage)))
        return storage.to("ref") if location == "cpu" else None

    data = saved({"a": ember.arange(3), "b": ember.ones(2, device="ref")})
    out = load(data, map_location=fn)
    assert seen == [(Storage, ember.device("cpu"), "cpu", ember.int64, 3),
                    (Storage, ember.device("cpu"), "ref", ember.float32, 2)]
    assert out["a"].device == ember.device("ref") and out["b"].device == ember.device("ref")
    out = load(data, map_location=lambda s, loc: s)
    assert out["a"].device == ember.device("cpu") and out["b"].device == ember.device("cpu")
    assert load(data, map_location=lambda s, loc: s.cpu())["b"].device == ember.device("cpu")


def test_callable_returning_junk_is_a_type_error():
    with pytest.raises(TypeError, match="map_location returned int"):
        load(saved(ember.ones(1)), map_location=lambda s, loc: 3)


def test_bad_map_location_type():
    with pytest.raises(TypeError, match="map_location must be"):
        load(saved(ember.ones(1)), map_location=3.5)


def test_cuda_checkpoint_without_cuda_suggests_map_location():
    data = relocated(saved(OBJ()), "cpu", "cuda:0")
    if ember.cuda.is_available():
        pytest.skip("this test needs a machine without CUDA")
    with pytest.raises(RuntimeError, match=r"Attempting to deserialize object on a CUDA device "
                                           r"but ember.cuda.is_available\(\) is False.*"
                                           r"map_location=ember.device\('cpu'\)"):
        load(data)
    for ml in ("cpu", ember.device("cpu"), {"cuda:0": "cpu"}, lambda s, loc: s):
        out = load(data, map_location=ml)
        assert out["x"].device == ember.device("cpu")
        assert out["x"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    seen = []
    load(data, map_location=lambda s, loc: seen.append(loc) or s)
    assert set(seen) == {"cuda:0"}


def test_unknown_device_location():
    data = relocated(saved(ember.ones(1)), "cpu", "xla:0")
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on device 'xla:0'"):
        load(data)
    assert load(data, map_location="cpu").tolist() == [1.0]


def test_storage_helpers():
    seen = {}

    def fn(storage, location):
        seen["repr"] = repr(storage)
        seen["values"] = storage.tolist()
        seen["nbytes"] = storage.nbytes()
        seen["cuda"] = storage.cuda(1).device
        return storage

    load(saved(ember.arange(3, dtype=ember.int16)), map_location=fn)
    assert seen["values"] == [0, 1, 2] and seen["nbytes"] == 6
    assert seen["cuda"] == ember.device("cuda:1") and "int16" in seen["repr"]
