"""``DistributedDataParallel``: one model replica per process, gradients averaged across them.

# NOTE [ DDP gradient reduction ]
Each parameter gets a tensor hook (``Tensor.register_hook``) that runs when its gradient
reaches ``AccumulateGrad``, just before it is added into ``.grad``. A synchronised
``forward`` arms the hooks with the set of parameters expected to receive a gradient (all of
them, or with ``find_unused_parameters=True`` those reachable from the outputs). The hooks
let gradients accumulate locally until the last expected one arrives; that hook then
all-reduces every parameter's full ``.grad`` (including the pending gradient and whatever
``no_sync`` steps accumulated, as PyTorch's reducer does) in one exchange, divided by the
world size, and writes the averages back. A parameter unused on some ranks contributes
zeros; one unused on every rank keeps its ``.grad``. All ranks reduce the same list in the
same order, so the collective sequence matches even when the ranks' graphs differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ember

from ..modules.module import Module

__all__ = ["DistributedDataParallel"]

_UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. "
    "This error indicates that your module has parameters that were not used in producing "
    "loss. You can enable unused parameter detection by passing the keyword argument "
    "`find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by \n"
    "making sure all `forward` function outputs participate in calculating loss. \n"
    "If you already have done the above, then the distributed data parallel module wasn't "
    "able to locate the output tensors in the return value of your module's `forward` "
    "function. Please include the loss function and the structure of the return value of "
    "`forward` of your module when reporting this issue (e.g. list, dict, iterable).\n"
    "Parameter indices which did not receive grad for rank {rank}: {indices}")


def _tensors_in(obj: Any) -> Iterator[Any]:
    """The tensors in a (nested) forward output."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, ember.Tensor):
            yield item
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _reachable_leaves(outputs: Any) -> set[int]:
    """``id`` of every leaf tensor the autograd graph of ``outputs`` accumulates into."""
    found: set[int] = set()
    seen: set[int] = set()
    stack = [t.grad_fn for t in _tensors_in(outputs) if t.grad_fn is not None]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        variable = getattr(node, "variable", None)
        if variable is not None:
            found.add(id(variable))
        stack.extend(fn for fn, _ in node.next_functions)
    return found


