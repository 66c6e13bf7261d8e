"""The demo's data: scikit-learn's digits as train and test ``DataLoader``\\ s."""

from __future__ import annotations

import ember
from ember.utils.data import DataLoader, TensorDataset
from ember.vision import datasets, transforms

__all__ = ["make_loaders", "random_shift"]

#: Grey levels in [0, 1] mapped to [-1, 1].
NORMALIZE = transforms.Normalize((0.5,), (0.5,))


def _tensors(train: bool, limit: int | None) -> TensorDataset:
    """One split, normalised once up front.

    The demo's transform is deterministic, so it is applied to the whole ``(N, 1, 8, 8)``
    batch once instead of to every sample every epoch (``Normalize`` takes batches too).
    A pipeline with random augmentation would go in ``Digits(transform=...)`` instead.
    """
    split = datasets.Digits(train=train)
    images, targets = split.data.unsqueeze(1), split.targets
    if limit is not None:
        images, targets = images[:limit], targets[:limit]
    return TensorDataset(NORMALIZE(images), targets)


def make_loaders(batch_size: int, limit: int | None = None,
                 seed: int = 0) -> tuple[DataLoader, DataLoader]:
    """The training loader (shuffled, seeded) and the test loader.

    Args:
        batch_size: samples per batch (the test loader uses 4x as many).
        limit: keep only the first ``limit`` images of each split (for quick runs).
        seed: seeds the generator that shuffles the training set.

    Returns:
        ``(train_loader, test_loader)`` of ``(images (N, 1, 8, 8), labels (N,))`` batches.
    """
    generator = ember.Generator().manual_seed(seed)
    train = DataLoader(_tensors(True, limit), batch_size=batch_size, shuffle=True,
                       generator=generator)
    test = DataLoader(_tensors(False, limit), batch_size=4 * batch_size)
    return train, test


def random_shift(images: ember.Tensor, max_shift: int = 1) -> ember.Tensor:
    """Shift each image by its own random offset of up to ``max_shift`` pixels each way.

    The batch is padded with the background value (the minimum, -1 after normalising) and
    every image cut back out at a random offset, all at once with advanced indexing. On 8x8
    digits a one-pixel jitter is the augmentation that helps most: the test split is written
    by other people, whose digits sit slightly differently in the frame.

    Args:
        images: a ``(N, C, H, W)`` batch.
        max_shift: the largest shift, in pixels, along each axis.

    Returns:
        A new ``(N, C, H, W)`` batch on the same device.

    Examples:
        >>> random_shift(ember.zeros(4, 1, 8, 8)).shape
        ember.Size([4, 1, 8, 8])
    """
    n, c, h, w = images.shape
    m, device = max_shift, images.device
    padded = ember.nn.functional.pad(images, (m, m, m, m), value=images.min().item())
    dy = ember.randint(0, 2 * m + 1, (n, 1, 1, 1), device=device)
    dx = ember.randint(0, 2 * m + 1, (n, 1, 1, 1), device=device)
    batch = ember.arange(n, device=device).reshape(n, 1, 1, 1)
    channel = ember.arange(c, device=device).reshape(1, c, 1, 1)
    rows = dy + ember.arange(h, device=device).reshape(1, 1, h, 1)
    cols = dx + ember.arange(w, device=device).reshape(1, 1, 1, w)
    return padded[batch, channel, rows, cols]
