"""The models of the optimizer and training workloads, written once for Ember and PyTorch."""

from __future__ import annotations

from typing import Any

__all__ = ["MLP_SIZES", "mlp", "cnn", "lstm_classifier"]

#: ``Linear(64,128)-ReLU-Linear(128,128)-ReLU-Linear(128,10)``.
MLP_SIZES = (64, 128, 128, 10)


def mlp(T: Any) -> Any:
    """The MLP of the Adam and MLP-training workloads."""
    nn = T.nn
    a, b, c, d = MLP_SIZES
    return nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(),
                         nn.Linear(c, d))


def cnn(T: Any) -> Any:
    """A small CNN for 8x8 one-channel images (the digits data set's size), 10 classes."""
    nn = T.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 2 * 2, 10))


def lstm_classifier(T: Any, features: int, hidden: int, classes: int) -> Any:
    """One LSTM layer (batch first) whose last hidden state feeds a linear classifier."""
    nn = T.nn

    class LSTMClassifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(features, hidden, batch_first=True)
            self.head = nn.Linear(hidden, classes)

        def forward(self, x: Any) -> Any:
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    return LSTMClassifier()
