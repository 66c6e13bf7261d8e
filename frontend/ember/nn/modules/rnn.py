"""Recurrent layers: ``RNN``, ``LSTM`` and ``GRU`` (on :class:`RNNBase`, in
:mod:`._rnn_base`) and the cells ``RNNCell``, ``LSTMCell`` and ``GRUCell`` (in
:mod:`.rnn_cell`), as ``torch.nn.modules.rnn``.

Each layer takes a padded ``(L, N, H_in)`` input (``(N, L, H_in)`` with ``batch_first``), an
unbatched ``(L, H_in)`` one, or a :class:`~ember.nn.utils.rnn.PackedSequence`, and an
optional initial state, and returns the outputs of the last layer for every step and the
final state of every layer and direction.
"""

from __future__ import annotations

from typing import Any

from ember import Tensor

from ._rnn_base import RNNBase
from .rnn_cell import GRUCell, LSTMCell, RNNCell, RNNCellBase

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _no_proj(kwargs: dict[str, Any], cls: str) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(f"{cls}.__init__() got an unexpected keyword argument "
                        f"'{next(iter(kwargs))}'")


class RNN(RNNBase):
    r"""A multi-layer Elman RNN: :math:`h_t = \tanh(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T
    + b_{hh})` (or ReLU), the input of layer :math:`k > 0` being the output of layer
    :math:`k - 1`.

    Args:
        input_size: the number of features of the input :math:`x`.
        hidden_size: the number of features of the hidden state :math:`h`.
        num_layers: the number of stacked layers. Default: 1
        nonlinearity: ``'tanh'`` or ``'relu'``. Default: ``'tanh'``
        bias: if ``False``, the layers have no ``b_ih``/``b_hh``. Default: ``True``
        batch_first: inputs and outputs are ``(N, L, H)`` instead of ``(L, N, H)`` (not the
            states). Default: ``False``
        dropout: dropout on the outputs of every layer but the last, in training. Default: 0
        bidirectional: add a direction running backward in time. Default: ``False``
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        - input: :math:`(L, N, H_{in})`, :math:`(N, L, H_{in})` with ``batch_first``,
          :math:`(L, H_{in})` unbatched, or a packed sequence.
        - hx: :math:`(D \cdot \text{num\_layers}, N, H)` (or without :math:`N`), zeros when
          omitted; :math:`D = 2` if bidirectional, else 1.
        - output: :math:`(L, N, D \cdot H)` (the layout of the input); h_n: like hx.

    Attributes:
        weight_ih_l[k], weight_hh_l[k], bias_ih_l[k], bias_hh_l[k]: the parameters of layer
            ``k`` (``_reverse`` for the backward direction), all drawn from
            :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`, :math:`k = 1/\text{hidden\_size}`.

    Examples:
        >>> import ember
        >>> rnn = ember.nn.RNN(10, 20, 2)
        >>> output, hn = rnn(ember.randn(5, 3, 10), ember.randn(2, 3, 20))
        >>> output.shape, hn.shape
        (ember.Size([5, 3, 20]), ember.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        _no_proj(kwargs, "RNN")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity  # not shown by extra_repr, as in PyTorch

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._run(input, hx, "RNN", "tensor instead")


class LSTM(RNNBase):
    r"""A multi-layer long short-term memory RNN. For each step, in PyTorch's gate order:

    .. math::
        i, f, g, o = \sigma, \sigma, \tanh, \sigma \text{ of the four chunks of }
            x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}, \quad
        c_t = f \odot c_{t-1} + i \odot g, \quad h_t = o \odot \tanh(c_t)

    With ``proj_size > 0``, :math:`h_t` is projected by ``weight_hr_l[k]`` to ``proj_size``
    features.

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            device, dtype: as in :class:`RNN`.
        proj_size: if ``> 0``, the size of the projected hidden state. Default: 0

    Shape:
        - input: as in :class:`RNN`; hx: an optional tuple ``(h_0, c_0)`` of
          :math:`(D \cdot \text{num\_layers}, N, H_{out})` and
          :math:`(D \cdot \text{num\_layers}, N, H_{cell})`.
        - output: :math:`(L, N, D \cdot H_{out})`; ``(h_n, c_n)``: like ``(h_0, c_0)``.

    Examples:
        >>> import ember
        >>> lstm = ember.nn.LSTM(10, 20, 2)
        >>> output, (hn, cn) = lstm(ember.randn(5, 3, 10))
        >>> output.shape, cn.shape
        (ember.Size([5, 3, 20]), ember.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device=device, dtype=dtype)

    def get_expected_cell_size(self, input: Tensor,
                               batch_sizes: Tensor | None) -> tuple[int, int, int]:
        """The shape ``(num_layers * num_directions, batch, hidden_size)`` of ``c_0``."""
        return (*self._state_rows(input, batch_sizes), self.hidden_size)

    def forward(self, input: Any, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Any, tuple[Tensor, Tensor]]:
        return self._run(input, hx, "LSTM", "instead")


class GRU(RNNBase):
    r"""A multi-layer gated recurrent unit RNN. For each step, in PyTorch's gate order:

    .. math::
        r = \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr}), \quad
        z = \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz}), \\
        n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn})), \quad
        h' = (1 - z) \odot n + z \odot h

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            device, dtype: as in :class:`RNN`.

    Shape:
        As in :class:`RNN`.

    Examples:
        >>> import ember
        >>> gru = ember.nn.GRU(10, 20, 2, batch_first=True)
        >>> output, hn = gru(ember.randn(3, 5, 10))
        >>> output.shape, hn.shape
        (ember.Size([3, 5, 20]), ember.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device: Any = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        _no_proj(kwargs, "GRU")
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._run(input, hx, "GRU", "instead")
