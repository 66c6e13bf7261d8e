"""Transformer layers and stacks against PyTorch in float64 (eval mode, so dropout is off):
outputs and gradients w.r.t. inputs and every parameter, for post- and pre-norm, relu, gelu
and custom activations, batch-first and unbatched inputs, and attention/padding masks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _layer_oracle64 import check, data, load

import ember
from ember import nn

D, NHEAD, FF = 6, 2, 10


def _both(torch, make):
    """``make(lib)`` builds a module with ``lib.nn``; returns (ember, torch) with the torch
    state loaded into the ember one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TransformerEncoder's nested-tensor notice
        tm, em = make(torch), make(ember)
    return load(torch, em, tm)


def _run(torch, em, tm, arrays, **kwargs):
    """``check`` with keyword arguments; values may be ``lambda lib: tensor``."""
    class Wrap:
        def __init__(self, module, lib):
            self.module, self.lib = module, lib

        def __call__(self, *ts):
            kw = {k: (v(self.lib) if callable(v) else v) for k, v in kwargs.items()}
            return self.module(*ts, **kw)

        def named_parameters(self):
            return self.module.named_parameters()

    return check(torch, Wrap(em, ember), Wrap(tm, torch), arrays)


def _mask(value):
    return lambda lib: lib.tensor(value)


S, T, N = 5, 4, 2
CAUSAL = np.triu(np.full((S, S), -np.inf), 1)
PAD = np.zeros((N, S), dtype=bool)
PAD[1, -2:] = True

ENCODER_LAYER_OPTIONS = [
    {},
    {"norm_first": True},
    {"activation": "gelu", "batch_first": True},
    {"bias": False, "layer_norm_eps": 1e-3},
]


