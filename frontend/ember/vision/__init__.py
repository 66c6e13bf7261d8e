"""``ember.vision``: image datasets and transforms, as ``torchvision``.

``ember.vision.datasets`` reads MNIST, FashionMNIST, CIFAR-10/100, folders of images and
scikit-learn's bundled digits; ``ember.vision.transforms`` converts and augments PIL images
and ``(..., C, H, W)`` tensors with torchvision's names, defaults and semantics. Pillow
(the ``examples`` extra) is needed only where a PIL image is read or made.

Example:
    >>> import ember
    >>> from ember.vision import transforms
    >>> t = transforms.Compose([transforms.CenterCrop(2), transforms.Normalize([0.5], [0.5])])
    >>> t(ember.ones(1, 4, 4))
    tensor([[[1., 1.],
             [1., 1.]]])
"""

from . import datasets, transforms

__all__ = ["datasets", "transforms"]
