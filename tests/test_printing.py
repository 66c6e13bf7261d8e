"""The tensor printer (``ember._printing``) against PyTorch's own ``repr``.

Each case builds a tensor in PyTorch, feeds its values (edge items only, when summarised)
to :func:`ember._printing.format_tensor`, and expects ``repr(t)`` with ``torch.`` spelt
``ember.``.
"""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch", reason="PyTorch 2.13 is the oracle for tensor printing")

from ember._printing import (  # noqa: E402
    edgeitems,
    format_tensor,
    get_printoptions,
    needs_summary,
    printoptions,
    set_printoptions,
)
from ember.backend import _dtypes  # noqa: E402

nan, inf = math.nan, math.inf
T = torch.tensor


def _seeded(fn, seed=0):
    torch.manual_seed(seed)
    return fn()


def _randn(*shape, seed=0, scale=1.0, dtype=torch.float32, requires_grad=False):
    g = torch.Generator().manual_seed(seed)
    t = (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(dtype)
    return t.requires_grad_(requires_grad)


@pytest.fixture(autouse=True)
def _reset_printoptions():
    """Every test starts and ends with the default options, in ember and in torch."""
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    default_dtype = torch.get_default_dtype()
    yield
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(default_dtype)


def _edge_data(t):
    """``t.tolist()``, or only its edge items along each long dimension when summarised."""
    t = t.detach()
    if not needs_summary(tuple(t.shape)):
        return t.tolist(), False
    e = edgeitems()
    for ax, n in enumerate(t.shape):
        if n > 2 * e:
            t = torch.cat([t.narrow(ax, 0, e), t.narrow(ax, n - e, e)], dim=ax)
    return t.tolist(), True


def _ember_repr(t, **kw):
    data, summarized = _edge_data(t)
    grad_fn = t.grad_fn
    return format_tensor(
        data, tuple(t.shape), _dtypes.by_name(str(t.dtype).removeprefix("torch.")),
        requires_grad=t.requires_grad,
        grad_fn_name=None if grad_fn is None else type(grad_fn).__name__,
        default_float_dtype_name=str(torch.get_default_dtype()).removeprefix("torch."),
        summarized=summarized, **kw,
    )


def _check(t):
    assert _ember_repr(t) == repr(t).replace("torch.", "ember.")


# ------------------------------------------------------------------ values and dtypes
CASES = {
    # floating, int mode
    "int_mode": lambda: T([1., 2.]),
    "int_mode_neg": lambda: T([-1., 20., 300.]),
    "int_mode_big": lambda: T([1e7, 2.]),
    "int_mode_sci": lambda: T([1e9, 1.]),
    "int_mode_1e8": lambda: T([1e8, 2e8]),
    "zero": lambda: T([0.]),
    "zeros": lambda: T([0., 0., 0.]),
    "neg_zero": lambda: T([-0.]),
    "neg_zero_int_mode": lambda: T([-0., 1.]),
    "neg_zero_frac": lambda: T([-0., 1.5]),
    "neg_zero_sci": lambda: T([-0., 1e-5, 1.]),
    # floating, fixed point
    "frac": lambda: T([1.5, 2.25]),
    "frac_neg": lambda: T([-1.5, 2., 0.]),
    "tenths": lambda: T([0.1, 0.2, 0.3]),
    "pi": lambda: T([3.14159265, -2.71828]),
    "ratio_1000": lambda: T([1., 1000.5]),
    "round_up_width": lambda: T([9.99996, 0.5]),
    "randn10": lambda: _randn(10),
    "randn_scaled": lambda: _randn(6, scale=100.0, seed=3),
    # floating, scientific
    "small": lambda: T([1e-5, 1.]),
    "small_only": lambda: T([1e-5]),
    "big_only": lambda: T([1e9]),
    "ratio_over_1000": lambda: T([1., 1001.5]),
    "huge": lambda: T([1e20, -1.5]),
    "tiny_randn": lambda: _randn(5, scale=1e-6, seed=1),
    "large_randn": lambda: _randn(5, scale=1e10, seed=2),
    "float64_extremes": lambda: T([1e-300, 1e300], dtype=torch.float64),
    # nan / inf
    "nan": lambda: T([nan]),
    "infs": lambda: T([inf, -inf]),
    "nan_int_mode": lambda: T([nan, 1.]),
    "nan_frac": lambda: T([nan, 1.5, -inf]),
    "inf_sci": lambda: T([inf, 1e-5, 3.]),
    "nan_zero_small": lambda: T([1e-5, 0., nan]),
    # integers and bools
    "arange": lambda: torch.arange(10),
    "ints_mixed": lambda: T([-1, 100, 5]),
    "int64_big": lambda: T([2 ** 62, -3]),
    "int32": lambda: T([1, 2], dtype=torch.int32),
    "int16": lambda: T([-300, 7], dtype=torch.int16),
    "int8": lambda: T([-128, 127, 0], dtype=torch.int8),
    "uint8": lambda: T([0, 255, 9], dtype=torch.uint8),
    "bool": lambda: T([True, False]),
    "bool_true": lambda: T([True, True]),
    "bool_2d": lambda: T([[True, False], [False, True]]),
    # other floating dtypes
    "float64": lambda: T([1.5, 2.]),
    "float64_int_mode": lambda: T([1., 2.], dtype=torch.float64),
    "float16": lambda: T([0.1, 1 / 3, 65504.], dtype=torch.float16),
    "float16_frac": lambda: T([0.1, 1 / 3], dtype=torch.float16),
    "bfloat16": lambda: T([0.1, 1 / 3, 100.7], dtype=torch.bfloat16),
    "bfloat16_int_mode": lambda: T([3., 257.], dtype=torch.bfloat16),
    "float16_sci": lambda: T([1e-5, 1.], dtype=torch.float16),
    # complex
    "complex": lambda: T([1 + 2j, -3.5 - 0.25j]),
    "complex_int_mode": lambda: T([1 + 2j, 3 - 4j]),
    "complex_zero_imag": lambda: T([0j, 1j, -1 - 0j]),
    "complex_neg_zero_imag": lambda: torch.complex(T([1., 2.]), T([-0., 0.])),
    "complex_nan": lambda: T([complex(nan, 1.), complex(1.5, inf)]),
    "complex_sci": lambda: T([1e-5 + 1j, 2 + 3e4j]),
    "complex128": lambda: T([1 + 2j], dtype=torch.complex128),
    "complex_2d": lambda: T([[1 + 1j, 2.5 - 1j], [0j, -1j]]),
    # 0-d
    "scalar_float": lambda: T(3.14),
    "scalar_int_mode": lambda: T(3.),
    "scalar_zero": lambda: T(0.),
    "scalar_neg_zero": lambda: T(-0.),
    "scalar_nan": lambda: T(nan),
    "scalar_inf": lambda: T(-inf),
    "scalar_int": lambda: T(5),
    "scalar_bool": lambda: T(True),
    "scalar_small": lambda: T(1e-10),
    "scalar_big": lambda: T(1e10),
    "scalar_float64": lambda: T(2.5, dtype=torch.float64),
    "scalar_int32": lambda: T(7, dtype=torch.int32),
    "scalar_float16": lambda: T(0.1, dtype=torch.float16),
    "scalar_complex": lambda: T(1 + 2j),
    "scalar_complex_neg": lambda: T(-1.5 - 0.5j),
    # empty
    "empty": lambda: T([]),
    "empty_int": lambda: T([], dtype=torch.int64),
    "empty_int32": lambda: T([], dtype=torch.int32),
    "empty_bool": lambda: T([], dtype=torch.bool),
    "empty_float64": lambda: T([], dtype=torch.float64),
    "empty_complex64": lambda: T([], dtype=torch.complex64),
    "empty_0x3": lambda: torch.zeros(0, 3),
    "empty_2x0x4_int32": lambda: torch.zeros(2, 0, 4, dtype=torch.int32),
    "empty_3x0": lambda: torch.zeros(3, 0),
    # multi-dimensional
    "2d_int": lambda: torch.arange(6).reshape(2, 3),
    "2d_randn": lambda: _randn(3, 4),
    "3d_randn": lambda: _randn(2, 3, 4),
    "4d_randn": lambda: _randn(2, 2, 2, 2, seed=5),
    "3d_ones": lambda: torch.ones(1, 1, 1),
    "3d_arange_float": lambda: torch.arange(24.).reshape(2, 3, 4),
    "2d_float64": lambda: _randn(2, 2, dtype=torch.float64),
    "3d_int_neg": lambda: torch.arange(-12, 12).reshape(2, 3, 4),
    "2d_sci": lambda: T([[1e-6, 1.], [2., 3.]]),
    "2d_single_col": lambda: torch.arange(4.).reshape(4, 1),
    # line wrapping
    "wrap_randn30": lambda: _randn(30),
    "wrap_arange100": lambda: torch.arange(100.),
    "wrap_int_thousands": lambda: torch.arange(50) * 1000,
    "wrap_linspace": lambda: torch.linspace(0, 1, 40),
    "wrap_2d": lambda: _randn(3, 30),
    "wrap_3d": lambda: _randn(2, 2, 25),
    "wrap_complex": lambda: torch.complex(_randn(20), _randn(20, seed=1)),
    "wrap_sci": lambda: _randn(25, scale=1e-7),
    "wrap_int32_suffix": lambda: torch.arange(40, dtype=torch.int32),
    "wrap_bool": lambda: torch.arange(30) % 3 == 0,
    # summarised
    "sum_1d_float": lambda: torch.arange(2000.),
    "sum_1d_int": lambda: torch.arange(2000),
    "sum_1001": lambda: torch.arange(1001.),
    "sum_50x50": lambda: _randn(50, 50),
    "sum_10x10x20": lambda: _randn(10, 10, 20),
    "sum_2x1000": lambda: _randn(2, 1000),
    "sum_1000x2": lambda: _randn(1000, 2),
    "sum_4d": lambda: _randn(4, 4, 4, 20),
    "sum_complex": lambda: torch.complex(_randn(1200), _randn(1200, seed=4)),
    "sum_bool": lambda: torch.arange(2000) % 2 == 0,
    "sum_int32": lambda: torch.arange(2000, dtype=torch.int32),
    "sum_float64": lambda: _randn(40, 40, dtype=torch.float64),
    "sum_edges_decide_sci": lambda: torch.cat([T([1.] * 3), torch.full((1000,), 1e-9),
                                               T([2.] * 3)]),
    # requires_grad and grad_fn
    "grad_leaf": lambda: _randn(3, requires_grad=True),
    "grad_leaf_float64": lambda: _randn(3, dtype=torch.float64, requires_grad=True),
    "grad_leaf_scalar": lambda: T(2.5, requires_grad=True),
    "grad_mul": lambda: T([1., 2.], requires_grad=True) * 2,
    "grad_add": lambda: T([1.5, 2.], requires_grad=True) + 1,
    "grad_sum": lambda: _randn(4, requires_grad=True).sum(),
    "grad_wrap": lambda: _randn(14, dtype=torch.float64, requires_grad=True),
    "grad_2d": lambda: _randn(2, 3, requires_grad=True) @ _randn(3, 2, seed=1),
    "grad_summarised": lambda: _randn(1500, requires_grad=True) * 3,
    "grad_empty": lambda: torch.zeros(0, 2, requires_grad=True),
}

# float64 vectors of every length from 6 to 16 reach the suffix-wrapping boundary
for _n in range(6, 17):
    CASES[f"suffix_wrap_float64_{_n}"] = (lambda n=_n: _randn(n, dtype=torch.float64, seed=n))
for _n in (19, 20, 21, 38, 39, 40):
    CASES[f"suffix_wrap_int16_{_n}"] = (lambda n=_n: torch.arange(n, dtype=torch.int16) * 7)


@pytest.mark.parametrize("name", sorted(CASES))
def test_repr_matches_torch(name):
    _check(_seeded(CASES[name]))


# ------------------------------------------------------------------ print options
OPTION_CASES = [
    ("precision2", {"precision": 2}, lambda: _randn(5)),
    ("precision2_sci", {"precision": 2}, lambda: T([1e-5, 1.])),
    ("precision0", {"precision": 0}, lambda: T([1.5, 2.25, 3.75])),
    ("precision8_float64", {"precision": 8}, lambda: _randn(4, dtype=torch.float64)),
    ("sci_off", {"sci_mode": False}, lambda: T([1e-5, 1.])),
    ("sci_off_big", {"sci_mode": False}, lambda: T([1e10, 1.])),
    ("sci_on", {"sci_mode": True}, lambda: T([1.5, 2.])),
    ("sci_on_int_mode", {"sci_mode": True}, lambda: T([1., 2.])),
    ("sci_on_zeros", {"sci_mode": True}, lambda: T([0., nan])),
    ("sci_on_complex", {"sci_mode": True}, lambda: T([1 + 2j])),
    ("full_1d", {"profile": "full"}, lambda: torch.arange(2000.)),
    ("full_2d", {"profile": "full"}, lambda: _randn(40, 30)),
    ("short_2d", {"profile": "short"}, lambda: _randn(50, 50)),
    ("short_small", {"profile": "short"}, lambda: _randn(5)),
    ("threshold5", {"threshold": 5}, lambda: torch.arange(10)),
    ("threshold5_2d", {"threshold": 5}, lambda: torch.arange(64.).reshape(8, 8)),
    ("threshold0_scalar", {"threshold": 0}, lambda: T(1.5)),
    ("edgeitems1", {"edgeitems": 1}, lambda: _randn(11, 10, 10)),
    ("edgeitems0", {"edgeitems": 0, "threshold": 10}, lambda: _randn(20)),
    ("edgeitems0_2d", {"edgeitems": 0, "threshold": 10}, lambda: _randn(5, 5)),
    ("edgeitems0_small", {"edgeitems": 0}, lambda: _randn(3)),
    ("linewidth40", {"linewidth": 40}, lambda: _randn(20)),
    ("linewidth40_suffix", {"linewidth": 40}, lambda: _randn(7, dtype=torch.float64)),
    ("linewidth1", {"linewidth": 1}, lambda: T([1, 2, 3], dtype=torch.int32)),
    ("linewidth120_2d", {"linewidth": 120}, lambda: _randn(3, 20)),
]


@pytest.mark.parametrize("opts, make", [c[1:] for c in OPTION_CASES],
                         ids=[c[0] for c in OPTION_CASES])
def test_repr_with_printoptions(opts, make):
    set_printoptions(**opts)
    torch.set_printoptions(**opts)
    _check(_seeded(make))


@pytest.mark.parametrize("make", [
    lambda: T([1.5, 2.]),
    lambda: T([1.5, 2.], dtype=torch.float64),
    lambda: T([1.5, 2.], dtype=torch.float32),
    lambda: T([1 + 1j], dtype=torch.complex64),
    lambda: T([1 + 1j], dtype=torch.complex128),
    lambda: T([], dtype=torch.float32),
    lambda: T([], dtype=torch.float64),
    lambda: T([1, 2]),
], ids=["default", "float64", "float32", "complex64", "complex128", "empty32", "empty64", "int"])
def test_default_dtype_float64(make):
    torch.set_default_dtype(torch.float64)
    _check(make())


def test_printoptions_roundtrip():
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    set_printoptions(precision=2, threshold=10, edgeitems=1, linewidth=60, sci_mode=True)
    torch.set_printoptions(precision=2, threshold=10, edgeitems=1, linewidth=60, sci_mode=True)
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    for profile in ("short", "full", "default"):
        set_printoptions(profile=profile)
        torch.set_printoptions(profile=profile)
        assert get_printoptions() == torch._tensor_str.get_printoptions()


def test_printoptions_context_manager():
    before = get_printoptions()
    with printoptions(precision=1, sci_mode=False):
        assert get_printoptions()["precision"] == 1
        assert format_tensor([1.25], (1,), _dtypes.float32) == "tensor([1.2])"
    assert get_printoptions() == before


def test_needs_summary_and_edgeitems():
    assert not needs_summary((1000,))
    assert needs_summary((1001,))
    assert needs_summary((10, 10, 11))
    assert not needs_summary(())
    assert edgeitems() == 3
    set_printoptions(profile="full")
    assert not needs_summary((10 ** 9,))
    set_printoptions(profile="short")
    assert edgeitems() == 2


# ------------------------------------------------------------------ device suffix
# The torch oracle here is CPU-only, so these strings are PyTorch's CUDA output, verbatim.
@pytest.mark.parametrize("args, expected", [
    (([1., 2.], (2,), _dtypes.float32), "tensor([1., 2.], device='cuda:0')"),
    (([1, 2], (2,), _dtypes.int32), "tensor([1, 2], device='cuda:0', dtype=ember.int32)"),
    (([], (0,), _dtypes.float32), "tensor([], device='cuda:0')"),
    ((2.5, (), _dtypes.float32), "tensor(2.5000, device='cuda:0')"),
    (([[]], (1, 0), _dtypes.int64),
     "tensor([], device='cuda:0', size=(1, 0), dtype=ember.int64)"),
])
def test_device_suffix(args, expected):
    assert format_tensor(*args, device_str="cuda:0") == expected


def test_device_suffix_with_grad():
    got = format_tensor([1.5], (1,), _dtypes.float64, device_str="cuda:1", requires_grad=True)
    assert got == "tensor([1.5000], device='cuda:1', dtype=ember.float64, requires_grad=True)"


def test_device_suffix_wraps_like_torch():
    # The device suffix comes first and wraps by the same rule as dtype=: here the rows of a
    # float64 vector leave room for the device on the last line but not for the dtype too.
    t = _randn(12, dtype=torch.float64, seed=12)
    body = repr(t).removesuffix(", dtype=torch.float64)")
    assert "\n" in body and "dtype" not in body
    got = format_tensor(t.tolist(), (12,), _dtypes.float64, device_str="cuda:0")
    assert got == body + ", device='cuda:0',\n       dtype=ember.float64)"


def test_bool_values_coerced():
    # Backends may hand back 0/1 for bool tensors; they still print as True/False.
    assert format_tensor([1, 0], (2,), _dtypes.bool_) == "tensor([ True, False])"
