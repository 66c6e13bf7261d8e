"""ember.save / ember.load round trips: dtypes, devices, views, containers, models, optimizers."""

from __future__ import annotations

import collections
import io
import pickle
import zipfile

import numpy as np
import pytest

import ember

DEVICES = ["cpu", "ref"]
DTYPES = [ember.float32, ember.float64, ember.float16, ember.bfloat16, ember.int8, ember.int16,
          ember.int32, ember.int64, ember.uint8, ember.bool, ember.complex64, ember.complex128]


def roundtrip(obj, **load_kwargs):
    buf = io.BytesIO()
    ember.save(obj, buf)
    buf.seek(0)
    return ember.load(buf, **load_kwargs)


def sample(dtype, device="cpu", shape=(2, 3)):
    n = int(np.prod(shape))
    if dtype is ember.bool:
        values = [i % 3 == 0 for i in range(n)]
    elif dtype.is_complex:
        values = [complex(i - 2, 0.5 * i) for i in range(n)]
    elif dtype.is_floating_point:
        values = [(i - 2) * 0.75 for i in range(n)]
    else:
        values = [(i * 37) % 100 for i in range(n)]
    return ember.tensor(values, dtype=dtype, device=device).reshape(shape)


def assert_same(a, b):
    assert type(a) is type(b)
    assert a.dtype is b.dtype
    assert a.shape == b.shape
    assert a.device == b.device
    assert a.requires_grad == b.requires_grad
    assert a.tolist() == b.tolist()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_every_dtype_round_trips(dtype, device):
    t = sample(dtype, device)
    out = roundtrip({"t": t})["t"]
    assert_same(out, t)
    assert out.stride() == t.stride()


def test_special_float_values_round_trip_bit_exactly():
    t = ember.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 1e-45, 3.4e38])
    out = roundtrip(t)
    np.testing.assert_array_equal(out.numpy().view(np.uint32), t.numpy().view(np.uint32))


@pytest.mark.parametrize("device", DEVICES)
def test_views_share_storage_after_load(device):
    x = ember.arange(12.0, device=device).reshape(3, 4)
    obj = {"x": x, "row": x[1], "col": x[:, 2], "t": x.t(), "tail": x.reshape(-1)[5:]}
    out = roundtrip(obj)
    for k, v in obj.items():
        assert_same(out[k], v)
        assert out[k].stride() == v.stride()
        assert out[k].storage_offset() == v.storage_offset()
    out["x"][1, 2] = 100.0
    assert out["row"][2].item() == 100.0
    assert out["col"][1].item() == 100.0
    assert out["t"][2, 1].item() == 100.0
    assert out["tail"][1].item() == 100.0


def test_view_saved_alone_keeps_its_offset_and_values():
    x = ember.arange(10.0)
    out = roundtrip(x[3:7])
    assert out.tolist() == [3.0, 4.0, 5.0, 6.0]
    assert out.storage_offset() == 3


def test_detached_tensors_share_one_storage():
    p = ember.nn.Parameter(ember.ones(3))
    buf = io.BytesIO()
    ember.save({"p": p, "d": p.detach()}, buf)
    names = [n for n in zipfile.ZipFile(buf).namelist() if "/data/" in n]
    assert names == ["archive/data/0"]
    buf.seek(0)
    out = ember.load(buf)
    with ember.no_grad():
        out["p"][0] = 5.0
    assert out["d"][0].item() == 5.0


def test_loaded_shared_tensors_are_saved_once_again():
    x = ember.arange(6.0)
    first = roundtrip([x, x[2:], x[:3]])
    buf = io.BytesIO()
    ember.save(first, buf)
    assert sum("/data/" in n for n in zipfile.ZipFile(buf).namelist()) == 1


def test_same_tensor_twice_is_one_object():
    t = ember.ones(2)
    out = roundtrip([t, t, {"again": t}])
    assert out[0] is out[1] is out[2]["again"]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("make", [
    lambda d: ember.arange(12.0, device=d).reshape(3, 4).t(),
    lambda d: ember.arange(12.0, device=d).reshape(3, 4)[:, ::2],
    lambda d: ember.arange(4.0, device=d).unsqueeze(0).expand(3, 4),
    lambda d: ember.arange(24, device=d).reshape(2, 3, 4).permute(2, 0, 1)[1:],
    lambda d: ember.arange(9.0, device=d).reshape(3, 3).diagonal(),
], ids=["transpose", "step", "expand", "permute_slice", "diagonal"])
def test_non_contiguous_tensors_keep_strides(make, device):
    t = make(device)
    out = roundtrip(t)
    assert_same(out, t)
    assert out.stride() == t.stride()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", [(), (0,), (2, 0), (0, 3, 1)], ids=str)
