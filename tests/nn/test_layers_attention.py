"""MultiheadAttention against PyTorch in float64: outputs, attention weights and the gradients
w.r.t. query/key/value and every parameter, for self- and cross-attention, separate key/value
sizes, extra key/value biases, zero attention, boolean and float masks of every shape."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _layer_oracle64 import check, data, pair

import ember
from ember import nn

L, S, N, E, H = 4, 5, 2, 6, 3


def _self(**kwargs):
    """A build function for self-attention (query, key and value the same tensor)."""
    return lambda lib, ts: ((ts[0], ts[0], ts[0]), kwargs)


def _run(torch, em, tm, arrays, build):
    """Like ``check`` but passing keyword arguments: ``build(lib, ts) -> (args, kwargs)``,
    where kwargs values may be ``lambda lib: value`` to make library-specific tensors."""
    def resolve(lib, ts):
        args, kwargs = build(lib, ts)
        kwargs = {k: (v(lib) if callable(v) else v) for k, v in kwargs.items()}
        return args, kwargs

    class Wrap:
        def __init__(self, module, lib):
            self.module, self.lib = module, lib

        def __call__(self, *ts):
            args, kwargs = resolve(self.lib, list(ts))
            return self.module(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.module, name)

    return check(torch, Wrap(em, ember), Wrap(tm, torch), arrays)


def _mask(np_value):
    return lambda lib: lib.tensor(np_value)


BOOL_2D = np.triu(np.ones((L, L), dtype=bool), 1)  # causal for self-attention
PAD = np.array([[False] * (L - 1) + [True], [False] * L])  # (N, L)
FLOAT_3D = data(N * H, L, L, seed=5)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("need_weights, average", [(True, True), (True, False),
                                                    (False, True)])
def test_self_attention(torch, batch_first, need_weights, average):
    em, tm = pair(torch, "MultiheadAttention", E, H, batch_first=batch_first)
    x = data(N, L, E) if batch_first else data(L, N, E)
    out = _run(torch, em, tm, [x], _self(need_weights=need_weights,
                                         average_attn_weights=average))
    assert len(out) == (2 if need_weights else 1)


MASKS = {
    "bool_2d": {"attn_mask": _mask(BOOL_2D)},
    "float_2d": {"attn_mask": _mask(np.where(BOOL_2D, -np.inf, 0.5))},
    "float_3d": {"attn_mask": _mask(FLOAT_3D)},
    "bool_3d": {"attn_mask": _mask(np.broadcast_to(BOOL_2D, (N * H, L, L)).copy())},
    "padding_bool": {"key_padding_mask": _mask(PAD)},
    "padding_float": {"key_padding_mask": _mask(np.where(PAD, -np.inf, 0.0))},
    "both": {"attn_mask": _mask(FLOAT_3D), "key_padding_mask": _mask(np.where(PAD, -1e9, 0.))},
    "causal_hint": {"attn_mask": _mask(BOOL_2D), "is_causal": True},
}


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("name", list(MASKS))
def test_masks(torch, name, need_weights):
    em, tm = pair(torch, "MultiheadAttention", E, H)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mismatched mask types warn in both
        _run(torch, em, tm, [data(L, N, E)], _self(need_weights=need_weights, **MASKS[name]))


@pytest.mark.parametrize("kwargs", [{}, {"kdim": 4, "vdim": 3}, {"bias": False},
                                    {"add_bias_kv": True}, {"add_zero_attn": True},
                                    {"add_bias_kv": True, "add_zero_attn": True, "kdim": 4,
                                     "vdim": 3, "batch_first": True}])
def test_cross_attention(torch, kwargs):
    em, tm = pair(torch, "MultiheadAttention", E, H, **kwargs)
    bf = kwargs.get("batch_first", False)
    kd, vd = kwargs.get("kdim", E), kwargs.get("vdim", E)
    shape = (lambda s, e: (N, s, e)) if bf else (lambda s, e: (s, N, e))
    arrays = [data(*shape(L, E)), data(*shape(S, kd), seed=1), data(*shape(S, vd), seed=2)]
    pad = np.zeros((N, S), dtype=bool)
    pad[0, -2:] = True
    for need_weights in (True, False):
        plain = {"need_weights": need_weights}
        padded = {"key_padding_mask": _mask(pad), "need_weights": need_weights}
        _run(torch, em, tm, arrays, lambda lib, ts, kw=plain: (ts, kw))
        _run(torch, em, tm, arrays, lambda lib, ts, kw=padded: (ts, kw))


def test_key_is_value(torch):
    em, tm = pair(torch, "MultiheadAttention", E, H)
    _run(torch, em, tm, [data(L, N, E), data(S, N, E, seed=1)],
         lambda lib, ts: ((ts[0], ts[1], ts[1]), {}))


def test_unbatched(torch):
    em, tm = pair(torch, "MultiheadAttention", E, H, kdim=4, vdim=3)
    arrays = [data(L, E), data(S, 4, seed=1), data(S, 3, seed=2)]
    out = _run(torch, em, tm, arrays, lambda lib, ts: (ts, {}))
    assert tuple(out[0].shape) == (L, E) and tuple(out[1].shape) == (L, S)
    mask = np.zeros((H, L, S))
    mask[:, 0, 1] = -np.inf
    with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
        _run(torch, em, tm, arrays, lambda lib, ts: (ts, {
            "attn_mask": _mask(mask), "key_padding_mask": _mask(np.arange(S) == 3),
            "average_attn_weights": False}))


def test_on_reference_backend(torch):
    em, tm = pair(torch, "MultiheadAttention", 4, 2)
    em.to("ref")

    class OnRef:
        def __call__(self, q):
            return em(q, q, q)

        def named_parameters(self):
            return em.named_parameters()

    x = data(2, 1, 4)
    t_q = torch.tensor(x, requires_grad=True)
    e_q = ember.tensor(x, device="ref", requires_grad=True)
    t_out, t_w = tm(t_q, t_q, t_q)
    e_out, e_w = OnRef()(e_q)
    assert e_out.device.type == "ref"
    np.testing.assert_allclose(e_out.detach().cpu().numpy(), t_out.detach().numpy(), rtol=1e-9)
    np.testing.assert_allclose(e_w.detach().cpu().numpy(), t_w.detach().numpy(), rtol=1e-9)
    t_out.sum().backward()
    e_out.sum().backward()
    np.testing.assert_allclose(e_q.grad.cpu().numpy(), t_q.grad.numpy(), rtol=1e-9)


def test_init_and_repr(torch):
    ember.manual_seed(0)
    for kwargs in ({}, {"kdim": 3, "vdim": 5, "bias": False, "add_bias_kv": True}):
        em, tm = nn.MultiheadAttention(8, 2, **kwargs), torch.nn.MultiheadAttention(8, 2, **kwargs)
        assert repr(em) == repr(tm)
        assert ([(n, tuple(p.shape)) for n, p in em.named_parameters()]
                == [(n, tuple(p.shape)) for n, p in tm.named_parameters()])
    m = nn.MultiheadAttention(8, 2)
    bound = (6 / (8 + 24)) ** 0.5  # xavier_uniform_ on (3E, E)
    w = m.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert not m.in_proj_bias.detach().numpy().any() and not m.out_proj.bias.detach().numpy().any()
    assert type(m.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    assert isinstance(m.out_proj, nn.Linear)


def test_dropout_only_in_training():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(4, 2, dropout=0.5, dtype=ember.float64)
    x = ember.tensor(data(3, 2, 4))
    a, b = m(x, x, x)[1], m(x, x, x)[1]
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    m.eval()
    np.testing.assert_array_equal(m(x, x, x)[1].detach().numpy(), m(x, x, x)[1].detach().numpy())


def test_errors_match_torch(torch):
    cases = [
        (lambda lib: lib.nn.MultiheadAttention(6, 4), None),
        (lambda lib: lib.nn.MultiheadAttention(0, 2), None),
        (lambda lib: lib.nn.MultiheadAttention(6, 3),
         lambda lib, m: m(lib.zeros(4, 2, 6), lib.zeros(4, 2, 6), lib.zeros(4, 2, 6),
                          attn_mask=lib.zeros(3, 4), is_causal=False)),
        (lambda lib: lib.nn.MultiheadAttention(6, 3),
         lambda lib, m: m(lib.zeros(4, 2, 6), lib.zeros(4, 2, 6), lib.zeros(4, 2, 6),
                          is_causal=True)),
        (lambda lib: lib.nn.MultiheadAttention(6, 3),
         lambda lib, m: m(lib.zeros(4, 2, 6), lib.zeros(4, 6), lib.zeros(4, 6))),
        (lambda lib: lib.nn.MultiheadAttention(6, 3),
         lambda lib, m: m(lib.zeros(4, 2, 6), lib.zeros(4, 2, 6), lib.zeros(4, 2, 6),
                          key_padding_mask=lib.zeros(2, 3, dtype=lib.bool))),
        (lambda lib: lib.nn.MultiheadAttention(6, 3),
         lambda lib, m: m(lib.zeros(4, 2, 6), lib.zeros(4, 2, 6), lib.zeros(4, 2, 6),
                          attn_mask=lib.zeros(4, 4, dtype=lib.int64))),
    ]
    for make, call in cases:
        with pytest.raises(Exception) as t_err:
            t_mod = make(torch)
            if call is not None:
                call(torch, t_mod)
        with pytest.raises(type(t_err.value)) as e_err:
            e_mod = make(ember)
            if call is not None:
                call(ember, e_mod)
        assert str(e_err.value) == str(t_err.value).replace("torch.", "ember.")
