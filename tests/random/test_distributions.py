"""Sampling functions: signatures, dtypes, statistics, and PyTorch's argument errors.

Ember's values differ from PyTorch's (another generator), so PyTorch is the oracle only
for shapes, dtypes and exception types.
"""

from __future__ import annotations

import math

import pytest

import ember

N = 100_000


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


def _mean_std(t):
    xs = _flat(t.double().tolist())
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


@pytest.fixture(autouse=True)
def _seed():
    ember.manual_seed(1234)


# ---------------------------------------------------------------------------- shapes, dtypes
@pytest.mark.parametrize("dt", [ember.float16, ember.bfloat16, ember.float32, ember.float64])
def test_rand_range_and_dtype(dt):
    x = ember.rand(1000, dtype=dt)
    assert x.dtype is dt and x.shape == (1000,)
    assert x.min().item() >= 0.0 and x.max().item() < 1.0
    assert len(set(x.tolist())) > 50


def test_size_forms_and_defaults():
    assert ember.rand(2, 3).shape == (2, 3)
    assert ember.rand((2, 3)).shape == (2, 3)
    assert ember.randn([4]).shape == (4,)
    assert ember.rand(()).shape == ()
    assert ember.rand(0, 3).shape == (0, 3)
    assert ember.rand(2).dtype is ember.float32
    assert ember.randint(5, (3,)).dtype is ember.int64
    assert ember.randint(5, (3,), dtype=ember.float32).dtype is ember.float32
    assert ember.randint(low=2, high=5, size=(3,)).shape == (3,)
    assert ember.randperm(4).dtype is ember.int64
    assert ember.randperm(4, dtype=ember.int32).dtype is ember.int32
    assert ember.normal(0.0, 1.0, (2, 2)).dtype is ember.float32


def test_like_functions():
    base = ember.zeros(3, 2, dtype=ember.float64)
    assert ember.rand_like(base).dtype is ember.float64
    assert ember.randn_like(base).shape == (3, 2)
    r = ember.randint_like(base, 10)
    assert r.dtype is ember.float64 and r.shape == (3, 2)
    r = ember.randint_like(ember.zeros(50, dtype=ember.int32), 3, 6)
    assert r.dtype is ember.int32 and set(r.tolist()) <= {3, 4, 5}


def test_requires_grad_and_out():
    x = ember.rand(3, requires_grad=True)
    assert x.requires_grad and x.is_leaf
    out = ember.empty(4, dtype=ember.float64)
    res = ember.randn(4, out=out)
    assert res is out and out.dtype is ember.float64
    with pytest.raises(RuntimeError):
        ember.randint(3, (2,), requires_grad=True)


def test_complex_rand_and_randn():
    x = ember.rand(1000, dtype=ember.complex64)
    assert x.dtype is ember.complex64
    assert 0 <= ember.real(x).min().item() and ember.imag(x).max().item() < 1
    z = ember.randn(N, dtype=ember.complex128)
    assert abs(_mean_std(ember.real(z))[1] ** 2 + _mean_std(ember.imag(z))[1] ** 2 - 1.0) < 0.03


def test_inplace_methods_return_self_and_bump_version():
    x = ember.zeros(10)
    for call in (lambda t: t.uniform_(), lambda t: t.normal_(), lambda t: t.random_(10),
                 lambda t: t.bernoulli_(0.5), lambda t: t.exponential_(),
                 lambda t: t.geometric_(0.5), lambda t: t.cauchy_(), lambda t: t.log_normal_()):
        v = x._version
        assert call(x) is x
        assert x._version == v + 1


def test_inplace_writes_through_views():
    base = ember.zeros(4, 6)
    base[:, 1].uniform_(5, 6)
    col = base[:, 1].tolist()
    assert all(5 <= v < 6 for v in col)
    assert base[:, 0].tolist() == [0.0] * 4


def test_inplace_on_leaf_requiring_grad():
    w = ember.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w.normal_()
    with ember.no_grad():
        w.normal_()


# ---------------------------------------------------------------------------- statistics
def test_rand_statistics():
    m, s = _mean_std(ember.rand(N))
    assert abs(m - 0.5) < 0.01 and abs(s - math.sqrt(1 / 12)) < 0.01


