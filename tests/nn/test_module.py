"""ember.nn.Module and Parameter against PyTorch: registration, iteration order, state_dict,
load_state_dict (keys and error texts), modes, hooks, conversions, repr."""

from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn


def _affine_cls(lib):
    """A small layer written the same way for torch and for ember (no functional needed)."""

    class Affine(lib.nn.Module):
        def __init__(self, n_in, n_out, bias=True):
            super().__init__()
            self.n_in, self.n_out = n_in, n_out
            self.weight = lib.nn.Parameter(lib.ones(n_out, n_in))
            if bias:
                self.bias = lib.nn.Parameter(lib.zeros(n_out))
            else:
                self.register_parameter("bias", None)
            self.register_buffer("calls", lib.zeros(1, dtype=lib.int64))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)

        def forward(self, x):
            out = x @ self.weight.T
            return out if self.bias is None else out + self.bias

        def extra_repr(self):
            return f"n_in={self.n_in}, n_out={self.n_out}"

    return Affine


def _net(lib):
    """A nested model: submodules, a Sequential, a ModuleDict and a shared parameter."""
    Affine = _affine_cls(lib)

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = Affine(3, 4)
            self.layers = lib.nn.Sequential(Affine(4, 4), lib.nn.Identity(), Affine(4, 2, False))
            self.heads = lib.nn.ModuleDict({"b": Affine(2, 1), "a": Affine(2, 2)})
            self.scale = lib.nn.Parameter(lib.ones(1))
            self.register_buffer("step", lib.zeros(()))
            self.tied = self.stem  # the same module under two names

        def forward(self, x):
            return self.layers(self.stem(x)) * self.scale

    return Net()


def _np_state(sd):
    return {k: v.detach().cpu().numpy() for k, v in sd.items()}


# ------------------------------------------------------------------ Parameter
def test_parameter_repr_and_type(torch):
    p = nn.Parameter(ember.tensor([1.0, 2.0]))
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert isinstance(p, ember.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    q = nn.Parameter(ember.tensor([1, 2]), requires_grad=False)
    assert repr(q) == repr(torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False))
    assert repr(nn.Parameter()) == repr(torch.nn.Parameter())


def test_parameter_shares_data_and_ops_return_tensors():
    t = ember.zeros(3)
    p = nn.Parameter(t)
    with ember.no_grad():
        p.add_(1.0)
    np.testing.assert_array_equal(t.numpy(), [1.0, 1.0, 1.0])
    out = p * 2
    assert type(out) is ember.Tensor and out.grad_fn is not None
    assert type(p.detach()) is ember.Tensor and type(p.data) is ember.Tensor
    assert p.requires_grad_(False) is p


def test_parameter_rejects_integer_grad_and_non_tensors():
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(ember.tensor([1, 2]))
    with pytest.raises(TypeError, match="must be Tensor"):
        nn.Parameter([1.0, 2.0])


def test_parameter_deepcopy_and_pickle_keep_class_and_flag():
    for p in (nn.Parameter(ember.ones(2)), nn.Parameter(ember.ones(2), requires_grad=False)):
        for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
            assert type(q) is nn.Parameter and q.requires_grad == p.requires_grad
            np.testing.assert_array_equal(q.detach().numpy(), [1.0, 1.0])
    p = nn.Parameter(ember.ones(2))
    memo = {}
    assert copy.deepcopy(p, memo) is copy.deepcopy(p, memo)


def test_buffer_marker_registers_buffers(torch):
    m = nn.Module()
    m.steps = nn.Buffer(ember.zeros(1))
    m.tmp = nn.Buffer(ember.zeros(1), persistent=False)
    assert isinstance(m.steps, nn.Buffer) and not isinstance(ember.zeros(1), nn.Buffer)
    assert list(dict(m.named_buffers())) == ["steps", "tmp"]
    assert list(m.state_dict()) == ["steps"]


