"""``ember.nn.parallel``: :class:`DataParallel`.

PyTorch's ``DataParallel`` splits a batch across the visible GPUs. Ember runs each backend
on one device, so here it wraps the module and calls it directly -- which is what
PyTorch's does when no GPU is visible -- keeping the ``module.`` prefix of the state_dict
keys so checkpoints match PyTorch's.
"""

from __future__ import annotations

from typing import Any

from ..modules.module import Module

__all__ = ["DataParallel", "DistributedDataParallel"]


class DataParallel(Module):
    """Wrap ``module``; ``forward`` calls it on the whole batch (one device).

    Args:
        module: the module to wrap (available as ``.module``).
        device_ids: accepted for PyTorch compatibility; Ember uses the module's device.
        output_device: accepted for PyTorch compatibility.
        dim: the batch dimension (kept as an attribute).

    Examples:
        >>> import ember
        >>> net = ember.nn.DataParallel(ember.nn.Linear(3, 2))
        >>> list(net.state_dict())
        ['module.weight', 'module.bias']
        >>> net(ember.ones(4, 3)).shape
        ember.Size([4, 2])
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None,
                 dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids = list(device_ids) if device_ids is not None else []
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)


from .distributed import DistributedDataParallel  # noqa: E402
