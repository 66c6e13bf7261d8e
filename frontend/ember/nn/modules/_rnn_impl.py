"""The recurrences behind ``RNN``/``LSTM``/``GRU`` and their cells, on public tensor ops.

# NOTE [ Recurrent layers on the packed layout ]
Every recurrent layer runs on the packed layout of NOTE [ Packed layout ]
(``ember.nn.utils.rnn``): the rows of ``data`` are the time steps one after the other, step
``t`` holding the ``batch_sizes[t]`` sequences still running. A padded ``(T, B, *)`` input is
the special case ``data = input.reshape(T * B, *)`` with ``batch_sizes = [B] * T``, so one loop
serves both. Per layer and direction, the input projection ``x W_ih^T + b_ih`` is computed for
all rows at once and split into steps (one ``split`` node, whose backward is one ``cat``);
only the hidden projection runs step by step. Forward in time, a sequence that ends leaves the
state (the rows past the new batch size are set aside as its final state); backward in time,
a sequence that starts joins it with its rows of the initial state. Gradients flow through
ordinary ops: nothing here has a backward of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ember
from ember import Tensor

from .. import functional as F
from ._lstm_gates import LSTMGates
from ._lstm_layer import lstm_layer

__all__ = ["rnn_tanh_step", "rnn_relu_step", "lstm_step", "lstm_cell_step", "gru_step",
           "run_layers"]

State = tuple[Tensor, ...]
Step = Callable[[Tensor, State, Sequence[Tensor | None]], State]


# ------------------------------------------------------------------------- one time step
# Each step takes ``gi = x W_ih^T + b_ih`` (already computed), the state and the remaining
# weights ``(w_hh, b_hh[, w_hr])`` and returns the new state; element 0 is the output h.
def rnn_tanh_step(gi: Tensor, state: State, w: Sequence[Tensor | None]) -> State:
    """Elman step: :math:`h' = \\tanh(gi + h W_{hh}^T + b_{hh})`."""
    return (ember.tanh(gi + F.linear(state[0], w[0], w[1])),)


def rnn_relu_step(gi: Tensor, state: State, w: Sequence[Tensor | None]) -> State:
    """Elman step with a rectifier: :math:`h' = \\max(0, gi + h W_{hh}^T + b_{hh})`."""
    return (F.relu(gi + F.linear(state[0], w[0], w[1])),)


def lstm_step(gi: Tensor, state: State, w: Sequence[Tensor | None]) -> State:
    """LSTM step, gates in PyTorch's order ``i, f, g, o``; with ``w[2]`` (``weight_hr``) the
    new hidden state is projected: :math:`h' = (o \\odot \\tanh(c')) W_{hr}^T`. The gate
    arithmetic is one node (NOTE [ LSTM gates node ]), as in PyTorch's fused layer."""
    h, c = state
    h_new, c_new = LSTMGates.apply(gi + F.linear(h, w[0], w[1]), c)
    if len(w) > 2 and w[2] is not None:
        h_new = F.linear(h_new, w[2])
    return h_new, c_new


def lstm_cell_step(gi: Tensor, state: State, w: Sequence[Tensor | None]) -> State:
    """:func:`lstm_step` op by op, for ``LSTMCell``, whose outputs carry PyTorch's
    ``MulBackward0``/``AddBackward0``."""
    h, c = state
    gates = gi + F.linear(h, w[0], w[1])
    i, f, g, o = gates.chunk(4, -1)
    c_new = ember.sigmoid(f) * c + ember.sigmoid(i) * ember.tanh(g)
    h_new = ember.sigmoid(o) * ember.tanh(c_new)
    if len(w) > 2 and w[2] is not None:
        h_new = F.linear(h_new, w[2])
    return h_new, c_new


def gru_step(gi: Tensor, state: State, w: Sequence[Tensor | None]) -> State:
    """GRU step, gates in PyTorch's order ``r, z, n``, with PyTorch's candidate
    :math:`n = \\tanh(W_{in} x + b_{in} + r \\odot (W_{hn} h + b_{hn}))` and
    :math:`h' = (1 - z) \\odot n + z \\odot h`."""
    h = state[0]
    gh = F.linear(h, w[0], w[1])
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = ember.sigmoid(i_r + h_r)
    z = ember.sigmoid(i_z + h_z)
    n = ember.tanh(i_n + r * h_n)
    return (n + z * (h - n),)


