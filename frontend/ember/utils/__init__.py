"""``ember.utils``: utilities that PyTorch keeps under ``torch.utils`` (``ember.utils.data``,
``ember.utils.safetensors``)."""

from . import data, safetensors

__all__ = ["data", "safetensors"]
