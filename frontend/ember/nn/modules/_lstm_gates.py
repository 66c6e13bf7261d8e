"""The LSTM cell's gate arithmetic as one autograd node.

# NOTE [ LSTM gates node ]
From the pre-activations ``gates = x W_ih^T + b_ih + h W_hh^T + b_hh`` (PyTorch's order
``i, f, g, o``) and the cell state ``c``, an LSTM step computes
:math:`c' = \\sigma(f) c + \\sigma(i) \\tanh(g)` and :math:`h' = \\sigma(o) \\tanh(c')`. Recorded
op by op that is thirteen nodes per step, and their bookkeeping costs more than the
arithmetic at the sizes recurrent layers run at. :class:`LSTMGates` records one node; its
backward is the textbook formula on the activations kept from the forward
(:math:`\\sigma' = \\sigma (1 - \\sigma)`, :math:`\\tanh' = 1 - \\tanh^2`). Under
``create_graph`` it recomputes the activations from the saved inputs with recorded ops, so
the gradient is itself differentiable (double backward sees the dependence of the
activations on the inputs).
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ..functional._utils import named

__all__ = ["LSTMGates", "gate_grads"]


def _activations(gates: Tensor) -> tuple[Tensor, Tensor]:
    """``sigmoid`` of all four blocks (the ``g`` block unused) and ``tanh`` of ``g``."""
    n = gates.shape[-1] // 4
    return gates.sigmoid(), gates.narrow(-1, 2 * n, n).tanh()


class LSTMGates(Function):
    """``(gates, c) -> (h', c')`` (see NOTE [ LSTM gates node ])."""

    @staticmethod
    def forward(ctx: Any, gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        s, g = _activations(gates)
        i, f, _, o = s.chunk(4, -1)
        c_new = f * c
        c_new.addcmul_(i, g)
        tc = c_new.tanh()
        ctx.save_for_backward(gates, c)
        ctx.kept = (s, g, tc)
        return o * tc, c_new

    @staticmethod
    def backward(ctx: Any, gh: Tensor, gc: Tensor) -> tuple[Tensor, Tensor]:
        gates, c = ctx.saved_tensors
        recorded = ember.is_grad_enabled()
        if recorded:  # create_graph: activations with their history
            s, g = _activations(gates)
            i, f, _, _ = s.chunk(4, -1)
            tc = (f * c + i * g).tanh()
        else:
            s, g, tc = ctx.kept
        return gate_grads(gh, gc, s, g, c, tc, recorded)


def gate_grads(gh: Tensor, gc: Tensor, s: Tensor, g: Tensor, c: Tensor, tc: Tensor,
               recorded: bool) -> tuple[Tensor, Tensor]:
    """The gradients of one step's pre-activations and of its incoming cell state ``c``,
    from those of ``h'`` (``gh``) and ``c'`` (``gc``), the sigmoids ``s`` of all four
    blocks, ``g = tanh`` of the third and ``tc = tanh(c')``; ``recorded`` (create_graph)
    builds them with differentiable ops only (no in-place write)."""
    i, f, _, o = s.chunk(4, -1)
    n = g.shape[-1]
    dc = gc + gh * o * (1 - tc * tc)
    d = ember.cat([dc * g, dc * c, dc * i, gh * tc], -1)
    deriv = s * (1 - s)  # sigmoid'; the g block takes tanh' = 1 - g^2
    if recorded:
        deriv = ember.cat([deriv.narrow(-1, 0, 2 * n), 1 - g * g,
                           deriv.narrow(-1, 3 * n, n)], -1)
        return d * deriv, dc * f
    deriv.narrow(-1, 2 * n, n).copy_(1 - g * g)
    return d.mul_(deriv), dc * f


named(LSTMGates, "LSTMGatesBackward")
