"""The demo's loss and accuracy curves, drawn with matplotlib's Agg backend into a PNG."""

from __future__ import annotations

from pathlib import Path

from .training import History

__all__ = ["plot_history"]


def plot_history(history: History, path: Path, title: str = "") -> None:
    """Save loss (left) and accuracy (right) per epoch, train and test, to ``path``.

    Args:
        history: the metrics recorded while training.
        path: the PNG file to write.
        title: a figure title.

    Raises:
        ModuleNotFoundError: matplotlib is missing (``pip install 'ember[examples]'``).
    """
    try:
        import matplotlib
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError("the demo's plot needs matplotlib: "
                                  "pip install 'ember[examples]'") from err
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history.train_loss) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, history.train_loss, "o-", label="train")
    ax_loss.plot(epochs, history.test_loss, "s-", label="test")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
    ax_acc.plot(epochs, [100 * a for a in history.train_acc], "o-", label="train")
    ax_acc.plot(epochs, [100 * a for a in history.test_acc], "s-", label="test")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
