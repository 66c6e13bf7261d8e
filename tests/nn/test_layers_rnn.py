"""RNN, LSTM, GRU and their cells against PyTorch: the torch layer's initialised parameters are
loaded into the ember one (so the state-dict keys must match), both run the same float64
inputs in eval mode, and outputs, final states and the gradients of a weighted sum of them
(w.r.t. inputs, initial states and every parameter) must agree to ``rtol=1e-9``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _layer_oracle64 import RTOL, check, data, pair

import ember
from ember import nn

CONFIGS = [
    {},
    {"num_layers": 2},
    {"bidirectional": True},
    {"num_layers": 2, "bidirectional": True, "batch_first": True},
    {"bias": False, "batch_first": True},
]


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "default")
def test_layer_matches_torch(torch, cls, config):
    em, tm = pair(torch, cls, 3, 4, **config)
    x = data(2, 5, 3) if config.get("batch_first") else data(5, 2, 3)
    check(torch, em, tm, [x])


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_layer_with_initial_state(torch, cls):
    em, tm = pair(torch, cls, 3, 4, num_layers=2, bidirectional=True)
    arrays = [data(5, 2, 3), data(4, 2, 4, seed=1)]
    if cls == "LSTM":
        arrays.append(data(4, 2, 4, seed=2))
        check(torch, em, tm, arrays, lambda lib, ts: (ts[0], (ts[1], ts[2])))
    else:
        check(torch, em, tm, arrays)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_layer_unbatched(torch, cls, batch_first):
    em, tm = pair(torch, cls, 3, 4, num_layers=2, batch_first=batch_first)
    out = check(torch, em, tm, [data(5, 3)])
    assert tuple(out[0].shape) == (5, 4)
    arrays = [data(5, 3), data(2, 4, seed=1)]
    if cls == "LSTM":
        arrays.append(data(2, 4, seed=2))
        check(torch, em, tm, arrays, lambda lib, ts: (ts[0], (ts[1], ts[2])))
    else:
        check(torch, em, tm, arrays)


def test_rnn_relu_and_lstm_projection(torch):
    em, tm = pair(torch, "RNN", 3, 4, 2, "relu")
    check(torch, em, tm, [data(5, 2, 3)])
    em, tm = pair(torch, "LSTM", 3, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert tuple(em.weight_hr_l1_reverse.shape) == (2, 5)
    arrays = [data(4, 2, 3), data(4, 2, 2, seed=1), data(4, 2, 5, seed=2)]
    check(torch, em, tm, arrays, lambda lib, ts: (ts[0], (ts[1], ts[2])))


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_layer_packed_sequence(torch, cls, enforce_sorted):
    em, tm = pair(torch, cls, 3, 4, num_layers=2, bidirectional=True)
    lengths = [5, 3, 2] if enforce_sorted else [2, 5, 3]

    def build(lib, ts):
        packed = lib.nn.utils.rnn.pack_padded_sequence(ts[0], lengths,
                                                        enforce_sorted=enforce_sorted)
        if len(ts) == 1:
            return (packed,)
        return (packed, (ts[1], ts[2]) if cls == "LSTM" else ts[1])

    out = check(torch, em, tm, [data(5, 3, 3)], build)
    assert len(out) == (3 if cls == "LSTM" else 2)
    states = [data(4, 3, 4, seed=1)] + ([data(4, 3, 4, seed=2)] if cls == "LSTM" else [])
    check(torch, em, tm, [data(5, 3, 3), *states], build)


def test_packed_output_round_trips(torch):
    em, tm = pair(torch, "GRU", 2, 3, batch_first=True)
    x = data(3, 4, 2)
    e_packed = nn.utils.rnn.pack_padded_sequence(ember.tensor(x), [4, 1, 3], batch_first=True,
                                                 enforce_sorted=False)
    t_packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), [4, 1, 3],
                                                       batch_first=True, enforce_sorted=False)
    e_out, _ = em(e_packed)
    t_out, _ = tm(t_packed)
    assert isinstance(e_out, nn.utils.rnn.PackedSequence)
    e_pad, e_len = nn.utils.rnn.pad_packed_sequence(e_out, batch_first=True)
    t_pad, t_len = torch.nn.utils.rnn.pad_packed_sequence(t_out, batch_first=True)
    np.testing.assert_allclose(e_pad.detach().numpy(), t_pad.detach().numpy(), rtol=RTOL)
    assert e_len.tolist() == t_len.tolist()


@pytest.mark.parametrize("cls", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("bias", [True, False])
def test_cell_matches_torch(torch, cls, bias):
    em, tm = pair(torch, cls, 3, 4, bias=bias)
    check(torch, em, tm, [data(2, 3)])
    check(torch, em, tm, [data(3)])  # unbatched
    arrays = [data(2, 3), data(2, 4, seed=1)]
    if cls == "LSTMCell":
        arrays.append(data(2, 4, seed=2))
        check(torch, em, tm, arrays, lambda lib, ts: (ts[0], (ts[1], ts[2])))
    else:
        check(torch, em, tm, arrays)


def test_relu_cell(torch):
    em, tm = pair(torch, "RNNCell", 3, 4, nonlinearity="relu")
    check(torch, em, tm, [data(2, 3), data(2, 4, seed=1)])


def test_one_step_on_reference_backend(torch):
    em, tm = pair(torch, "LSTM", 2, 3)
    check(torch, em, tm, [data(1, 2, 2)], device="ref")
    em, tm = pair(torch, "GRUCell", 2, 3)
    check(torch, em, tm, [data(2, 2), data(2, 3, seed=1)], device="ref")


def test_reprs_and_parameter_shapes(torch):
    cases = [("LSTM", (10, 20), {"num_layers": 2, "batch_first": True}),
             ("LSTM", (10, 20), {"num_layers": 2, "bias": False, "dropout": 0.5,
                                 "bidirectional": True, "proj_size": 3}),
             ("RNN", (10, 20, 3, "relu"), {}), ("GRU", (4, 5), {"dropout": 0.25,
                                                                "num_layers": 2}),
             ("RNNCell", (10, 20), {"bias": False, "nonlinearity": "relu"}),
             ("LSTMCell", (3, 4), {}), ("GRUCell", (3, 4), {"bias": False})]
    for cls, args, kwargs in cases:
        em, tm = getattr(nn, cls)(*args, **kwargs), getattr(torch.nn, cls)(*args, **kwargs)
        assert repr(em) == repr(tm)
        assert ([(n, tuple(p.shape)) for n, p in em.named_parameters()]
                == [(n, tuple(p.shape)) for n, p in tm.named_parameters()])


def test_init_range_and_flatten_parameters():
    ember.manual_seed(0)
    m = nn.GRU(8, 16, 2, bidirectional=True)
    m.flatten_parameters()
    bound = 1 / 4
    for p in m.parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and a.std() > 0.1
    assert len(m.all_weights) == 4 and m.all_weights[3][0] is m.weight_ih_l1_reverse


def test_dropout_between_layers_in_training():
    ember.manual_seed(0)
    m = nn.LSTM(3, 4, num_layers=2, dropout=0.5, dtype=ember.float64)
    x = ember.tensor(data(6, 2, 3))
    a, _ = m(x)
    b, _ = m(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    m.eval()
    np.testing.assert_array_equal(m(x)[0].detach().numpy(), m(x)[0].detach().numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(3, 4, dropout=0.2)


def _same_error(torch, e_fn, t_fn, make_args, **kwargs):
    """``e_fn(*make_args(ember), **kwargs)`` raises what ``t_fn`` raises on torch tensors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as t_err:
            t_fn(*make_args(torch), **kwargs)
        with pytest.raises(type(t_err.value)) as e_err:
            e_fn(*make_args(ember), **kwargs)
    assert str(e_err.value) == str(t_err.value)