def test_zero_dim_and_empty_tensors(shape, device):
    t = ember.full(shape, 3.5, device=device) if shape == () else ember.zeros(shape, device=device)
    out = roundtrip({"t": t})["t"]
    assert_same(out, t)


def test_requires_grad_and_parameters_are_preserved():
    obj = {"leaf": ember.ones(2, requires_grad=True),
           "param": ember.nn.Parameter(ember.ones(2)),
           "frozen": ember.nn.Parameter(ember.ones(2), requires_grad=False),
           "plain": ember.ones(2)}
    out = roundtrip(obj)
    for k, v in obj.items():
        assert_same(out[k], v)
        assert out[k].is_leaf
    assert isinstance(out["param"], ember.nn.Parameter)
    (out["leaf"] * 2).sum().backward()
    assert out["leaf"].grad.tolist() == [2.0, 2.0]


def test_nested_containers_and_python_values():
    t = ember.arange(3)
    obj = collections.OrderedDict(
        a=[t, (t * 2, {"deep": [t + 1]})], n=None, b=True, i=-(2 ** 70), f=1.5, c=2 - 1j,
        s="text", by=b"\x00\xff", st={1, 2}, fs=frozenset({"x"}), sl=slice(1, 5, 2),
        size=ember.Size([2, 3]), dtype=ember.bfloat16, dev=ember.device("cpu"))
    out = roundtrip(obj)
    assert type(out) is collections.OrderedDict and list(out) == list(obj)
    assert out["a"][0].tolist() == [0, 1, 2]
    assert out["a"][1][1]["deep"][0].tolist() == [1, 2, 3]
    for k in ("n", "b", "i", "f", "c", "s", "by", "st", "fs", "sl", "dtype", "dev"):
        assert out[k] == obj[k], k
    assert type(out["size"]) is ember.Size and out["size"] == (2, 3)


def test_paths_and_file_objects(tmp_path):
    t = ember.arange(4.0)
    ember.save(t, str(tmp_path / "a.pt"))
    ember.save(t, tmp_path / "b.pt")
    assert ember.load(tmp_path / "a.pt").tolist() == t.tolist()
    assert ember.load(str(tmp_path / "b.pt")).tolist() == t.tolist()
    with open(tmp_path / "c.pt", "wb") as f:
        ember.save(t, f)
    with open(tmp_path / "c.pt", "rb") as f:
        assert ember.load(f).tolist() == t.tolist()
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b.pt").read_bytes()


def test_records_are_aligned_and_in_pytorchs_order():
    buf = io.BytesIO()
    ember.save({"a": ember.ones(3), "b": ember.zeros(0), "c": ember.arange(5)}, buf)
    raw = buf.getvalue()
    z = zipfile.ZipFile(buf)
    assert z.namelist() == [
        "archive/data.pkl", "archive/.format_version", "archive/.storage_alignment",
        "archive/byteorder", "archive/data/0", "archive/data/1", "archive/data/2",
        "archive/version", "archive/.data/serialization_id"]
    for info in z.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        n, m = np.frombuffer(raw[info.header_offset + 26:info.header_offset + 30], "<u2")
        assert (info.header_offset + 30 + n + m) % 64 == 0, info.filename
    assert z.read("archive/byteorder") == b"little"
    assert z.read("archive/version") == b"3\n"
    sid = z.read("archive/.data/serialization_id")
    assert len(sid) == 40 and sid.isdigit()
    assert z.testzip() is None


def test_saving_is_deterministic():
    obj = {"w": ember.arange(6.0).reshape(2, 3), "b": ember.ones(2)}
    a, b = io.BytesIO(), io.BytesIO()
    ember.save(obj, a)
    ember.save(obj, b)
    assert a.getvalue() == b.getvalue()


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_pickle_protocols(protocol):
    buf = io.BytesIO()
    x = ember.arange(4.0)
    ember.save({"x": x, "v": x[1:], "d": ember.int8}, buf, pickle_protocol=protocol)
    buf.seek(0)
    out = ember.load(buf)
    assert out["v"].tolist() == [1.0, 2.0, 3.0] and out["d"] is ember.int8


def test_mmap_loads_from_the_file_without_writing_it(tmp_path):
    path = tmp_path / "m.pt"
    x = ember.arange(8.0).reshape(2, 4)
    ember.save({"x": x, "v": x[1]}, path)
    before = path.read_bytes()
    out = ember.load(path, mmap=True)
    assert out["x"].tolist() == x.tolist()
    out["x"][1, 0] = -1.0
    assert out["v"][0].item() == -1.0
    assert path.read_bytes() == before
    with pytest.raises(ValueError, match="mmap"):
        ember.load(io.BytesIO(before), mmap=True)


