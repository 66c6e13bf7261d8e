"""Parameter initialisation (``ember.nn.init``), as ``torch.nn.init``.

Every function fills its tensor in place, without autograd, and returns it. Random draws
come from Ember's Philox generator (the global one, or ``generator=``), so a seed gives the
same weights on every backend.

Example:
    >>> import ember
    >>> w = ember.empty(3, 5)
    >>> _ = ember.nn.init.kaiming_uniform_(w, nonlinearity='relu')
    >>> bool((w.abs() <= (6 / 5) ** 0.5).all())
    True
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember import Tensor

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_",
           "zeros_", "eye_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "sparse_", "uniform", "normal", "constant",
           "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal",
           "sparse"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: int | float | None = None) -> float:
    """The recommended gain for a nonlinearity (``'relu'``: sqrt(2), ``'tanh'``: 5/3,
    ``'leaky_relu'``: sqrt(2 / (1 + slope**2)), ``'selu'``: 3/4, linear ones: 1).

    Examples:
        >>> import ember
        >>> ember.nn.init.calculate_gain('tanh')
        1.6666666666666667
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or \
                isinstance(param, float):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fills ``tensor`` from ``U(a, b)``.

    Examples:
        >>> import ember
        >>> bool((ember.nn.init.uniform_(ember.empty(4), 2.0, 3.0) >= 2).all())
        True
    """
    with ember.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None
            ) -> Tensor:
    """Fills ``tensor`` from ``N(mean, std**2)``.

    Examples:
        >>> import ember
        >>> ember.nn.init.normal_(ember.empty(2, 3)).shape
        ember.Size([2, 3])
    """
    with ember.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Any = None) -> Tensor:
    """Fills ``tensor`` from ``N(mean, std**2)`` truncated to ``[a, b]`` (rejection
    sampling, as PyTorch: normal draws redrawn when out of range, or uniform proposals on
    ``[a, b]`` when the interval holds little of the distribution).

    Examples:
        >>> import ember
        >>> w = ember.nn.init.trunc_normal_(ember.empty(100), a=-0.5, b=0.5)
        >>> bool((w.abs() <= 0.5).all())
        True
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)

    def cdf(z: float) -> float:
        return (1.0 + math.erf(z / math.sqrt(2.0))) / 2.0

    with ember.no_grad():
        mass = cdf((b - mean) / std) - cdf((a - mean) / std)
        if mass > 0.3:
            # Most draws land inside: redraw the ones that do not.
            lo, hi = tensor.new_tensor(a).item(), tensor.new_tensor(b).item()
            result = ember.empty_like(tensor).normal_(mean, std, generator=generator)
            pending = (result < lo) | (result > hi)
            while bool(pending.any()):
                fresh = ember.empty_like(result).normal_(mean, std, generator=generator)
                result = ember.where(pending, fresh, result)
                pending = (result < lo) | (result > hi)
        else:
            # A thin slice of the normal: uniform proposals on [a, b], accepted with
            # probability pdf(x) / pdf(mode) (as PyTorch does).
            log_peak = -0.5 * ((max(a, min(mean, b)) - mean) / std) ** 2

            def draw() -> tuple[Tensor, Tensor]:
                cand = ember.empty_like(tensor).uniform_(a, b, generator=generator)
                u = ember.empty_like(tensor).uniform_(generator=generator)
                return cand, u.log() > ((cand - mean) / std) ** 2 * -0.5 - log_peak

            result, pending = draw()
            while bool(pending.any()):
                cand, rejected = draw()
                result = ember.where(pending, cand, result)
                pending = pending & rejected
        return tensor.copy_(result)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills ``tensor`` with ``val``.

    Examples:
        >>> import ember
        >>> ember.nn.init.constant_(ember.empty(2), 0.5)
        tensor([0.5000, 0.5000])
    """
    with ember.no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with ones.

    Examples:
        >>> import ember
        >>> ember.nn.init.ones_(ember.empty(2))
        tensor([1., 1.])
    """
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with zeros.

    Examples:
        >>> import ember
        >>> ember.nn.init.zeros_(ember.empty(2))
        tensor([0., 0.])
    """
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D ``tensor`` with the identity matrix (ones on the diagonal).

    Examples:
        >>> import ember
        >>> ember.nn.init.eye_(ember.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with ember.no_grad():
        return tensor.copy_(ember.eye(*tensor.shape, dtype=tensor.dtype, device=tensor.device))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a 3-, 4- or 5-D convolution weight with the Dirac delta: the convolution
    preserves the identity of (the first) input channels, per group.

    Examples:
        >>> import ember
        >>> w = ember.nn.init.dirac_(ember.empty(2, 2, 3))
        >>> w[0, 0].tolist(), w[0, 1].tolist()
        ([0.0, 1.0, 0.0], [0.0, 0.0, 0.0])
    """
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    centre = tuple(n // 2 for n in sizes[2:])
    with ember.no_grad():
        tensor.zero_()
        for g in range(groups):
            for d in range(min(per_group, sizes[1])):
                tensor[(g * per_group + d, d) + centre] = 1
    return tensor


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot uniform: ``U(-a, a)`` with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Examples:
        >>> import ember
        >>> w = ember.nn.init.xavier_uniform_(ember.empty(3, 5))
        >>> bool((w.abs() <= (6 / 8) ** 0.5).all())
        True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot normal: ``N(0, std**2)`` with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Examples:
        >>> import ember
        >>> ember.nn.init.xavier_normal_(ember.empty(3, 5)).shape
        ember.Size([3, 5])
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He uniform: ``U(-bound, bound)`` with ``bound = gain * sqrt(3 / fan_mode)``.

    Args:
        a: negative slope of the following leaky ReLU (for the gain).
        mode: ``'fan_in'`` (preserves forward variance) or ``'fan_out'``.
        nonlinearity: the following nonlinearity, for :func:`calculate_gain`.

    Examples:
        >>> import ember
        >>> w = ember.nn.init.kaiming_uniform_(ember.empty(3, 5), mode='fan_in')
        >>> bool((w.abs() <= (6 / 5) ** 0.5).all())
        True
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He normal: ``N(0, std**2)`` with ``std = gain / sqrt(fan_mode)``.

    Examples:
        >>> import ember
        >>> ember.nn.init.kaiming_normal_(ember.empty(3, 5), mode='fan_out').shape
        ember.Size([3, 5])
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), generator)


