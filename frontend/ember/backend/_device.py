"""``ember.device``: a device type and an optional index, as PyTorch spells them."""

from __future__ import annotations

__all__ = ["device"]

_CACHE: dict[tuple[str, int | None], device] = {}


class device:
    """A device: ``ember.device("cpu")``, ``ember.device("cuda:0")``, ``device("cuda", 1)``.

    Args:
        type: the device type (``"cpu"``, ``"cuda"``, ``"ref"``, or a plugin's type),
            optionally with ``":index"``; or another ``device``.
        index: the device ordinal, or None.

    Equal devices are the same object, so ``is`` works. ``str(device("cuda", 0))`` is
    ``"cuda:0"``; ``repr`` is ``device(type='cuda', index=0)``.

    Example:
        >>> import ember
        >>> ember.device("cuda:1")
        device(type='cuda', index=1)
    """

    __slots__ = ("type", "index", "__weakref__")
    type: str
    index: int | None

    def __new__(cls, type: str | device, index: int | None = None) -> device:  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise ValueError("device(): an index cannot be given with a device object")
            return type
        if isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device(): expected a string or a device, got {type!r}")
        key = (type, index)
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        dev_type, dev_index = _parse(type, index)
        canonical = _CACHE.get((dev_type, dev_index))
        if canonical is None:
            canonical = object.__new__(cls)
            object.__setattr__(canonical, "type", dev_type)
            object.__setattr__(canonical, "index", dev_index)
            _CACHE[(dev_type, dev_index)] = canonical
        _CACHE[key] = canonical
        return canonical

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ember.device is immutable")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except (RuntimeError, ValueError, TypeError):
                return False
        return self is other

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


def _parse(text: str, index: int | None) -> tuple[str, int | None]:
    name = text.strip()
    if ":" in name:
        if index is not None:
            raise RuntimeError(
                f"device(): type ({text!r}) must not include an index because index was "
                f"passed explicitly: {index}"
            )
        name, _, tail = name.partition(":")
        if not tail.isdigit():
            raise RuntimeError(f"Invalid device string: '{text}'")
        index = int(tail)
    if not name or not (name.replace("_", "").isalnum() and name[0].isalpha()):
        raise RuntimeError(f"Invalid device string: '{text}'")
    if index is not None and (not isinstance(index, int) or index < 0):
        raise RuntimeError(f"Device index must not be negative, got {index!r}")
    return name, index
