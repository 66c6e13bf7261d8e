"""Philox streams: the words, the generators, seeding, state, and bit-identical values on
every backend (NOTE [ Random streams ], NOTE [ Random distributions ])."""

from __future__ import annotations

import pickle

import pytest

import ember
from ember.backend import philox

FLOATS = [ember.float16, ember.bfloat16, ember.float32, ember.float64]
SEEDS = [0, 1, 12345, 2**32 + 7, 2**64 - 1]


def _key(seed):
    return (seed & 0xFFFFFFFF, seed >> 32)


@pytest.fixture
def ref():
    """The reference backend's device (the specification every backend must match)."""
    try:
        ember.zeros(1, device="ref")
    except Exception as exc:  # pragma: no cover - the reference backend ships with Ember
        pytest.fail(f"the reference backend is unavailable: {exc}")
    return "ref"


def _bits(t):
    """Exact comparison key: the values as Python objects (floats compare bit-for-bit
    except -0.0/0.0 and nan, which these tests never produce)."""
    return t.cpu().tolist() if t.device.type != "cpu" else t.tolist()


# ---------------------------------------------------------------------------- words
@pytest.mark.parametrize("key", [(0, 0), (1, 0), (0xFFFFFFFF, 0xFFFFFFFF), (12345, 678)])
@pytest.mark.parametrize("counter", [0, 1, 2**32 - 1, 2**64 - 2, 2**128 - 1])
@pytest.mark.parametrize("n", [1, 4, 7, 33])
@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_backend_words_equal_the_definition(key, counter, n, device):
    be = ember.zeros(1, device=device)._backend
    got = be.to_list(be.random_bits(key, counter, n))
    assert got == philox.philox_words(key, counter, n)
    assert all(0 <= w < 2**32 for w in got)


def test_philox_known_answer():
    # Random123's known-answer test for philox4x32_10 with zero counter and key
    assert philox.philox_block(0, (0, 0)) == (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)


def test_rand_follows_the_documented_formulas():
    ember.manual_seed(42)
    w = philox.philox_words(_key(42), 0, 8)
    assert ember.rand(8).tolist() == [(x >> 8) * 2.0**-24 for x in w]
    w = philox.philox_words(_key(42), 2, 8)  # the first draw took two blocks
    expect = [((w[2 * i] >> 5) * 2**26 + (w[2 * i + 1] >> 6)) * 2.0**-53 for i in range(4)]
    assert ember.rand(4, dtype=ember.float64).tolist() == expect
    w = philox.philox_words(_key(42), 4, 3)
    assert ember.rand(3, dtype=ember.float16).tolist() == [(x >> 21) * 2.0**-11 for x in w]
    w = philox.philox_words(_key(42), 5, 3)
    assert ember.rand(3, dtype=ember.bfloat16).tolist() == [(x >> 24) * 2.0**-8 for x in w]


def test_randint_follows_the_documented_formula():
    ember.manual_seed(3)
    w = philox.philox_words(_key(3), 0, 10)
    v = [((w[2 * i] >> 1) << 32) + w[2 * i + 1] for i in range(5)]
    assert ember.randint(-5, 1000, (5,)).tolist() == [-5 + x % 1005 for x in v]


# ---------------------------------------------------------------------------- generators
def test_offset_advances_by_blocks():
    g = ember.Generator().manual_seed(5)
    ember.rand(5, generator=g)  # 5 words -> 2 blocks
    assert g.get_offset() == 2
    ember.rand(4, generator=g, dtype=ember.float64)  # 8 words -> 2 blocks
    assert g.get_offset() == 4
    ember.randn(3, generator=g)  # 2 pairs -> 2 blocks
    assert g.get_offset() == 6
    ember.rand(0, generator=g)
    assert g.get_offset() == 6


def test_manual_seed_repeats_draws():
    ember.manual_seed(7)
    a = [ember.rand(10), ember.randn(3, 4), ember.randint(0, 100, (6,)), ember.randperm(9)]
    ember.manual_seed(7)
    b = [ember.rand(10), ember.randn(3, 4), ember.randint(0, 100, (6,)), ember.randperm(9)]
    for x, y in zip(a, b):
        assert x.tolist() == y.tolist()


def test_successive_draws_differ():
    ember.manual_seed(7)
    assert ember.rand(10).tolist() != ember.rand(10).tolist()


def test_generators_are_independent():
    g1 = ember.Generator().manual_seed(11)
    g2 = ember.Generator().manual_seed(11)
    g3 = ember.Generator().manual_seed(12)
    a = ember.rand(8, generator=g1)
    ember.manual_seed(0)
    ember.rand(100)  # the default generator does not touch g2
    assert ember.rand(8, generator=g2).tolist() == a.tolist()
    assert ember.rand(8, generator=g3).tolist() != a.tolist()
    # the default generator is not advanced by explicit generators
    ember.manual_seed(1)
    x = ember.rand(4)
    ember.manual_seed(1)
    ember.rand(50, generator=g1)
    assert ember.rand(4).tolist() == x.tolist()


def test_state_round_trip():
    g = ember.Generator().manual_seed(99)
    ember.rand(13, generator=g)
    state = g.get_state()
    assert state.dtype is ember.uint8 and state.shape == (16,) and state.device.type == "cpu"
    a = ember.randn(7, generator=g)
    g.set_state(state)
    assert ember.randn(7, generator=g).tolist() == a.tolist()
    h = ember.Generator().set_state(state)
    assert h.initial_seed() == 99
    ember.randn(7, generator=h)
    assert h.get_state().tolist() == g.get_state().tolist()