def test_randn_statistics():
    x = ember.randn(N, dtype=ember.float64)
    m, s = _mean_std(x)
    assert abs(m) < 0.015 and abs(s - 1) < 0.015
    frac = sum(1 for v in x.tolist() if abs(v) < 1) / N
    assert abs(frac - 0.6827) < 0.01


def test_normal_statistics():
    m, s = _mean_std(ember.normal(3.0, 2.0, (N,)))
    assert abs(m - 3) < 0.03 and abs(s - 2) < 0.03
    mean = ember.full((N,), -1.0)
    m, s = _mean_std(ember.normal(mean, 0.5))
    assert abs(m + 1) < 0.01 and abs(s - 0.5) < 0.01
    m, s = _mean_std(ember.normal(10.0, ember.full((N,), 3.0)))
    assert abs(m - 10) < 0.05 and abs(s - 3) < 0.05
    x = ember.normal(ember.zeros(2, 1), ember.ones(3))
    assert x.shape == (2, 3)


def test_uniform_and_normal_inplace_statistics():
    m, s = _mean_std(ember.empty(N).uniform_(-3, 5))
    assert abs(m - 1) < 0.05 and abs(s - 8 / math.sqrt(12)) < 0.05
    m, s = _mean_std(ember.empty(N, dtype=ember.float64).normal_(-2, 0.1))
    assert abs(m + 2) < 0.002 and abs(s - 0.1) < 0.002


def test_randint_bounds_and_coverage():
    x = ember.randint(-3, 4, (N,)).tolist()
    assert set(x) == set(range(-3, 4))
    counts = [x.count(v) / N for v in range(-3, 4)]
    assert max(abs(c - 1 / 7) for c in counts) < 0.01
    big = ember.randint(-(2**62), 2**62, (1000,)).tolist()
    assert all(-(2**62) <= v < 2**62 for v in big)
    assert min(big) < -(2**60) and max(big) > 2**60
    huge = ember.randint(-(2**63), 2**63 - 1, (100,)).tolist()
    assert all(-(2**63) <= v < 2**63 - 1 for v in huge)


def test_random_defaults():
    assert set(ember.empty(200, dtype=ember.bool).random_().tolist()) == {False, True}
    u8 = ember.empty(5000, dtype=ember.uint8).random_().tolist()
    assert min(u8) == 0 and max(u8) == 255
    i64 = ember.empty(100, dtype=ember.int64).random_().tolist()
    assert all(0 <= v < 2**63 for v in i64) and max(i64) > 2**60
    f = ember.empty(100).random_().tolist()
    assert all(0 <= v <= 2**24 and v == int(v) for v in f)
    assert set(ember.empty(1000).random_(4).tolist()) == {0.0, 1.0, 2.0, 3.0}
    assert set(ember.empty(1000, dtype=ember.int8).random_(-2, 1).tolist()) == {-2, -1, 0}
    assert set(ember.empty(100, dtype=ember.int16).random_(**{"from": 7, "to": 9}).tolist()) \
        == {7, 8}


def test_randperm_is_a_permutation():
    for n in (0, 1, 2, 10, 1000):
        assert sorted(ember.randperm(n).tolist()) == list(range(n))
    firsts = [ember.randperm(4).tolist()[0] for _ in range(400)]
    assert set(firsts) == {0, 1, 2, 3}


def test_bernoulli_frequency():
    p = ember.full((N,), 0.3)
    x = ember.bernoulli(p)
    assert x.dtype is ember.float32 and set(x.tolist()) <= {0.0, 1.0}
    assert abs(x.mean().item() - 0.3) < 0.01
    assert abs(ember.bernoulli(ember.zeros(N), 0.8).mean().item() - 0.8) < 0.01
    assert ember.bernoulli(ember.tensor([0.0, 1.0] * 50)).tolist() == [0.0, 1.0] * 50
    b = ember.empty(N, dtype=ember.int64).bernoulli_(0.25)
    assert b.dtype is ember.int64 and abs(b.double().mean().item() - 0.25) < 0.01
    probs = ember.rand(3, 1)
    t = ember.empty(3, 1000).bernoulli_(probs)
    assert t.shape == (3, 1000)
    assert ember.rand(5).bernoulli().shape == (5,)


