"""Seed 001: linear regression ``y = w x + b`` trained with autograd and hand-written SGD.

Twenty noisy points around ``y = 2x + 5``; the parameters ``w`` and ``b`` are plain tensors
with ``requires_grad=True``, updated in place through ``.data`` and zeroed after each step,
exactly as in the seed. The fit is drawn every ``--plot-every`` iterations into one PNG
(the seed shows them with ``plt.pause``; here they are saved, never shown).

The seed's learning rate of 0.05 diverges for some draws of ``x``: gradient descent on a
quadratic is stable only while ``lr < 2 / λ_max``, and ``λ_max ≈ mean(x²) + 1`` reaches 45
here, so the default is 0.02.

Run it with ``python examples/01_linear_regression.py [--out DIR] [--device ref]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ember as torch


def fit(x: torch.Tensor, y: torch.Tensor, lr: float, iterations: int,
        snapshot_every: int) -> tuple[torch.Tensor, torch.Tensor, list[tuple]]:
    """Fit ``w`` and ``b`` by gradient descent on ``0.5 * (y - (w x + b))**2``.

    Args:
        x: inputs, shape ``(n, 1)``.
        y: targets, shape ``(n, 1)``.
        lr: learning rate.
        iterations: the most iterations to run; training stops early once the loss is below 1.
        snapshot_every: keep ``(iteration, prediction, loss, w, b)`` every this many iterations
            (and at the last one).

    Returns:
        ``(w, b, snapshots)``.
    """
    w = torch.randn(1, requires_grad=True, device=x.device)
    b = torch.zeros(1, requires_grad=True, device=x.device)
    snapshots = []
    for iteration in range(iterations):
        y_pred = torch.add(torch.mul(w, x), b)  # forward
        loss = (0.5 * (y - y_pred) ** 2).mean()  # MSE
        done = loss.item() < 1
        if done or iteration % snapshot_every == 0 or iteration == iterations - 1:
            snapshots.append((iteration, y_pred.detach(), loss.item(), w.item(), b.item()))
        if done:
            break
        loss.backward()  # backward
        b.data.sub_(lr * b.grad)  # update
        w.data.sub_(lr * w.grad)
        w.grad.zero_()  # gradients accumulate: clear them
        b.grad.zero_()
    return w.detach(), b.detach(), snapshots


def plot(x: torch.Tensor, y: torch.Tensor, snapshots: list[tuple], path: Path) -> None:
    """Draw up to six snapshots, evenly spread, each as a fitted line over the data."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    picks = sorted({round(i * (len(snapshots) - 1) / 5) for i in range(6)})
    shown = [snapshots[i] for i in picks]
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.2 * rows), squeeze=False)
    xs, ys = x.cpu().numpy().ravel(), y.cpu().numpy().ravel()
    order = xs.argsort()
    for ax, (iteration, y_pred, loss, w, b) in zip(axes.ravel(), shown):
        ax.scatter(xs, ys, s=12)
        ax.plot(xs[order], y_pred.cpu().numpy().ravel()[order], "r-", lw=3)
        ax.set_title(f"iteration {iteration}\nw={w:.2f} b={b:.2f} loss={loss:.3f}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Generate the data, fit it, print the parameters and save the plot.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"w", "b", "loss", "iterations"}`` of the final fit.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, default=0.02)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--plot-every", type=int, default=20)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    parser.add_argument("--out", type=Path, default=Path("examples_out"))
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    x = torch.rand(20, 1, device=args.device) * 10
    y = 2 * x + (5 + torch.randn(20, 1, device=args.device))
    w, b, snapshots = fit(x, y, args.lr, args.iterations, args.plot_every)
    iteration, _, loss, _, _ = snapshots[-1]
    print(f"stopped after iteration {iteration}: w={w.item():.4f} b={b.item():.4f} "
          f"loss={loss:.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "01_linear_regression.png"
    plot(x, y, snapshots, path)
    print(f"plot saved to {path}")
    return {"w": w.item(), "b": b.item(), "loss": loss, "iterations": iteration + 1}


if __name__ == "__main__":
    main()
