"""Connectionist temporal classification: ``ctc_loss``.

# NOTE [ CTC forward algorithm ]
The loss is ``-log p(target | input)`` summed over all alignments, computed with the
forward (alpha) recursion in log space over the extended target ``blank, l1, blank, l2,
..., blank`` (length ``2S + 1``), for the whole batch at once: one step per time frame,
each a log-sum-exp of the state, the state shifted by one, and (where the label differs
from the one two back) shifted by two. It is a composite of public tensor ops, so autograd
gives the gradient. Unreachable states hold a large negative number instead of ``-inf`` so
that their gradients stay ``0`` rather than ``nan``; a final log-likelihood that small
means no alignment exists and the loss is ``inf`` (or ``0`` with ``zero_infinity``).

PyTorch's own backward returns the gradient with respect to the logits *through* a
``log_softmax`` (it assumes ``log_probs`` came from one); composed with ``log_softmax``
both agree, while the gradient with respect to ``log_probs`` alone is exact here.
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor

from ._utils import check_reduction

__all__ = ["ctc_loss"]


def _lengths(x: Any, n: int, name: str) -> list[int]:
    if isinstance(x, Tensor):
        vals = x.reshape(-1).tolist()
    else:
        vals = [int(x)] if isinstance(x, int) else [int(v) for v in x]
    if len(vals) != n:
        raise RuntimeError(f"Expected tensor to have size at least {n} at dimension 1, but "
                           f"got size {len(vals)} for argument #2 '{name}' (while checking "
                           f"arguments for ctc_loss_cpu)" if len(vals) < n else
                           f"{name} must be of size batch_size")
    return [int(v) for v in vals]


def _lse3(a: Tensor, b: Tensor, c: Tensor) -> Tensor:
    m = ember.maximum(ember.maximum(a, b), c).detach()
    return ((a - m).exp() + (b - m).exp() + (c - m).exp()).log() + m


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any,
             blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The CTC loss between ``log_probs`` and ``targets`` (see NOTE [ CTC forward
    algorithm ]).

    Args:
        log_probs: ``(T, N, C)`` or ``(T, C)`` log-probabilities (e.g. ``log_softmax``).
        targets: ``(N, S)`` padded, or the 1-D concatenation of all targets.
        input_lengths: ``(N)`` lengths of the inputs (each ``<= T``).
        target_lengths: ``(N)`` lengths of the targets.
        blank: the blank label. Default: 0
        reduction: ``'none'``, ``'mean'`` (each loss divided by its target length, then
            averaged) or ``'sum'``. Default: ``'mean'``
        zero_infinity: replace infinite losses (no alignment exists) by zero.

    Examples:
        >>> import ember
        >>> lp = ember.full((2, 1, 2), 0.5).log()
        >>> ember.nn.functional.ctc_loss(lp, ember.tensor([[1]]), [2], [1], reduction='sum')
        tensor(0.2877)
    """
    reduction = check_reduction(reduction)
    unbatched = log_probs.dim() == 2
    if unbatched:
        log_probs = log_probs.unsqueeze(1)
        if targets.dim() == 1:
            targets = targets.unsqueeze(0)
    if log_probs.dim() != 3:
        raise RuntimeError(f"ctc_loss(): log_probs must be 2-D or 3-D, got "
                           f"{log_probs.dim()}-D")
    t_max, n, c = log_probs.shape
    if not 0 <= blank < c:
        raise RuntimeError("blank must be in label range")
    in_lens = _lengths(input_lengths, n, "input_lengths")
    tg_lens = _lengths(target_lengths, n, "target_lengths")
    for v in in_lens:
        if v > t_max:
            raise RuntimeError(f"Expected input_lengths to have value at most {t_max}, but got "
                               f"value {v} (while checking arguments for ctc_loss_cpu)")
    tg = targets.long()
    rows: list[list[int]] = []
    if tg.dim() == 1:
        flat, offset = tg.tolist(), 0
        for k in tg_lens:
            rows.append(flat[offset:offset + k])
            offset += k
    else:
        data = tg.tolist()
        for i, k in enumerate(tg_lens):
            if k > tg.shape[1]:
                raise RuntimeError(f"Expected tensor to have size at least {k} at dimension 1, "
                                   f"but got size {tg.shape[1]} for argument #2 'targets' "
                                   f"(while checking arguments for ctc_loss_cpu)")
            rows.append(data[i][:k])
    s_max = max(tg_lens) if tg_lens else 0
    width = 2 * s_max + 1
    ext = [[blank] * width for _ in range(n)]
    skip = [[False] * width for _ in range(n)]
    for i, row in enumerate(rows):
        for j, lab in enumerate(row):
            ext[i][2 * j + 1] = lab
            if j > 0 and lab != blank and lab != row[j - 1]:
                skip[i][2 * j + 1] = True
    dev, dt = log_probs.device, log_probs.dtype
    neg = ember.finfo(dt).min / 8
    ext_t = ember.tensor(ext, dtype=ember.int64, device=dev)
    skip_t = ember.tensor(skip, dtype=ember.bool, device=dev)
    pos = ember.arange(width, device=dev).reshape(1, width)
    ext_len = ember.tensor([2 * k + 1 for k in tg_lens], device=dev).reshape(n, 1)
    in_len = ember.tensor(in_lens, device=dev).reshape(n, 1)
    lpe = log_probs.gather(2, ext_t.unsqueeze(0).expand(t_max, n, width)).unbind(0)
    alpha = ember.where((pos < 2) & (pos < ext_len), lpe[0], neg)
    col = ember.full((n, 1), neg, dtype=dt, device=dev)
    for t in range(1, t_max):
        a2 = ember.cat([col, alpha[:, :-1]], 1)
        a3 = ember.where(skip_t, ember.cat([col, col, alpha[:, :-2]], 1) if width > 2 else
                         ember.full_like(alpha, neg), neg)
        new = _lse3(alpha, a2, a3) + lpe[t]
        alpha = ember.where(t < in_len, new, alpha)
    last = alpha.gather(1, ext_len - 1)
    before = ember.where(ext_len >= 2, alpha.gather(1, (ext_len - 2).clamp(min=0)), neg)
    m = ember.maximum(last, before).detach()
    loss = -(((last - m).exp() + (before - m).exp()).log() + m).reshape(n)
    impossible = loss > -neg / 2
    if zero_infinity:
        loss = ember.where(impossible, ember.zeros_like(loss), loss)
    else:
        loss = ember.where(impossible, ember.full_like(loss, float("inf")), loss)
    if unbatched:
        loss = loss.reshape(())
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        denom = ember.tensor(tg_lens, dtype=dt, device=dev).clamp(min=1)
        return (loss / (denom.reshape(()) if unbatched else denom)).mean()
    return loss