def test_multinomial_with_replacement_frequency():
    probs = ember.tensor([0.1, 0.0, 0.6, 0.3])
    x = ember.multinomial(probs, N, replacement=True).tolist()
    assert 1 not in x
    for k, p in ((0, 0.1), (2, 0.6), (3, 0.3)):
        assert abs(x.count(k) / N - p) < 0.01
    x2 = ember.multinomial(ember.tensor([[0.0, 2.0], [5.0, 0.0]]), 7, True)
    assert x2.tolist() == [[1] * 7, [0] * 7]


def test_multinomial_without_replacement():
    probs = ember.rand(8, 20, dtype=ember.float64) + 0.01
    x = ember.multinomial(probs, 20)
    assert x.shape == (8, 20) and x.dtype is ember.int64
    for row in x.tolist():
        assert sorted(row) == list(range(20))
    # zero-probability categories come only after every positive one
    z = ember.multinomial(ember.tensor([0.0, 1.0, 0.0, 1.0]), 4).tolist()
    assert set(z[:2]) == {1, 3} and set(z[2:]) == {0, 2}
    # first picks follow the probabilities
    firsts = ember.multinomial(ember.tensor([[1.0, 3.0]] * 4000), 1).reshape(-1).tolist()
    assert abs(sum(firsts) / 4000 - 0.75) < 0.03
    assert ember.tensor([1.0, 2.0]).multinomial(2).shape == (2,)


