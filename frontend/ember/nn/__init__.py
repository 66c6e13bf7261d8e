"""``ember.nn``: neural-network layers, containers and losses, as ``torch.nn``.

Modules (:class:`Module` and the layers in :mod:`ember.nn.modules`) hold :class:`Parameter` s
and buffers and compute with :mod:`ember.nn.functional`; :mod:`ember.nn.init` initialises
tensors and :mod:`ember.nn.utils` holds training utilities (gradient clipping, ...).
Everything is written on the public tensor API, so it runs on every backend.

Examples:
    >>> import ember
    >>> from ember import nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> model
    Sequential(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=2, bias=True)
    )
    >>> list(model.state_dict())
    ['0.weight', '0.bias', '2.weight', '2.bias']
"""

from . import functional, init, modules, parallel, parameter, utils
from .modules import *  # noqa: F403
from .modules import __all__ as _modules_all
from .parallel import DataParallel
from .parameter import Buffer, Parameter

__all__ = ["Buffer", "DataParallel", "Parameter", "functional", "init", "modules", "parallel",
           "parameter", "utils", *_modules_all]
