"""``ember.amp.GradScaler``: dynamic loss scaling, as ``torch.amp.GradScaler``.

NOTE [ GradScaler semantics ]
The scale is a float32 0-d tensor and the growth tracker an int32 0-d tensor on the device of
the first scaled output. ``unscale_`` multiplies every gradient by ``float32(1 / scale)``
(computed in float64, as PyTorch does) and records whether any gradient held an inf or NaN;
``step`` then skips ``optimizer.step()`` if one did. ``update`` backs the scale off
(``scale * backoff_factor``, growth tracker reset) after a skipped step, or counts a good step
and grows the scale by ``growth_factor`` after ``growth_interval`` good steps in a row (only
when the grown scale is finite). The factors multiply in float64 and the result is rounded to
float32, exactly as PyTorch's ``_amp_update_scale_`` kernel.
"""

from __future__ import annotations

import math
import struct
import warnings
from collections import defaultdict
from enum import Enum
from typing import Any

import ember

__all__ = ["GradScaler", "OptState"]


class OptState(Enum):
    """Where an optimizer is in the current iteration."""

    READY = 0
    UNSCALED = 1
    STEPPED = 2


def _fresh_state() -> dict[str, Any]:
    return {"stage": OptState.READY, "found_inf_per_device": {}}


_FIX = ("This may indicate your script did not use scaler.scale(loss or outputs) earlier in "
        "the iteration.")


def _finite_in_float32(x: float) -> bool:
    """Whether ``x`` stays finite when rounded to float32 (``struct`` rounds as C does)."""
    try:
        return math.isfinite(struct.unpack("f", struct.pack("f", x))[0])
    except OverflowError:
        return False


