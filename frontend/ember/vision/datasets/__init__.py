"""``ember.vision.datasets``: image datasets, as ``torchvision.datasets``.

Each dataset takes ``(root, train=True, transform=None, target_transform=None,
download=False)``, returns ``(image, target)`` pairs and has ``classes``, ``class_to_idx``,
``targets`` and ``data``. ``download=True`` fetches the standard files (MD5-checked); on a
machine without network access the error names the files to fetch and where to put them.

Example:
    >>> from ember.vision.datasets import Digits
    >>> from ember.utils.data import DataLoader
    >>> x, y = next(iter(DataLoader(Digits(train=True), batch_size=4)))
    >>> x.shape, y.shape
    (ember.Size([4, 1, 8, 8]), ember.Size([4]))
"""

from . import utils
from .cifar import CIFAR10, CIFAR100
from .digits import Digits
from .folder import IMG_EXTENSIONS, DatasetFolder, ImageFolder, find_classes, make_dataset
from .mnist import MNIST, FashionMNIST
from .vision import StandardTransform, VisionDataset

__all__ = [
    "CIFAR10",
    "CIFAR100",
    "DatasetFolder",
    "Digits",
    "FashionMNIST",
    "IMG_EXTENSIONS",
    "ImageFolder",
    "MNIST",
    "StandardTransform",
    "VisionDataset",
    "find_classes",
    "make_dataset",
    "utils",
]
