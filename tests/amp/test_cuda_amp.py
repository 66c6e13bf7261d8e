"""The deprecated ember.cuda.amp spellings: without CUDA they warn, disable themselves and let
a GPU training loop run in float32, with PyTorch's warning texts."""

from __future__ import annotations

import warnings

import ember


def _warnings(cls):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        obj = cls()
    return obj, [(w.category, str(w.message)) for w in rec]


def test_warnings_match_pytorch(torch):
    assert not ember.cuda.is_available() and not torch.cuda.is_available()
    for name in ("GradScaler", "autocast"):
        _, e_msgs = _warnings(getattr(ember.cuda.amp, name))
        _, t_msgs = _warnings(getattr(torch.cuda.amp, name))
        assert e_msgs == t_msgs and len(e_msgs) == 2
        assert e_msgs[0][0] is FutureWarning and e_msgs[1][0] is UserWarning
    assert ember.cuda.amp.amp_definitely_not_available()


def test_disabled_scaler_and_autocast_pass_through():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = ember.cuda.amp.GradScaler()
        region = ember.cuda.amp.autocast()
    assert not scaler.is_enabled() and scaler.get_scale() == 1.0
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.5)
    with region:
        assert not ember.is_autocast_enabled("cuda")
        loss = (w * w).sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    scaler.step(opt)
    scaler.update()
    assert w.tolist() == [0.0, 0.0] and loss.dtype == ember.float32


def test_from_import_like_the_seed():
    ns: dict = {}
    exec("from ember.cuda.amp import autocast, GradScaler", ns)
    assert ns["autocast"] is ember.cuda.amp.autocast
    assert issubclass(ns["GradScaler"], ember.amp.GradScaler)
