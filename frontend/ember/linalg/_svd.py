"""The singular value decomposition behind the gradients of ``svdvals`` and the nuclear
norm.

# NOTE [ SVD gradients ]
``svdvals`` runs the backend's ``svdvals`` kernel; its backward needs the singular
vectors: for ``A = U diag(S) Vh`` the gradient of ``S`` alone is ``U diag(gS) Vh``.
:func:`svd` records the decomposition with PyTorch's ``svd_backward`` formula (with
conjugate transposes and, for complex input, the phase term), so under ``create_graph``
the first gradient is itself differentiable: its ``U`` and ``Vh`` carry their dependence
on ``A``. Singular vectors are defined up to sign, or a unit phase for complex input (the
backend chooses), but every product used here -- ``u_i v_i^H``, ``U U^H`` -- is
invariant. As in PyTorch, repeated singular values make the gradients of ``U``/``Vh``
infinite or nan (``E`` below has zeros); the gradient of ``S`` alone is always finite.
"""

from __future__ import annotations

from typing import Any

import ember

from .._ops._autodiff import differentiable
from .._tensor import Tensor, _wrap

__all__ = ["svd"]


def _skew(a: Tensor) -> Tensor:
    return a - a.mH


def _svd_backward(ctx: Any, gU: Tensor | None, gS: Tensor | None,
                  gVh: Tensor | None) -> Tensor | None:
    U, S, Vh = ctx.out
    if gU is None and gVh is None:
        return None if gS is None else (U * gS.unsqueeze(-2)) @ Vh
    m, n = U.shape[-2], Vh.shape[-1]
    k = S.shape[-1]  # min(m, n)
    s2 = S * S
    # E_ij = S_j^2 - S_i^2, with ones on the (unused) diagonal
    E = s2.unsqueeze(-2) - s2.unsqueeze(-1) + ember.diag_embed(ember.ones_like(S))
    inner = None
    if gU is not None:
        UhgU = U.mH @ gU
        inner = _skew(UhgU) * S.unsqueeze(-2)
    if gVh is not None:
        term = S.unsqueeze(-1) * _skew(Vh @ gVh.mH)
        inner = term if inner is None else inner + term
    inner = inner / E
    if gS is not None:
        inner = inner + ember.diag_embed(gS)
    if gU is not None and U.is_complex():
        # the phase of each singular pair is free: the loss sees it only through
        # Im(diag(U^H gU)), which enters as i Im(diag(U^H gU)) / S on the diagonal
        inner = inner + ember.diag_embed(UhgU.diagonal(0, -2, -1).imag / S) * 1j
    if m > k and gU is not None:
        gA = U @ inner
        gUSinv = gU / S.unsqueeze(-2)
        gA = gA + gUSinv - U @ (U.mH @ gUSinv)
        return gA @ Vh
    if n > k and gVh is not None:
        gA = inner @ Vh
        SinvgVh = gVh / S.unsqueeze(-1)
        gA = gA + SinvgVh - (SinvgVh @ Vh.mH) @ Vh
        return U @ gA
    return U @ (inner @ Vh)


@differentiable("LinalgSvdBackward0", _svd_backward, save_output=True, complex_ok=True)
def svd(A: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """The reduced SVD ``(U, S, Vh)`` of a floating or complex batch of matrices (see NOTE
    [ SVD gradients ]; ``S`` is real); not public (the vectors' signs, or phases, are the
    backend's choice)."""
    be = A._backend
    u, s, vh = be.svd(A._data)
    dt = A._dtype
    return _wrap(u, dt, be), _wrap(s, dt.to_real(), be), _wrap(vh, dt, be)
