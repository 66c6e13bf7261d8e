"""Seed 001: logistic regression, a linear binary classifier trained with ``nn`` and ``optim``.

Two Gaussian clouds of 100 points each (centred on ``±1.7 + 1``) are separated by
``sigmoid(Linear(2, 1))`` trained with ``BCELoss`` and SGD with momentum, as in the seed.
Training stops once the accuracy passes 99% (or after ``--iterations``). The data and the
decision boundary ``w0 x + w1 y + b = 0`` are saved to a PNG (never shown).

Run it with ``python examples/02_logistic_regression.py [--out DIR] [--device ref]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ember as torch
from ember import nn, optim


class LR(nn.Module):
    """Logistic regression: ``sigmoid(w · x + b)``.

    Shape:
        - Input: ``(N, 2)``.
        - Output: ``(N, 1)``, probabilities of class 1.
    """

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Linear(2, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map points to the probability of class 1."""
        return self.sigmoid(self.features(x))


def make_data(n: int, device: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Two clouds of ``n`` points each: class 0 around ``(2.7, 2.7)``, class 1 around
    ``(-0.7, -0.7)``."""
    mean_value, bias = 1.7, 1
    n_data = torch.ones(n, 2, device=device)
    x0 = torch.normal(mean_value * n_data, 1) + bias
    x1 = torch.normal(-mean_value * n_data, 1) + bias
    y = torch.cat((torch.zeros(n, device=device), torch.ones(n, device=device)), 0)
    return torch.cat((x0, x1), 0), y


def plot(x: torch.Tensor, y: torch.Tensor, model: LR, title: str, path: Path) -> None:
    """Save the two classes and the model's decision boundary to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    xs, ys = x.cpu().numpy(), y.cpu().numpy()
    (w0, w1), b = model.features.weight[0].tolist(), model.features.bias.item()
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.scatter(xs[ys == 0, 0], xs[ys == 0, 1], c="r", s=10, label="class 0")
    ax.scatter(xs[ys == 1, 0], xs[ys == 1, 1], c="b", s=10, label="class 1")
    line_x = np.arange(-6, 6, 0.1)
    ax.plot(line_x, (-w0 * line_x - b) / w1, "k-", label="boundary")
    ax.set(xlim=(-5, 7), ylim=(-7, 7), title=title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Train the classifier, print its accuracy and save the plot.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"accuracy", "loss", "iterations"}`` at the end of training.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100, help="points per class")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    parser.add_argument("--out", type=Path, default=Path("examples_out"))
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    train_x, train_y = make_data(args.samples, args.device)
    model = LR().to(args.device)
    loss_fn = nn.BCELoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    for iteration in range(args.iterations):
        y_pred = model(train_x)
        loss = loss_fn(y_pred.squeeze(), train_y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        mask = y_pred.ge(0.5).float().squeeze()  # threshold at 0.5
        acc = (mask == train_y).sum().item() / train_y.size(0)
        if iteration % 20 == 0:
            print(f"iteration {iteration:4d}  loss {loss.item():.4f}  accuracy {acc:.2%}")
        if acc > 0.99:
            break
    title = f"iteration {iteration}: loss {loss.item():.4f}, accuracy {acc:.2%}"
    print(title)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "02_logistic_regression.png"
    plot(train_x, train_y, model, title, path)
    print(f"plot saved to {path}")
    return {"accuracy": acc, "loss": loss.item(), "iterations": iteration + 1}


if __name__ == "__main__":
    main()
