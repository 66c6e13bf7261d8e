"""Random-stream agreement: bit-identical Philox words and seeded draws on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from ember.backend import philox

# (key, first block counter, number of words): lane offsets, odd lengths, and counters whose
# increment carries across 32-, 64- and 128-bit boundaries.
PHILOX_CASES = [
    ((0, 0), 0, 4),
    ((0, 0), 0, 1),
    ((0, 0), 5, 7),
    ((1234, 5678), 2**32 - 1, 9),
    ((0xDEADBEEF, 0xCAFEBABE), 2**64 - 1, 10),
    ((2**32 - 1, 2**32 - 1), 2**128 - 2, 11),
    ((42, 0), 12345, 0),
    ((7, 9), 3, 1001),
]


@pytest.fixture(scope="module")
def backend(device: str) -> Any:
    from ember.backend import device as Device
    from ember.backend import registry

    return registry.backend(Device(device))


def test_philox_definition_known_answer() -> None:
    # Random123's published known-answer vector for philox4x32-10 with zero key/counter.
    assert philox.philox_block(0, (0, 0)) == (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)


@pytest.mark.parametrize("key,counter,n", PHILOX_CASES,
                         ids=[f"key{k[0]:x}.{k[1]:x}-ctr{c:x}-n{n}" for k, c, n in PHILOX_CASES])
def test_random_bits_match_philox(backend: Any, key: tuple[int, int], counter: int,
                                  n: int) -> None:
    arr = backend.random_bits(key, counter, n)
    assert tuple(backend.shape(arr)) == (n,)
    got = backend.to_list(arr)
    want = philox.philox_words(key, counter, n)
    bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
    assert len(got) == n and not bad, (
        f"random_bits({key}, {counter}, {n}) differs from philox_words at word(s) "
        f"{bad[:10]}: got {[got[i] for i in bad[:3]]}, expected {[want[i] for i in bad[:3]]}")


def _draws(ember: Any, device: str, seed: int) -> list[Any]:
    ember.manual_seed(seed)
    out = [ember.rand(3, 4, device=device).tolist(),
           ember.randn(7, device=device).tolist(),
           ember.randint(0, 100, (6,), device=device).tolist()]
    # a second draw continues the stream: the counters must advance identically
    out.append(ember.rand(5, device=device, dtype=ember.float64).tolist())
    return out


@pytest.mark.parametrize("seed", [0, 1, 2**40 + 3])
def test_same_seed_same_stream(device: str, reference_device: str, seed: int) -> None:
    import ember

    if not (hasattr(ember, "manual_seed") and hasattr(ember, "rand")):
        pytest.fail("ember.manual_seed / ember.rand are missing: the random API is required")
    got = _draws(ember, device, seed)
    want = _draws(ember, reference_device, seed)
    for name, g, w in zip(("rand", "randn", "randint", "rand-again"), got, want):
        if name == "randn":  # Box-Muller uses log/cos: allow float32 rounding differences
            assert all(abs(a - b) <= 1e-5 + 1e-5 * abs(b) for a, b in zip(g, w)), (
                f"{name}: {g} != {w}")
        else:
            assert g == w, f"{name} after manual_seed({seed}): {g} != {w}"
    assert _draws(ember, device, seed) == got, "re-seeding did not reproduce the stream"


def test_generator_objects_agree(device: str, reference_device: str) -> None:
    import ember

    if not hasattr(ember, "Generator"):
        pytest.fail("ember.Generator is missing: the random API is required")
    vals = []
    for dev in (device, reference_device):
        g = ember.Generator(device=dev)
        g.manual_seed(1234)
        vals.append(ember.rand(6, generator=g, device=dev).tolist())
    assert vals[0] == vals[1]
