"""A custom ``autograd.Function``: the seed's ``MyReLU``, verified with ``gradcheck``.

A Function defines its own ``forward`` and ``backward`` as static methods; ``ctx`` carries
what ``forward`` saves for ``backward``. ``gradcheck`` compares that hand-written backward
with central finite differences (in float64), and catches a wrong one: ``BrokenReLU``
below forgets to zero the gradient of negative inputs.

The example then uses ``MyReLU.apply`` inside a small network and checks that its parameter
gradients are the ones ``F.relu`` gives, before training it for a few steps.

Run it with ``python examples/07_custom_function.py [--device ref]``.
"""

from __future__ import annotations

import argparse
from typing import Any

import ember as torch
import ember.nn.functional as F
from ember import nn
from ember.autograd import Function, gradcheck


class MyReLU(Function):
    """``max(x, 0)`` with a hand-written backward (the seed's example)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        """Save the input and clamp it at zero."""
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> torch.Tensor:
        """Pass the gradient through where the input was positive, zero elsewhere."""
        (x,) = ctx.saved_tensors
        grad_x = grad_output.clone()
        grad_x[x < 0] = 0
        return grad_x


class BrokenReLU(MyReLU):
    """``MyReLU`` with a wrong backward: it passes every gradient through."""

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> torch.Tensor:
        """Return the gradient unchanged (wrong for negative inputs)."""
        return grad_output.clone()


class Net(nn.Module):
    """``Linear → activation → Linear``, the activation being ``MyReLU`` or ``F.relu``."""

    def __init__(self, hidden: int, custom: bool) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(1, hidden), nn.Linear(hidden, 1)
        self.act = MyReLU.apply if custom else F.relu

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the two layers with the activation between them."""
        return self.fc2(self.act(self.fc1(x)))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Gradcheck ``MyReLU`` and ``BrokenReLU``, then train a network that uses ``MyReLU``.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"my_relu_ok", "broken_ok", "first_loss", "last_loss"}``.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)

    # Keep the points away from the kink at 0, where finite differences straddle both sides.
    x = torch.randn(4, 5, dtype=torch.float64, device=args.device)
    x = (x + 0.1 * x.sign()).requires_grad_()
    my_relu_ok = gradcheck(MyReLU.apply, (x,), eps=1e-6, atol=1e-4)
    broken_ok = gradcheck(BrokenReLU.apply, (x,), eps=1e-6, atol=1e-4, raise_exception=False)
    print(f"gradcheck(MyReLU): {my_relu_ok}   gradcheck(BrokenReLU): {broken_ok}")

    custom, builtin = Net(args.hidden, True), Net(args.hidden, False)
    builtin.load_state_dict(custom.state_dict())
    custom.to(args.device)
    builtin.to(args.device)
    inputs = torch.linspace(-2, 2, 64, device=args.device).unsqueeze(1)
    targets = inputs.abs()
    for net in (custom, builtin):
        F.mse_loss(net(inputs), targets).backward()
    for (name, p), q in zip(custom.named_parameters(), builtin.parameters()):
        assert torch.allclose(p.grad, q.grad, atol=1e-6), f"gradient of {name} differs"
    print("parameter gradients through MyReLU match F.relu")

    optimizer = torch.optim.Adam(custom.parameters(), lr=0.01)
    losses = []
    for _ in range(args.steps):
        optimizer.zero_grad()
        loss = F.mse_loss(custom(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(f"fitting |x| with MyReLU: loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    return {"my_relu_ok": my_relu_ok, "broken_ok": broken_ok,
            "first_loss": losses[0], "last_loss": losses[-1]}


if __name__ == "__main__":
    main()
