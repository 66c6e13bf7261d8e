"""Datasets read from a directory tree with one sub-directory per class:
``DatasetFolder`` (any loader) and ``ImageFolder`` (images through Pillow)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from .._buffers import pil_image_module
from .vision import VisionDataset

__all__ = ["IMG_EXTENSIONS", "has_file_allowed_extension", "is_image_file", "find_classes",
           "make_dataset", "DatasetFolder", "ImageFolder", "pil_loader", "default_loader"]

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename: str, extensions: str | tuple[str, ...]) -> bool:
    """Whether ``filename`` ends (case-insensitively) with one of ``extensions``."""
    return filename.lower().endswith(extensions if isinstance(extensions, str)
                                     else tuple(extensions))


def is_image_file(filename: str) -> bool:
    """Whether ``filename`` has one of :data:`IMG_EXTENSIONS`."""
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
    """The sorted sub-directory names of ``directory`` and their indices.

    Raises:
        FileNotFoundError: ``directory`` has no sub-directory.
    """
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {cls_name: i for i, cls_name in enumerate(classes)}


def make_dataset(directory: str | os.PathLike, class_to_idx: dict[str, int] | None = None,
                 extensions: str | tuple[str, ...] | None = None,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> list[tuple[str, int]]:
    """``(path, class_index)`` for every valid file under ``directory/<class>/``, sorted.

    Exactly one of ``extensions`` and ``is_valid_file`` must be given.
    """
    directory = os.path.expanduser(directory)
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("'class_to_index' must have at least one entry to collect any "
                         "samples.")
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the "
                         "same time")
    if extensions is not None:
        def is_valid_file(x: str) -> bool:
            return has_file_allowed_extension(x, extensions)

    instances = []
    available_classes = set()
    for target_class in sorted(class_to_idx.keys()):
        class_index = class_to_idx[target_class]
        target_dir = os.path.join(directory, target_class)
        if not os.path.isdir(target_dir):
            continue
        for root, _, fnames in sorted(os.walk(target_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if is_valid_file(path):
                    instances.append((path, class_index))
                    available_classes.add(target_class)
    empty_classes = set(class_to_idx.keys()) - available_classes
    if empty_classes and not allow_empty:
        msg = f"Found no valid file for the classes {', '.join(sorted(empty_classes))}. "
        if extensions is not None:
            exts = extensions if isinstance(extensions, str) else ", ".join(extensions)
            msg += f"Supported extensions are: {exts}"
        raise FileNotFoundError(msg)
    return instances


class DatasetFolder(VisionDataset):
    """A dataset of files laid out as ``root/<class>/**/<file>``, read by ``loader``.

    Args:
        root (str or path): the root directory.
        loader (callable): reads a sample from its path.
        extensions (tuple of str, optional): the file extensions to keep.
        transform (callable, optional): applied to the loaded sample.
        target_transform (callable, optional): applied to the class index.
        is_valid_file (callable, optional): keeps a path when it returns True (exclusive
            with ``extensions``).
        allow_empty (bool): allow classes without any file. Default: False.

    Attributes:
        classes (list of str), class_to_idx (dict), samples (list of (path, index)),
        targets (list of int).

    Example:
        >>> from ember.vision.datasets import DatasetFolder
        >>> ds = DatasetFolder("texts", loader=open, extensions=(".txt",))  # doctest: +SKIP
    """

    def __init__(self, root: str | os.PathLike, loader: Callable[[str], Any],
                 extensions: tuple[str, ...] | None = None, transform: Callable | None = None,
                 target_transform: Callable | None = None,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        classes, class_to_idx = self.find_classes(self.root)
        samples = self.make_dataset(self.root, class_to_idx=class_to_idx, extensions=extensions,
                                    is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.loader = loader
        self.extensions = extensions
        self.classes = classes
        self.class_to_idx = class_to_idx
        self.samples = samples
        self.targets = [s[1] for s in samples]

    @staticmethod
    def make_dataset(directory: str | os.PathLike, class_to_idx: dict[str, int],
                     extensions: tuple[str, ...] | None = None,
                     is_valid_file: Callable[[str], bool] | None = None,
                     allow_empty: bool = False) -> list[tuple[str, int]]:
        if class_to_idx is None:
            raise ValueError("The class_to_idx parameter cannot be None.")
        return make_dataset(directory, class_to_idx=class_to_idx, extensions=extensions,
                            is_valid_file=is_valid_file, allow_empty=allow_empty)

    def find_classes(self, directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
        return find_classes(directory)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        path, target = self.samples[index]
        return self._apply(self.loader(path), target)

    def __len__(self) -> int:
        return len(self.samples)


def pil_loader(path: str) -> Any:
    """The image at ``path`` as an RGB PIL image.

    Raises:
        OSError: naming ``path``, when it is not a readable image (PIL's
            ``UnidentifiedImageError`` for an unknown format).
    """
    Image = pil_image_module()
    try:
        with open(path, "rb") as f:
            img = Image.open(f)
            return img.convert("RGB")
    except Image.UnidentifiedImageError as err:
        raise Image.UnidentifiedImageError(f"cannot identify image file {path!r}") from err
    except (OSError, SyntaxError, ValueError) as err:
        raise OSError(f"cannot read image file {path!r}: {err}") from err


def default_loader(path: str) -> Any:
    return pil_loader(path)


class ImageFolder(DatasetFolder):
    """Images laid out as ``root/<class>/**/<image>``, loaded as RGB PIL images.

    Args:
        root (str or path): the root directory.
        transform (callable, optional): applied to the PIL image.
        target_transform (callable, optional): applied to the class index.
        loader (callable): reads an image from its path. Default: :func:`default_loader`.
        is_valid_file (callable, optional): keeps a path when it returns True (default: a
            file with one of :data:`IMG_EXTENSIONS`).
        allow_empty (bool): allow classes without any image. Default: False.

    Example:
        >>> from ember.vision import datasets, transforms
        >>> ds = datasets.ImageFolder("photos", transform=transforms.ToTensor())  # doctest: +SKIP
        >>> ds.classes  # doctest: +SKIP
        ['cat', 'dog']
    """

    def __init__(self, root: str | os.PathLike, transform: Callable | None = None,
                 target_transform: Callable | None = None,
                 loader: Callable[[str], Any] = default_loader,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> None:
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None,
                         transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
