"""``Digits``: scikit-learn's bundled 8x8 handwritten digits (no download needed)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import ember

from .vision import VisionDataset

__all__ = ["Digits"]


def _load_digits() -> Any:
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:
        raise ImportError("Digits reads the digits bundled with scikit-learn: pip install "
                          "scikit-learn (or the 'examples' extra: pip install "
                          "ember[examples])") from err
    return load_digits()


class Digits(VisionDataset):
    """The 1,797 8x8 greyscale digits of the UCI ML hand-written digits set, as bundled with
    scikit-learn (``sklearn.datasets.load_digits``): nothing is downloaded.

    The split is deterministic: the first 1,438 images (80%) are the training split and the
    last 359 the test split. Unlike :class:`MNIST`, samples are already tensors: each image
    is a float32 ``(1, 8, 8)`` tensor with the 0..16 grey levels scaled to ``[0, 1]``, so
    use tensor transforms (``Normalize``, ``RandomAffine``, ``Resize``...) and no
    ``ToTensor``.

    Args:
        root (str or path, optional): unused (the data ships with scikit-learn); kept for
            the datasets' common signature and shown in the repr.
        train (bool): the training split (True) or the test split.
        transform (callable, optional): applied to the ``(1, 8, 8)`` image tensor.
        target_transform (callable, optional): applied to the int label.
        download (bool): accepted for the common signature; nothing to download.

    Attributes:
        data (Tensor): float32 images ``(N, 8, 8)`` in ``[0, 1]``.
        targets (Tensor): int64 labels ``(N,)``.
        classes (list of str): ``'0'`` ... ``'9'``.

    Raises:
        ImportError: scikit-learn is not installed.

    Example:
        >>> from ember.vision.datasets import Digits
        >>> ds = Digits(train=False)
        >>> len(ds), ds[0][0].shape
        (359, ember.Size([1, 8, 8]))
    """

    classes = [str(i) for i in range(10)]
    n_train = 1438

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        bunch = _load_digits()
        part = slice(0, self.n_train) if train else slice(self.n_train, None)
        images = bunch.images[part]
        self.data = ember.tensor(images, dtype=ember.float32) / 16.0
        self.targets = ember.tensor(bunch.target[part], dtype=ember.int64)

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {_class: i for i, _class in enumerate(self.classes)}

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        img, target = self.data[index].unsqueeze(0), int(self.targets[index])
        return self._apply(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"
