"""The primitive kernels named by tables (one docstring each) and the optional fused
kernels: the parts of the backend contract (NOTE [ Backend contract ] in ``_protocol``)
that are data. ``_protocol`` turns each entry into an abstract method of ``Backend``."""

from __future__ import annotations

__all__ = ["UNARY_OPS", "BINARY_OPS", "COMPARISON_OPS", "REDUCTION_OPS", "OPTIONAL_KERNELS"]


#: Elementwise unary primitives ``f(x) -> array`` and what each computes. Results have the
#: input's dtype except the predicates (``isnan``, ``isinf``, ``isfinite``, ``signbit``,
#: ``logical_not``), which give ``bool``. Transcendental ones receive floating or complex
#: input only (the frontend casts integers first).
UNARY_OPS: dict[str, str] = {
    "neg": "-x. Integers wrap (neg of int8 -128 is -128).",
    "abs": "|x|; for complex the modulus, returned in the same complex dtype.",
    "exp": "e**x.",
    "expm1": "e**x - 1, accurate near 0.",
    "log": "natural log; log(0) = -inf, log(<0) = nan.",
    "log1p": "log(1 + x), accurate near 0.",
    "log2": "base-2 log.",
    "log10": "base-10 log.",
    "sqrt": "square root; sqrt(<0) = nan for real input.",
    "sin": "sine.",
    "cos": "cosine.",
    "tan": "tangent.",
    "asin": "arcsine; nan outside [-1, 1].",
    "acos": "arccosine; nan outside [-1, 1].",
    "atan": "arctangent.",
    "sinh": "hyperbolic sine.",
    "cosh": "hyperbolic cosine.",
    "tanh": "hyperbolic tangent.",
    "asinh": "inverse hyperbolic sine.",
    "acosh": "inverse hyperbolic cosine.",
    "atanh": "inverse hyperbolic tangent.",
    "erf": "the error function (float64 accurate to 1e-15 relative).",
    "erfinv": "the inverse error function on (-1, 1); +-inf at +-1, nan outside.",
    "floor": "round towards -inf; identity on integers.",
    "ceil": "round towards +inf; identity on integers.",
    "round": "round half to even; identity on integers.",
    "trunc": "round towards zero; identity on integers.",
    "sign": "-1, 0 or 1 in the input dtype (0 for nan, as PyTorch); for bool, x itself.",
    "isnan": "bool: x is nan.",
    "isinf": "bool: x is +inf or -inf.",
    "isfinite": "bool: neither nan nor infinite (always True for integers and bool).",
    "signbit": "bool: the sign bit is set (True for -0.0).",
    "logical_not": "bool: x == 0.",
    "bitwise_not": "~x for integers; logical not for bool.",
    "conj": "complex conjugate; identity for real dtypes.",
    "real": "real part, in the matching real dtype; identity for real dtypes.",
    "imag": "imaginary part, in the matching real dtype (complex input only).",
}

#: Elementwise binary primitives ``f(a, b) -> array``; operands share a dtype or one is a
#: Python scalar. The result has the operands' dtype.
BINARY_OPS: dict[str, str] = {
    "add": "a + b (integers wrap, bool is logical or).",
    "sub": "a - b.",
    "mul": "a * b (bool is logical and).",
    "div": "true division a / b on floating or complex operands; x/0 = +-inf or nan.",
    "floor_divide": "floor(a / b). Integers: Python's floor semantics; b == 0 is the "
                    "frontend's concern (it never reaches a backend).",
    "remainder": "a - floor(a / b) * b: the sign follows b (Python's %).",
    "fmod": "C fmod: the sign follows a.",
    "pow": "a ** b; integer operands with a negative exponent never reach a backend.",
    "maximum": "elementwise max; nan wins.",
    "minimum": "elementwise min; nan wins.",
    "atan2": "atan2(a, b) on floating operands.",
    "logical_and": "bool result: a != 0 and b != 0.",
    "logical_or": "bool result: a != 0 or b != 0.",
    "logical_xor": "bool result: (a != 0) != (b != 0).",
    "bitwise_and": "a & b on integers or bool.",
    "bitwise_or": "a | b on integers or bool.",
    "bitwise_xor": "a ^ b on integers or bool.",
    "left_shift": "a << b on integers.",
    "right_shift": "a >> b on integers (arithmetic shift for signed).",
}

#: Comparisons ``f(a, b) -> bool array``; nan compares unequal to everything.
COMPARISON_OPS: dict[str, str] = {
    "eq": "a == b", "ne": "a != b", "lt": "a < b", "le": "a <= b", "gt": "a > b", "ge": "a >= b",
}

#: Reductions ``f(x, axes, keepdims) -> array`` over the tuple ``axes`` (``()`` means no
#: axis is reduced; the frontend passes every axis for a full reduction).
REDUCTION_OPS: dict[str, str] = {
    "sum": "sum in the input dtype (the frontend casts bool and integers to int64 first).",
    "prod": "product in the input dtype.",
    "max": "maximum; nan propagates; never called on an empty reduction.",
    "min": "minimum; nan propagates; never called on an empty reduction.",
    "any": "bool: some element is nonzero.",
    "all": "bool: every element is nonzero.",
}

#: Fused kernels a backend may implement for speed. The frontend looks each one up once
#: per backend and falls back to a composite of primitives when it is absent; the
#: conformance suite checks the fused kernel against that composite.
OPTIONAL_KERNELS: dict[str, str] = {
    "einsum": "einsum(equation, *arrays) with NumPy's subscripts (explicit '->' form).",
    "softmax": "softmax(x, axis) in x's floating dtype.",
    "log_softmax": "log_softmax(x, axis) in x's floating dtype.",
    "logsumexp": "logsumexp(x, axes, keepdims).",
    "binary_into": "binary_into(op, out, a, b): write the binary primitive op ('add', 'sub', "
                   "'mul' or 'div') of a and b into the existing array out, which has their "
                   "dtype and broadcast shape and may be a view overlapping a or b; the result "
                   "is as if computed into a fresh array and copied.",
    "unary_into": "unary_into(op, out, x): write the unary primitive op (neg or one of the "
                  "math functions of UNARY_OPS: exp, log, sqrt, the trigonometric and "
                  "hyperbolic ones, ...) of floating x into the existing array out of x's "
                  "dtype and shape (out may be x itself); as if computed fresh and copied.",
    "view_as_real": "view_as_real(x): complex x as an array of its real dtype with shape "
                    "(*x.shape, 2) holding (real, imag) pairs, sharing x's memory (strides "
                    "and offset in real elements: twice x's, and a last stride of 1).",
    "view_as_complex": "view_as_complex(x): real x of shape (*s, 2) with last stride 1 and "
                       "even strides and offset, as a complex array of shape s sharing x's "
                       "memory.",
}
