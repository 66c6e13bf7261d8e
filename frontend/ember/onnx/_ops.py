"""The conversion of each supported op to ONNX nodes.

Each converter receives the :class:`Builder`, the op's arguments bound to PyTorch's
parameter names (tensors as :class:`Ref`), and the ONNX name its output must get.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ._builder import Builder, UnsupportedOperatorError

__all__ = ["CONVERTERS", "SIGNATURES", "canonical"]

Args = dict[str, Any]
CONVERTERS: dict[str, Callable[[Builder, Args, str], None]] = {}
#: PyTorch's parameter names (and defaults) of each op: how node arguments are bound.
SIGNATURES: dict[str, tuple] = {}
_ALIASES = {"subtract": "sub", "multiply": "mul", "divide": "div", "true_divide": "div",
            "truediv": "div", "rtruediv": "rdiv", "concat": "cat", "concatenate": "cat",
            "absolute": "abs", "negative": "neg", "mm": "matmul", "bmm": "matmul"}


def canonical(target: str) -> str:
    """``"Tensor.__radd__"`` -> ``"radd"``, ``"ember.nn.functional.relu"`` -> ``"relu"``."""
    name = target.rpartition(".")[2]
    if name.startswith("__") and name.endswith("__"):
        name = name[2:-2]
    return _ALIASES.get(name, name)


def op(names: str, *signature: Any) -> Callable:
    def deco(fn: Callable) -> Callable:
        for name in names.split():
            CONVERTERS[name] = fn
            SIGNATURES[name] = signature
        return fn

    return deco


def _ints(value: Any, n: int) -> list[int]:
    return [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)] * n


def _axis(dim: int, rank: int) -> int:
    return dim + rank if dim < 0 else dim


# ---------------------------------------------------------------------- elementwise
_BINARY = {"add": "Add", "radd": "Add", "sub": "Sub", "mul": "Mul", "rmul": "Mul",
           "div": "Div", "pow": "Pow", "rsub": "Sub", "rdiv": "Div", "matmul": "MatMul",
           "rmatmul": "MatMul"}


@op("add radd sub", "input", "other", ("alpha", 1))
def _add(b: Builder, a: Args, out: str) -> None:
    x, other = a["input"], a["other"]
    y = b.operand(other, x)
    if a["alpha"] != 1:
        y = b.add("Mul", [y, b.operand(a["alpha"], x)])
    b.add("Sub" if a["op"] == "sub" else "Add", [b.name(x), y], [out])


@op("mul rmul div pow matmul", "input", "other", ("rounding_mode", None))
def _binary(b: Builder, a: Args, out: str) -> None:
    if a["rounding_mode"] is not None:
        raise UnsupportedOperatorError(f"ember.onnx.export: div with rounding_mode="
                                       f"{a['rounding_mode']!r} is not supported")
    x = a["input"]
    b.add(_BINARY[a["op"]], [b.name(x), b.operand(a["other"], x)], [out])


@op("rsub rdiv rmatmul", "input", "other")
def _reflected(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    b.add(_BINARY[a["op"]], [b.operand(a["other"], x), b.name(x)], [out])


_UNARY = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "neg": "Neg", "exp": "Exp",
          "log": "Log", "sqrt": "Sqrt", "abs": "Abs", "erf": "Erf", "contiguous": "Identity",
          "clone": "Identity", "detach": "Identity", "pos": "Identity", "reciprocal":
          "Reciprocal", "sin": "Sin", "cos": "Cos", "floor": "Floor", "ceil": "Ceil"}


@op(" ".join(_UNARY), "input", ("inplace", False), ("memory_format", None))
def _unary(b: Builder, a: Args, out: str) -> None:
    b.add(_UNARY[a["op"]], [b.name(a["input"])], [out])


@op("leaky_relu", "input", ("negative_slope", 0.01), ("inplace", False))
def _leaky_relu(b: Builder, a: Args, out: str) -> None:
    b.add("LeakyRelu", [b.name(a["input"])], [out], alpha=float(a["negative_slope"]))


@op("gelu", "input", ("approximate", "none"))
def _gelu(b: Builder, a: Args, out: str) -> None:
    # Gelu is an ONNX op only from opset 20: composed, as PyTorch's exporter does.
    x = a["input"]
    xn = b.name(x)
    if a["approximate"] == "tanh":
        cube = b.add("Mul", [xn, b.add("Mul", [xn, xn])])
        inner = b.add("Add", [xn, b.add("Mul", [cube, b.operand(0.044715, x)])])
        t = b.add("Tanh", [b.add("Mul", [inner, b.operand(math.sqrt(2 / math.pi), x)])])
    else:
        t = b.add("Erf", [b.add("Div", [xn, b.operand(math.sqrt(2.0), x)])])
    half_x = b.add("Mul", [xn, b.operand(0.5, x)])
    b.add("Mul", [half_x, b.add("Add", [t, b.operand(1.0, x)])], [out])


@op("softmax log_softmax", "input", ("dim", None), ("_stacklevel", 3), ("dtype", None))
def _softmax(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    if a["dim"] is None or a["dtype"] is not None:
        raise UnsupportedOperatorError(f"ember.onnx.export: {a['op']} needs an explicit dim "
                                       f"and no dtype")
    kind = "Softmax" if a["op"] == "softmax" else "LogSoftmax"
    b.add(kind, [b.name(x)], [out], axis=_axis(a["dim"], b.rank(x)))


# ---------------------------------------------------------------------- linear algebra
@op("linear", "input", "weight", ("bias", None))
def _linear(b: Builder, a: Args, out: str) -> None:
    x, w, bias = a["input"], a["weight"], a["bias"]
    if b.rank(x) == 2:
        ins = [b.name(x), b.name(w)] + ([b.name(bias)] if bias is not None else [])
        b.add("Gemm", ins, [out], transB=1)
        return
    y = b.add("MatMul", [b.name(x), b.add("Transpose", [b.name(w)], perm=[1, 0])])
    if bias is None:
        b.add("Identity", [y], [out])
    else:
        b.add("Add", [y, b.name(bias)], [out])


@op("addmm", "input", "mat1", "mat2", ("beta", 1), ("alpha", 1))
def _addmm(b: Builder, a: Args, out: str) -> None:
    b.add("Gemm", [b.name(a["mat1"]), b.name(a["mat2"]), b.operand(a["input"], a["mat1"])],
          [out], alpha=float(a["alpha"]), beta=float(a["beta"]))


# ---------------------------------------------------------------------- convolution, pooling
@op("conv1d conv2d conv3d", "input", "weight", ("bias", None), ("stride", 1), ("padding", 0),
    ("dilation", 1), ("groups", 1))
def _conv(b: Builder, a: Args, out: str) -> None:
    w = a["weight"]
    n = b.rank(w) - 2
    kernel, dilation = list(b.shape(w)[2:]), _ints(a["dilation"], n)
    padding = a["padding"]
    if padding == "valid":
        pads = [0] * n * 2
    elif padding == "same":
        total = [d * (k - 1) for d, k in zip(dilation, kernel)]
        pads = [t // 2 for t in total] + [t - t // 2 for t in total]
    else:
        pads = _ints(padding, n) * 2
    ins = [b.name(a["input"]), b.name(w)] + ([b.name(a["bias"])] if a["bias"] is not None
                                             else [])
    b.add("Conv", ins, [out], kernel_shape=kernel, strides=_ints(a["stride"], n), pads=pads,
          dilations=dilation, group=int(a["groups"]))


@op("max_pool1d max_pool2d max_pool3d", "input", "kernel_size", ("stride", None),
    ("padding", 0), ("dilation", 1), ("ceil_mode", False), ("return_indices", False))
def _max_pool(b: Builder, a: Args, out: str) -> None:
    n = int(a["op"][-2])
    if a["return_indices"]:
        raise UnsupportedOperatorError("ember.onnx.export: max_pool with return_indices=True "
                                       "is not supported")
    kernel = _ints(a["kernel_size"], n)
    stride = kernel if a["stride"] in (None, [], ()) else _ints(a["stride"], n)
    b.add("MaxPool", [b.name(a["input"])], [out], kernel_shape=kernel, strides=stride,
          pads=_ints(a["padding"], n) * 2, dilations=_ints(a["dilation"], n),
          ceil_mode=int(bool(a["ceil_mode"])))


@op("avg_pool1d avg_pool2d avg_pool3d", "input", "kernel_size", ("stride", None),
    ("padding", 0), ("ceil_mode", False), ("count_include_pad", True),
    ("divisor_override", None))
def _avg_pool(b: Builder, a: Args, out: str) -> None:
    n = int(a["op"][-2])
    if a["divisor_override"] is not None:
        raise UnsupportedOperatorError("ember.onnx.export: avg_pool with divisor_override is "
                                       "not supported")
    kernel = _ints(a["kernel_size"], n)
    stride = kernel if a["stride"] in (None, [], ()) else _ints(a["stride"], n)
    b.add("AveragePool", [b.name(a["input"])], [out], kernel_shape=kernel, strides=stride,
          pads=_ints(a["padding"], n) * 2, ceil_mode=int(bool(a["ceil_mode"])),
          count_include_pad=int(bool(a["count_include_pad"])))


@op("adaptive_avg_pool1d adaptive_avg_pool2d adaptive_avg_pool3d", "input", "output_size")
def _adaptive_avg_pool(b: Builder, a: Args, out: str) -> None:
    n = int(a["op"][-2])
    if _ints(a["output_size"], n) != [1] * n:
        raise UnsupportedOperatorError(f"ember.onnx.export: {a['op']} is supported only with "
                                       f"output_size 1, got {a['output_size']!r}")
    b.add("GlobalAveragePool", [b.name(a["input"])], [out])


# ---------------------------------------------------------------------- normalization, dropout
@op("batch_norm", "input", "running_mean", "running_var", ("weight", None), ("bias", None),
    ("training", False), ("momentum", 0.1), ("eps", 1e-5))
def _batch_norm(b: Builder, a: Args, out: str) -> None:
    x, mean = a["input"], a["running_mean"]
    if a["training"] or mean is None:
        raise UnsupportedOperatorError("ember.onnx.export: batch_norm in training mode (or "
                                       "without running stats) is not supported; call "
                                       "model.eval() first")
    channels = b.shape(mean)[0]
    scale = b.name(a["weight"]) if a["weight"] is not None else b.operand([1.0] * channels, x)
    shift = b.name(a["bias"]) if a["bias"] is not None else b.operand([0.0] * channels, x)
    b.add("BatchNormalization", [b.name(x), scale, shift, b.name(mean),
                                 b.name(a["running_var"])], [out], epsilon=float(a["eps"]))


@op("layer_norm", "input", "normalized_shape", ("weight", None), ("bias", None),
    ("eps", 1e-5))
def _layer_norm(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    shape = _ints(a["normalized_shape"], 1)
    ones = [1.0] * math.prod(shape)
    ins = [b.name(x), b.name(a["weight"]) if a["weight"] is not None
           else b.add("Reshape", [b.operand(ones, x), b.ints(shape)])]
    if a["bias"] is not None:
        ins.append(b.name(a["bias"]))
    b.add("LayerNormalization", ins, [out], axis=-len(shape), epsilon=float(a["eps"]))


@op("dropout dropout1d dropout2d dropout3d alpha_dropout feature_alpha_dropout", "input",
    ("p", 0.5), ("training", True), ("inplace", False))
def _dropout(b: Builder, a: Args, out: str) -> None:
    if a["training"] and a["p"] > 0:
        raise UnsupportedOperatorError(f"ember.onnx.export: {a['op']} in training mode is not "
                                       f"supported; call model.eval() first")
    b.add("Identity", [b.name(a["input"])], [out])
