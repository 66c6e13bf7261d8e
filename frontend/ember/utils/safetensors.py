"""``ember.utils.safetensors``: read and write the safetensors format.

The format (NOTE [ safetensors layout ] in ``ember.serialization._safetensors``) is
implemented in Ember itself, so no ``safetensors`` package is needed; files are
interchangeable with ``safetensors.torch.save_file`` / ``load_file``.

Example:
    >>> import ember
    >>> from ember.utils.safetensors import load, save
    >>> load(save({"w": ember.ones(2, 2)}))["w"].shape
    ember.Size([2, 2])
"""

from __future__ import annotations

from ember.serialization._safetensors import SafetensorError, load, load_file, save, save_file

__all__ = ["load_file", "save_file", "load", "save", "SafetensorError"]
