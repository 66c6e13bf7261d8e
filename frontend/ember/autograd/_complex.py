"""Complex gradients: PyTorch's conjugate Wirtinger convention on Ember's real formulas.

# NOTE [ Complex gradients ]
For a real loss ``L`` and a complex tensor ``z = x + iy``, PyTorch's gradient is
``dL/dx + i dL/dy`` (twice the conjugate Wirtinger derivative). For an op ``s = f(z)`` whose
output gradient is ``G`` and whose derivatives are ``a = ds/dz`` and ``b = ds/dconj(z)``,
the input gradient is ``G * conj(a) + conj(G) * b``.

Most ops are holomorphic (``b = 0``) with real coefficients: ``exp``, ``mul``, ``matmul``,
``sum``, every view and index op. Their real backward formula ``B`` is linear in ``G`` and,
run on complex tensors, computes ``a^T G``; so ``conj(B(conj(G)))`` is ``conj(a)^T G``,
the complex gradient -- whatever the formula saved or closed over (other operands, Python
complex scalars, outputs). Nodes named in :data:`ANALYTIC` get that wrapping when a complex
tensor takes part; for real tensors ``conj`` is the identity and nothing is wrapped.

Non-holomorphic ops (``abs``, ``sgn``, ``angle``, ``real``, ``imag``, ``conj``, ``vdot``,
``complex``, ``polar``) record formulas written for complex input
(``record(..., complex_ok=True)``), as do user ``autograd.Function``\\ s (PyTorch runs their
backward as written). Any other node refuses a complex gradient with ``NotImplementedError``
naming itself, rather than giving a wrong answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["ANALYTIC", "complex_backward"]

#: Nodes whose backward formula is the derivative of a holomorphic op with real
#: coefficients (or of a linear one): complex gradients by conjugating around it.
ANALYTIC = frozenset({
    # arithmetic
    "AddBackward0", "SubBackward0", "RsubBackward1", "NegBackward0", "MulBackward0",
    "DivBackward0", "DivBackward2", "ReciprocalBackward0", "PowBackward0", "PowBackward1",
    "PowBackward2", "AddcmulBackward0", "AddcdivBackward0", "LerpBackward0", "LerpBackward1",
    # transcendental
    "ExpBackward0", "Expm1Backward0", "LogBackward0", "Log2Backward0", "Log10Backward0",
    "Log1PBackward0", "SqrtBackward0", "RsqrtBackward0", "SinBackward0", "CosBackward0",
    "TanBackward0", "SinhBackward0", "CoshBackward0", "TanhBackward0", "SigmoidBackward0",
    "AsinBackward0", "AcosBackward0", "AtanBackward0", "AsinhBackward0", "AcoshBackward0",
    "AtanhBackward0",
    # products and linear algebra
    "MmBackward0", "BmmBackward0", "MvBackward0", "DotBackward0", "AddmmBackward0",
    "AddbmmBackward0", "BaddbmmBackward0", "AddmvBackward0", "EinsumBackward0",
    "LinalgDetBackward0", "LinalgInvExBackward0", "LinalgSolveExBackward0",
    "LinalgCrossBackward0", "TraceBackward0",
    # reductions and scans
    "SumBackward0", "SumBackward1", "MeanBackward0", "MeanBackward1", "ProdBackward0",
    "ProdBackward1", "CumsumBackward0", "CumprodBackward0", "LogsumexpBackward0",
    # views, shapes, copies
    "ViewBackward0", "UnsafeViewBackward0", "AliasBackward0", "PermuteBackward0",
    "TransposeBackward0", "TBackward0", "ExpandBackward0", "SqueezeBackward0",
    "SqueezeBackward1", "SqueezeBackward2", "SqueezeBackward4",
    "UnsqueezeBackward0", "SelectBackward0", "SliceBackward0", "AsStridedBackward0",
    "DiagonalBackward0", "DiagonalBackward0_copy", "DiagEmbedBackward0", "TrilBackward0",
    "TriuBackward0",
    "FlipBackward0", "RollBackward0", "RepeatBackward0", "CloneBackward0", "ToCopyBackward0",
    "CatBackward0", "StackBackward0", "SplitBackward0", "SplitWithSizesBackward0",
    "UnbindBackward0", "ConstantPadNdBackward0",
    # indexing
    "IndexBackward0", "IndexSelectBackward0", "GatherBackward0", "TakeBackward0",
    "MaskedSelectBackward0", "MaskedFillBackward0", "MaskedFillBackward1",
    "MaskedScatterBackward0", "WhereBackward0", "IndexAddBackward0", "IndexCopyBackward0",
    "IndexFillBackward0", "IndexFillBackward1", "IndexPutBackward0", "PutBackward0",
    "ScatterBackward0", "ScatterBackward1", "ScatterAddBackward0", "CopySlices",
    "torch::autograd::CopySlices", "torch::autograd::CopyBackwards", "ZeroBackward0",
    "FillBackward2", "FillBackward3",
})


def complex_backward(name: str, backward: Callable) -> Callable:
    """``backward`` made right for complex tensors (NOTE [ Complex gradients ])."""
    if name in ANALYTIC:
        @functools.wraps(backward)
        def analytic(grads: tuple, saved: tuple) -> tuple:
            from .._ops._complex_parts import conj

            grads = tuple(None if g is None else conj(g) for g in grads)
            return tuple(None if g is None else conj(g) for g in backward(grads, saved))

        return analytic

    @functools.wraps(backward)
    def refused(grads: tuple, saved: tuple) -> Any:
        raise NotImplementedError(
            f"{name}: the derivative of this op for complex tensors is not implemented in "
            f"Ember (PyTorch's complex gradients are conjugate Wirtinger derivatives; this "
            f"op's real formula would give a wrong answer). Work with the real and "
            f"imaginary parts as real tensors to differentiate through it.")

    return refused
