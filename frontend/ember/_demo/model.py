"""The demo's convolutional network for 8x8 digit images."""

from __future__ import annotations

from ember import Tensor, nn

__all__ = ["DigitsCNN"]


class DigitsCNN(nn.Module):
    """A small CNN for 1x8x8 images: two conv blocks, then a two-layer classifier.

    ``Conv(1→32) → BatchNorm → ReLU → MaxPool`` halves the image to 4x4,
    ``Conv(32→64) → BatchNorm → ReLU → MaxPool`` to 2x2; the 256 features go through
    ``Linear(256, 128) → ReLU → Dropout → Linear(128, classes)``.

    Args:
        num_classes: number of output logits. Default: 10.
        dropout: dropout probability before the last layer. Default: 0.25.

    Shape:
        - Input: ``(N, 1, 8, 8)``.
        - Output: ``(N, num_classes)`` logits.

    Examples:
        >>> import ember
        >>> DigitsCNN()(ember.zeros(2, 1, 8, 8)).shape
        ember.Size([2, 10])
    """

    def __init__(self, num_classes: int = 10, dropout: float = 0.25) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 2 * 2, 128),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(128, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        """Map a batch of images to class logits."""
        return self.classifier(self.features(x))
