"""``ember.autograd``: gradients of tensor computations.

``backward`` and ``grad`` run the engine (``ember.autograd.engine``) over the graph that
ops record as they run; ``Function`` defines custom differentiable operations; the grad
modes (``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``) switch
recording off and on.
"""

from . import functional, graph
from ._api import backward, grad
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["Function", "FunctionCtx", "GradcheckError", "backward", "enable_grad", "functional",
           "grad", "gradcheck", "gradgradcheck", "graph",
           "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad",
           "once_differentiable", "set_grad_enabled"]
