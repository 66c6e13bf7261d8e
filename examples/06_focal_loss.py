"""Seed exercise: a ``FocalLoss`` module for imbalanced classification.

Focal loss (Lin et al., 2017) scales the cross-entropy of each sample by ``(1 - p_t)^γ``, so
easy, confidently right samples count less and the rare, hard ones more::

    FL(p_t) = -α_t (1 - p_t)^γ log(p_t)

The module below is written with ``nn.functional`` only; with ``γ = 0`` and no ``α`` it is
exactly ``F.cross_entropy`` (checked at start-up). It then trains the same linear classifier
twice on an imbalanced three-class problem (``--counts`` samples per class), once with
cross-entropy and once with focal loss, and prints each class's recall.

Run it with ``python examples/06_focal_loss.py [--gamma 2] [--device ref]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import ember as torch
import ember.nn.functional as F
from ember import nn


class FocalLoss(nn.Module):
    """Focal loss over class logits.

    Args:
        alpha: per-class weights ``α`` (a sequence or 1-D tensor of length ``C``), or ``None``
            for no weighting.
        gamma: focusing parameter ``γ ≥ 0``; ``0`` gives (weighted) cross-entropy.
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``.

    Shape:
        - Input: ``(N, C)`` logits.
        - Target: ``(N,)`` class indices in ``[0, C)``.
        - Output: scalar, or ``(N,)`` with ``reduction='none'``.

    Examples:
        >>> loss = FocalLoss(gamma=2.0)
        >>> loss(torch.tensor([[2.0, 0.0], [0.0, 2.0]]), torch.tensor([0, 0])).shape
        ember.Size([])
    """

    def __init__(self, alpha: Sequence[float] | torch.Tensor | None = None, gamma: float = 2.0,
                 reduction: str = "mean") -> None:
        super().__init__()
        if gamma < 0:
            raise ValueError(f"FocalLoss: gamma must be non-negative, got {gamma}")
        if reduction not in ("none", "mean", "sum"):
            raise ValueError(f"FocalLoss: {reduction!r} is not a valid value for reduction")
        self.gamma, self.reduction = gamma, reduction
        # A buffer, so ``.to(device)`` moves it with the module and it is saved in state_dict.
        self.register_buffer("alpha", None if alpha is None else torch.as_tensor(alpha).float())

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Return the focal loss of ``logits`` against ``target``."""
        log_p_t = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
        loss = -((1 - log_p_t.exp()) ** self.gamma) * log_p_t
        if self.alpha is not None:
            loss = loss * self.alpha[target]
        if self.reduction == "mean":
            return loss.mean()
        return loss.sum() if self.reduction == "sum" else loss

    def extra_repr(self) -> str:
        """Describe the settings in ``repr(module)``."""
        return f"gamma={self.gamma}, reduction={self.reduction!r}"


def make_data(counts: Sequence[int], device: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Overlapping 2-D Gaussian clouds, ``counts[c]`` points of class ``c``."""
    centres = torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]], device=device)
    xs = [torch.randn(n, 2, device=device) + centres[c] for c, n in enumerate(counts)]
    ys = [torch.full((n,), c, dtype=torch.long, device=device) for c, n in enumerate(counts)]
    return torch.cat(xs), torch.cat(ys)


def train(x: torch.Tensor, y: torch.Tensor, criterion: nn.Module, steps: int) -> list[float]:
    """Train a fresh ``Linear(2, 3)`` full-batch with Adam; return each class's recall."""
    model = nn.Linear(2, 3).to(x.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    return [(pred[y == c] == c).float().mean().item() for c in range(3)]


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    """Check FocalLoss against cross-entropy, then compare the two on imbalanced data.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"cross_entropy": recalls, "focal": recalls}``, one recall per class.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs=3, default=[1000, 100, 30])
    parser.add_argument("--gamma", type=float, default=2.0)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    logits = torch.randn(8, 3, device=args.device)
    target = torch.randint(0, 3, (8,), device=args.device)
    plain = FocalLoss(gamma=0.0)(logits, target)
    assert torch.allclose(plain, F.cross_entropy(logits, target)), "γ=0 must be cross-entropy"

    x, y = make_data(args.counts, args.device)
    total = sum(args.counts)
    alpha = [total / (len(args.counts) * n) for n in args.counts]  # inverse frequency
    focal = FocalLoss(alpha=alpha, gamma=args.gamma).to(args.device)
    print(focal)
    results = {"cross_entropy": train(x, y, nn.CrossEntropyLoss(), args.steps),
               "focal": train(x, y, focal, args.steps)}
    print(f"class sizes: {args.counts}")
    for name, recalls in results.items():
        print(f"{name:>13} recall per class: " + "  ".join(f"{r:.2f}" for r in recalls))
    return results


if __name__ == "__main__":
    main()