@pytest.mark.filterwarnings("ignore:Support for mismatched")
@pytest.mark.parametrize("options", ENCODER_LAYER_OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_encoder_layer(torch, options):
    em, tm = _both(torch, lambda lib: lib.nn.TransformerEncoderLayer(
        D, NHEAD, FF, dtype=lib.float64, **options))
    x = data(N, S, D) if options.get("batch_first") else data(S, N, D)
    _run(torch, em, tm, [x])
    _run(torch, em, tm, [x], src_mask=_mask(CAUSAL), src_key_padding_mask=_mask(PAD))
    _run(torch, em, tm, [x], src_mask=_mask(CAUSAL), is_causal=True)
    _run(torch, em, tm, [data(S, D)])  # unbatched


@pytest.mark.parametrize("kind", ["module", "callable"])
def test_encoder_layer_custom_activation(torch, kind):
    def make(lib):
        act = lib.nn.GELU(approximate="tanh") if kind == "module" else lib.nn.functional.silu
        return lib.nn.TransformerEncoderLayer(D, NHEAD, FF, activation=act, dtype=lib.float64)

    em, tm = _both(torch, make)
    assert em.activation_relu_or_gelu == (2 if kind == "module" else 0)
    _run(torch, em, tm, [data(S, N, D)], src_key_padding_mask=_mask(PAD))


@pytest.mark.filterwarnings("ignore:Support for mismatched")
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_stack(torch, norm_first):
    def make(lib):
        layer = lib.nn.TransformerEncoderLayer(D, NHEAD, FF, norm_first=norm_first,
                                               batch_first=True, dtype=lib.float64)
        return lib.nn.TransformerEncoder(layer, 2, norm=lib.nn.LayerNorm(D, dtype=lib.float64))

    em, tm = _both(torch, make)
    x = data(N, S, D)
    _run(torch, em, tm, [x])
    _run(torch, em, tm, [x], mask=_mask(CAUSAL))  # detected as causal
    _run(torch, em, tm, [x], mask=_mask(CAUSAL), src_key_padding_mask=_mask(PAD))
    _run(torch, em, tm, [x], mask=_mask(np.triu(np.ones((S, S), dtype=bool), 1)),
         is_causal=False)


def test_encoder_layers_are_independent_copies():
    layer = nn.TransformerEncoderLayer(D, NHEAD, FF)
    enc = nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
    ws = [m.linear1.weight for m in enc.layers]
    assert len({id(w) for w in ws}) == 3 and all(w is not layer.linear1.weight for w in ws)
    np.testing.assert_array_equal(ws[0].detach().numpy(), ws[2].detach().numpy())


@pytest.mark.parametrize("options", [{}, {"norm_first": True, "activation": "gelu"},
                                     {"batch_first": True, "bias": False}],
                         ids=["default", "norm_first_gelu", "batch_first_nobias"])
def test_decoder_layer_and_stack(torch, options):
    bf = options.get("batch_first", False)
    tgt = data(N, T, D) if bf else data(T, N, D)
    mem = data(N, S, D, seed=1) if bf else data(S, N, D, seed=1)
    em, tm = _both(torch, lambda lib: lib.nn.TransformerDecoderLayer(
        D, NHEAD, FF, dtype=lib.float64, **options))
    _run(torch, em, tm, [tgt, mem])
    tgt_mask = np.triu(np.full((T, T), -np.inf), 1)
    _run(torch, em, tm, [tgt, mem], tgt_mask=_mask(tgt_mask), tgt_is_causal=True,
         memory_key_padding_mask=_mask(PAD))

    def stack(lib):
        layer = lib.nn.TransformerDecoderLayer(D, NHEAD, FF, dtype=lib.float64, **options)
        return lib.nn.TransformerDecoder(layer, 2, norm=lib.nn.LayerNorm(D, dtype=lib.float64))

    em, tm = _both(torch, stack)
    _run(torch, em, tm, [tgt, mem], tgt_mask=_mask(tgt_mask),
         memory_mask=_mask(data(T, S, seed=3)))


def test_transformer(torch):
    em, tm = _both(torch, lambda lib: lib.nn.Transformer(
        D, NHEAD, 2, 1, FF, dtype=lib.float64))
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, dtype=ember.float64)
    np.testing.assert_array_equal(
        tgt_mask.numpy(), torch.nn.Transformer.generate_square_subsequent_mask(T).numpy())
    _run(torch, em, tm, [data(S, N, D), data(T, N, D, seed=1)],
         tgt_mask=lambda lib: lib.nn.Transformer.generate_square_subsequent_mask(
             T, dtype=lib.float64),
         src_key_padding_mask=_mask(PAD), memory_key_padding_mask=_mask(PAD))
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        em(ember.zeros(S, 2, D, dtype=ember.float64), ember.zeros(T, 3, D, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="feature number of src and tgt must be equal to"):
        em(ember.zeros(S, 2, 4, dtype=ember.float64), ember.zeros(T, 2, 4, dtype=ember.float64))


def test_transformer_init_is_xavier():
    ember.manual_seed(0)
    m = nn.Transformer(8, 2, 1, 1, 16, batch_first=True)
    w = m.encoder.layers[0].linear1.weight.detach().numpy()  # (16, 8)
    bound = (6 / 24) ** 0.5
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound


def test_no_grad_inference_matches_torch_fast_path(torch):
    # Without gradients, in eval mode, PyTorch runs its fused kernel; values must agree.
    em, tm = _both(torch, lambda lib: lib.nn.TransformerEncoderLayer(
        D, NHEAD, FF, batch_first=True, dtype=lib.float64))
    x = data(N, S, D)
    with torch.no_grad():
        expected = tm(torch.tensor(x), src_key_padding_mask=torch.tensor(PAD)).numpy()
    with ember.no_grad():
        got = em(ember.tensor(x), src_key_padding_mask=ember.tensor(PAD)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("pad_rows", [[1], [0, 1]])
@pytest.mark.parametrize("batch_first", [True, False])
def test_encoder_inference_zeroes_padding_like_nested_tensors(torch, batch_first, pad_rows):
    # PyTorch's inference path converts to nested tensors: padded positions come back as 0.
    def make(lib):
        layer = lib.nn.TransformerEncoderLayer(D, NHEAD, FF, batch_first=batch_first,
                                               dtype=lib.float64)
        return lib.nn.TransformerEncoder(layer, 2, norm=lib.nn.LayerNorm(D, dtype=lib.float64))

    em, tm = _both(torch, make)
    x = data(N, S, D) if batch_first else data(S, N, D)
    pad = np.zeros((N, S), dtype=bool)
    for r in pad_rows:
        pad[r, -2:] = True
    not_left_aligned = pad.copy()
    not_left_aligned[0, 0] = True
    for mask in (pad, not_left_aligned):
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nested tensors are a prototype in PyTorch
            expected = tm(torch.tensor(x), src_key_padding_mask=torch.tensor(mask)).numpy()
        with ember.no_grad():
            got = em(ember.tensor(x), src_key_padding_mask=ember.tensor(mask)).numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_reprs_and_warnings(torch):
    for make in (lambda lib: lib.nn.TransformerEncoderLayer(4, 2, 8, activation="gelu"),
                 lambda lib: lib.nn.TransformerEncoderLayer(4, 2, 8, activation=lib.nn.GELU()),
                 lambda lib: lib.nn.TransformerDecoderLayer(4, 2, 8, norm_first=True),
                 lambda lib: lib.nn.Transformer(4, 2, 2, 1, 8, batch_first=True)):
        em, tm = make(ember), make(torch)
        assert repr(em) == repr(tm)
        assert list(em.state_dict()) == list(tm.state_dict())
    for layer_kwargs in ({}, {"batch_first": True, "norm_first": True},
                         {"batch_first": True, "activation": ember.tanh}):
        with pytest.warns(UserWarning, match="enable_nested_tensor is True, but self.use_nes"):
            nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, **layer_kwargs), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, batch_first=True), 1)
        nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 1, enable_nested_tensor=False)
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(4, 2, 8, activation="tanh")
