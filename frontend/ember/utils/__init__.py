"""``ember.utils``: utilities that PyTorch keeps under ``torch.utils`` (``ember.utils.data``)."""

from . import data

__all__ = ["data"]