# ------------------------------------------------------------------ registration
def test_setattr_registers_and_reassigns():
    m = nn.Module()
    m.w = nn.Parameter(ember.ones(2))
    m.register_buffer("b", ember.zeros(2))
    m.sub = nn.Module()
    m.plain = ember.zeros(1)  # a plain tensor is an ordinary attribute
    assert list(m._parameters) == ["w"] and list(m._buffers) == ["b"]
    assert list(m._modules) == ["sub"] and "plain" in m.__dict__
    m.b = ember.ones(3)  # a tensor assigned to a buffer name replaces the buffer
    assert m._buffers["b"].shape == (3,)
    m.w = None
    assert m._parameters["w"] is None and m.w is None
    with pytest.raises(TypeError, match="cannot assign 'ember.FloatTensor' as parameter 'w'"):
        m.w = ember.ones(2)
    with pytest.raises(TypeError, match="as child module 'sub'"):
        m.sub = 3
    m.sub = nn.Parameter(ember.ones(1))  # a Parameter replaces a module of the same name
    assert "sub" not in m._modules and "sub" in m._parameters
    del m.sub, m.b
    assert "sub" not in m._parameters and "b" not in m._buffers
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nothing'"):
        m.nothing  # noqa: B018


def test_registration_errors_match_torch(torch):
    def errors(lib):
        out = []
        m = lib.nn.Module()
        m.x = 1
        for call in (lambda: m.register_parameter("a.b", None),
                     lambda: m.register_parameter("", None),
                     lambda: m.register_parameter("x", None),
                     lambda: m.register_buffer("a.b", None),
                     lambda: m.add_module("a.b", lib.nn.Module()),
                     lambda: m.add_module("x", lib.nn.Module()),
                     lambda: m.add_module("y", 3),
                     lambda: m.register_parameter(1, None),
                     lambda: m.register_parameter("z", lib.ones(1) * 2)):
            with pytest.raises(Exception) as info:  # noqa: B017 - compared below
                call()
            out.append((type(info.value), str(info.value).replace("torch", "ember")))
        return out

    assert errors(ember) == errors(torch)

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ember.ones(1))

    with pytest.raises(AttributeError, match="cannot assign parameters before Module"):
        Early()


def test_non_leaf_parameter_is_refused():
    m = nn.Module()
    w = nn.Parameter(ember.ones(1))
    non_leaf = nn.Parameter(ember.ones(1))
    non_leaf._grad_fn = (w * 2).grad_fn  # what an in-place op recorded on it would leave
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'p'"):
        m.register_parameter("p", non_leaf)


# ------------------------------------------------------------------ iteration
def test_iteration_order_and_shared_members_match_torch(torch):
    tm, em = _net(torch), _net(ember)
    for method in ("named_parameters", "named_buffers", "named_modules"):
        for kwargs in ({}, {"remove_duplicate": False}, {"prefix": "model"}):
            if method == "named_modules" and "prefix" in kwargs:
                kwargs = {"prefix": "model"}
            names_t = [n for n, _ in getattr(tm, method)(**kwargs)]
            names_e = [n for n, _ in getattr(em, method)(**kwargs)]
            assert names_e == names_t, (method, kwargs)
    assert [n for n, _ in em.named_parameters(recurse=False)] == ["scale"]
    assert [n for n, _ in em.named_children()] == [n for n, _ in tm.named_children()]
    assert len(list(em.parameters())) == len(list(tm.parameters()))
    assert len(list(em.modules())) == len(list(tm.modules()))


def test_shared_parameter_appears_once():
    m = nn.Sequential(nn.Module(), nn.Module())
    w = nn.Parameter(ember.ones(2))
    m[0].w = w
    m[1].w = w
    assert [n for n, _ in m.named_parameters()] == ["0.w"]
    assert [n for n, _ in m.named_parameters(remove_duplicate=False)] == ["0.w", "1.w"]
    assert list(m.state_dict()) == ["0.w", "1.w"]


def test_get_submodule_parameter_buffer(torch):
    em, tm = _net(ember), _net(torch)
    assert em.get_submodule("layers.0") is em.layers[0]
    assert em.get_parameter("layers.0.weight") is em.layers[0].weight
    assert em.get_buffer("stem.calls") is em.stem.calls
    for target in ("layers.7", "stem.weight.x", "nothing"):
        with pytest.raises(AttributeError) as e_err:
            em.get_submodule(target)
        with pytest.raises(AttributeError) as t_err:
            tm.get_submodule(target)
        assert str(e_err.value) == str(t_err.value)
    with pytest.raises(AttributeError, match="`calls` is not an nn.Parameter"):
        em.get_parameter("stem.calls")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        em.get_buffer("stem.weight")
    new = nn.Module()
    em.set_submodule("layers.1", new)
    assert em.layers[1] is new


