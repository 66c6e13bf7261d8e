"""One direction of one LSTM layer over equal-length sequences, as one autograd node.

# NOTE [ LSTM layer node ]
Recorded step by step, an LSTM of ``T`` steps is ``T`` gate nodes (NOTE [ LSTM gates
node ]) plus ``T`` hidden projections, and its backward runs ``2T`` small products, ``T``
of them only to add up the gradient of ``W_hh``. :class:`LSTMLayer` takes the input
projections of every step at once (``gi = x W_ih^T + b_ih``, computed outside by one
``linear``) and runs the recurrence without recording: its backward walks the steps in
reverse for the gradients of the gates, the state and ``h0``/``c0``, then forms the
gradients of ``W_hh`` and ``b_hh`` with one product and one sum over all steps. The
arithmetic is that of :class:`LSTMGates`. Under ``create_graph`` the backward recomputes
the layer step by step with recorded ops and differentiates that, so double backward is
exact. Sequences of unequal length (packed input) and projections (``proj_size``) take
the step-by-step path.
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ..functional._utils import named
from ._lstm_gates import LSTMGates, gate_grads

__all__ = ["LSTMLayer", "lstm_layer"]


def _steps(gi: Tensor, reverse: bool) -> range:
    n = gi.shape[0]
    return range(n - 1, -1, -1) if reverse else range(n)


def _recorded(gi: Tensor, h0: Tensor, c0: Tensor, w_hh: Tensor, b_hh: Tensor | None,
              reverse: bool) -> tuple[Tensor, Tensor, Tensor]:
    """The same layer step by step with recorded ops (for ``create_graph``)."""
    h, c = h0, c0
    outs: list[Tensor] = [h0] * gi.shape[0]
    for t in _steps(gi, reverse):
        pre = gi[t] + (h @ w_hh.t() if b_hh is None else ember.addmm(b_hh, h, w_hh.t()))
        h, c = LSTMGates.apply(pre, c)
        outs[t] = h
    return ember.stack(outs), h, c


class LSTMLayer(Function):
    """``(gi (T, B, 4H), h0, c0, W_hh, b_hh) -> (h_t for every t, h_T, c_T)``; see NOTE
    [ LSTM layer node ]."""

    @staticmethod
    def forward(ctx: Any, gi: Tensor, h0: Tensor, c0: Tensor, w_hh: Tensor,
                b_hh: Tensor | None, reverse: bool) -> tuple[Tensor, Tensor, Tensor]:
        n = h0.shape[-1]
        w_t = w_hh.t()
        pre_all = gi if b_hh is None else gi + b_hh
        h, c = h0, c0
        T = gi.shape[0]
        hs: list[Tensor] = [h0] * T
        kept: list[tuple] = [()] * T
        for t in _steps(gi, reverse):
            gates = ember.addmm(pre_all[t], h, w_t)
            s = gates.sigmoid()
            i, f, _, o = s.chunk(4, -1)
            g = gates.narrow(-1, 2 * n, n).tanh()
            c_new = f * c
            c_new.addcmul_(i, g)
            tc = c_new.tanh()
            kept[t] = (s, g, c, tc, h)
            h, c = o * tc, c_new
            hs[t] = h
        ctx.save_for_backward(gi, h0, c0, w_hh, b_hh)
        ctx.kept, ctx.reverse = kept, reverse
        return ember.stack(hs), h, c

    @staticmethod
    def backward(ctx: Any, ghs: Tensor, gh: Tensor, gc: Tensor) -> tuple:
        gi, h0, c0, w_hh, b_hh = ctx.saved_tensors
        if ember.is_grad_enabled():  # create_graph: differentiate the recorded layer
            every = (gi, h0, c0, w_hh, b_hh)
            wanted = [k for k, t in enumerate(every) if t is not None and t.requires_grad]
            outs = _recorded(gi, h0, c0, w_hh, b_hh, ctx.reverse)
            found = ember.autograd.grad(outs, [every[k] for k in wanted], (ghs, gh, gc),
                                        create_graph=True, allow_unused=True)
            grads: list = [None] * len(every)
            for k, g in zip(wanted, found):
                grads[k] = g
            return (*grads, None)
        T = gi.shape[0]
        n = w_hh.shape[-1]
        dgates: list[Tensor] = [gi] * T
        dh, dc = gh, gc
        for t in _steps(gi, not ctx.reverse):
            s, g, c_prev, tc, _ = ctx.kept[t]
            d, dc = gate_grads(dh + ghs[t], dc, s, g, c_prev, tc, False)
            dgates[t] = d
            dh = d @ w_hh
        dg = ember.stack(dgates)  # (T, B, 4H)
        hprev = ember.stack([k[4] for k in ctx.kept])  # h_{t-1} of each step, (T, B, H)
        flat = dg.reshape(-1, dg.shape[-1])
        dw = flat.t() @ hprev.reshape(-1, n)
        db = None if b_hh is None else flat.sum(0)
        return dg, dh, dc, dw, db, None


named(LSTMLayer, "LSTMLayerBackward")


def lstm_layer(gi: Tensor, h0: Tensor, c0: Tensor, w_hh: Tensor, b_hh: Tensor | None,
               reverse: bool) -> tuple[Tensor, Tensor, Tensor]:
    """Run :class:`LSTMLayer` on ``gi`` of shape ``(T, B, 4H)``."""
    return LSTMLayer.apply(gi, h0, c0, w_hh, b_hh, reverse)