class GradScaler:
    """Scales the loss so that small gradients survive low precision, and unscales them
    before the optimizer step.

    Args:
        device (str): the device type of the scaled tensors. Default: ``"cuda"`` (which,
            without CUDA, warns and disables the scaler, as in PyTorch).
        init_scale (float): the initial scale factor. Default: ``2.**16``.
        growth_factor (float): factor the scale grows by after ``growth_interval``
            consecutive steps without inf/NaN gradients. Default: ``2.0``.
        backoff_factor (float): factor the scale shrinks by after a step whose gradients
            held an inf or NaN (that step is skipped). Default: ``0.5``.
        growth_interval (int): good steps between two growths. Default: ``2000``.
        enabled (bool): ``False`` makes every method a pass-through. Default: ``True``.

    Examples:
        >>> import ember
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.SGD([w], lr=0.1)
        >>> scaler = ember.amp.GradScaler("cpu", init_scale=4.0)
        >>> scaler.scale((w * w).sum()).backward()
        >>> w.grad
        tensor([8., 8.])
        >>> scaler.step(opt)
        >>> scaler.update()
        >>> w
        tensor([0.8000, 0.8000], requires_grad=True)
    """

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16,
                 growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True) -> None:
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled and not ember.cuda.is_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.", stacklevel=2)
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
            self._init_scale = init_scale
            self._scale: ember.Tensor | None = None
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker: ember.Tensor | None = None
            self._per_optimizer_states: dict[int, dict[str, Any]] = defaultdict(_fresh_state)

    def _check_scale_growth_tracker(self, funcname: str) -> tuple[ember.Tensor, ember.Tensor]:
        if self._scale is None:
            raise AssertionError(f"Attempted {funcname} but _scale is None.  " + _FIX)
        if self._growth_tracker is None:
            raise AssertionError(f"Attempted {funcname} but _growth_tracker is None.  " + _FIX)
        return self._scale, self._growth_tracker

    def _lazy_init_scale_growth_tracker(self, dev: Any) -> None:
        self._scale = ember.full((), self._init_scale, dtype=ember.float32, device=dev)
        self._growth_tracker = ember.full((), self._init_growth_tracker, dtype=ember.int32,
                                          device=dev)

    def scale(self, outputs: Any) -> Any:
        """Multiply ``outputs`` (a tensor or a nested list/tuple/iterable of tensors) by the
        scale factor; returned unchanged when the scaler is disabled."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, ember.Tensor):
            if self._scale is None:
                self._lazy_init_scale_growth_tracker(outputs.device)
            return outputs * self._scale.to(device=outputs.device)

        def apply_scale(val: Any) -> Any:
            if isinstance(val, ember.Tensor):
                if self._scale is None:
                    self._lazy_init_scale_growth_tracker(val.device)
                return val * self._scale.to(device=val.device)
            if isinstance(val, (list, tuple)):
                return type(val)(map(apply_scale, val))
            if hasattr(val, "__iter__"):
                return map(apply_scale, val)
            raise ValueError("outputs must be a Tensor or an iterable of Tensors")

        return apply_scale(outputs)

    def _unscale_grads_(self, optimizer: Any, inv_scale: ember.Tensor,
                        allow_fp16: bool) -> dict[Any, ember.Tensor]:
        found: dict[Any, ember.Tensor] = {}
        with ember.no_grad():
            for group in optimizer.param_groups:
                for param in group["params"]:
                    grad = param.grad
                    if grad is None:
                        continue
                    if not allow_fp16 and grad.dtype == ember.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    bad = grad.isfinite().logical_not().any()
                    dev = grad.device
                    found[dev] = bad if dev not in found else found[dev].logical_or(bad)
                    grad.mul_(inv_scale.to(device=dev, dtype=grad.dtype))
        return {dev: bad.to(ember.float32) for dev, bad in found.items()}

    def unscale_(self, optimizer: Any) -> None:
        """Divide the gradients of ``optimizer``'s parameters by the scale factor, in place,
        and record whether any is inf or NaN. At most once per optimizer per iteration,
        before :meth:`step` (for example to clip the unscaled gradients)."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("unscale_")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is OptState.UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update().")
        if state["stage"] is OptState.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = self._scale.double().reciprocal().float()
        state["found_inf_per_device"] = self._unscale_grads_(optimizer, inv_scale, False)
        state["stage"] = OptState.UNSCALED

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """Unscale the gradients (unless :meth:`unscale_` already did) and call
        ``optimizer.step(*args, **kwargs)`` only if none of them is inf or NaN. Returns what
        ``optimizer.step`` returned, or ``None`` when the step was skipped."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scale_growth_tracker("step")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is OptState.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is OptState.READY:
            self.unscale_(optimizer)
        if len(state["found_inf_per_device"]) == 0:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        retval = None
        if not sum(v.item() for v in state["found_inf_per_device"].values()):
            retval = optimizer.step(*args, **kwargs)
        state["stage"] = OptState.STEPPED
        return retval

    def update(self, new_scale: float | ember.Tensor | None = None) -> None:
        """Update the scale factor for the next iteration (NOTE [ GradScaler semantics ]),
        or set it to ``new_scale``. Call once per iteration, after every :meth:`step`."""
        if not self._enabled:
            return
        scale, tracker = self._check_scale_growth_tracker("update")
        if new_scale is not None:
            if isinstance(new_scale, float):
                scale.fill_(new_scale)
            else:
                reason = ("new_scale should be a float or a 1-element ember.Tensor with "
                          "requires_grad=False.")
                if (not isinstance(new_scale, ember.Tensor) or new_scale.numel() != 1
                        or new_scale.requires_grad):
                    raise AssertionError(reason)
                scale.copy_(new_scale.reshape(()))
        else:
            found = [f for st in self._per_optimizer_states.values()
                     for f in st["found_inf_per_device"].values()]
            if len(found) == 0:
                raise AssertionError("No inf checks were recorded prior to update.")
            self._update_scale(scale, tracker, any(f.item() for f in found))
        self._per_optimizer_states = defaultdict(_fresh_state)

    def _update_scale(self, scale: ember.Tensor, tracker: ember.Tensor, found_inf: bool) -> None:
        current = scale.item()
        if found_inf:
            scale.fill_(current * self._backoff_factor)
            tracker.fill_(0)
            return
        successful = int(tracker.item()) + 1
        if successful == self._growth_interval:
            grown = current * self._growth_factor
            if _finite_in_float32(grown):
                scale.fill_(grown)
            tracker.fill_(0)
        else:
            tracker.fill_(successful)

    def get_scale(self) -> float:
        """The current scale factor as a Python float (``1.0`` when disabled)."""
        if self._enabled:
            return self._init_scale if self._scale is None else float(self._scale.item())
        return 1.0

    def get_growth_factor(self) -> float:
        """The growth factor."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Set the growth factor."""
        self._growth_factor = new_factor

    def get_backoff_factor(self) -> float:
        """The backoff factor."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Set the backoff factor."""
        self._backoff_factor = new_factor

    def get_growth_interval(self) -> int:
        """The growth interval."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Set the growth interval."""
        self._growth_interval = new_interval

    def _get_growth_tracker(self) -> int:
        if self._enabled:
            return (self._init_growth_tracker if self._growth_tracker is None
                    else int(self._growth_tracker.item()))
        return 0

    def is_enabled(self) -> bool:
        """Whether the scaler is enabled."""
        return self._enabled

    def state_dict(self) -> dict[str, Any]:
        """The scaler's state: ``scale``, ``growth_factor``, ``backoff_factor``,
        ``growth_interval`` and ``_growth_tracker`` (empty when disabled)."""
        if self._enabled:
            return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                    "backoff_factor": self._backoff_factor,
                    "growth_interval": self._growth_interval,
                    "_growth_tracker": self._get_growth_tracker()}
        return {}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state returned by :meth:`state_dict`."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale.fill_(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._growth_tracker is not None:
            self._growth_tracker.fill_(state_dict["_growth_tracker"])

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if self._enabled:
            if len(self._per_optimizer_states) != 0:
                raise AssertionError("A GradScaler instance may only be pickled at the "
                                     "beginning of an iteration, or at the end after "
                                     "scaler.update().")
            state["_init_scale"] = self.get_scale()
            state["_init_growth_tracker"] = self._get_growth_tracker()
            state["_scale"] = None
            state["_growth_tracker"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
