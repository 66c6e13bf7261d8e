"""Philox4x32-10, the counter-based generator behind every Ember random stream.

This pure-Python version is the definition (Salmon et al., "Parallel random numbers: as
easy as 1, 2, 3", SC 2011; the same function as Random123's ``philox4x32_10``, NumPy's
``Philox`` and cuRAND's). Backends produce the same words with vectorised code.

A stream is a 64-bit key (from the seed) and a 128-bit counter. Word ``i`` of a request
starting at counter ``c`` is lane ``i % 4`` of the block ``philox(c + i // 4, key)``.
"""

from __future__ import annotations

__all__ = ["philox_block", "philox_words", "M0", "M1", "W0", "W1", "ROUNDS"]

M0 = 0xD2511F53
M1 = 0xCD9E8D57
W0 = 0x9E3779B9
W1 = 0xBB67AE85
ROUNDS = 10
_MASK32 = 0xFFFFFFFF
_MASK128 = (1 << 128) - 1


def philox_block(counter: int, key: tuple[int, int]) -> tuple[int, int, int, int]:
    """The four 32-bit output words for one 128-bit ``counter`` under ``key = (k0, k1)``.

    >>> [hex(w) for w in philox_block(0, (0, 0))]
    ['0x6627e8d5', '0xe169c58d', '0xbc57ac4c', '0x9b00dbd8']
    """
    counter &= _MASK128
    c0 = counter & _MASK32
    c1 = (counter >> 32) & _MASK32
    c2 = (counter >> 64) & _MASK32
    c3 = (counter >> 96) & _MASK32
    k0, k1 = key[0] & _MASK32, key[1] & _MASK32
    for _ in range(ROUNDS):
        p0 = M0 * c0
        p1 = M1 * c2
        c0, c1, c2, c3 = (
            (p1 >> 32) ^ c1 ^ k0,
            p1 & _MASK32,
            (p0 >> 32) ^ c3 ^ k1,
            p0 & _MASK32,
        )
        k0 = (k0 + W0) & _MASK32
        k1 = (k1 + W1) & _MASK32
    return c0, c1, c2, c3


def philox_words(key: tuple[int, int], counter: int, n: int) -> list[int]:
    """``n`` consecutive 32-bit words starting at block ``counter`` (see module doc)."""
    out: list[int] = []
    block = counter
    while len(out) < n:
        out.extend(philox_block(block, key))
        block += 1
    del out[n:]
    return out
