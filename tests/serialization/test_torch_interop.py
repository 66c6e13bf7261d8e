"""Checkpoints cross between PyTorch and Ember in both directions (PyTorch is the oracle)."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

import ember

PAIRS = ["float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64",
         "uint8", "bool", "complex64", "complex128"]


def values(name, n=6):
    if name == "bool":
        return [i % 2 == 0 for i in range(n)]
    if name.startswith("complex"):
        return [complex(i, -i / 2) for i in range(n)]
    if name.startswith(("float", "bfloat")):
        return [i * 0.5 - 1 for i in range(n)]
    return [i * 7 % 50 for i in range(n)]


def ember_to_torch(obj, torch, **kwargs):
    buf = io.BytesIO()
    ember.save(obj, buf, **kwargs)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


def torch_to_ember(obj, torch, **kwargs):
    buf = io.BytesIO()
    torch.save(obj, buf, **kwargs)
    buf.seek(0)
    return ember.load(buf)


def check(e, t):
    assert str(e.dtype).split(".")[1] == str(t.dtype).split(".")[1]
    assert tuple(e.shape) == tuple(t.shape)
    assert tuple(e.stride()) == tuple(t.stride())
    assert e.storage_offset() == t.storage_offset()
    assert e.requires_grad == t.requires_grad
    assert e.tolist() == t.tolist()


@pytest.mark.parametrize("name", PAIRS)
def test_ember_file_read_by_torch(name, torch):
    x = ember.tensor(values(name, 12), dtype=getattr(ember, name)).reshape(3, 4)
    obj = {"x": x, "t": x.t(), "row": x[1, 1:], "zero_d": x[0, 0], "empty": x[:0]}
    out = ember_to_torch(obj, torch)
    for k in obj:
        check(obj[k], out[k])
    out["x"][1, 2] = out["x"][0, 0]
    assert out["row"][1].item() == out["x"][0, 0].item()  # views still share in torch
    assert out["t"].untyped_storage().data_ptr() == out["x"].untyped_storage().data_ptr()


@pytest.mark.parametrize("name", PAIRS)
def test_torch_file_read_by_ember(name, torch):
    x = torch.tensor(values(name, 12), dtype=getattr(torch, name)).reshape(3, 4)
    obj = {"x": x, "t": x.t(), "row": x[1, 1:], "zero_d": x[0, 0], "empty": x[:0]}
    out = torch_to_ember(obj, torch)
    for k in obj:
        check(out[k], obj[k])
        assert out[k].device == ember.device("cpu")
    out["x"][1, 2] = out["x"][0, 0]
    assert out["row"][1].item() == out["x"][0, 0].item()


def test_parameters_and_requires_grad_cross(torch):
    obj = {"p": ember.nn.Parameter(ember.ones(2, 2)),
           "frozen": ember.nn.Parameter(ember.zeros(3), requires_grad=False),
           "leaf": ember.ones(2, requires_grad=True)}
    out = ember_to_torch(obj, torch)
    assert type(out["p"]) is torch.nn.Parameter and out["p"].requires_grad
    assert type(out["frozen"]) is torch.nn.Parameter and not out["frozen"].requires_grad
    assert type(out["leaf"]) is torch.Tensor and out["leaf"].requires_grad
    back = torch_to_ember(out, torch)
    assert type(back["p"]) is ember.nn.Parameter and back["p"].requires_grad
    assert type(back["frozen"]) is ember.nn.Parameter and not back["frozen"].requires_grad
    assert type(back["leaf"]) is ember.Tensor and back["leaf"].requires_grad


def test_python_values_cross(torch):
    obj = {"size": ember.Size([2, 3]), "dtype": ember.float16, "dev": ember.device("cpu"),
           "nums": [1, 2.5, 3 + 4j, None, True, "s", (1, 2)], "set": {1, 2}}
    out = ember_to_torch(obj, torch)
    assert out["size"] == torch.Size([2, 3]) and out["dtype"] is torch.float16
    assert out["dev"] == torch.device("cpu") and out["nums"] == obj["nums"]
    back = torch_to_ember(out, torch)
    assert type(back["size"]) is ember.Size and back["dtype"] is ember.float16
    assert back["dev"] == ember.device("cpu") and back["set"] == {1, 2}


def _torch_mlp(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def _ember_mlp():
    return ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 3))


def test_torch_state_dict_into_ember_model(torch, tmp_path):
    tm = _torch_mlp(torch)
    torch.save(tm.state_dict(), tmp_path / "torch.pt")
    sd = ember.load(tmp_path / "torch.pt")
    for (k, v), (tk, tv) in zip(sd.items(), tm.state_dict().items()):
        assert k == tk
        np.testing.assert_array_equal(v.numpy(), tv.numpy())
    em = _ember_mlp()
    em.load_state_dict(sd)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(em(ember.tensor(x)).detach().numpy(),
                               tm(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)


def test_ember_state_dict_into_torch_model(torch, tmp_path):
    em = _ember_mlp()
    ember.save(em.state_dict(), tmp_path / "ember.pt")
    tm = _torch_mlp(torch)
    tm.load_state_dict(torch.load(tmp_path / "ember.pt", weights_only=True))
    x = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(tm(torch.tensor(x)).detach().numpy(),
                               em(ember.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)


def test_optimizer_checkpoint_crosses_both_ways(torch, tmp_path):
    tm = _torch_mlp(torch)
    topt = torch.optim.Adam(tm.parameters(), lr=0.01)
    tm(torch.ones(2, 4)).sum().backward()
    topt.step()
    torch.save({"epoch": 3, "model_state_dict": tm.state_dict(),
                "optimizer_state_dict": topt.state_dict(), "loss": 0.25}, tmp_path / "t.pt")
    ckpt = ember.load(tmp_path / "t.pt")
    assert ckpt["epoch"] == 3 and ckpt["loss"] == 0.25
    em = _ember_mlp()
    em.load_state_dict(ckpt["model_state_dict"])
    eopt = ember.optim.Adam(em.parameters(), lr=0.5)
    eopt.load_state_dict(ckpt["optimizer_state_dict"])
    assert eopt.param_groups[0]["lr"] == 0.01
    state = eopt.state_dict()["state"]
    for i, tstate in topt.state_dict()["state"].items():
        np.testing.assert_array_equal(state[i]["exp_avg"].numpy(), tstate["exp_avg"].numpy())
        assert state[i]["step"].item() == tstate["step"].item()
    ember.save({"optimizer_state_dict": eopt.state_dict()}, tmp_path / "e.pt")
    topt2 = torch.optim.Adam(_torch_mlp(torch).parameters(), lr=0.5)
    topt2.load_state_dict(torch.load(tmp_path / "e.pt", weights_only=True)
                          ["optimizer_state_dict"])
    assert topt2.param_groups[0]["lr"] == 0.01


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
@pytest.mark.parametrize("protocol", [2, 3])  # torch cannot weights-only read FRAME (4+)
def test_torch_reads_other_protocols_and_ref_device(torch, protocol):
    x = ember.arange(6.0, device="ref").reshape(2, 3)
    buf = io.BytesIO()
    ember.save({"x": x, "col": x[:, 1]}, buf, pickle_protocol=protocol)
    buf.seek(0)
    out = torch.load(buf, weights_only=True, map_location="cpu")
    check(x, out["x"])
    check(x[:, 1], out["col"])


def test_torch_mmap_with_predicted_offsets(torch, tmp_path, monkeypatch):
    # torch.load(mmap=True) can compute where each record's data starts from miniz's layout
    # (calculate_storage_offsets); its debug mode checks the prediction against the file.
    from torch.utils.serialization import config

    monkeypatch.setenv("TORCH_SERIALIZATION_DEBUG", "1")
    # set and restore by assignment: monkeypatch's undo would delattr the config entry
    # (torch's config proxy has no instance attribute), breaking later torch.load calls
    previous = config.load.calculate_storage_offsets
    config.load.calculate_storage_offsets = True
    try:
        obj = {"a": ember.arange(5.0), "empty": ember.zeros(0), "b": ember.ones(3, 70),
               "c": ember.tensor([True]), "d": ember.arange(3, dtype=ember.int16)}
        ember.save(obj, tmp_path / "m.pt")
        out = torch.load(tmp_path / "m.pt", mmap=True, weights_only=True)
        for k in obj:
            check(obj[k], out[k])
    finally:
        config.load.calculate_storage_offsets = previous


@pytest.mark.parametrize("name", PAIRS)
def test_torch_legacy_format(name, torch, tmp_path):
    x = torch.tensor(values(name, 12), dtype=getattr(torch, name)).reshape(3, 4)
    obj = {"x": x, "t": x.t(), "row": x[1, 1:], "zero_d": x[0, 0], "empty": x[:0],
           "p": torch.nn.Parameter(torch.ones(2)), "other": torch.arange(3)}
    torch.save(obj, tmp_path / "old.pt", _use_new_zipfile_serialization=False)
    for ml in (None, "ref"):
        out = ember.load(tmp_path / "old.pt", map_location=ml)
        for k in obj:
            assert out[k].tolist() == obj[k].tolist() and tuple(out[k].shape) == obj[k].shape
            assert tuple(out[k].stride()) == obj[k].stride()
        assert type(out["p"]) is ember.nn.Parameter
        out["x"][1, 2] = out["x"][0, 0]
        assert out["row"][1].item() == out["x"][0, 0].item()


def test_torch_legacy_module_needs_weights_only_false(torch, tmp_path):
    torch.save(torch.nn.Linear(2, 2), tmp_path / "m.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear"):
        ember.load(tmp_path / "m.pt")


def test_torch_conjugated_and_negated_views(torch):
    z = torch.tensor([1 + 2j, 3 - 1j])
    out = torch_to_ember({"conj": z.conj(), "neg": torch.tensor([1.0, -2.0])._neg_view()}, torch)
    assert out["conj"].tolist() == [1 - 2j, 3 + 1j]
    assert out["neg"].tolist() == [-1.0, 2.0]


def test_torch_shared_storage_with_offsets(torch):
    base = torch.arange(20.0)
    obj = [base[5:15].view(2, 5), base[3:8], base]
    out = torch_to_ember(obj, torch)
    for e, t in zip(out, obj):
        check(e, t)
    out[2][6] = -1.0
    assert out[0][0, 1].item() == -1.0 and out[1][3].item() == -1.0
