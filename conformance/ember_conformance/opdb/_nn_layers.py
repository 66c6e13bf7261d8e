"""Entries for ``ember.nn.functional``'s linear, convolution and vision functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, OpEntry, TensorArg
from ._inputs import tensor
from ._nn import F64, fcase, fentry, only, per_dtype

__all__ = ["entries"]


def _t(rng: Any, shape: tuple, dt: str, domain: str = "real") -> Any:
    return tensor(rng, shape, dt, domain)


def _linear(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("linear", "bias", dt, _t(rng, (3, 4), dt), _t(rng, (2, 4), dt),
                    _t(rng, (2,), dt))
        yield fcase("linear", "nobias-3d", dt, _t(rng, (2, 3, 4), dt), _t(rng, (2, 4), dt))
    yield fcase("linear", "noncontig", "float32", tensor(rng, (3, 4), "float32", view="T"),
                _t(rng, (2, 4), "float32"))


def _linear_errors(rng: Any) -> Iterator[Case]:
    yield fcase("linear", "shape-mismatch", "float32", _t(rng, (3, 4), "float32"),
                _t(rng, (2, 5), "float32"))


def _bilinear(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("bilinear", "bias", dt, _t(rng, (3, 2), dt), _t(rng, (3, 3), dt),
                    _t(rng, (4, 2, 3), dt), _t(rng, (4,), dt))
        yield fcase("bilinear", "nobias", dt, _t(rng, (2, 2), dt), _t(rng, (2, 3), dt),
                    _t(rng, (1, 2, 3), dt))


#: name: {variant: (input shape, weight shape, keywords)}
_CONV = {
    "conv1d": {"basic": ((2, 2, 6), (3, 2, 3), {}),
               "stride-pad-dil": ((1, 2, 7), (2, 2, 3), {"stride": 2, "padding": 1,
                                                         "dilation": 2}),
               "groups": ((1, 4, 5), (4, 2, 2), {"groups": 2}),
               "same": ((1, 2, 5), (2, 2, 3), {"padding": "same"})},
    "conv2d": {"basic": ((1, 2, 4, 4), (3, 2, 3, 3), {}),
               "stride-pad-dil": ((1, 2, 5, 5), (2, 2, 2, 2), {
                   "stride": (2, 1), "padding": 1, "dilation": (1, 2)}),
               "groups": ((1, 4, 3, 3), (2, 2, 2, 2), {"groups": 2}),
               "valid": ((1, 1, 3, 4), (1, 1, 2, 2), {"padding": "valid"})},
    "conv3d": {"basic": ((1, 1, 3, 3, 3), (2, 1, 2, 2, 2), {}),
               "stride-pad": ((1, 2, 3, 3, 2), (1, 2, 2, 2, 2), {"stride": 2, "padding": 1})},
    "conv_transpose1d": {"basic": ((1, 2, 4), (2, 3, 3), {}),
                         "stride-pad-out": ((1, 2, 3), (2, 1, 3), {
                             "stride": 2, "padding": 1, "output_padding": 1}),
                         "groups-dil": ((1, 4, 3), (4, 1, 2), {"groups": 2, "dilation": 2})},
    "conv_transpose2d": {"basic": ((1, 2, 3, 3), (2, 2, 2, 2), {}),
                         "stride-pad-out": ((1, 2, 3, 3), (2, 3, 3, 3), {
                             "stride": 2, "padding": 1, "output_padding": 1}),
                         "groups": ((1, 4, 2, 2), (4, 1, 2, 2), {"groups": 2})},
    "conv_transpose3d": {"basic": ((1, 2, 2, 2, 2), (2, 1, 2, 2, 2), {}),
                         "stride": ((1, 1, 2, 2, 2), (1, 1, 2, 2, 2), {"stride": 2})},
}


def _conv(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            for i, (v, (xs, ws, kw)) in enumerate(_CONV[name].items()):
                transposed = name.startswith("conv_transpose")
                out_ch = ws[1] * kw.get("groups", 1) if transposed else ws[0]
                bias = (_t(rng, (out_ch,), dt),) if i % 2 == 0 else ()
                yield fcase(name, v, dt, _t(rng, xs, dt), _t(rng, ws, dt), *bias, **kw)

    return gen


def _conv_errors(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        xs, ws, _ = _CONV[name]["basic"]
        bad = (ws[0], ws[1] + 1, *ws[2:]) if not name.startswith("conv_transpose") else (
            ws[0] + 1, *ws[1:])
        yield fcase(name, "channel-mismatch", "float32", _t(rng, xs, "float32"),
                    _t(rng, bad, "float32"))

    return gen


def _unfold(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("unfold", "k2", dt, _t(rng, (1, 2, 3, 4), dt), 2)
        yield fcase("unfold", "stride-pad-dil", dt, _t(rng, (2, 1, 4, 4), dt), (2, 3),
                    dilation=(1, 1), padding=1, stride=2)


def _fold(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("fold", "k2", dt, _t(rng, (1, 8, 6), dt), (3, 4), 2)
        yield fcase("fold", "stride-pad", dt, _t(rng, (1, 4, 4), dt), (3, 3), 2,
                    padding=1, stride=2)


def _fold_errors(rng: Any) -> Iterator[Case]:
    yield fcase("fold", "blocks-mismatch", "float32", _t(rng, (1, 8, 5), "float32"), (3, 4), 2)


def _embedding(rng: Any) -> Iterator[Case]:
    idx = TensorArg([[0, 2, 4], [1, 1, 3]], "int64")
    for dt in F64:
        yield fcase("embedding", "basic", dt, idx, _t(rng, (5, 3), dt))
        yield fcase("embedding", "padding-idx", dt, idx, _t(rng, (5, 3), dt), padding_idx=1)


def _embedding_errors(rng: Any) -> Iterator[Case]:
    yield fcase("embedding", "float-indices", "float32", _t(rng, (2,), "float32"),
                _t(rng, (5, 3), "float32"))
    yield fcase("embedding", "index-out-of-range", "float32", TensorArg([0, 5], "int64"),
                _t(rng, (5, 3), "float32"))


def _one_hot(rng: Any) -> Iterator[Case]:
    yield fcase("one_hot", "inferred", "int64", TensorArg([[0, 2], [3, 1]], "int64"))
    yield fcase("one_hot", "num-classes", "int64", TensorArg([0, 2, 1], "int64"), 5)
    yield fcase("one_hot", "0d", "int64", TensorArg(2, "int64"), 4)


def _one_hot_errors(rng: Any) -> Iterator[Case]:
    yield fcase("one_hot", "negative", "int64", TensorArg([0, -1], "int64"), 3)
    yield fcase("one_hot", "too-few-classes", "int64", TensorArg([0, 3], "int64"), 3)
    yield fcase("one_hot", "float-input", "float32", TensorArg([0.0, 1.0], "float32"))


_PAD = {"constant": ((2, 3), (1, 2), {}), "constant-value-4d": ((1, 2, 2, 3), (1, 0, 2, 1), {
    "value": 1.5}), "reflect": ((1, 2, 4), (2, 1), {"mode": "reflect"}),
    "reflect-2d": ((1, 1, 3, 3), (1, 1, 2, 0), {"mode": "reflect"}),
    "replicate": ((1, 2, 3), (2, 3), {"mode": "replicate"}),
    "replicate-2d": ((1, 1, 2, 3), (1, 2, 0, 1), {"mode": "replicate"}),
    "circular": ((1, 2, 4), (1, 2), {"mode": "circular"}),
    "circular-2d": ((1, 1, 3, 3), (1, 1, 2, 1), {"mode": "circular"}),
    "negative": ((2, 5), (-1, -2), {})}


def _pad(rng: Any) -> Iterator[Case]:
    for dt in F64:
        for v, (xs, p, kw) in _PAD.items():
            yield fcase("pad", v, dt, _t(rng, xs, dt), p, **kw)


def _pad_errors(rng: Any) -> Iterator[Case]:
    yield fcase("pad", "reflect-too-wide", "float32", _t(rng, (1, 2, 3), "float32"), (3, 0),
                mode="reflect")
    yield fcase("pad", "odd-pad-length", "float32", _t(rng, (2, 3), "float32"), (1, 2, 3))


_INTERP = {"nearest-size": ((1, 2, 3), {"size": 5}),
           "nearest-2d-scale": ((1, 1, 2, 3), {"scale_factor": 2}),
           "bilinear": ((1, 2, 3, 3), {"size": (4, 5), "mode": "bilinear"}),
           "bilinear-align": ((1, 1, 3, 2), {"scale_factor": 2, "mode": "bilinear",
                                             "align_corners": True}),
           "linear": ((1, 2, 4), {"size": 6, "mode": "linear"}),
           "nearest-exact": ((1, 1, 3, 3), {"size": (5, 2), "mode": "nearest-exact"}),
           "bicubic": ((1, 1, 3, 3), {"size": (4, 4), "mode": "bicubic"}),
           "area": ((1, 1, 4, 4), {"size": (2, 3), "mode": "area"})}


def _interpolate(rng: Any) -> Iterator[Case]:
    for dt in F64:
        for v, (xs, kw) in _INTERP.items():
            yield fcase("interpolate", v, dt, _t(rng, xs, dt), **kw)


def _interpolate_errors(rng: Any) -> Iterator[Case]:
    yield fcase("interpolate", "size-and-scale", "float32", _t(rng, (1, 1, 3), "float32"),
                size=4, scale_factor=2)


def _upsample(name: str, kw: dict) -> Callable[[Any], Iterator[Case]]:
    return per_dtype(name, {"2d": ((1, 2, 2, 3),)}, kw)


def _shuffle(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("pixel_shuffle", "r2", dt, _t(rng, (1, 8, 2, 3), dt), 2)
        yield fcase("pixel_unshuffle", "r2", dt, _t(rng, (1, 2, 4, 2), dt), 2)
        yield fcase("channel_shuffle", "g2", dt, _t(rng, (1, 4, 2, 2), dt), 2)


def _pixel_errors(rng: Any) -> Iterator[Case]:
    yield fcase("pixel_shuffle", "channels-not-divisible", "float32",
                _t(rng, (1, 6, 2, 2), "float32"), 2)


def _attention(rng: Any) -> Iterator[Case]:
    for dt in F64:
        q, k, v = (_t(rng, (1, 2, 3, 4), dt), _t(rng, (1, 2, 5, 4), dt),
                   _t(rng, (1, 2, 5, 2), dt))
        yield fcase("scaled_dot_product_attention", "basic", dt, q, k, v)
        yield fcase("scaled_dot_product_attention", "float-mask-scale", dt, q, k, v,
                    attn_mask=_t(rng, (3, 5), dt), scale=0.5)
        mask = TensorArg([[True, False, True, True, False]] * 3, "bool")
        yield fcase("scaled_dot_product_attention", "bool-mask", dt, q, k, v, attn_mask=mask)
        sq = _t(rng, (2, 3, 4), dt)
        yield fcase("scaled_dot_product_attention", "causal", dt, sq, _t(rng, (2, 3, 4), dt),
                    _t(rng, (2, 3, 4), dt), is_causal=True)


def entries() -> list[OpEntry]:
    out = [fentry("linear", _linear, _linear_errors), fentry("bilinear", _bilinear)]
    out += [fentry(n, _conv(n), _conv_errors(n)) for n in _CONV]
    out += [fentry("unfold", _unfold), fentry("fold", _fold, _fold_errors),
            fentry("embedding", _embedding, _embedding_errors),
            fentry("one_hot", _one_hot, _one_hot_errors, dtypes=("int64",)),
            fentry("pad", _pad, _pad_errors),
            fentry("interpolate", _interpolate, _interpolate_errors),
            fentry("upsample", _upsample("upsample", {"scale_factor": 2})),
            fentry("upsample_nearest", _upsample("upsample_nearest", {"size": (3, 4)})),
            fentry("upsample_bilinear", _upsample("upsample_bilinear", {"scale_factor": 2})),
            fentry("pixel_shuffle", only("pixel_shuffle", _shuffle), _pixel_errors),
            fentry("pixel_unshuffle", only("pixel_unshuffle", _shuffle)),
            fentry("channel_shuffle", only("channel_shuffle", _shuffle)),
            fentry("scaled_dot_product_attention", _attention)]
    return out