# ------------------------------------------------------------------ state_dict
def test_state_dict_keys_order_and_values_match_torch(torch):
    tm, em = _net(torch), _net(ember)
    t_sd, e_sd = tm.state_dict(), em.state_dict()
    assert list(e_sd) == list(t_sd)
    assert isinstance(e_sd, OrderedDict)
    assert all(not v.requires_grad and type(v) is ember.Tensor for v in e_sd.values())
    assert all(isinstance(v, nn.Parameter) for k, v in em.state_dict(keep_vars=True).items()
               if k in dict(em.named_parameters(remove_duplicate=False)))
    assert list(em.state_dict(prefix="net.")) == list(tm.state_dict(prefix="net."))
    assert e_sd._metadata == t_sd._metadata


def test_state_dict_values_are_detached_views():
    m = _net(ember)
    sd = m.state_dict()
    with ember.no_grad():
        m.scale.fill_(3.0)
    assert sd["scale"].item() == 3.0  # shares memory with the parameter


def test_load_state_dict_round_trip_copies_in_place(torch):
    tm, em = _net(torch), _net(ember)
    with torch.no_grad():
        for p in tm.parameters():
            p.uniform_(-1, 1)
    before = em.layers[0].weight
    result = em.load_state_dict({k: ember.tensor(v) for k, v in _np_state(tm.state_dict()).items()})
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert em.layers[0].weight is before and em.layers[0].weight.requires_grad
    for k, v in _np_state(tm.state_dict()).items():
        np.testing.assert_array_equal(em.state_dict()[k].numpy(), v)


def _load_outcome(lib, model, sd, **kwargs):
    try:
        return "ok", model.load_state_dict(sd, **kwargs)
    except RuntimeError as e:
        return "error", str(e).replace("torch.Size", "ember.Size")


def test_load_state_dict_errors_match_torch(torch):
    tm, em = _net(torch), _net(ember)
    t_sd, e_sd = tm.state_dict(), em.state_dict()
    for mutate in (
        lambda sd, lib: sd.pop("layers.0.weight"),
        lambda sd, lib: sd.__setitem__("extra.weight", lib.zeros(1)),
        lambda sd, lib: sd.__setitem__("stem.nothing", lib.zeros(1)),
        lambda sd, lib: sd.__setitem__("stem.weight", lib.zeros(5, 3)),
        lambda sd, lib: (sd.pop("scale"), sd.__setitem__("heads.a.bias", lib.zeros(3)),
                         sd.__setitem__("zzz", lib.zeros(1))),
    ):
        t_copy, e_copy = OrderedDict(t_sd), OrderedDict(e_sd)
        mutate(t_copy, torch)
        mutate(e_copy, ember)
        for strict in (True, False):
            t_kind, t_out = _load_outcome(torch, tm, t_copy, strict=strict)
            e_kind, e_out = _load_outcome(ember, em, e_copy, strict=strict)
            assert e_kind == t_kind
            if t_kind == "error":
                assert e_out == t_out
            else:
                assert e_out == t_out and repr(e_out) == repr(t_out)


def test_load_state_dict_error_text():
    m = nn.Module()
    m.fc = nn.Module()
    m.fc.weight = nn.Parameter(ember.zeros(2, 3))
    m.fc.bias = nn.Parameter(ember.zeros(2))
    with pytest.raises(RuntimeError) as info:
        m.load_state_dict({"fc.weight": ember.zeros(3, 3), "fc.extra": ember.zeros(1)})
    assert str(info.value) == (
        "Error(s) in loading state_dict for Module:\n"
        '\tMissing key(s) in state_dict: "fc.bias". \n'
        '\tUnexpected key(s) in state_dict: "fc.extra". \n'
        "\tsize mismatch for fc.weight: copying a param with shape ember.Size([3, 3]) from "
        "checkpoint, the shape in current model is ember.Size([2, 3]).")
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        m.load_state_dict([1, 2])