LAYER_ERRORS = [  # (class, constructor args, forward args as a function of the library)
    ("RNN", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 4),)),
    ("LSTM", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 4),)),
    ("GRU", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 10, 1),)),
    ("RNN", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 10, 1),)),
    ("GRU", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 10), lib.zeros(2, 3, 5))),
    ("GRU", (10, 5, 2), lambda lib: (lib.zeros(3, 10), lib.zeros(2, 1, 5))),
    ("LSTM", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 10),
                                      (lib.zeros(2, 2, 5), lib.zeros(2, 2, 4)))),
    ("LSTM", (10, 5, 2), lambda lib: (lib.zeros(3, 2, 10), (lib.zeros(2, 5), lib.zeros(2, 5)))),
    ("RNNCell", (10, 5), lambda lib: (lib.zeros(3, 4),)),
    ("LSTMCell", (10, 5), lambda lib: (lib.zeros(3, 2, 10),)),
    ("GRUCell", (10, 5), lambda lib: (lib.zeros(3, 10), lib.zeros(2, 5))),
    ("GRUCell", (10, 5), lambda lib: (lib.zeros(3, 10), lib.zeros(3, 4))),
    ("LSTMCell", (10, 5), lambda lib: (lib.zeros(3, 10), (lib.zeros(3, 5), lib.zeros(3, 4)))),
]


