"""``ember.amp``: automatic mixed precision (PyTorch's ``torch.amp``).

:class:`autocast` runs matmul, linear and convolution in a lower-precision dtype inside a
region; :class:`GradScaler` scales the loss so small gradients survive that precision and
skips optimizer steps whose gradients overflowed. Both work on the CPU (``"cpu"``, bfloat16 by
default) as well as on CUDA.

Example:
    >>> import ember
    >>> model = ember.nn.Linear(3, 2)
    >>> opt = ember.optim.SGD(model.parameters(), lr=0.1)
    >>> scaler = ember.amp.GradScaler("cpu")
    >>> with ember.autocast("cpu"):
    ...     loss = model(ember.ones(4, 3)).float().pow(2).mean()
    >>> scaler.scale(loss).backward()
    >>> scaler.step(opt)
    >>> scaler.update()
    >>> scaler.get_scale()
    65536.0
"""

from ._autocast import autocast
from ._grad_scaler import GradScaler, OptState
from ._state import (
    autocast_decrement_nesting,
    autocast_increment_nesting,
    clear_autocast_cache,
    get_autocast_dtype,
    is_autocast_available,
    is_autocast_cache_enabled,
    is_autocast_enabled,
    set_autocast_cache_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)

__all__ = ["autocast", "GradScaler", "OptState", "is_autocast_available", "is_autocast_enabled",
           "set_autocast_enabled", "get_autocast_dtype", "set_autocast_dtype",
           "is_autocast_cache_enabled", "set_autocast_cache_enabled", "clear_autocast_cache",
           "autocast_increment_nesting", "autocast_decrement_nesting"]
