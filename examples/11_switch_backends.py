"""Switching backends mid-program: the same tensors and model on ``"cpu"`` and ``"ref"``.

Ember's devices are backends: ``"cpu"`` runs on NumPy, ``"ref"`` on the pure-Python
reference backend (slow, written to be read). Moving works as in PyTorch: ``tensor.to()``
copies, ``module.to()`` moves parameters in place (so an optimizer keeps its parameters),
and mixing devices in one op is an error. The optimizer's own state (momentum buffers) is
moved by reloading its state dict, which casts the state to each parameter's device.

The example trains a small classifier twice from the same weights: once entirely on
``"cpu"``, once switching to ``"ref"`` halfway through and back at the end, and shows that
both runs give the same losses and weights (up to float32 rounding).

Run it with ``python examples/11_switch_backends.py [--steps 6]``.
"""

from __future__ import annotations

import argparse
import copy

import ember as torch
import ember.nn.functional as F
from ember import nn


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int,
          switch: tuple[str, str] | None) -> list[float]:
    """Run ``steps`` SGD steps; with ``switch=(a, b)`` move everything to ``b`` halfway."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = []
    for step in range(steps):
        if switch is not None and step == steps // 2:
            model.to(switch[1])  # parameters move in place: the optimizer still holds them
            optimizer.load_state_dict(optimizer.state_dict())  # momentum buffers follow
            x, y = x.to(switch[1]), y.to(switch[1])
            print(f"  step {step}: switched {switch[0]} -> {switch[1]}")
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Compare ops and a training run across the two backends.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"op_diff", "loss_diff", "weight_diff"}``: the largest absolute differences.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--other", default="ref", help="the device to switch to")
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    print("backends:", ", ".join(torch.backends.available()))

    # 1. Tensors: .to() copies across backends; the results agree.
    a = torch.randn(4, 5)
    b = a.to(args.other)
    op_diff = (a.softmax(dim=1) @ a.T - (b.softmax(dim=1) @ b.T).cpu()).abs().max().item()
    print(f"{a.device} vs {b.device}: softmax(a) @ a.T differs by at most {op_diff:.2e}")
    try:
        a + b
    except RuntimeError as err:
        print(f"mixing devices is an error: {err}")

    # 2. A model trained on cpu, and a copy that switches to the other backend halfway.
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3))
    twin = copy.deepcopy(model)
    x, y = torch.randn(args.batch, 8), torch.randint(0, 3, (args.batch,))
    print("training on cpu only:")
    plain = train(model, x, y, args.steps, None)
    print(f"training on cpu, then {args.other}:")
    switched = train(twin, x, y, args.steps, ("cpu", args.other))
    print(f"  parameters now on {next(twin.parameters()).device}; moving back to cpu")
    twin.to("cpu")
    loss_diff = max(abs(p - s) for p, s in zip(plain, switched))
    weight_diff = max((p - q).abs().max().item()
                      for p, q in zip(model.parameters(), twin.parameters()))
    for step, (p, s) in enumerate(zip(plain, switched)):
        print(f"  step {step}: loss cpu {p:.6f}  switched {s:.6f}")
    print(f"largest difference: losses {loss_diff:.2e}, weights {weight_diff:.2e}")
    return {"op_diff": op_diff, "loss_diff": loss_diff, "weight_diff": weight_diff}


if __name__ == "__main__":
    main()