@pytest.mark.parametrize("case", range(len(LAYER_ERRORS)))
def test_forward_errors_match_torch(torch, case):
    cls, args, make_args = LAYER_ERRORS[case]
    em, tm = getattr(nn, cls)(*args), getattr(torch.nn, cls)(*args)
    _same_error(torch, em, tm, make_args)


@pytest.mark.parametrize("cls, args, kwargs", [
    ("LSTM", (10, 5), {"proj_size": 5}), ("LSTM", (10, 5), {"proj_size": -1}),
    ("LSTM", (10, 5), {"dropout": 2}), ("LSTM", (10, 5), {"num_layers": 0}),
    ("GRU", (10, 5), {"proj_size": 2}), ("RNN", (10, 5), {"nonlinearity": "gelu"}),
    ("RNN", (10.0, 5), {}), ("GRU", (10, 0), {})])
def test_constructor_errors_match_torch(torch, cls, args, kwargs):
    _same_error(torch, getattr(nn, cls), getattr(torch.nn, cls), lambda lib: args, **kwargs)


def test_dtype_mismatch_error():
    with pytest.raises(ValueError, match="does not match weight dtype"):
        nn.RNN(3, 4)(ember.zeros(2, 1, 3, dtype=ember.float64))


def test_lstm_gates_node_first_and_second_derivatives():
    # NOTE [ LSTM gates node ]: one node per step whose backward is differentiable again.
    from ember.nn.modules._lstm_gates import LSTMGates

    g = ember.Generator().manual_seed(3)
    gates = ember.randn(2, 8, generator=g, dtype=ember.float64, requires_grad=True)
    c = ember.randn(2, 2, generator=g, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(LSTMGates.apply, (gates, c))
    assert ember.autograd.gradgradcheck(LSTMGates.apply, (gates, c))


def test_lstm_double_backward_matches_torch(torch):
    ember.manual_seed(0)
    e = ember.nn.LSTM(3, 4, num_layers=2).double()
    t = torch.nn.LSTM(3, 4, num_layers=2).double()
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    grads = []
    for lib, m in ((ember, e), (torch, t)):
        xi = lib.tensor(x, requires_grad=True)
        out, _ = m(xi)
        (gx,) = lib.autograd.grad(out.pow(2).sum(), xi, create_graph=True)
        gx.pow(2).sum().backward()
        grads.append([xi.grad.detach().numpy()] + [p.grad.detach().numpy()
                                                  for p in m.parameters()])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_lstm_layer_node_first_and_second_derivatives(reverse, bias):
    # NOTE [ LSTM layer node ]: the recurrence as one node, exact to second order.
    from ember.nn.modules._lstm_layer import LSTMLayer

    g = ember.Generator().manual_seed(5)

    def r(*shape):
        return (ember.randn(*shape, generator=g, dtype=ember.float64) * 0.5).requires_grad_()

    gi, h0, c0, w = r(3, 2, 8), r(2, 2), r(2, 2), r(8, 2)
    b = r(8) if bias else None

    def fn(gi, h0, c0, w, *rest):
        return LSTMLayer.apply(gi, h0, c0, w, rest[0] if rest else None, reverse)

    args = (gi, h0, c0, w) + ((b,) if bias else ())
    assert ember.autograd.gradcheck(fn, args)
    assert ember.autograd.gradgradcheck(fn, args)


def test_lstm_layer_node_matches_the_step_by_step_graph(torch):
    # Bidirectional, batch_first, given states, no bias: the same values and gradients as
    # PyTorch's LSTM.
    ember.manual_seed(1)
    e = ember.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True,
                      bias=False).double()
    t = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True,
                      bias=False).double()
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    rng = np.random.default_rng(2)
    x, h0, c0 = (rng.standard_normal(s) for s in ((2, 5, 3), (4, 2, 4), (4, 2, 4)))
    res = []
    for lib, m in ((ember, e), (torch, t)):
        xs = [lib.tensor(a, requires_grad=True) for a in (x, h0, c0)]
        out, (h, c) = m(xs[0], (xs[1], xs[2]))
        (out.sum() + 2 * h.sum() + 3 * c.sum()).backward()
        res.append([out.detach().numpy()] + [v.grad.numpy() for v in xs]
                   + [p.grad.numpy() for p in m.parameters()])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
