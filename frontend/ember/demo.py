"""``python -m ember.demo``: train a small CNN on handwritten digits and report on it.

The data set is the 8x8 digits that scikit-learn ships (1797 images, no download), split
into train and test by :class:`ember.vision.datasets.Digits` (the test images come from
other writers). The network (:class:`ember._demo.DigitsCNN`) trains with Adam, a cosine
learning-rate schedule, label-smoothed cross-entropy and random one-pixel shifts of the
training images; a tqdm bar per epoch shows the running loss and accuracy. At the end
the demo prints the test accuracy and writes, under ``--out``, a checkpoint
(``checkpoint.pt``: epoch, model, optimizer and scheduler state dicts, last loss; reload it
with :func:`ember.load`) and the loss and accuracy curves (``curves.png``). The same seed
gives the same losses. (With label smoothing 0.1 the loss cannot go below about 0.5.)

Examples:
    python -m ember.demo                          # default backend, default epochs
    python -m ember.demo --device ref --limit 64  # the pure-Python backend, on a subset
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ember
from ember import nn
from ember._demo import DigitsCNN, History, evaluate, make_loaders, plot_history, random_shift
from ember._demo import train_one_epoch as _train_one_epoch

__all__ = ["main", "parse_args"]

DEFAULT_EPOCHS = 15


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the demo's command line (``None`` reads ``sys.argv``)."""
    parser = argparse.ArgumentParser(
        prog="python -m ember.demo",
        description="Train a small CNN on scikit-learn's 8x8 digits with Ember.")
    parser.add_argument("--device", default=None,
                        help="backend device, e.g. cpu (NumPy) or ref (pure Python, slow); "
                             "default: ember's default device")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS,
                        help=f"passes over the training set (default: {DEFAULT_EPOCHS})")
    parser.add_argument("--batch-size", type=int, default=32, help="default: 32")
    parser.add_argument("--lr", type=float, default=3e-3,
                        help="Adam's initial learning rate (default: 0.003)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N training and N test images (smoke runs)")
    parser.add_argument("--out", type=Path, default=Path("demo_out"),
                        help="where the checkpoint and the plot go (default: ./demo_out)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    for name in ("epochs", "batch_size", "limit"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if args.lr <= 0:
        parser.error(f"--lr must be positive, got {args.lr}")
    if args.device is not None:
        try:
            ember.empty(0, device=args.device)  # resolves the backend, or says why not
        except (RuntimeError, ValueError) as err:
            parser.error(f"--device {args.device!r}: {err}")
    return args


def _bar(batches: Iterable, epoch: int, epochs: int, enabled: bool) -> Iterable:
    """Wrap ``batches`` in a tqdm bar when tqdm is installed and bars are wanted."""
    if not enabled:
        return batches
    try:
        from tqdm.auto import tqdm
    except ModuleNotFoundError:
        return batches
    return tqdm(batches, desc=f"epoch {epoch}/{epochs}", unit="batch", leave=True,
                dynamic_ncols=True)


def _say(message: str) -> None:
    """Print without breaking a tqdm bar that may be on screen."""
    try:
        from tqdm.auto import tqdm
    except ModuleNotFoundError:
        print(message)
    else:
        tqdm.write(message)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the demo.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"history", "test_accuracy", "checkpoint", "plot", "seconds"}``.
    """
    args = parse_args(argv)
    device = str(args.device or ember.get_default_device())
    ember.manual_seed(args.seed)
    start = time.perf_counter()
    train_loader, test_loader = make_loaders(args.batch_size, args.limit, args.seed)
    model = DigitsCNN().to(device)
    optimizer = ember.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = ember.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    print(f"Ember demo: DigitsCNN on scikit-learn digits ({len(train_loader.dataset)} train / "
          f"{len(test_loader.dataset)} test images), device {device!r}, {args.epochs} epochs, "
          f"batch size {args.batch_size}, lr {args.lr}, seed {args.seed}")

    history = History()
    for epoch in range(1, args.epochs + 1):
        bar = _bar(train_loader, epoch, args.epochs, not args.no_progress)
        train_loss, train_acc = _train_one_epoch(model, bar, optimizer, criterion, device,
                                                 augment=random_shift)
        if hasattr(bar, "close"):
            bar.close()
        scheduler.step()
        test_loss, test_acc = evaluate(model, test_loader, criterion, device)
        history.record(train_loss, train_acc, test_loss, test_acc)
        _say(f"epoch {epoch}/{args.epochs}: train loss {train_loss:.4f} acc {train_acc:.2%}"
             f" | test loss {test_loss:.4f} acc {test_acc:.2%}")

    seconds = time.perf_counter() - start
    test_acc, n_test = history.test_acc[-1], len(test_loader.dataset)
    print(f"final test accuracy: {test_acc:.2%} ({round(test_acc * n_test)}/{n_test} images; "
          f"data and training took {seconds:.1f} s)")

    args.out.mkdir(parents=True, exist_ok=True)
    checkpoint = args.out / "checkpoint.pt"
    ember.save({"epoch": args.epochs, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "scheduler_state_dict": scheduler.state_dict(),
                "loss": history.train_loss[-1]}, checkpoint)
    print(f"checkpoint saved to {checkpoint}")
    plot = args.out / "curves.png"
    try:
        plot_history(history, plot, title=f"DigitsCNN on digits ({device}): "
                                          f"test accuracy {test_acc:.2%}")
    except ModuleNotFoundError as err:
        print(f"no plot: {err}", file=sys.stderr)
        plot = None
    else:
        print(f"loss and accuracy curves saved to {plot}")
    return {"history": history, "test_accuracy": test_acc, "checkpoint": checkpoint,
            "plot": plot, "seconds": seconds}


if __name__ == "__main__":
    main()