def test_exponential_geometric_cauchy_log_normal():
    m, _ = _mean_std(ember.empty(N, dtype=ember.float64).exponential_(4.0))
    assert abs(m - 0.25) < 0.005
    g = ember.empty(N, dtype=ember.float64).geometric_(0.25)
    assert g.min().item() >= 1 and abs(_mean_std(g)[0] - 4) < 0.06
    c = sorted(ember.empty(N, dtype=ember.float64).cauchy_(2.0, 0.5).tolist())
    assert abs(c[N // 2] - 2.0) < 0.02 and abs(c[3 * N // 4] - 2.5) < 0.03
    ln = sorted(ember.empty(N, dtype=ember.float64).log_normal_(1.0, 0.5).tolist())
    assert abs(ln[N // 2] - math.e) < 0.03


# ---------------------------------------------------------------------------- errors
def _bad_calls(lib):
    f = lib.float32
    return {
        "normal-neg-std": lambda: lib.normal(0.0, -1.0, (2,)),
        "normal-neg-std-tensor": lambda: lib.normal(lib.zeros(2), lib.tensor([1.0, -1.0])),
        "normal-tensor-neg-float": lambda: lib.normal(lib.zeros(2), -1.0),
        "normal-two-floats": lambda: lib.normal(2.0, 3.0),
        "normal-int-mean": lambda: lib.normal(lib.zeros(2, dtype=lib.int64), 1.0),
        "normal-shapes": lambda: lib.normal(lib.zeros(2), lib.ones(3)),
        "normal_-neg": lambda: lib.zeros(3).normal_(0, -1),
        "normal_-int": lambda: lib.zeros(3, dtype=lib.int64).normal_(),
        "uniform_-order": lambda: lib.zeros(3).uniform_(2, 1),
        "uniform_-int": lambda: lib.zeros(3, dtype=lib.int64).uniform_(),
        "random_-order": lambda: lib.zeros(3).random_(5, 2),
        "random_-bounds": lambda: lib.zeros(3, dtype=lib.uint8).random_(0, 300),
        "random_-from-bounds": lambda: lib.zeros(3, dtype=lib.int8).random_(-200, 5),
        "randint-order": lambda: lib.randint(5, 2, (3,)),
        "randint-empty": lambda: lib.randint(0, (3,)),
        "randint-uint8": lambda: lib.randint(0, 300, (2,), dtype=lib.uint8),
        "randint-grad": lambda: lib.randint(3, (2,), requires_grad=True),
        "rand-int": lambda: lib.rand(2, dtype=lib.int64),
        "randn-int": lambda: lib.randn(2, dtype=lib.int64),
        "rand-negative": lambda: lib.rand(-1),
        "randperm-negative": lambda: lib.randperm(-1),
        "randperm-overflow": lambda: lib.randperm(300, dtype=lib.uint8),
        "multinomial-too-many": lambda: lib.multinomial(lib.tensor([1.0, 2.0]), 3),
        "multinomial-zero-sum": lambda: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
        "multinomial-negative": lambda: lib.multinomial(lib.tensor([1.0, -1.0]), 1),
        "multinomial-nan": lambda: lib.multinomial(lib.tensor([1.0, float("nan")]), 1),
        "multinomial-int": lambda: lib.multinomial(lib.tensor([1, 2]), 1),
        "multinomial-0d": lambda: lib.multinomial(lib.tensor(1.0), 1),
        "multinomial-3d": lambda: lib.multinomial(lib.ones(2, 2, 2), 1),
        "multinomial-zero-samples": lambda: lib.multinomial(lib.tensor([1.0, 0.0]), 0),
        "bernoulli-p-range": lambda: lib.bernoulli(lib.tensor([1.5])),
        "bernoulli-float-p": lambda: lib.bernoulli(lib.tensor([0.5]), 1.5),
        "bernoulli_-p": lambda: lib.zeros(3).bernoulli_(1.5),
        "bernoulli_-tensor-p": lambda: lib.zeros(3).bernoulli_(lib.tensor([1.5, 0, 0])),
        "bernoulli-int": lambda: lib.bernoulli(lib.tensor([1, 0])),
        "exponential_-zero": lambda: lib.zeros(3).exponential_(0),
        "exponential_-int": lambda: lib.zeros(3, dtype=lib.int64).exponential_(),
        "geometric_-p": lambda: lib.zeros(3).geometric_(1),
        "cauchy_-sigma": lambda: lib.zeros(3).cauchy_(0, 0),
        "log_normal_-std": lambda: lib.zeros(3).log_normal_(0, 0),
        "seed-overflow": lambda: lib.manual_seed(2**64),
        "seed-text": lambda: lib.manual_seed("a"),
        "state-list": lambda: lib.Generator().set_state([1]),
        "state-float": lambda: lib.Generator().set_state(lib.zeros(16, dtype=f)),
        "state-size": lambda: lib.Generator().set_state(lib.zeros(3, dtype=lib.uint8)),
        "generator-type": lambda: lib.randn(3, generator=5),
        "leaf-inplace": lambda: lib.zeros(2, requires_grad=True).uniform_(),
    }


def _outcome(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the type is what is compared
        return type(exc), str(exc)
    return None, ""


@pytest.mark.parametrize("case", sorted(_bad_calls(ember)))
def test_errors_match_pytorch(case, torch):
    ours, our_msg = _outcome(_bad_calls(ember)[case])
    theirs, their_msg = _outcome(_bad_calls(torch)[case])
    assert ours is theirs, (our_msg, their_msg)
    assert ours is not None


@pytest.mark.parametrize("case,text", [
    ("normal-neg-std", "normal expects std >= 0.0, but found std -1"),
    ("normal-neg-std-tensor", "normal expects all elements of std >= 0.0"),
    ("uniform_-order", "uniform_ expects to return a [from, to) range, but found from=2 > to=1"),
    ("random_-order", "random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
    ("randint-order", "random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
    ("random_-bounds", "to - 1 is out of bounds for unsigned char"),
    ("multinomial-too-many", "cannot sample n_sample > prob_dist.size(-1) samples without "
                             "replacement"),
    ("multinomial-zero-sum", "invalid multinomial distribution (sum of probabilities <= 0)"),
    ("multinomial-negative", "probability tensor contains either `inf`, `nan` or element < 0"),
    ("bernoulli_-p", "bernoulli_ expects p to be in [0, 1], but got p=1.5"),
    ("exponential_-zero", "exponential_ expects lambda > 0.0, but found lambda=0"),
    ("geometric_-p", "geometric_ expects p to be in (0, 1), but got p=1"),
])
def test_error_messages_are_pytorchs(case, text):
    exc_type, msg = _outcome(_bad_calls(ember)[case])
    assert exc_type is not None
    assert msg.startswith(text), msg


def test_signatures_match_pytorch(torch):
    for name in ("rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial"):
        t = getattr(torch, name)
        e = getattr(ember, name)
        assert callable(e), name
        assert t.__name__ == e.__name__
    t_res = torch.normal(torch.zeros(2, 1), torch.ones(3))
    e_res = ember.normal(ember.zeros(2, 1), ember.ones(3))
    assert tuple(t_res.shape) == tuple(e_res.shape)
    assert str(torch.normal(torch.zeros(2, dtype=torch.float64), torch.ones(2)).dtype)[6:] \
        == str(ember.normal(ember.zeros(2, dtype=ember.float64), ember.ones(2)).dtype)[6:]
