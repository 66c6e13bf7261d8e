"""ember.autocast / ember.amp.autocast and its thread-local state, against torch.autocast."""

from __future__ import annotations

import threading
import warnings

import pytest

import ember
from ember.amp._state import AUTOCAST_ACTIVE, autocast_args, autocast_lower


def test_state_inside_and_outside(torch):
    for lib in (ember, torch):
        assert lib.get_autocast_dtype("cpu") == lib.bfloat16
        assert lib.get_autocast_dtype("cuda") == lib.float16
        assert not lib.is_autocast_enabled("cpu")
        with lib.autocast("cpu"):
            assert lib.is_autocast_enabled("cpu")
            assert not lib.is_autocast_enabled()  # no device type means CUDA
            with lib.autocast("cpu", enabled=False):
                assert not lib.is_autocast_enabled("cpu")
            assert lib.is_autocast_enabled("cpu")
            with lib.autocast("cpu", dtype=lib.float16):
                assert lib.get_autocast_dtype("cpu") == lib.float16
            assert lib.get_autocast_dtype("cpu") == lib.bfloat16
        assert not lib.is_autocast_enabled("cpu")
    assert ember.autocast is ember.amp.autocast
    assert AUTOCAST_ACTIVE[0] == 0


def test_decorator(torch):
    @ember.autocast("cpu")
    def f():
        return ember.is_autocast_enabled("cpu")

    assert f() and not ember.is_autocast_enabled("cpu")


def test_exception_restores_state():
    with pytest.raises(KeyError), ember.autocast("cpu"):
        raise KeyError
    assert not ember.is_autocast_enabled("cpu") and AUTOCAST_ACTIVE[0] == 0


def test_state_is_thread_local():
    seen = []
    with ember.autocast("cpu"):
        t = threading.Thread(target=lambda: seen.append(ember.is_autocast_enabled("cpu")))
        t.start()
        t.join()
    assert seen == [False]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unsupported_cpu_dtype_warns_and_disables(dtype, torch):
    msgs = []
    for lib in (ember, torch):
        with pytest.warns(UserWarning) as rec, lib.autocast("cpu", dtype=getattr(lib, dtype)):
            assert not lib.is_autocast_enabled("cpu")
        msgs.append(str(rec[0].message))
    assert msgs[0] == msgs[1]


def test_cuda_without_cuda_warns_and_disables(torch):
    assert not ember.cuda.is_available() and not torch.cuda.is_available()
    msgs = []
    for lib in (ember, torch):
        with pytest.warns(UserWarning) as rec, lib.autocast("cuda"):
            assert not lib.is_autocast_enabled("cuda")
        msgs.append(str(rec[0].message))
    assert msgs[0] == msgs[1] == "CUDA is not available or torch_xla is imported. Disabling autocast."


def test_bad_device_type(torch):
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        ember.autocast(3)
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        torch.autocast(3)
    with pytest.raises(RuntimeError, match="unsupported autocast device_type 'foo'"):
        ember.autocast("foo")
    with pytest.raises(RuntimeError):
        torch.autocast("foo")
    assert ember.amp.is_autocast_available("cpu") and ember.amp.is_autocast_available("ref")


def test_autocast_args_casting_rules():
    a, d = ember.ones(2, 2), ember.ones(2, 2, dtype=ember.float64)
    i = ember.ones(2, 2, dtype=ember.int64)
    assert autocast_args(a, None) == (a, None)  # outside autocast: untouched
    with ember.autocast("cpu"):
        ca, cd, ci, none = autocast_args(a, d, i, None)
    assert (ca.dtype, cd, ci, none) == (ember.bfloat16, d, i, None)  # float64/int/None stay


def test_weight_cast_is_cached_in_region():
    w = ember.ones(2, 2, requires_grad=True)
    with ember.autocast("cpu"):
        first, = autocast_args(w)
        again, = autocast_args(w)
        assert first is again
    with ember.autocast("cpu", cache_enabled=False):
        assert autocast_args(w)[0] is not autocast_args(w)[0]


def test_autocast_lower_casts_matmul_and_keeps_gradients(torch):
    mm = autocast_lower(ember.matmul)  # the decorator the matmul family is meant to carry
    a = ember.ones(2, 3, requires_grad=True)
    b = ember.ones(3, 4, requires_grad=True)
    with ember.autocast("cpu"):
        y = mm(a, b)
    assert y.dtype == ember.bfloat16
    y.float().sum().backward()
    assert a.grad.dtype == ember.float32 and a.grad.tolist() == [[4.0] * 3] * 2
    ta = torch.ones(2, 3)
    with torch.autocast("cpu"):
        assert torch.matmul(ta, torch.ones(3, 4)).dtype == torch.bfloat16


@pytest.mark.parametrize("op", ["matmul", "mm", "bmm", "linear", "conv1d"])
def test_ops_run_in_autocast_dtype(op):
    F = ember.nn.functional
    a = ember.ones(2, 3, 3)
    calls = {"matmul": lambda: ember.matmul(a[0], a[0]), "mm": lambda: ember.mm(a[0], a[0]),
             "bmm": lambda: ember.bmm(a, a),
             "linear": lambda: F.linear(a[0], a[0], ember.ones(3)),
             "conv1d": lambda: F.conv1d(a, ember.ones(2, 3, 2), ember.ones(2))}
    with warnings.catch_warnings(), ember.autocast("cpu"):
        assert calls[op]().dtype == ember.bfloat16
