"""Flattening parameters into one vector and back: ``parameters_to_vector`` and
``vector_to_parameters``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ember import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_param_device(param: Tensor, old: Any) -> Any:
    if old is None:
        return param.device
    if param.device != old:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return old


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Flattens ``parameters`` into one 1-D tensor (differentiable).

    Examples:
        >>> import ember
        >>> ember.nn.utils.parameters_to_vector([ember.ones(2, 2), ember.zeros(1)])
        tensor([1., 1., 1., 1., 0.])
    """
    import ember

    device = None
    vec = []
    for param in parameters:
        device = _check_param_device(param, device)
        vec.append(param.reshape(-1))
    return ember.cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copies consecutive slices of the 1-D ``vec`` into ``parameters`` (replacing their
    data, as :func:`torch.nn.utils.vector_to_parameters` does).

    Examples:
        >>> import ember
        >>> ps = [ember.zeros(2), ember.zeros(1)]
        >>> ember.nn.utils.vector_to_parameters(ember.tensor([1.0, 2.0, 3.0]), ps)
        >>> ps[0], ps[1]
        (tensor([1., 2.]), tensor([3.]))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__module__}."
                        f"{type(vec).__qualname__}"
                        if type(vec).__module__ != "builtins" else
                        f"expected torch.Tensor, but got: {type(vec).__qualname__}")
    device = None
    pointer = 0
    for param in parameters:
        device = _check_param_device(param, device)
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n
