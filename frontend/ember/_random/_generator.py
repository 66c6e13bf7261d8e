"""``ember.Generator``: a seeded Philox4x32-10 stream, and the default generator per device.

# NOTE [ Random streams ]
A generator is a 64-bit seed and a counter ``offset`` (in 128-bit Philox blocks). The
Philox key is the seed split into two 32-bit words, ``(seed & 0xFFFFFFFF, seed >> 32)``.
A draw of ``n`` 32-bit words takes the words of blocks ``offset, offset + 1, ...`` (word
``i`` is lane ``i % 4`` of block ``offset + i // 4``, see ``ember.backend.philox``) and
advances ``offset`` by ``ceil(n / 4)``, so every draw gets fresh words and the words a
seed gives do not depend on the backend: ``backend.random_bits(key, offset, n)`` is the
only source of randomness, and the distributions in ``_draw`` turn the words into values
with exact backend primitives (see NOTE [ Random distributions ]). The values are *not*
PyTorch's: PyTorch uses a different generator on the CPU (mt19937) and other transforms.

The state (``get_state``) is a 16-element ``uint8`` CPU tensor: the seed and the offset as
little-endian 64-bit integers (the layout of PyTorch's CUDA Philox state).

There is one default generator per device (``cpu``, ``ref``, ``cuda:0``, ...), created on
first use from the global seed; :func:`manual_seed` sets the global seed and reseeds every
default generator, so the same seed gives the same numbers on every device.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from .._defaults import _canonical, as_device, backend_for
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ..backend._device import device as Device

__all__ = [
    "Generator", "default_generator", "default_generator_for", "manual_seed", "seed",
    "initial_seed", "get_rng_state", "set_rng_state", "default_generators",
]

#: PyTorch's default seed for the CPU generator at start-up (``initial_seed()`` agrees).
DEFAULT_SEED = 67280421310721
_MASK64 = (1 << 64) - 1
_STATE_BYTES = 16


def _parse_seed(seed: Any) -> int:
    """A seed as PyTorch accepts it: anything ``int()`` takes, in [-2**63, 2**64);
    negative seeds wrap to ``2**64 + seed``."""
    if isinstance(seed, Tensor):
        seed = seed.item()
    value = int(seed)
    if value < -(1 << 63) or value > _MASK64:
        raise ValueError("Overflow when unpacking long long")
    return value & _MASK64


def _nondeterministic_seed() -> int:
    return int.from_bytes(os.urandom(8), "little") & ((1 << 63) - 1)


class Generator:
    """A random-number generator: a seed and a position in its Philox4x32-10 stream.

    Pass it as ``generator=`` to random functions to draw from an independent stream.
    The same seed gives the same numbers on every device and backend (though not the
    numbers PyTorch gives).

    Args:
        device: the device whose tensors it fills (default ``"cpu"``).

    Attributes:
        device: the :class:`ember.device` of the generator.

    Example:
        >>> import ember
        >>> g = ember.Generator().manual_seed(0)
        >>> a = ember.rand(3, generator=g)
        >>> _ = g.manual_seed(0)
        >>> ember.equal(a, ember.rand(3, generator=g))
        True
    """

    __slots__ = ("_device", "_seed", "_offset", "_lock", "__weakref__")

    def __init__(self, device: Any = "cpu") -> None:
        self._device: Device = _canonical(as_device(device))
        self._seed = DEFAULT_SEED
        self._offset = 0
        self._lock = threading.Lock()

    @property
    def device(self) -> Device:
        """The device this generator serves."""
        return self._device

    def manual_seed(self, seed: Any) -> Generator:
        """Seed the generator and rewind its stream; returns ``self``."""
        value = _parse_seed(seed)
        with self._lock:
            self._seed = value
            self._offset = 0
        return self

    def seed(self) -> int:
        """Seed from a non-deterministic source (the OS); returns the seed."""
        value = _nondeterministic_seed()
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        """The seed last given to :meth:`manual_seed` (or the default seed)."""
        return self._seed

    def get_offset(self) -> int:
        """The position in the stream, in 128-bit Philox blocks consumed."""
        return self._offset

    def set_offset(self, offset: int) -> Generator:
        """Move to block ``offset`` of the stream; returns ``self``."""
        with self._lock:
            self._offset = int(offset) & _MASK64
        return self

    def get_state(self) -> Tensor:
        """The state as a 16-element ``uint8`` CPU tensor (seed, then offset, little-endian).

        Example:
            >>> import ember
            >>> ember.Generator().manual_seed(1).get_state().shape
            ember.Size([16])
        """
        raw = self._seed.to_bytes(8, "little") + (self._offset & _MASK64).to_bytes(8, "little")
        be = backend_for("cpu")
        return _wrap(be.from_list(list(raw), (_STATE_BYTES,), D.uint8), D.uint8, be)

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state from :meth:`get_state`; returns ``self``."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.numel() != _STATE_BYTES:
            raise RuntimeError(f"Expected a Philox state of size {_STATE_BYTES} but found the "
                               f"input RNG state size to be {new_state.numel()}")
        be = new_state._backend
        raw = bytes(be.to_list(be.reshape(new_state._data, (_STATE_BYTES,))))
        with self._lock:
            self._seed = int.from_bytes(raw[:8], "little")
            self._offset = int.from_bytes(raw[8:], "little")
        return self

    def clone_state(self) -> Generator:
        """A new generator on the same device at the same point of the same stream."""
        other = Generator(self._device)
        other._seed, other._offset = self._seed, self._offset
        return other

    def _reserve(self, n_words: int) -> tuple[tuple[int, int], int]:
        """Take the next ``ceil(n_words / 4)`` blocks: returns ``(key, first_block)``."""
        with self._lock:
            start = self._offset
            self._offset = (start + (n_words + 3) // 4) & _MASK64
        return (self._seed & 0xFFFFFFFF, self._seed >> 32), start

    def __repr__(self) -> str:
        return f"<ember.Generator object at {id(self):#x} device={self._device}>"

    def __reduce__(self):
        return (_rebuild, (str(self._device), self._seed, self._offset))


def _rebuild(device: str, seed_value: int, offset: int) -> Generator:
    g = Generator(device)
    g._seed, g._offset = seed_value, offset
    return g


# ---------------------------------------------------------------------------- defaults
_GLOBAL_SEED = [DEFAULT_SEED]
_DEFAULTS: dict[Device, Generator] = {}
_DEFAULTS_LOCK = threading.Lock()

#: The default generator of the CPU (PyTorch's ``torch.default_generator``).
default_generator = Generator("cpu")
_DEFAULTS[default_generator.device] = default_generator


def default_generator_for(dev: Any) -> Generator:
    """The default generator of device ``dev``, created from the global seed on first use."""
    d = _canonical(as_device(dev))
    g = _DEFAULTS.get(d)
    if g is None:
        with _DEFAULTS_LOCK:
            g = _DEFAULTS.get(d)
            if g is None:
                g = _DEFAULTS[d] = Generator(d).manual_seed(_GLOBAL_SEED[0])
    return g


def default_generators() -> list[Generator]:
    """Every default generator created so far (the CPU's first)."""
    return list(_DEFAULTS.values())


def manual_seed(seed: Any) -> Generator:
    """Seed the default generator of every device; returns the CPU's.

    Args:
        seed: an int in [-2**63, 2**64); negative values wrap to ``2**64 + seed``.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> a = ember.rand(2)
        >>> _ = ember.manual_seed(0)
        >>> ember.equal(a, ember.rand(2))
        True
    """
    value = _parse_seed(seed)
    with _DEFAULTS_LOCK:
        _GLOBAL_SEED[0] = value
        for g in _DEFAULTS.values():
            g.manual_seed(value)
    return default_generator


def seed() -> int:
    """Seed every default generator from a non-deterministic source; returns the seed."""
    value = _nondeterministic_seed()
    manual_seed(value)
    return value


def initial_seed() -> int:
    """The initial seed of the default CPU generator."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The state of the default CPU generator (a ``uint8`` tensor)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default CPU generator's state from :func:`get_rng_state`."""
    default_generator.set_state(new_state)