def test_load_state_dict_assign_and_hooks():
    m = nn.Module()
    m.w = nn.Parameter(ember.zeros(2))
    new = ember.ones(2)
    seen = []
    m.register_load_state_dict_post_hook(lambda mod, keys: seen.append(keys))
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: seen.append(prefix))
    m.load_state_dict({"w": new}, assign=True)
    assert isinstance(m.w, nn.Parameter) and m.w.requires_grad
    new.fill_(5.0)  # assign=True keeps the checkpoint's storage
    np.testing.assert_array_equal(m.w.detach().numpy(), [5.0, 5.0])
    m.state_dict(prefix="p.")
    assert len(seen) == 2 and seen[1] == "p."


# ------------------------------------------------------------------ modes, conversions
def test_train_eval_propagate():
    m = _net(ember)
    assert all(mod.training for mod in m.modules())
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.layers.train()
    assert m.layers[0].training and not m.stem.training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        m.train("yes")


def test_to_dtype_converts_only_floating_tensors_in_place():
    m = _net(ember)
    w = m.stem.weight
    out = m.to(ember.float64)
    assert out is m and m.stem.weight is w and w.dtype == ember.float64 and w.requires_grad
    assert m.stem.calls.dtype == ember.int64 and m.step.dtype == ember.float64
    m.half()
    assert w.dtype == ember.float16 and m.stem.calls.dtype == ember.int64
    m.float()
    assert w.dtype == ember.float32
    m.to(ember.zeros(1, dtype=ember.float64))
    assert w.dtype == ember.float64
    m.to("cpu", ember.float32, non_blocking=True)
    assert w.dtype == ember.float32
    m.type(ember.float64)
    assert m.stem.calls.dtype == ember.float64  # type() casts every tensor, as in torch
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
        m.to(ember.int32)


def test_to_converts_gradients_too():
    m = nn.Module()
    m.w = nn.Parameter(ember.ones(2))
    (m.w * 3).sum().backward()
    m.double()
    assert m.w.grad.dtype == ember.float64
    np.testing.assert_array_equal(m.w.grad.numpy(), [3.0, 3.0])


def test_to_other_device_keeps_parameter_identity():
    m = nn.Module()
    m.w = nn.Parameter(ember.ones(2))
    w = m.w
    m.to("ref")
    assert m.w is w and w.device.type == "ref" and isinstance(w, nn.Parameter)
    m.cpu()
    assert w.device.type == "cpu"


def test_zero_grad_and_requires_grad_():
    m = _net(ember)
    x = ember.ones(5, 3)
    m(x).sum().backward()
    assert m.stem.weight.grad is not None
    m.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(m.stem.weight.grad.numpy(), np.zeros((4, 3)))
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_apply_visits_children_first():
    m = _net(ember)
    order = []
    assert m.apply(lambda mod: order.append(type(mod).__name__)) is m
    assert order[-1] == "Net" and order[0] == "Affine"


# ------------------------------------------------------------------ hooks
def _hook_trace(lib):
    trace = []
    m = _affine_cls(lib)(2, 2)
    h1 = m.register_forward_pre_hook(lambda mod, args: trace.append("pre1"))
    m.register_forward_pre_hook(lambda mod, args: trace.append("pre0"), prepend=True)
    m.register_forward_pre_hook(lambda mod, args, kwargs: (trace.append("prekw"), None)[1],
                                with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: trace.append("post1"))
    m.register_forward_hook(lambda mod, args, kwargs, out: trace.append("postkw"),
                            with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: trace.append("post0"), prepend=True)
    m(lib.ones(1, 2))
    h1.remove()
    m(lib.ones(1, 2))
    return trace


def test_hook_order_matches_torch(torch):
    assert _hook_trace(ember) == _hook_trace(torch)