def _model():
    ember.manual_seed(0)
    return ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))


@pytest.mark.parametrize("device", DEVICES)
def test_model_state_dict_round_trip(device, tmp_path):
    model = _model().to(device)
    ember.save(model.state_dict(), tmp_path / "model.pt")
    ember.manual_seed(1)
    fresh = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(),
                                ember.nn.Linear(8, 2)).to(device)
    sd = ember.load(tmp_path / "model.pt")
    assert list(sd) == list(model.state_dict())
    assert fresh.load_state_dict(sd) is not None
    x = ember.randn(5, 4).to(device)
    assert fresh(x).tolist() == model(x).tolist()


def _train(model, opt, steps, seed):
    ember.manual_seed(seed)
    for _ in range(steps):
        x = ember.randn(6, 4)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss


def test_optimizer_state_dict_resume_matches_uninterrupted_run(tmp_path):
    model = _model()
    opt = ember.optim.Adam(model.parameters(), lr=0.01, amsgrad=True)
    _train(model, opt, 3, seed=10)
    loss = _train(model, opt, 1, seed=11)
    ember.save({"epoch": 4, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "loss": loss}, tmp_path / "ckpt.pt")
    _train(model, opt, 3, seed=12)

    ckpt = ember.load(tmp_path / "ckpt.pt")
    assert ckpt["epoch"] == 4 and ckpt["loss"].item() == loss.item()
    resumed = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))
    resumed.load_state_dict(ckpt["model_state_dict"])
    opt2 = ember.optim.Adam(resumed.parameters(), lr=0.5)
    opt2.load_state_dict(ckpt["optimizer_state_dict"])
    assert opt2.param_groups[0]["lr"] == 0.01 and opt2.param_groups[0]["amsgrad"] is True
    _train(resumed, opt2, 3, seed=12)
    for a, b in zip(model.parameters(), resumed.parameters()):
        assert a.tolist() == b.tolist()


class _Net(ember.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = ember.nn.Sequential(ember.nn.Linear(3, 3), ember.nn.BatchNorm1d(3))
        self.scale = 2.0

    def forward(self, x):
        return self.body(x) * self.scale


def test_whole_module_with_weights_only_false(tmp_path):
    net = _Net().eval()
    ember.save(net, tmp_path / "net.pt")
    back = ember.load(tmp_path / "net.pt", weights_only=False)
    assert type(back) is _Net and back.scale == 2.0 and not back.training
    x = ember.randn(4, 3)
    assert back(x).tolist() == net(x).tolist()
    assert isinstance(back.body[0].weight, ember.nn.Parameter)
    assert [n for n, _ in back.named_buffers()] == [n for n, _ in net.named_buffers()]
    with pytest.raises(pickle.UnpicklingError, match=r"(?s)Weights only load failed.*GLOBAL test_save_load._Net"):
        ember.load(tmp_path / "net.pt")


def test_weights_only_with_pickle_module_is_refused():
    buf = io.BytesIO()
    ember.save(ember.ones(1), buf)
    buf.seek(0)
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit "
                                           "pickle_module is specified"):
        ember.load(buf, pickle_module=pickle)
    buf.seek(0)
    assert ember.load(buf, pickle_module=pickle, weights_only=False).tolist() == [1.0]


def test_save_argument_errors(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory .* does not exist"):
        ember.save(ember.ones(1), tmp_path / "missing" / "x.pt")
    with pytest.raises(RuntimeError, match="legacy"):
        ember.save(ember.ones(1), io.BytesIO(), _use_new_zipfile_serialization=False)
    with pytest.raises(AttributeError, match="write"):
        ember.save(ember.ones(1), 42)
    with pytest.raises(pickle.PicklingError):
        ember.save(lambda: 0, tmp_path / "never.pt")
    assert not (tmp_path / "never.pt").exists()


def test_unseekable_reader():
    class Stream(io.RawIOBase):
        def __init__(self, data):
            self._b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            return self._b.readinto(b)

    buf = io.BytesIO()
    ember.save({"a": ember.arange(3)}, buf)
    assert ember.load(Stream(buf.getvalue()))["a"].tolist() == [0, 1, 2]


def test_docs_example():
    buf = io.BytesIO()
    ember.save([ember.arange(3)], buf)
    buf.seek(0)
    assert repr(ember.load(buf, map_location="cpu")) == "[tensor([0, 1, 2])]"