def test_global_state_functions():
    ember.manual_seed(2024)
    assert ember.initial_seed() == 2024
    s = ember.get_rng_state()
    a = ember.rand(5)
    ember.set_rng_state(s)
    assert ember.rand(5).tolist() == a.tolist()
    assert ember.random.get_rng_state().tolist() == ember.get_rng_state().tolist()
    assert ember.random.initial_seed() == 2024


def test_manual_seed_returns_the_default_generator():
    g = ember.manual_seed(3)
    assert g is ember.default_generator
    assert isinstance(g, ember.Generator)
    assert ember.random.manual_seed(3) is ember.default_generator


def test_seed_values():
    assert ember.manual_seed(-1).initial_seed() == 2**64 - 1
    assert ember.Generator().manual_seed(1.9).initial_seed() == 1
    with pytest.raises(ValueError):
        ember.manual_seed(2**64)
    with pytest.raises(ValueError):
        ember.manual_seed("abc")
    s = ember.seed()
    assert ember.initial_seed() == s
    g = ember.Generator()
    assert g.initial_seed() == 67280421310721  # PyTorch's default seed
    t = g.seed()
    assert g.initial_seed() == t


def test_set_state_errors():
    g = ember.Generator()
    with pytest.raises(TypeError):
        g.set_state([1, 2])
    with pytest.raises(TypeError):
        g.set_state(ember.zeros(16))
    with pytest.raises(RuntimeError):
        g.set_state(ember.zeros(3, dtype=ember.uint8))


def test_generator_device_and_mismatch(ref):
    assert ember.Generator().device == ember.device("cpu")
    g = ember.Generator(ref)
    assert g.device.type == "ref"
    ember.rand(3, generator=g, device=ref)
    with pytest.raises(RuntimeError, match="device type for generator"):
        ember.rand(3, generator=g)
    with pytest.raises(TypeError):
        ember.rand(3, generator=5)


def test_generator_pickles():
    g = ember.Generator().manual_seed(8)
    ember.rand(3, generator=g)
    h = pickle.loads(pickle.dumps(g))
    assert ember.rand(4, generator=h).tolist() == ember.rand(4, generator=g).tolist()


def test_fork_rng_restores_state():
    ember.manual_seed(5)
    with ember.random.fork_rng():
        ember.rand(100)
    a = ember.rand(3)
    ember.manual_seed(5)
    assert ember.rand(3).tolist() == a.tolist()


def test_manual_seed_seeds_every_device(ref):
    ember.manual_seed(77)
    a = ember.rand(6, device=ref)
    ember.rand(10)  # the CPU's generator is separate
    ember.manual_seed(77)
    assert ember.rand(6, device=ref).tolist() == a.tolist()


# ---------------------------------------------------------------------------- backends
def _draws():
    """(name, fn(device)) pairs: each draw starts from ``manual_seed``."""
    probs = [[0.1, 0.0, 0.5, 0.4, 2.0], [1.0, 1.0, 0.0, 0.0, 3.0]]
    cases = [(f"rand-{dt}", lambda d, dt=dt: ember.rand(3, 17, dtype=dt, device=d))
             for dt in FLOATS]
    cases += [(f"randn-{dt}", lambda d, dt=dt: ember.randn(5, 7, dtype=dt, device=d))
              for dt in FLOATS]
    cases += [
        ("randn-odd", lambda d: ember.randn(11, dtype=ember.float64, device=d)),
        ("randint", lambda d: ember.randint(-50, 10**12, (40,), device=d)),
        ("randint-int8", lambda d: ember.randint(-3, 4, (40,), dtype=ember.int8, device=d)),
        ("randperm", lambda d: ember.randperm(50, device=d)),
        ("normal-tensors", lambda d: ember.normal(ember.arange(6.0, device=d),
                                                   ember.full((6,), 2.0, device=d))),
        ("normal-floats", lambda d: ember.normal(1.5, 0.5, (9,), device=d)),
        ("bernoulli", lambda d: ember.bernoulli(ember.rand(40, device=d))),
        ("bernoulli-p", lambda d: ember.bernoulli(ember.zeros(40, device=d), 0.3)),
        ("multinomial", lambda d: ember.multinomial(ember.tensor(probs, device=d), 4)),
        ("multinomial-repl", lambda d: ember.multinomial(ember.tensor(probs, device=d), 30,
                                                         replacement=True)),
        ("uniform_", lambda d: ember.zeros(20, device=d).uniform_(-2, 3)),
        ("normal_", lambda d: ember.zeros(20, dtype=ember.float64, device=d).normal_(1, 2)),
        ("random_", lambda d: ember.zeros(20, dtype=ember.int64, device=d).random_()),
        ("random_-float", lambda d: ember.zeros(20, device=d).random_(3, 100)),
        ("exponential_", lambda d: ember.zeros(20, dtype=ember.float64,
                                               device=d).exponential_(2.0)),
        ("geometric_", lambda d: ember.zeros(20, device=d).geometric_(0.3)),
        ("cauchy_", lambda d: ember.zeros(20, dtype=ember.float64, device=d).cauchy_()),
        ("log_normal_", lambda d: ember.zeros(20, dtype=ember.float64, device=d).log_normal_()),
    ]
    return cases


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("name,draw", _draws(), ids=[c[0] for c in _draws()])
def test_same_bits_on_every_backend(name, draw, seed, ref):
    ember.manual_seed(seed)
    on_cpu = draw("cpu")
    ember.manual_seed(seed)
    on_ref = draw(ref)
    assert on_cpu.dtype is on_ref.dtype
    assert on_cpu.shape == on_ref.shape
    assert _bits(on_cpu) == _bits(on_ref)


def test_randn_float32_is_randn_float64_rounded():
    ember.manual_seed(9)
    a = ember.randn(101, dtype=ember.float64)
    ember.manual_seed(9)
    b = ember.randn(101, dtype=ember.float32)
    assert a.float().tolist() == b.tolist()
