"""Seed exercise: a learning-rate schedule, 0.01 for 5 epochs, then halved every epoch.

``LambdaLR`` multiplies the initial learning rate by ``f(epoch)``; here
``f(e) = 0.5 ** max(0, e - 4)``, so epochs 0-4 train at 0.01, epoch 5 at 0.005, epoch 6 at
0.0025, and so on. The same schedule is also built from stock schedulers
(``ExponentialLR`` chained after a constant phase with ``SequentialLR``) and the two are
checked to agree. ``scheduler.step()`` is called once per epoch, after the optimizer steps.

The model is the seed's regression MLP (20 → 64 → 32 → 1) on synthetic data.

Run it with ``python examples/05_lr_schedule.py [--epochs 10] [--device ref]``.
"""

from __future__ import annotations

import argparse

import ember as torch
from ember import nn
from ember.optim import lr_scheduler
from ember.utils.data import DataLoader, TensorDataset


def warm_then_halve(epoch: int, constant_epochs: int = 5) -> float:
    """The factor on the initial learning rate at ``epoch`` (counted from 0)."""
    return 0.5 ** max(0, epoch - (constant_epochs - 1))


def stock_schedule(optimizer: torch.optim.Optimizer, constant_epochs: int = 5) -> object:
    """The same schedule from built-in parts: constant, then ``ExponentialLR(gamma=0.5)``.

    ``SequentialLR`` starts the second scheduler (at its own epoch 0, i.e. the base rate) at
    the milestone, so the constant phase hands over one epoch early.
    """
    constant = lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
    decay = lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    return lr_scheduler.SequentialLR(optimizer, [constant, decay],
                                     milestones=[constant_epochs - 1])


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    """Train with the schedule, print the learning rate and loss of every epoch.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"lrs", "losses"}``, one entry per epoch.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    x = torch.randn(args.samples, 20, device=args.device)
    y = x[:, :5].sum(dim=1, keepdim=True) + 0.1 * torch.randn(args.samples, 1, device=args.device)
    loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size, shuffle=True)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                          nn.Linear(32, 1)).to(args.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = lr_scheduler.LambdaLR(optimizer, lr_lambda=warm_then_halve)

    # A second optimizer (same starting lr, never stepped on data) follows the stock schedule.
    shadow = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=args.lr)
    shadow_scheduler = stock_schedule(shadow)

    lrs, losses = [], []
    criterion = nn.MSELoss()
    for epoch in range(args.epochs):
        lr = scheduler.get_last_lr()[0]
        assert abs(lr - shadow_scheduler.get_last_lr()[0]) < 1e-12, "schedules disagree"
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        lrs.append(lr)
        losses.append(total / args.samples)
        print(f"epoch {epoch}  lr {lr:.6f}  loss {losses[-1]:.4f}")
        scheduler.step()
        shadow.step()
        shadow_scheduler.step()
    return {"lrs": lrs, "losses": losses}


if __name__ == "__main__":
    main()
