"""``ember.nn.utils`` against PyTorch: gradient clipping (every norm type, returned norm,
non-finite handling), parameter/vector conversion, and ``rnn`` packing and padding
(values, lengths, sorting, gradients, errors)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.nn import utils
from ember.nn.utils import rnn

GRADS = [np.arange(6.0).reshape(2, 3) - 2.5, np.array([3.0, -4.0]), np.array([[0.5]])]


def _params(lib, grads=GRADS):
    ps = []
    for g in grads:
        p = lib.zeros(*g.shape, dtype=lib.float64, requires_grad=True)
        p.grad = lib.tensor(g)
        ps.append(p)
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf"), 0.5])
@pytest.mark.parametrize("max_norm", [1.0, 100.0])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm):
    e, t = _params(ember), _params(torch)
    en = utils.clip_grad_norm_(e, max_norm, norm_type)
    tn = torch.nn.utils.clip_grad_norm_(t, max_norm, norm_type)
    assert en.item() == pytest.approx(tn.item(), rel=1e-12)
    for a, b in zip(e, t):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_single_tensor_skips_missing_grads_and_float32(torch):
    e = ember.tensor([3.0, 4.0], requires_grad=True)
    e.grad = ember.tensor([3.0, 4.0])
    assert utils.clip_grad_norm_(e, 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(e.grad.numpy(), [0.6, 0.8], rtol=1e-5)
    none = ember.zeros(2, requires_grad=True)
    assert utils.clip_grad_norm_([none, e], 10.0).item() == pytest.approx(1.0, rel=1e-5)
    assert utils.clip_grad_norm_([none], 1.0).item() == 0.0


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # inf * 0, as in PyTorch
def test_clip_grad_norm_non_finite(torch):
    grads = [np.array([1.0, np.inf])]
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients"):
        utils.clip_grad_norm_(_params(ember, grads), 1.0, error_if_nonfinite=True)
    e = utils.clip_grad_norm_(_params(ember, grads), 1.0)
    t = torch.nn.utils.clip_grad_norm_(_params(torch, grads), 1.0)
    assert np.isinf(e.item()) and np.isinf(t.item())


def test_clip_grad_norm_empty_generator_warns():
    with pytest.warns(UserWarning, match="`parameters` is an empty generator"):
        out = utils.clip_grad_norm_((p for p in []), 1.0)
    assert out.item() == 0.0


def test_get_total_norm_and_clip_grads_with_norm(torch):
    grads = [ember.tensor(g) for g in GRADS]
    total = utils.get_total_norm(grads, 3.0)
    ref = torch.nn.utils.get_total_norm([torch.tensor(g) for g in GRADS], 3.0)
    assert total.item() == pytest.approx(ref.item(), rel=1e-12)
    e, t = _params(ember), _params(torch)
    utils.clip_grads_with_norm_(e, 2.0, total)
    torch.nn.utils.clip_grads_with_norm_(t, 2.0, ref)
    for a, b in zip(e, t):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


def test_clip_grad_value_matches_torch(torch):
    e, t = _params(ember), _params(torch)
    assert utils.clip_grad_value_(e, 1.5) is None
    torch.nn.utils.clip_grad_value_(t, 1.5)
    for a, b in zip(e, t):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_clip_grad_norm_deprecated_alias():
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        utils.clip_grad_norm(_params(ember), 1.0)


def test_clip_grad_norm_on_reference_backend(torch):
    p = ember.zeros(2, requires_grad=True, device="ref")
    p.grad = ember.tensor([3.0, 4.0], device="ref")
    assert utils.clip_grad_norm_([p], 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad.tolist(), [0.6, 0.8], rtol=1e-5)


def test_parameters_to_vector_round_trip_and_gradient(torch):
    ps = [ember.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True),
          ember.tensor([7.0], requires_grad=True)]
    vec = utils.parameters_to_vector(ps)
    ref = torch.nn.utils.parameters_to_vector([torch.tensor(np.arange(6.0).reshape(2, 3)),
                                               torch.tensor([7.0])])
    assert vec.tolist() == ref.tolist()
    (vec * ember.arange(7.0, dtype=ember.float64)).sum().backward()
    assert ps[0].grad.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    targets = [ember.zeros(2, 3), ember.zeros(1)]
    utils.vector_to_parameters(ember.arange(7.0), targets)
    assert targets[0].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert targets[1].tolist() == [6.0]
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        utils.vector_to_parameters([1, 2], targets)
    with pytest.raises(TypeError, match="Found two parameters on different devices"):
        utils.parameters_to_vector([ember.zeros(1), ember.zeros(1, device="ref")])


SEQS = [np.arange(1.0, 4.0), np.arange(4.0, 9.0), np.array([9.0]), np.arange(10.0, 12.0)]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(torch, batch_first, padding_side):
    e = rnn.pad_sequence([ember.tensor(s) for s in SEQS], batch_first, -1.0, padding_side)
    t = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in SEQS], batch_first, -1.0,
                                        padding_side)
    assert e.tolist() == t.tolist()
    with pytest.raises(RuntimeError, match="Expected padding_side to be one of left or right"):
        rnn.pad_sequence([ember.ones(2)], padding_side="top")


def test_pad_sequence_multidimensional_and_gradient():
    seqs = [ember.ones(3, 2, requires_grad=True), ember.ones(1, 2, requires_grad=True)]
    out = rnn.pad_sequence(seqs, batch_first=True)
    assert tuple(out.shape) == (2, 3, 2)
    (out * 2).sum().backward()
    assert seqs[1].grad.tolist() == [[2.0, 2.0]]


@pytest.mark.parametrize("batch_first", [False, True])
def test_pack_pad_round_trip_matches_torch(torch, batch_first):
    e_pad = rnn.pad_sequence([ember.tensor(s) for s in SEQS], batch_first)
    t_pad = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in SEQS], batch_first)
    lengths = [len(s) for s in SEQS]
    e = rnn.pack_padded_sequence(e_pad, lengths, batch_first, enforce_sorted=False)
    t = torch.nn.utils.rnn.pack_padded_sequence(t_pad, lengths, batch_first,
                                                enforce_sorted=False)
    for field in ("data", "batch_sizes", "sorted_indices", "unsorted_indices"):
        assert getattr(e, field).tolist() == getattr(t, field).tolist(), field
    assert e.batch_sizes.dtype == ember.int64
    ep, el = rnn.pad_packed_sequence(e, batch_first, padding_value=-5.0, total_length=7)
    tp, tl = torch.nn.utils.rnn.pad_packed_sequence(t, batch_first, padding_value=-5.0,
                                                    total_length=7)
    assert ep.tolist() == tp.tolist() and el.tolist() == tl.tolist()


def test_pack_sequence_sorted_and_unpack(torch):
    seqs = sorted(SEQS, key=len, reverse=True)
    e = rnn.pack_sequence([ember.tensor(s) for s in seqs])
    t = torch.nn.utils.rnn.pack_sequence([torch.tensor(s) for s in seqs])
    assert e.data.tolist() == t.data.tolist() and e.sorted_indices is None
    assert [s.tolist() for s in rnn.unpack_sequence(e)] == [s.tolist() for s in seqs]
    assert isinstance(e, tuple) and e._fields == t._fields


def test_packing_gradients_flow(torch):
    x = np.random.default_rng(0).standard_normal((4, 3, 2))
    lengths = [2, 4, 3]

    def run(lib, mod):
        a = lib.tensor(x, requires_grad=True)
        packed = mod.pack_padded_sequence(a, lengths, enforce_sorted=False)
        out, _ = mod.pad_packed_sequence(packed)
        (out ** 2 * lib.arange(2.0, dtype=lib.float64)).sum().backward()
        return a.grad

    np.testing.assert_allclose(run(ember, rnn).numpy(), run(torch, torch.nn.utils.rnn).numpy())


def test_packing_errors_match_torch(torch):
    for lengths, enforce in [([2, 3], True), ([3, 0], True), ([3], True)]:
        with pytest.raises(RuntimeError) as t_err:
            torch.nn.utils.rnn.pack_padded_sequence(torch.zeros(3, 2), lengths,
                                                    enforce_sorted=enforce)
        with pytest.raises(RuntimeError) as e_err:
            rnn.pack_padded_sequence(ember.zeros(3, 2), lengths, enforce_sorted=enforce)
        assert str(e_err.value) == str(t_err.value)
    packed = rnn.pack_sequence([ember.ones(2), ember.ones(3)], enforce_sorted=False)
    with pytest.raises(ValueError, match="Expected total_length to be at least"):
        rnn.pad_packed_sequence(packed, total_length=2)


def test_packed_sequence_to_and_dtype():
    packed = rnn.pack_sequence([ember.ones(3), ember.ones(2)])
    d = packed.double()
    assert d.data.dtype == ember.float64 and d.batch_sizes.tolist() == [2, 2, 1]
    r = packed.to("ref")
    assert r.data.device.type == "ref" and r.batch_sizes.device.type == "cpu"
    assert packed.to(ember.float32) is packed
