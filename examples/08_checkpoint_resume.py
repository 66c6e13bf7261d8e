"""Save a training checkpoint, then resume from it exactly where training stopped.

The checkpoint is the seed's dict: ``epoch``, ``model_state_dict``, ``optimizer_state_dict``
and ``loss``, plus the random-number state so that the data order after resuming is the
one an uninterrupted run would have seen. The example trains the seed's regression MLP
(20 → 64 → 32 → 1, Adam) straight through for ``--epochs`` epochs; then trains a second
copy for ``--resume-at`` epochs, saves it with ``ember.save``, builds a *fresh* model and
optimizer as a new process would, restores them with ``ember.load`` and ``load_state_dict``,
and finishes training. The losses after resuming match the straight run's exactly.

Run it with ``python examples/08_checkpoint_resume.py [--out DIR] [--device ref]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ember as torch
from ember import nn
from ember.utils.data import DataLoader, TensorDataset


def make_model(device: str) -> nn.Module:
    """The seed's ``RegressionNet``: 20 → 64 → 32 → 1 with ReLUs."""
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1)).to(device)


def run_epochs(model: nn.Module, optimizer: torch.optim.Optimizer, loader: DataLoader,
               epochs: range) -> list[float]:
    """Train for the given epochs; return the mean loss of each."""
    criterion, losses = nn.MSELoss(), []
    for epoch in epochs:
        model.train()
        total, seen = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total, seen = total + loss.item() * len(xb), seen + len(xb)
        losses.append(total / seen)
        print(f"  epoch {epoch + 1}: loss {losses[-1]:.6f}")
    return losses


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    """Train straight through, then interrupted and resumed, and compare the losses.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"straight_losses", "resumed_losses"}``; the second is the tail of the first.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--resume-at", type=int, default=3, help="epochs before the save")
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    parser.add_argument("--out", type=Path, default=Path("examples_out"))
    args = parser.parse_args(argv)
    if not 0 < args.resume_at < args.epochs:
        parser.error(f"--resume-at must be between 1 and {args.epochs - 1}, "
                     f"got {args.resume_at}")

    def setup() -> tuple[nn.Module, torch.optim.Optimizer, DataLoader]:
        torch.manual_seed(args.seed)
        x = torch.randn(args.samples, 20, device=args.device)
        y = x[:, :5].sum(dim=1, keepdim=True) + 0.1 * torch.randn(args.samples, 1,
                                                                  device=args.device)
        loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size, shuffle=True)
        model = make_model(args.device)
        return model, torch.optim.Adam(model.parameters(), lr=0.01), loader

    print(f"straight run, {args.epochs} epochs:")
    model, optimizer, loader = setup()
    straight = run_epochs(model, optimizer, loader, range(args.epochs))

    print(f"interrupted run: {args.resume_at} epochs, then a checkpoint")
    model, optimizer, loader = setup()
    first = run_epochs(model, optimizer, loader, range(args.resume_at))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "checkpoint.pt"
    torch.save({"epoch": args.resume_at, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "loss": first[-1],
                "rng_state": torch.get_rng_state()}, path)
    print(f"  saved {path}")
    del model, optimizer

    # As a new process would: fresh (differently initialised) objects, then the checkpoint.
    torch.manual_seed(args.seed + 1)
    model = make_model(args.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    torch.set_rng_state(checkpoint["rng_state"])
    start = checkpoint["epoch"]
    print(f"resumed at epoch {start} (loss then {checkpoint['loss']:.6f}):")
    resumed = run_epochs(model, optimizer, loader, range(start, args.epochs))

    same = resumed == straight[start:]
    print(f"losses after resuming {'match' if same else 'DIFFER FROM'} the straight run")
    return {"straight_losses": straight, "resumed_losses": resumed}


if __name__ == "__main__":
    main()
