"""Normalising activations along a dimension: ``softmax``, ``log_softmax``, ``softmin``,
``gumbel_softmax``, ``glu`` and ``normalize``."""

from __future__ import annotations

import warnings
from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ..._ops._elementwise import _tname
from ._utils import named

__all__ = ["softmax", "log_softmax", "softmin", "gumbel_softmax", "glu", "normalize",
           "vector_norm"]


def _legacy_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  f"to include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _shifted(x: Tensor, dim: int) -> Tensor:
    if x.dim() == 0:
        return x - x
    m = x.amax(dim, keepdim=True)
    return x - ember.where(m == float("-inf"), ember.zeros_like(m), m)


class _Softmax(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, dim: int) -> Tensor:
        e = _shifted(x, dim).exp()
        y = e / (e.sum(dim, keepdim=True) if x.dim() else e)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (y,) = ctx.saved_tensors
        gy = g * y
        return gy - y * (gy.sum(ctx.dim, keepdim=True) if y.dim() else gy), None


class _LogSoftmax(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, dim: int) -> Tensor:
        z = _shifted(x, dim)
        y = z - (z.exp().sum(dim, keepdim=True) if x.dim() else z.exp()).log()
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (y,) = ctx.saved_tensors
        total = g.sum(ctx.dim, keepdim=True) if y.dim() else g
        return g - y.exp() * total, None


named(_Softmax, "SoftmaxBackward0")
named(_LogSoftmax, "LogSoftmaxBackward0")


def _prepare(input: Tensor, dim: int | None, dtype: Any, name: str, stacklevel: int) -> tuple:
    if dim is None:
        dim = _legacy_dim(name, input.dim(), stacklevel + 1)
    if dtype is not None:
        input = input.to(dtype)
    ndim = max(input.dim(), 1)
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {dim})")
    if not input.is_floating_point():
        # PyTorch: NotImplementedError for complex input, RuntimeError for integers
        exc = NotImplementedError if input.is_complex() else RuntimeError
        raise exc(f'"{name}_lastdim_kernel_impl" not implemented for '
                  f"'{_tname(input.dtype)}'")
    return input, dim % ndim if input.dim() else dim


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    r"""Softmax along ``dim``: :math:`\exp(x_i) / \sum_j \exp(x_j)`; each slice sums to 1.

    Args:
        input: the input tensor.
        dim: the dimension to normalise over.
        dtype: if given, ``input`` is cast to it first (useful to avoid overflow).

    Examples:
        >>> import ember
        >>> ember.nn.functional.softmax(ember.tensor([0.0, 0.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    input, dim = _prepare(input, dim, dtype, "softmax", _stacklevel)
    return _Softmax.apply(input, dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    r"""The logarithm of :func:`softmax`, computed stably: :math:`x_i - \log\sum_j e^{x_j}`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.log_softmax(ember.tensor([0.0, 0.0]), dim=0)
        tensor([-0.6931, -0.6931])
    """
    input, dim = _prepare(input, dim, dtype, "log_softmax", _stacklevel)
    return _LogSoftmax.apply(input, dim)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``softmax(-input)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.softmin(ember.tensor([0.0, 0.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    input, dim = _prepare(input, dim, dtype, "softmin", _stacklevel)
    return _Softmax.apply(-input, dim)


def gumbel_softmax(logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """Samples from the Gumbel-softmax distribution (Ember's generator draws the noise);
    ``hard=True`` returns one-hot samples with the soft sample's gradient.

    Examples:
        >>> import ember
        >>> ember.nn.functional.gumbel_softmax(ember.zeros(3)).sum()
        tensor(1.)
    """
    gumbels = -ember.empty_like(logits.detach()).exponential_().log()
    y_soft = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.detach().argmax(dim, keepdim=True)
    y_hard = ember.zeros_like(y_soft.detach()).scatter(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


class _Glu(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, dim: int) -> Tensor:
        a, b = x.chunk(2, dim)
        ctx.dim = dim
        ctx.save_for_backward(x)
        return a * ember.sigmoid(b)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (x,) = ctx.saved_tensors
        a, b = x.chunk(2, ctx.dim)
        s = ember.sigmoid(b)
        return ember.cat([g * s, g * a * s * (1 - s)], ctx.dim), None


named(_Glu, "GluBackward0")


def glu(input: Tensor, dim: int = -1) -> Tensor:
    r"""Gated linear unit: splits ``input`` in halves ``a, b`` along ``dim`` and returns
    :math:`a \otimes \sigma(b)`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.glu(ember.tensor([2.0, 0.0]))
        tensor([1.])
    """
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension "
                           f"{dim % input.dim()} is size {size}")
    return _Glu.apply(input, dim)


class _VectorNorm(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
        n = _norm_value(x, p, dim)
        ctx.p, ctx.dim, ctx.keepdim = p, dim, keepdim
        ctx.save_for_backward(x, n)
        return n if keepdim else n.squeeze(dim) if dim is not None else n.reshape(())

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, n = ctx.saved_tensors
        p, dim = ctx.p, ctx.dim
        if ember.is_grad_enabled():  # create_graph: the norm with its dependence on x
            n = _norm_value(x, p, dim)
        if not ctx.keepdim:
            g = g.reshape(n.shape)
        if p == 0:
            return x * 0, None, None, None
        if p == 1:
            gx = g * x.sgn()
        elif p == float("inf") or p == float("-inf"):
            hit = x.abs() == n
            count = hit.sum(dim, keepdim=True) if dim is not None else hit.sum()
            gx = ember.where(hit, g * x.sgn() / count, x * 0)
        else:
            safe = ember.where(n == 0, ember.ones_like(n), n)
            if p == 2:
                gx = g * x / safe
            else:
                gx = g * x.sgn() * (x.abs() / safe) ** (p - 1)
        return gx, None, None, None


named(_VectorNorm, "LinalgVectorNormBackward0")


def _norm_value(x: Tensor, p: float, dim: Any) -> Tensor:
    kw: dict = {"keepdim": True}
    ax = x.abs()
    if dim is None:
        dim = tuple(range(x.dim()))
    if p == float("inf"):
        return ax.amax(dim, **kw)
    if p == float("-inf"):
        return ax.amin(dim, **kw)
    if p == 0:
        return (x != 0).to(ax.dtype).sum(dim, **kw)
    if p == 1:
        return ax.sum(dim, **kw)
    if p == 2:  # |x|^2 (x * x for real x, the modulus squared for complex x)
        return (ax * ax).sum(dim, **kw).sqrt()
    return (ax ** p).sum(dim, **kw) ** (1.0 / p)


def vector_norm(x: Tensor, p: float = 2.0, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The ``p``-norm of ``x`` over ``dim`` with a gradient of zero at the zero vector."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None:
        dim = tuple(d % max(x.dim(), 1) for d in dim)
    return _VectorNorm.apply(x, float(p), dim, keepdim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    r"""Divides ``input`` by its ``p``-norm along ``dim``: :math:`v / \max(\lVert v
    \rVert_p, \epsilon)`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.normalize(ember.tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """
    denom = vector_norm(input, p, dim, keepdim=True).clamp(min=eps)
    res = input / denom
    if out is not None:
        return out.copy_(res)
    return res
