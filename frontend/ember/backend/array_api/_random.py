"""Philox4x32-10 ``random_bits``, vectorised with standard uint64 arithmetic.

Each 32-bit lane is held in a uint64 array, so the 32x32 -> 64-bit products of a Philox
round are exact (``hi = p >> 32``, ``lo = p & 0xFFFFFFFF``). The 128-bit block counter
``counter + i`` is added lane by lane with explicit carries. The words are those of
:func:`ember.backend.philox.philox_words`, the definition -- which, for a few words (a
scalar draw), is itself called: a hundred array operations on one block cost more.
"""

from __future__ import annotations

from .. import philox
from ._base import ArrayAPICore

__all__ = ["RandomMixin"]

_M32 = 0xFFFFFFFF
_SCALAR_WORDS = 16  # up to four Philox blocks computed in Python


class RandomMixin(ArrayAPICore):
    def random_bits(self, key, counter, n):
        xp = self.xp
        if n <= _SCALAR_WORDS:  # a few words: the scalar Philox beats ~100 array ops
            words = philox.philox_words(key, counter & ((1 << 128) - 1), n)
            return xp.asarray(words, dtype=self._i64, device=self._xp_device)
        u64 = xp.uint64
        nblocks = (n + 3) // 4
        counter &= (1 << 128) - 1
        lanes = [(counter >> (32 * i)) & _M32 for i in range(4)]
        s = xp.arange(nblocks, dtype=u64, device=self._xp_device) + lanes[0]
        c0 = s & _M32
        s = (s >> 32) + lanes[1]
        c1 = s & _M32
        s = (s >> 32) + lanes[2]
        c2 = s & _M32
        c3 = ((s >> 32) + lanes[3]) & _M32
        k0, k1 = key[0] & _M32, key[1] & _M32
        for _ in range(philox.ROUNDS):
            p0 = c0 * philox.M0
            p1 = c2 * philox.M1
            c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & _M32, (p0 >> 32) ^ c3 ^ k1, p0 & _M32
            k0 = (k0 + philox.W0) & _M32
            k1 = (k1 + philox.W1) & _M32
        words = xp.reshape(xp.stack([c0, c1, c2, c3], axis=1), (-1,))
        return xp.astype(words[:n], self._i64)
