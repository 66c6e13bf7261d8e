"""Recurrent cells, one time step each: ``RNNCellBase``, ``RNNCell``, ``LSTMCell`` and
``GRUCell``, as ``torch.nn``. The step formulas are shared with the layers
(:mod:`._rnn_impl`)."""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor

from .. import functional as F
from .. import init
from ..parameter import Parameter
from . import _rnn_impl
from .module import Module

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class RNNCellBase(Module):
    r"""Base class of the cells: ``weight_ih`` ``(chunks * hidden_size, input_size)``,
    ``weight_hh`` ``(chunks * hidden_size, hidden_size)`` and, with ``bias``, ``bias_ih`` and
    ``bias_hh`` ``(chunks * hidden_size,)``, all drawn from
    :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`, :math:`k = 1/\text{hidden\_size}`.

    Args:
        input_size, hidden_size: the numbers of input and hidden features.
        bias: whether the cell has ``bias_ih`` and ``bias_hh``.
        num_chunks: the number of gates (1 for RNN, 4 for LSTM, 3 for GRU).
        device, dtype: where and in which dtype the parameters are created.
    """

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(ember.empty((gates, input_size), **factory_kwargs))
        self.weight_hh = Parameter(ember.empty((gates, hidden_size), **factory_kwargs))
        if bias:
            self.bias_ih = Parameter(ember.empty(gates, **factory_kwargs))
            self.bias_hh = Parameter(ember.empty(gates, **factory_kwargs))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = self.__dict__.get("nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        """Re-draw every parameter from :math:`\\mathcal{U}(-1/\\sqrt{H}, 1/\\sqrt{H})`."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # ------------------------------------------------------------------------- helpers
    def _prepare(self, name: str, input: Tensor, hx: Any, states: int) -> tuple[Tensor, tuple,
                                                                                  bool]:
        """Check dimensions, add the batch dimension to unbatched inputs, default the states
        to zeros and check the sizes as PyTorch's ``check_rnn_cell_forward_*`` do."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        given = None if hx is None else ((hx,) if states == 1 else tuple(hx))
        for idx, h in enumerate(given or ()):
            if h.dim() not in (1, 2):
                what = "hidden" if states == 1 else f"hx[{idx}]"
                raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {h.dim()}D "
                                 "instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if given is None:
            zeros = ember.zeros(input.size(0), self.hidden_size, dtype=input.dtype,
                                device=input.device)
            given = (zeros,) * states
        elif not batched:
            given = tuple(h.unsqueeze(0) for h in given)
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} "
                               f"expected {self.input_size}")
        for idx, h in enumerate(given):
            if input.size(0) != h.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match "
                                   f"hidden{idx} batch size {h.size(0)}")
            if h.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{idx} has inconsistent hidden_size: got "
                                   f"{h.size(1)}, expected {self.hidden_size}")
        return input, given, batched

    def _step(self, step: Any, input: Tensor, state: tuple) -> tuple[Tensor, ...]:
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        return step(gi, state, (self.weight_hh, self.bias_hh))


class RNNCell(RNNCellBase):
    r"""An Elman RNN cell: :math:`h' = \tanh(x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh})`
    (or ReLU).

    Args:
        input_size, hidden_size: the numbers of input and hidden features.
        bias: if ``False``, no ``bias_ih``/``bias_hh``. Default: ``True``
        nonlinearity: ``'tanh'`` or ``'relu'``. Default: ``'tanh'``
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        - input: :math:`(N, H_{in})` or :math:`(H_{in})`; hx: :math:`(N, H)` or :math:`(H)`,
          zeros when omitted.
        - output: :math:`(N, H)` or :math:`(H)`, the next hidden state.

    Examples:
        >>> import ember
        >>> cell = ember.nn.RNNCell(10, 20)
        >>> cell(ember.randn(3, 10)).shape
        ember.Size([3, 20])
    """

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, state, batched = self._prepare("RNNCell", input, hx, 1)
        if self.nonlinearity == "tanh":
            step = _rnn_impl.rnn_tanh_step
        elif self.nonlinearity == "relu":
            step = _rnn_impl.rnn_relu_step
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        out = self._step(step, input, state)[0]
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    r"""A long short-term memory cell (gates ``i, f, g, o`` as in :class:`LSTM`).

    Args:
        input_size, hidden_size: the numbers of input and hidden features.
        bias: if ``False``, no ``bias_ih``/``bias_hh``. Default: ``True``
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        - input: :math:`(N, H_{in})` or :math:`(H_{in})`; hx: an optional tuple
          ``(h, c)`` of :math:`(N, H)` or :math:`(H)`, zeros when omitted.
        - output: ``(h', c')``, each like ``h``.

    Examples:
        >>> import ember
        >>> cell = ember.nn.LSTMCell(10, 20)
        >>> h, c = cell(ember.randn(3, 10))
        >>> h.shape
        ember.Size([3, 20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, Tensor]:
        input, state, batched = self._prepare("LSTMCell", input, hx, 2)
        h, c = self._step(_rnn_impl.lstm_cell_step, input, state)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    r"""A gated recurrent unit cell (gates ``r, z, n`` as in :class:`GRU`).

    Args:
        input_size, hidden_size: the numbers of input and hidden features.
        bias: if ``False``, no ``bias_ih``/``bias_hh``. Default: ``True``
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        - input: :math:`(N, H_{in})` or :math:`(H_{in})`; hx: :math:`(N, H)` or :math:`(H)`,
          zeros when omitted.
        - output: :math:`(N, H)` or :math:`(H)`.

    Examples:
        >>> import ember
        >>> cell = ember.nn.GRUCell(10, 20)
        >>> cell(ember.randn(10)).shape
        ember.Size([20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, state, batched = self._prepare("GRUCell", input, hx, 1)
        out = self._step(_rnn_impl.gru_step, input, state)[0]
        return out if batched else out.squeeze(0)
