"""One epoch of training, evaluation, and the per-epoch history the demo keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ember
from ember import Tensor, nn
from ember.optim import Optimizer

__all__ = ["History", "evaluate", "train_one_epoch"]


@dataclass
class History:
    """Per-epoch metrics: mean loss and accuracy (a fraction) on the train and test sets."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)

    def record(self, train_loss: float, train_acc: float, test_loss: float,
               test_acc: float) -> None:
        """Append one epoch's metrics."""
        self.train_loss.append(train_loss)
        self.train_acc.append(train_acc)
        self.test_loss.append(test_loss)
        self.test_acc.append(test_acc)


def _to(batch: tuple[Tensor, Tensor], device: str) -> tuple[Tensor, Tensor]:
    images, labels = batch
    return images.to(device), labels.to(device)


def train_one_epoch(model: nn.Module, batches: Iterable[tuple[Tensor, Tensor]],
                    optimizer: Optimizer, criterion: nn.Module, device: str,
                    augment: Callable[[Tensor], Tensor] | None = None) -> tuple[float, float]:
    """Train ``model`` for one pass over ``batches``.

    If ``batches`` is a tqdm bar, its postfix shows the running loss and accuracy.

    Args:
        model: the network; put in training mode here.
        batches: ``(images, labels)`` pairs, on any device (moved to ``device``).
        optimizer: steps once per batch.
        criterion: the loss on ``(logits, labels)``.
        device: where the model lives.
        augment: applied to each batch of images (on ``device``) before the forward pass.

    Returns:
        ``(mean loss, accuracy)`` over the samples seen (on the augmented images).
    """
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for batch in batches:
        images, labels = _to(batch, device)
        if augment is not None:
            images = augment(images)
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        n = labels.shape[0]
        total_loss += loss.item() * n
        correct += int((logits.argmax(dim=1) == labels).sum().item())
        seen += n
        if hasattr(batches, "set_postfix"):
            batches.set_postfix(loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.2%}")
    return total_loss / max(seen, 1), correct / max(seen, 1)


@ember.no_grad()
def evaluate(model: nn.Module, batches: Iterable[tuple[Tensor, Tensor]], criterion: nn.Module,
             device: str) -> tuple[float, float]:
    """Evaluate ``model`` (in eval mode, without gradients) on ``batches``.

    Returns:
        ``(mean loss, accuracy)`` over all samples.
    """
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    for batch in batches:
        images, labels = _to(batch, device)
        logits = model(images)
        n = labels.shape[0]
        total_loss += criterion(logits, labels).item() * n
        correct += int((logits.argmax(dim=1) == labels).sum().item())
        seen += n
    return total_loss / max(seen, 1), correct / max(seen, 1)
