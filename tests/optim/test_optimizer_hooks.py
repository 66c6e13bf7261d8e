"""Optimizer hooks: step pre/post hooks (per instance and global), state-dict hooks."""

from __future__ import annotations

import ember


def _leaf(lib, *shape):
    return lib.zeros(*shape, requires_grad=True)


def test_step_hooks_run_around_step_and_can_be_removed():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o)))
    post = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", o)))
    opt.step()
    assert calls == [("pre", opt), ("post", opt)]
    pre.remove()
    post.remove()
    opt.step()
    assert len(calls) == 2


def test_step_pre_hook_can_replace_the_arguments():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)

    def closure():
        return "replaced"

    opt.register_step_pre_hook(lambda o, args, kwargs: ((closure,), {}))
    assert opt.step() == "replaced"


def test_global_step_hooks_see_every_optimizer():
    from ember.optim.optimizer import (
        register_optimizer_step_post_hook,
        register_optimizer_step_pre_hook,
    )

    seen = []
    h1 = register_optimizer_step_pre_hook(lambda o, a, k: seen.append(type(o).__name__))
    h2 = register_optimizer_step_post_hook(lambda o, a, k: seen.append("post"))
    try:
        ember.optim.Adam([_leaf(ember, 2)]).step()
        ember.optim.SGD([_leaf(ember, 2)], lr=0.1).step()
    finally:
        h1.remove()
        h2.remove()
    assert seen == ["Adam", "post", "SGD", "post"]


def test_state_dict_hooks():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)
    order = []
    opt.register_state_dict_pre_hook(lambda o: order.append("pre"))
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    sd = opt.state_dict()
    assert order == ["pre"] and sd["extra"] == 1
    opt.register_load_state_dict_pre_hook(lambda o, sd: {k: v for k, v in sd.items()
                                                         if k != "extra"})
    opt.register_load_state_dict_post_hook(lambda o: order.append("loaded"))
    opt.load_state_dict(sd)
    assert order[-1] == "loaded"
