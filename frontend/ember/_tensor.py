"""The Tensor class: a backend array, its dtype, and autograd metadata.

# NOTE [ Tensor layout ]
A Tensor holds ``_data`` (the backend's array), ``_backend`` (the backend instance serving
its device) and ``_dtype``. Ops read these three slots and call one backend kernel; the
result is wrapped with :func:`_wrap`, which sets the minimum. Autograd fields default to
"no graph": ``_requires_grad`` False, ``_grad_fn`` None. ``_meta`` holds what only some
tensors need (``.grad``, the shared version counter, hooks, the view base), created on
first use. Methods are attached in ``ember._tensor_methods`` and the op modules, so this
file holds only the core.
"""

from __future__ import annotations

from typing import Any

from ._size import Size
from .backend._dtypes import dtype as DType

__all__ = ["Tensor", "_wrap", "TensorMeta"]


class TensorMeta:
    """Per-tensor data that most tensors never need."""

    __slots__ = ("grad", "version", "base", "hooks", "retains_grad", "name", "acc_node",
                 "output_nr", "is_view")

    def __init__(self) -> None:
        self.grad: Tensor | None = None
        self.version: list[int] | None = None  # shared by a tensor and its views
        self.base: Tensor | None = None
        self.hooks: list | None = None
        self.retains_grad = False
        self.name: str | None = None
        self.acc_node = None  # the leaf's AccumulateGrad node, once one was needed
        self.output_nr = 0  # which output of its grad_fn this tensor is
        self.is_view = False


class Tensor:
    """A multi-dimensional array on a device, with autograd support.

    Create tensors with :func:`ember.tensor`, :func:`ember.zeros`, ... The legacy
    constructor ``ember.Tensor(*sizes)`` / ``ember.Tensor(data)`` makes a default-dtype
    (float32) tensor, as ``torch.Tensor`` does.

    Example:
        >>> import ember
        >>> ember.Tensor(2, 3).shape
        ember.Size([2, 3])
        >>> ember.Tensor([5, 3])
        tensor([5., 3.])
    """

    __slots__ = ("_data", "_backend", "_dtype", "_requires_grad", "_grad_fn", "_meta",
                 "__weakref__", "__dict__")

    # torch makes Tensor subclasses (nn.Parameter) with __new__; so do we.
    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        from ._ops import _creation

        return _creation.legacy_new(cls, args, kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    # ------------------------------------------------------------------ core attributes
    @property
    def dtype(self) -> DType:
        """The element type, e.g. ``ember.float32``."""
        return self._dtype

    @property
    def device(self):
        """The :class:`ember.device` the tensor lives on."""
        return self._backend.device

    @property
    def shape(self) -> Size:
        """The shape, as an :class:`ember.Size`."""
        return Size(self._backend.shape(self._data))

    def size(self, dim: int | None = None):
        """The shape, or the size of dimension ``dim``."""
        shape = self._backend.shape(self._data)
        if dim is None:
            return Size(shape)
        from ._ops._common import norm_dim

        return shape[norm_dim(dim, len(shape), "size")]

    def dim(self) -> int:
        """The number of dimensions."""
        return len(self._backend.shape(self._data))

    ndimension = dim

    @property
    def ndim(self) -> int:
        """The number of dimensions (alias of :meth:`dim`)."""
        return len(self._backend.shape(self._data))

    def numel(self) -> int:
        """The number of elements."""
        n = 1
        for d in self._backend.shape(self._data):
            n *= d
        return n

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element."""
        return self._dtype.itemsize

    def stride(self, dim: int | None = None):
        """The strides in elements, or the stride of dimension ``dim``."""
        strides = tuple(self._backend.strides(self._data))
        if dim is None:
            return strides
        from ._ops._common import norm_dim

        return strides[norm_dim(dim, len(strides), "stride")]

    def storage_offset(self) -> int:
        """Offset of the first element in the underlying storage, in elements."""
        return self._backend.storage_offset(self._data)

    @property
    def layout(self):
        """Always ``ember.strided``."""
        from ._layout import strided

        return strided

    @property
    def is_cuda(self) -> bool:
        """True when the tensor lives on a CUDA device."""
        return self._backend.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        """True when the tensor lives on the CPU."""
        return self._backend.device.type == "cpu"

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return False

    def is_floating_point(self) -> bool:
        """True for float16, bfloat16, float32 and float64 tensors."""
        return self._dtype.is_floating_point

    def is_complex(self) -> bool:
        """True for complex tensors."""
        return self._dtype.is_complex

    def is_signed(self) -> bool:
        """True unless the dtype is bool or uint8."""
        return self._dtype.is_signed

    def get_device(self) -> int:
        """The device index (-1 on the CPU), as PyTorch's ``get_device``."""
        dev = self._backend.device
        return -1 if dev.type == "cpu" else (dev.index or 0)

    # ------------------------------------------------------------------ autograd fields
    @property
    def requires_grad(self) -> bool:
        """Whether autograd records operations on this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        from .autograd._leaf import set_requires_grad

        set_requires_grad(self, value)

    @property
    def grad_fn(self):
        """The autograd node that created this tensor (None for leaves)."""
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        """True for tensors not created by a recorded operation."""
        return self._grad_fn is None

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor whose ``.grad`` is kept (after :meth:`retain_grad`)."""
        return self._grad_fn is not None and self._meta is not None and self._meta.retains_grad

    @property
    def grad(self):
        """The gradient accumulated by ``backward()`` (leaves, or tensors that
        ``retain_grad()``)."""
        from .autograd._leaf import get_grad

        return get_grad(self)

    @grad.setter
    def grad(self, value) -> None:
        from .autograd._leaf import set_grad

        set_grad(self, value)

    @property
    def _version(self) -> int:
        meta = self._meta
        return 0 if meta is None or meta.version is None else meta.version[0]

    def _ensure_meta(self) -> TensorMeta:
        meta = self._meta
        if meta is None:
            meta = self._meta = TensorMeta()
        return meta

    # ------------------------------------------------------------------ python protocol
    def __repr__(self) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self)

    __str__ = __repr__

    def __len__(self) -> int:
        shape = self._backend.shape(self._data)
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __iter__(self):
        shape = self._backend.shape(self._data)
        if not shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(shape[0]))

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous "
                f"(shape {list(self.shape)})"
            )
        return bool(self.item())

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __index__(self) -> int:
        if self._dtype.kind not in "ib" or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def _scalar(self, what: str):
        if self.numel() != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars "
                             f"(tried {what}() on shape {list(self.shape)})")
        return self.item()

    def __format__(self, spec: str) -> str:
        if self.dim() == 0 and spec:
            return format(self.item(), spec)
        return object.__format__(self, spec) if spec else repr(self)

    def __reduce_ex__(self, protocol):
        from ._ops._creation import reduce_tensor

        return reduce_tensor(self)

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __dlpack__(self, *args, **kwargs):
        return self.numpy().__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self.numpy().__dlpack_device__()


_new = object.__new__


def _wrap(data: Any, dtype: DType, backend: Any) -> Tensor:
    """Wrap a backend array as a Tensor without any check (the ops' fast path)."""
    t = _new(Tensor)
    t._data = data
    t._dtype = dtype
    t._backend = backend
    t._requires_grad = False
    t._grad_fn = None
    t._meta = None
    return t