class DistributedDataParallel(Module):
    """Data parallelism across processes: wrap the model in every process; each process
    runs its share of the batch and ``backward`` averages the gradients over all processes,
    so every replica takes the same optimizer step.

    At construction rank 0's parameters and buffers are copied to every rank. Call
    :func:`ember.distributed.init_process_group` first.

    Args:
        module (Module): the model (available as ``.module``; state_dict keys get the
            ``module.`` prefix, as PyTorch's).
        device_ids (list, optional): ``None`` for modules on the CPU (PyTorch's rule).
        output_device: accepted for PyTorch compatibility.
        dim (int): the batch dimension. Default: 0.
        broadcast_buffers (bool): copy rank 0's buffers (e.g. BatchNorm statistics) to every
            rank at the start of each forward. Default: ``True``.
        process_group: the default group (``None``).
        find_unused_parameters (bool): find the parameters the forward did not use, so the
            reduction does not wait for their gradients. Default: ``False``.
        bucket_cap_mb, gradient_as_bucket_view, static_graph and the other PyTorch options:
            accepted and ignored (Ember reduces all gradients in one exchange).

    Examples:
        >>> import os, tempfile
        >>> import ember.distributed as dist
        >>> path = os.path.join(tempfile.mkdtemp(), "pg")
        >>> dist.init_process_group("gloo", init_method=f"file://{path}", world_size=1, rank=0)
        >>> from ember.nn.parallel.distributed import DistributedDataParallel
        >>> model = DistributedDataParallel(ember.nn.Linear(3, 2))
        >>> list(model.state_dict())
        ['module.weight', 'module.bias']
        >>> model(ember.ones(4, 3)).sum().backward()
        >>> model.module.weight.grad
        tensor([[4., 4., 4.],
                [4., 4., 4.]])
        >>> dist.destroy_process_group()
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None,
                 dim: int = 0, broadcast_buffers: bool | None = None, init_sync: bool = True,
                 process_group: Any = None, bucket_cap_mb: Any = None,
                 find_unused_parameters: bool = False, check_reduction: bool = False,
                 gradient_as_bucket_view: bool = False, static_graph: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        dist = ember.distributed
        world = dist.get_world_size(process_group)
        params = [p for p in module.parameters() if p.requires_grad]
        if not params:
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't "
                               "have any parameter that requires a gradient.")
        devices = {p.device for p in module.parameters()}
        if device_ids is not None and all(d.type in ("cpu", "ref") for d in devices):
            raise ValueError(f"DistributedDataParallel device_ids and output_device arguments "
                             f"only work with single-device/multiple-device GPU modules or CPU "
                             f"modules, but got device_ids {device_ids}, output_device "
                             f"{output_device}, and module parameters {devices}.")
        self.module = module
        self.device_ids = device_ids
        self.output_device = output_device
        self.dim = dim
        self.process_group = process_group
        self.broadcast_buffers = True if broadcast_buffers is None else broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.static_graph = static_graph
        self.require_backward_grad_sync = True
        self._world = world
        self._params = params
        self._pending: set[int] = set()
        self._fired = 0
        self._handles = [p.register_hook(self._hook_for(i)) for i, p in enumerate(params)]
        if init_sync and world > 1:
            state = list(module.parameters()) + list(module.buffers())
            with ember.no_grad():
                for t in state:
                    dist.broadcast(t, 0, group=process_group)

    # --- forward ---------------------------------------------------------------------------

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        if self._pending and self._fired:
            missing = sorted(self._pending)
            self._pending = set()
            raise RuntimeError(_UNFINISHED.format(rank=ember.distributed.get_rank(
                self.process_group), indices=" ".join(map(str, missing))))
        if self.broadcast_buffers and self._world > 1:
            buffers = list(self.module.buffers())
            if buffers:
                with ember.no_grad():
                    for b in buffers:
                        ember.distributed.broadcast(b, 0, group=self.process_group)
        output = self.module(*inputs, **kwargs)
        self._pending, self._fired = set(), 0
        if ember.is_grad_enabled() and self.require_backward_grad_sync:
            if self.find_unused_parameters:
                used = _reachable_leaves(output)
                self._pending = {i for i, p in enumerate(self._params) if id(p) in used}
            else:
                self._pending = set(range(len(self._params)))
        return output

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Within this context gradients accumulate locally, without communication; the
        first synchronised backward after it averages the accumulated gradients.

        Examples:
            >>> import os, tempfile
            >>> import ember.distributed as dist
            >>> path = os.path.join(tempfile.mkdtemp(), "pg")
            >>> dist.init_process_group("gloo", init_method=f"file://{path}", world_size=1,
            ...                         rank=0)
            >>> from ember.nn.parallel.distributed import DistributedDataParallel
            >>> ddp = DistributedDataParallel(ember.nn.Linear(2, 1))
            >>> with ddp.no_sync():
            ...     ddp(ember.ones(1, 2)).sum().backward()
            >>> ddp(ember.ones(1, 2)).sum().backward()
            >>> ddp.module.bias.grad
            tensor([2.])
            >>> dist.destroy_process_group()
        """
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    # --- backward (NOTE [ DDP gradient reduction ]) ----------------------------------------

    def _hook_for(self, index: int) -> Any:
        def hook(grad: Any) -> Any:
            if index not in self._pending:
                return None
            self._pending.discard(index)
            self._fired += 1
            if self._pending:
                return None
            return self._reduce(index, grad)

        return hook

    def _reduce(self, last: int, grad: Any) -> Any:
        """All-reduce every gradient; ``grad`` is the one not yet added into ``.grad`` of
        parameter ``last``. Returns what the engine should add for it."""
        self._fired = 0
        if self._world == 1:
            return None
        dist = ember.distributed
        local, used = [], []
        with ember.no_grad():
            for i, p in enumerate(self._params):
                g = p.grad
                if i == last:
                    g = grad.detach() if g is None else g + grad.detach()
                used.append(0.0 if g is None else 1.0)
                local.append(ember.zeros_like(p) if g is None else g / self._world)
            flags = ember.tensor(used)
            dist.all_reduce_coalesced(local + [flags], group=self.process_group)
            for i, (p, avg) in enumerate(zip(self._params, local)):
                if flags[i].item() == 0 or i == last:
                    continue
                if p.grad is None:
                    p.grad = avg
                else:
                    p.grad.copy_(avg)
            mine = self._params[last]
            if mine.grad is None:
                return local[last]
            mine.grad.copy_(local[last])
            return ember.zeros_like(grad)
