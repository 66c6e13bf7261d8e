"""Seed exercise: an MLP with two hidden layers of 128, ReLU, and a LogSoftmax output.

The seed asks for MNIST; this runs on the 8x8 digits that scikit-learn ships (no download),
so the input layer has 64 features instead of 784. ``LogSoftmax`` outputs log-probabilities,
so the matching loss is ``NLLLoss`` (together they are ``CrossEntropyLoss`` on raw logits).

Run it with ``python examples/03_mlp_log_softmax.py [--epochs 10] [--device ref]``.
"""

from __future__ import annotations

import argparse

import ember as torch
from ember import nn
from ember.utils.data import DataLoader, Subset
from ember.vision import datasets, transforms


class MLP(nn.Module):
    """``in → 128 → ReLU → 128 → ReLU → classes → LogSoftmax``.

    Shape:
        - Input: ``(N, *)`` with ``in_features`` elements per sample (images are flattened).
        - Output: ``(N, classes)`` log-probabilities.
    """

    def __init__(self, in_features: int = 64, hidden: int = 128, classes: int = 10) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_features, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, classes), nn.LogSoftmax(dim=1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map a batch of images to log-probabilities over the classes."""
        return self.net(x)


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Train the MLP with NLLLoss and report the test accuracy.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"losses", "test_accuracy"}``: mean training loss per epoch, final test accuracy.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--limit", type=int, default=None, help="use only N images per split")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)

    normalize = transforms.Normalize((0.5,), (0.5,))  # [0, 1] -> [-1, 1]
    train_set = datasets.Digits(train=True, transform=normalize)
    test_set = datasets.Digits(train=False, transform=normalize)
    if args.limit is not None:
        train_set = Subset(train_set, range(min(args.limit, len(train_set))))
        test_set = Subset(test_set, range(min(args.limit, len(test_set))))
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=256)

    model = MLP().to(args.device)
    print(model)
    criterion = nn.NLLLoss()  # expects log-probabilities, which LogSoftmax gives
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    losses = []
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for images, labels in train_loader:
            images, labels = images.to(args.device), labels.to(args.device)
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
        losses.append(total / len(train_set))
        print(f"epoch {epoch + 1}/{args.epochs}: loss {losses[-1]:.4f}")

    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            log_probs = model(images.to(args.device))
            correct += (log_probs.argmax(dim=1) == labels.to(args.device)).sum().item()
    accuracy = correct / len(test_set)
    print(f"test accuracy: {accuracy:.2%} ({correct}/{len(test_set)})")
    return {"losses": losses, "test_accuracy": accuracy}


if __name__ == "__main__":
    main()
