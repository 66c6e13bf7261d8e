"""Seed exercise: a training-time augmentation pipeline for an image dataset.

The exercise gives an ``ImageDataset`` of image paths and labels and asks for a transforms
pipeline with a random horizontal flip, a random rotation within ±15° and normalisation to
``[-1, 1]``. Here the images are digits from scikit-learn, written out as PNG files first so
the dataset reads real files with Pillow, as it would in practice. The training pipeline is
random; the validation one only converts and normalises. A grid of originals and augmented
copies is saved as a PNG.

(A horizontal flip turns some digits into other shapes; it is kept because the exercise
asks for it, and because for photos of cats and cars it is the classic first augmentation.)

Run it with ``python examples/04_augmentation.py [--images 8] [--out DIR]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import ember as torch
from ember.utils.data import DataLoader, Dataset
from ember.vision import datasets, transforms

#: The exercise's pipeline. ``ToTensor`` maps grey levels to [0, 1]; ``Normalize`` with
#: mean 0.5 and std 0.5 maps [0, 1] to [-1, 1].
TRAIN_TRANSFORM = transforms.Compose([
    transforms.RandomHorizontalFlip(p=0.5),
    transforms.RandomRotation(15),  # an angle drawn uniformly from [-15°, 15°]
    transforms.ToTensor(),
    transforms.Normalize((0.5,), (0.5,)),
])
VAL_TRANSFORM = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])


class ImageDataset(Dataset):
    """Images read from files with Pillow, with labels and an optional transform.

    Args:
        paths: image files.
        labels: one class index per image.
        transform: applied to each PIL image (e.g. :data:`TRAIN_TRANSFORM`).
    """

    def __init__(self, paths: Sequence[Path], labels: Sequence[int],
                 transform: Callable | None = None) -> None:
        if len(paths) != len(labels):
            raise ValueError(f"ImageDataset: {len(paths)} paths but {len(labels)} labels")
        self.paths, self.labels, self.transform = list(paths), list(labels), transform

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> tuple[object, int]:
        from PIL import Image

        with Image.open(self.paths[index]) as img:
            image = img.convert("L")
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]


def write_digit_files(count: int, folder: Path, size: int) -> tuple[list[Path], list[int]]:
    """Save the first ``count`` training digits as ``size`` x ``size`` greyscale PNGs."""
    folder.mkdir(parents=True, exist_ok=True)
    digits = datasets.Digits(train=True)
    to_image = transforms.Compose([transforms.ToPILImage(), transforms.Resize(size)])
    paths, labels = [], []
    for i in range(min(count, len(digits))):
        image, label = digits[i]
        path = folder / f"{i:04d}_{label}.png"
        to_image(image).save(path)
        paths.append(path)
        labels.append(label)
    return paths, labels


def plot_grid(originals: torch.Tensor, augmented: torch.Tensor, path: Path) -> None:
    """Originals on the top row, augmented copies below (values in [-1, 1])."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = originals.shape[0]
    fig, axes = plt.subplots(2, n, figsize=(1.3 * n, 2.9), squeeze=False)
    for row, batch, name in ((0, originals, "original"), (1, augmented, "augmented")):
        for col in range(n):
            ax = axes[row][col]
            ax.imshow(batch[col, 0].cpu().numpy(), cmap="gray_r", vmin=-1, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row][0].set_ylabel(name, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Write the images, load them through both pipelines and plot the result.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        ``{"min", "max"}``: the range of the augmented, normalised batch.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10, help="how many images to use")
    parser.add_argument("--size", type=int, default=32, help="side of the saved images")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("examples_out"))
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)

    paths, labels = write_digit_files(args.images, args.out / "digit_images", args.size)
    print(f"wrote {len(paths)} images to {args.out / 'digit_images'}")
    print("training pipeline:", TRAIN_TRANSFORM, sep="\n")
    train_set = ImageDataset(paths, labels, TRAIN_TRANSFORM)
    val_set = ImageDataset(paths, labels, VAL_TRANSFORM)
    augmented, batch_labels = next(iter(DataLoader(train_set, batch_size=len(paths))))
    originals, _ = next(iter(DataLoader(val_set, batch_size=len(paths))))
    low, high = augmented.min().item(), augmented.max().item()
    print(f"augmented batch: {tuple(augmented.shape)} {augmented.dtype}, values in "
          f"[{low:.3f}, {high:.3f}], labels {batch_labels.tolist()}")

    path = args.out / "04_augmentation.png"
    plot_grid(originals, augmented, path)
    print(f"grid saved to {path}")
    return {"min": low, "max": high}


if __name__ == "__main__":
    main()