def test_hooks_can_replace_inputs_and_outputs():
    m = nn.Identity()
    m.register_forward_pre_hook(lambda mod, args: args[0] + 1)
    handle = m.register_forward_hook(lambda mod, args, out: out * 10)
    np.testing.assert_array_equal(m(ember.zeros(2)).numpy(), [10.0, 10.0])
    handle.remove()
    handle.remove()  # removing twice is harmless
    np.testing.assert_array_equal(m(ember.zeros(2)).numpy(), [1.0, 1.0])
    with m.register_forward_pre_hook(lambda mod, args, kwargs: ((args[0] * 0,), kwargs),
                                     with_kwargs=True):
        np.testing.assert_array_equal(m(ember.ones(2)).numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(m(ember.ones(2)).numpy(), [2.0, 2.0])


def test_always_call_hook_runs_when_forward_raises():
    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    seen = []
    m = Boom()
    m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        m(1)
    assert seen == [None]


def test_global_forward_hooks():
    seen = []
    h = nn.modules.register_module_forward_pre_hook(lambda mod, args: seen.append("pre"))
    h2 = nn.modules.register_module_forward_hook(lambda mod, args, out: seen.append("post"))
    try:
        _affine_cls(ember)(1, 1)(ember.ones(1, 1))
    finally:
        h.remove()
        h2.remove()
    _affine_cls(ember)(1, 1)(ember.ones(1, 1))
    assert seen == ["pre", "post"]


def test_missing_forward():
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required'):
        nn.Module()(1)


# ------------------------------------------------------------------ repr, dir, pickle
def test_repr_of_nested_model_matches_torch(torch):
    assert repr(_net(ember)) == repr(_net(torch))


def test_dir_lists_members():
    m = _net(ember)
    d = dir(m)
    for name in ("stem", "scale", "step", "forward", "training", "state_dict"):
        assert name in d
    assert "0" not in dir(m.layers)


_Affine = _affine_cls(ember)
_Affine.__qualname__ = "_Affine"  # picklable by reference


class _Picklable(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(_Affine(3, 2))
        self.tied = self.stem

    def forward(self, x):
        return self.stem(x)


def test_deepcopy_and_pickle_module():
    m = _net(ember)
    m2 = copy.deepcopy(m)
    assert m2.tied is m2.stem and m2.stem.weight is not m.stem.weight
    assert list(m2.state_dict()) == list(m.state_dict())
    m = _Picklable()
    for m2 in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert list(m2.state_dict()) == list(m.state_dict())
        assert m2.tied is m2.stem and m2.stem[0].weight is not m.stem[0].weight
        assert isinstance(m2.stem[0].weight, nn.Parameter)
        np.testing.assert_array_equal(m2(ember.ones(1, 3)).detach().numpy(),
                                      m(ember.ones(1, 3)).detach().numpy())


def test_modules_on_reference_backend():
    m = _affine_cls(ember)(2, 3).to("ref")
    out = m(ember.ones(4, 2, device="ref"))
    assert out.device.type == "ref"
    np.testing.assert_array_equal(np.array(out.tolist()), np.full((4, 3), 2.0))


# ------------------------------------------------------------------ backward hooks
def _backward_trace(lib, input_requires_grad):
    trace = []
    m = _affine_cls(lib)(3, 2)
    m.register_full_backward_pre_hook(
        lambda mod, gout: trace.append(("pre", [tuple(g.shape) for g in gout])))
    m.register_full_backward_hook(
        lambda mod, gin, gout: trace.append(("full", [None if g is None else g.tolist()
                                                      for g in gin],
                                             [g.tolist() for g in gout])))
    m.register_full_backward_hook(lambda mod, gin, gout: trace.append("first"), prepend=True)
    x = lib.ones(2, 3, requires_grad=input_requires_grad)
    (m(x) * 2).sum().backward()
    return trace


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")
@pytest.mark.parametrize("input_requires_grad", [True, False])
def test_full_backward_hooks_match_torch(torch, input_requires_grad):
    assert (_backward_trace(ember, input_requires_grad)
            == _backward_trace(torch, input_requires_grad))


def test_backward_hooks_can_replace_gradients(torch):
    def grads(lib):
        m = _affine_cls(lib)(2, 2)
        m.register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 3,))
        h = m.register_full_backward_hook(lambda mod, gin, gout: (gin[0] + 1,))
        x = lib.ones(1, 2, requires_grad=True)
        m(x).sum().backward()
        first = (x.grad.tolist(), m.weight.grad.tolist())
        h.remove()
        x.grad = None
        m(x).sum().backward()
        return first, x.grad.tolist()

    assert grads(ember) == grads(torch)