def _gram_schmidt(a: Tensor) -> Tensor:
    """Q of the QR factorisation of ``a`` (rows >= cols) with R's diagonal positive, by
    modified Gram-Schmidt applied twice (stable to working precision)."""
    cols = []
    for j in range(a.shape[1]):
        v = a[:, j]
        for _ in range(2):
            for q in cols:
                v = v - (q * v).sum() * q
        cols.append(v / (v * v).sum().sqrt())
    return ember.stack(cols, 1)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Any = None) -> Tensor:
    """Fills ``tensor`` (viewed as ``rows x rest``) with a (semi-)orthogonal matrix drawn
    uniformly (the Q of a Gaussian matrix's QR factorisation), times ``gain``.

    Examples:
        >>> import ember
        >>> w = ember.nn.init.orthogonal_(ember.empty(3, 3))
        >>> bool(((w @ w.T) - ember.eye(3)).abs().max() < 1e-5)
        True
    """
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with ember.no_grad():
        flat = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)
        flat = flat.double()
        q = _gram_schmidt(flat.t() if rows < cols else flat)
        if rows < cols:
            q = q.t()
        tensor.copy_((q * gain).reshape(tensor.shape))
    return tensor


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None
            ) -> Tensor:
    """Fills a 2-D ``tensor`` from ``N(0, std**2)`` and zeroes ``ceil(sparsity * rows)``
    random entries of each column.

    Examples:
        >>> import ember
        >>> w = ember.nn.init.sparse_(ember.empty(4, 3), sparsity=0.5)
        >>> int((w == 0).sum())
        6
    """
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    zeros = math.ceil(sparsity * rows)
    with ember.no_grad():
        tensor.normal_(0, std, generator=generator)
        for c in range(cols):
            idx = ember.randperm(rows, generator=generator, device=tensor.device)[:zeros]
            tensor[idx, c] = 0
    return tensor


def _deprecated(new: Any) -> Any:
    old = new.__name__[:-1]

    def fn(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new.__name__}`.",
                      FutureWarning, stacklevel=2)
        return new(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = old
    fn.__doc__ = f"Deprecated alias of :func:`{new.__name__}`."
    return fn


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
