"""Loss layers: each stores its options and calls the ``ember.nn.functional`` loss (the
margin and embedding losses live in ``_margin_loss`` and are re-exported here).

``reduction`` is ``'mean'`` (default), ``'sum'`` or ``'none'``; the deprecated
``size_average``/``reduce`` arguments are translated as PyTorch does, with its warning.
"""

from __future__ import annotations

from ember import Tensor

from .. import functional as F
from ._loss_base import _Loss, _WeightedLoss
from ._margin_loss import (
    CosineEmbeddingLoss,
    HingeEmbeddingLoss,
    MarginRankingLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    SoftMarginLoss,
    TripletMarginLoss,
)

__all__ = ["L1Loss", "NLLLoss", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "MSELoss",
           "BCELoss", "BCEWithLogitsLoss", "HingeEmbeddingLoss", "SmoothL1Loss", "HuberLoss",
           "SoftMarginLoss", "CrossEntropyLoss", "MultiLabelSoftMarginLoss",
           "CosineEmbeddingLoss", "MarginRankingLoss", "MultiMarginLoss", "TripletMarginLoss",
           "CTCLoss"]


class L1Loss(_Loss):
    r"""Mean absolute error :math:`|x - y|`, reduced by ``reduction``.

    Examples:
        >>> import ember
        >>> ember.nn.L1Loss()(ember.tensor([1., 2.]), ember.tensor([0., 0.]))
        tensor(1.5000)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    r"""Mean squared error :math:`(x - y)^2`, reduced by ``reduction``.

    Examples:
        >>> import ember
        >>> ember.nn.MSELoss()(ember.tensor([1., 2.]), ember.tensor([0., 0.]))
        tensor(2.5000)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    r"""Negative log-likelihood of class targets given log-probabilities ``(N, C, ...)``.

    Args:
        weight (Tensor, optional): a rescaling weight per class, shape ``(C,)``.
        ignore_index (int, optional): a target value that contributes nothing. Default -100.
        reduction (str, optional): ``'none'``, ``'mean'`` (weighted mean) or ``'sum'``.

    Examples:
        >>> import ember
        >>> logp = ember.tensor([[-0.5, -1.0]])
        >>> ember.nn.NLLLoss()(logp, ember.tensor([1]))
        tensor(1.)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross entropy between logits ``(N, C, ...)`` and class indices or class
    probabilities: ``log_softmax`` followed by :class:`NLLLoss`.

    Args:
        weight (Tensor, optional): a rescaling weight per class, shape ``(C,)``.
        ignore_index (int, optional): a target index that contributes nothing. Default -100.
        reduction (str, optional): ``'none'``, ``'mean'`` or ``'sum'``. Default ``'mean'``.
        label_smoothing (float, optional): in [0, 1]; mixes the target with the uniform
            distribution. Default ``0.0``.

    Examples:
        >>> import ember
        >>> ember.nn.CrossEntropyLoss()(ember.zeros(1, 4), ember.tensor([2]))
        tensor(1.3863)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(input, target, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class PoissonNLLLoss(_Loss):
    r"""Negative log-likelihood of a Poisson target: :math:`e^x - y x` (``log_input``) or
    :math:`x - y \log(x + \text{eps})`, plus Stirling's term when ``full``.

    Examples:
        >>> import ember
        >>> ember.nn.PoissonNLLLoss()(ember.tensor([0.]), ember.tensor([1.]))
        tensor(1.)
    """

    def __init__(self, log_input: bool = True, full: bool = False,
                 size_average: bool | None = None, eps: float = 1e-8,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    r"""Negative log-likelihood of a Gaussian target with predicted mean and variance.

    Examples:
        >>> import ember
        >>> ember.nn.GaussianNLLLoss()(ember.zeros(2), ember.zeros(2), ember.ones(2))
        tensor(0.)
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6,
                 reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var: Tensor | float) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)


class KLDivLoss(_Loss):
    r"""Kullback-Leibler divergence :math:`y (\log y - x)` for log-probabilities ``x``
    (``log_target=True``: ``y`` is given as log-probabilities too).

    Examples:
        >>> import ember
        >>> p = ember.tensor([[0.5, 0.5]])
        >>> ember.nn.KLDivLoss(reduction="batchmean")(p.log(), p)
        tensor(0.)
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class BCELoss(_WeightedLoss):
    r"""Binary cross entropy :math:`-w (y \log x + (1 - y) \log(1 - x))` of probabilities.

    Examples:
        >>> import ember
        >>> ember.nn.BCELoss()(ember.tensor([0.5]), ember.tensor([1.]))
        tensor(0.6931)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Sigmoid followed by binary cross entropy, computed stably from logits.

    Args:
        weight (Tensor, optional): a rescaling weight broadcast over the batch.
        reduction (str, optional): ``'none'``, ``'mean'`` or ``'sum'``.
        pos_weight (Tensor, optional): a weight of positive examples, per class.

    Examples:
        >>> import ember
        >>> ember.nn.BCEWithLogitsLoss()(ember.tensor([0.]), ember.tensor([1.]))
        tensor(0.6931)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class SmoothL1Loss(_Loss):
    r"""Squared error below ``beta`` (divided by ``beta``), absolute error above it.

    Examples:
        >>> import ember
        >>> ember.nn.SmoothL1Loss()(ember.tensor([0.5, 3.]), ember.zeros(2))
        tensor(1.3125)
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    r"""Squared error (halved) below ``delta``, ``delta``-scaled absolute error above it.

    Examples:
        >>> import ember
        >>> ember.nn.HuberLoss()(ember.tensor([0.5, 3.]), ember.zeros(2))
        tensor(1.3125)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        if not isinstance(delta, float | int):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class CTCLoss(_Loss):
    r"""Connectionist Temporal Classification loss of log-probabilities ``(T, N, C)``
    against unaligned target sequences.

    Args:
        blank (int, optional): the blank label. Default ``0``.
        reduction (str, optional): ``'none'``, ``'mean'`` (divided by target lengths, then
            averaged) or ``'sum'``.
        zero_infinity (bool, optional): replace infinite losses (and their gradients) by
            zero. Default ``False``.

    Examples:
        >>> import ember
        >>> logp = ember.nn.functional.log_softmax(ember.zeros(1, 1, 2), dim=2)
        >>> ember.nn.CTCLoss()(logp, ember.tensor([[1]]), ember.tensor([1]), ember.tensor([1]))
        tensor(0.6931)
    """

    def __init__(self, blank: int = 0, reduction: str = "mean",
                 zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths: Tensor,
                target_lengths: Tensor) -> Tensor:
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)

