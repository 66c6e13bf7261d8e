"""An LSTM sequence model: predict the next value of a sine wave, then generate from it.

Training pairs are windows of ``--seq-len`` samples of ``sin(t)`` (with a little noise) and
the value that follows each window. ``nn.LSTM(batch_first=True)`` reads the window and a
``Linear`` head maps its last hidden state to the prediction. After training, the model
continues the curve on its own, feeding each prediction back in, and the generated curve
is saved next to the true one as a PNG.

Run it with ``python examples/09_lstm_sequence.py [--epochs 15] [--out DIR] [--device ref]``.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import ember as torch
from ember import nn
from ember.utils.data import DataLoader, TensorDataset


class SineLSTM(nn.Module):
    """``LSTM → Linear`` on the last time step.

    Shape:
        - Input: ``(N, L, 1)``.
        - Output: ``(N, 1)``, the predicted next value.
    """

    def __init__(self, hidden: int, layers: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predict the value after each sequence in the batch."""
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def make_windows(n: int, seq_len: int, step: float, device: str) -> TensorDataset:
    """``n`` windows of a noisy sine wave (random phases) and the value after each."""
    phase = torch.rand(n, 1, device=device) * 2 * math.pi
    t = phase + step * torch.arange(seq_len + 1, device=device).float()
    wave = torch.sin(t) + 0.02 * torch.randn(n, seq_len + 1, device=device)
    return TensorDataset(wave[:, :-1].unsqueeze(-1), wave[:, -1:])


@torch.no_grad()
def generate(model: SineLSTM, seed: torch.Tensor, steps: int) -> torch.Tensor:
    """Continue ``seed`` (shape ``(L,)``) for ``steps`` values, feeding predictions back."""
    window = seed.reshape(1, -1, 1)
    out = []
    for _ in range(steps):
        nxt = model(window)  # (1, 1)
        out.append(nxt.reshape(1))
        window = torch.cat([window[:, 1:], nxt.reshape(1, 1, 1)], dim=1)
    return torch.cat(out)


def plot(true: torch.Tensor, generated: torch.Tensor, seq_len: int, path: Path) -> None:
    """Save the true continuation and the generated one to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(true.cpu().numpy(), "k-", label="sin(t)")
    ax.plot(range(seq_len, len(true)), generated.cpu().numpy(), "r--", label="LSTM")
    ax.axvline(seq_len - 0.5, color="grey", lw=0.8)
    ax.set(xlabel="step", title="LSTM continuing a sine wave from a seed window")
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Train the LSTM, report its losses, generate a continuation and plot it.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"first_loss", "last_loss", "generation_mse"}``.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--seq-len", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--generate", type=int, default=60, help="values to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    parser.add_argument("--out", type=Path, default=Path("examples_out"))
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    step = 2 * math.pi / 25  # 25 samples per period
    data = make_windows(args.samples, args.seq_len, step, args.device)
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True)
    model = SineLSTM(args.hidden, args.layers).to(args.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    criterion = nn.MSELoss()

    losses = []
    for epoch in range(args.epochs):
        total = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
        losses.append(total / len(data))
        if epoch % 5 == 0 or epoch == args.epochs - 1:
            print(f"epoch {epoch + 1:3d}/{args.epochs}  mse {losses[-1]:.5f}")

    model.eval()
    t = step * torch.arange(args.seq_len + args.generate, device=args.device).float()
    true = torch.sin(t)
    generated = generate(model, true[: args.seq_len], args.generate)
    gen_mse = ((generated - true[args.seq_len:]) ** 2).mean().item()
    print(f"generating {args.generate} values from a seed window: mse {gen_mse:.5f}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "09_lstm_sequence.png"
    plot(true, generated, args.seq_len, path)
    print(f"plot saved to {path}")
    return {"first_loss": losses[0], "last_loss": losses[-1], "generation_mse": gen_mse}


if __name__ == "__main__":
    main()
