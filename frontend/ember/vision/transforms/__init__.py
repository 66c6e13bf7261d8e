"""``ember.vision.transforms``: image transforms, as ``torchvision.transforms``.

Transforms take a PIL image or an ``(..., C, H, W)`` tensor and return the same kind
(``ToTensor``/``ToPILImage`` convert between them); chain them with :class:`Compose`. The
random ones draw from Ember's default generator, so ``ember.manual_seed(s)`` makes a
pipeline reproducible, and expose their draws as ``get_params`` static methods. The
functional forms are in :mod:`ember.vision.transforms.functional`.

Example:
    >>> import ember
    >>> from ember.vision import transforms
    >>> transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    Compose(
        ToTensor()
        Normalize(mean=(0.1307,), std=(0.3081,))
    )
"""

from . import functional
from ._color import ColorJitter, Grayscale, RandomGrayscale
from ._compose import Compose
from ._geometry import (
    CenterCrop,
    Pad,
    RandomCrop,
    RandomHorizontalFlip,
    RandomResizedCrop,
    RandomVerticalFlip,
    Resize,
)
from ._geometry_affine import RandomAffine, RandomRotation
from ._multi_crop import FiveCrop, TenCrop
from ._random_apply import RandomApply, RandomChoice, RandomErasing, RandomOrder
from ._tensor_ops import (
    ConvertImageDtype,
    Lambda,
    LinearTransformation,
    Normalize,
    PILToTensor,
    ToPILImage,
    ToTensor,
)
from .functional import InterpolationMode

__all__ = [
    "CenterCrop",
    "ColorJitter",
    "Compose",
    "ConvertImageDtype",
    "FiveCrop",
    "Grayscale",
    "InterpolationMode",
    "Lambda",
    "LinearTransformation",
    "Normalize",
    "PILToTensor",
    "Pad",
    "RandomAffine",
    "RandomApply",
    "RandomChoice",
    "RandomCrop",
    "RandomErasing",
    "RandomGrayscale",
    "RandomHorizontalFlip",
    "RandomOrder",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomVerticalFlip",
    "Resize",
    "TenCrop",
    "ToPILImage",
    "ToTensor",
    "functional",
]