# ------------------------------------------------------------------ one layer, one direction
def _forward_in_time(step: Step, gi: Tensor, batch_sizes: list[int], h0: State,
                     w: Sequence[Tensor | None]) -> tuple[list[Tensor], State]:
    pieces = gi.split(batch_sizes)
    state, outs, finished = h0, [], []
    last = h0[0].shape[0]
    for t, bs in enumerate(batch_sizes):
        if bs < last:  # sequences ending here keep the state they reached
            finished.append(tuple(s[bs:] for s in state))
            state = tuple(s[:bs] for s in state)
        last = bs
        state = step(pieces[t], state, w)
        outs.append(state[0])
    if finished:  # rows of the final state in batch order: the longest sequences come first
        parts = [state, *reversed(finished)]
        state = tuple(ember.cat([p[i] for p in parts]) for i in range(len(state)))
    return outs, state


def _backward_in_time(step: Step, gi: Tensor, batch_sizes: list[int], h0: State,
                      w: Sequence[Tensor | None]) -> tuple[list[Tensor], State]:
    pieces = gi.split(batch_sizes)
    full = h0[0].shape[0]
    cur = batch_sizes[-1]
    state = h0 if cur == full else tuple(s[:cur] for s in h0)
    outs: list[Tensor] = [gi] * len(batch_sizes)
    for t in range(len(batch_sizes) - 1, -1, -1):
        bs = batch_sizes[t]
        if bs > cur:  # sequences starting here join with their initial state
            state = tuple(ember.cat([s, s0[cur:bs]]) for s, s0 in zip(state, h0))
            cur = bs
        state = step(pieces[t], state, w)
        outs[t] = state[0]
    return outs, state


# ------------------------------------------------------------------------------ all layers
def run_layers(step: Step, data: Tensor, batch_sizes: list[int], hx: State,
               weights: Sequence[Sequence[Tensor | None]], num_layers: int,
               bidirectional: bool, dropout: float, training: bool) -> tuple[Tensor, State]:
    """Run a stacked, possibly bidirectional recurrence on packed ``data`` (see NOTE
    [ Recurrent layers on the packed layout ]).

    ``hx`` holds the initial states, each ``(num_layers * num_directions, batch, *)``;
    ``weights[layer * num_directions + direction]`` is ``(w_ih, w_hh, b_ih, b_hh[, w_hr])``
    with ``None`` for absent biases. Returns the packed output of the last layer and the
    final states, stacked like ``hx``. Dropout is applied to the outputs of every layer but
    the last, in training only.
    """
    directions = 2 if bidirectional else 1
    finals: list[State] = []
    x = data
    for layer in range(num_layers):
        outs = []
        for d in range(directions):
            idx = layer * directions + d
            w_ih, w_hh, b_ih, b_hh, *rest = weights[idx]
            gi = F.linear(x, w_ih, b_ih)
            h0 = tuple(s[idx] for s in hx)
            if step is lstm_step and (not rest or rest[0] is None) and \
                    min(batch_sizes) == max(batch_sizes):  # NOTE [ LSTM layer node ]
                T = len(batch_sizes)
                hs, hT, cT = lstm_layer(gi.reshape(T, batch_sizes[0], -1), h0[0], h0[1],
                                        w_hh, b_hh, d == 1)
                outs.append(hs.reshape(T * batch_sizes[0], -1))
                finals.append((hT, cT))
                continue
            run = _backward_in_time if d == 1 else _forward_in_time
            steps, final = run(step, gi, batch_sizes, h0, (w_hh, b_hh, *rest))
            outs.append(ember.cat(steps) if len(steps) > 1 else steps[0])
            finals.append(final)
        x = ember.cat(outs, -1) if directions == 2 else outs[0]
        if dropout > 0 and training and layer < num_layers - 1:
            x = F.dropout(x, dropout, True)
    state = tuple(ember.stack([f[i] for f in finals]) for i in range(len(hx)))
    return x, state
