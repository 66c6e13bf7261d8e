"""``ember.optim.lr_scheduler``: learning-rate schedules (PyTorch's ``torch.optim.lr_scheduler``).

A scheduler adjusts its optimizer's ``param_groups[i]["lr"]``; call ``scheduler.step()``
after ``optimizer.step()`` (once per epoch, or per batch for ``CyclicLR``/``OneCycleLR``).

Examples:
    >>> w = ember.zeros(2, requires_grad=True)
    >>> opt = ember.optim.SGD([w], lr=0.1)
    >>> sched = ember.optim.lr_scheduler.MultiStepLR(opt, milestones=[2], gamma=0.1)
    >>> for epoch in range(3):
    ...     opt.step()
    ...     sched.step()
    >>> [round(lr, 6) for lr in sched.get_last_lr()]
    [0.01]
"""

from ._base import LRScheduler, _LRScheduler
from ._composite import ChainedScheduler, SequentialLR
from ._cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from ._cyclic import CyclicLR, OneCycleLR
from ._decay import ConstantLR, ExponentialLR, LinearLR, MultiStepLR, PolynomialLR, StepLR
from ._lambda import LambdaLR, MultiplicativeLR
from ._plateau import ReduceLROnPlateau

__all__ = ["ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
           "CyclicLR", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR",
           "MultiplicativeLR", "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR",
           "StepLR", "_LRScheduler"]
