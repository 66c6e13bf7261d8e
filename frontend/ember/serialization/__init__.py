"""``ember.serialization``: ``ember.save`` / ``ember.load`` in PyTorch's checkpoint format.

# NOTE [ Checkpoint format ]
Ember writes and reads PyTorch's zip checkpoint format (``torch.save`` since 1.6), so a
file moves between the two frameworks in both directions: ``torch.load(weights_only=True)``
reads what ``ember.save`` writes and ``ember.load`` reads what ``torch.save`` writes,
without either side importing the other. The format was chosen over an Ember-specific one
for that interoperability, over safetensors (also offered, in ``ember.utils.safetensors``)
because it holds arbitrary nested containers and optimizer state, not only a flat dict of
tensors. A checkpoint is a stored (uncompressed) zip archive whose records live under one
folder (``archive/``):

* ``data.pkl`` -- the object, pickled with protocol 2. A tensor is the reduction
  ``torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
  backward_hooks)`` and a Parameter ``torch._utils._rebuild_parameter(tensor,
  requires_grad, backward_hooks)``; a storage is the persistent id ``('storage',
  torch.<Type>Storage, key, location, numel)``, e.g. ``torch.FloatStorage``, location
  ``"cpu"``/``"cuda:0"``/``"ref"``. ``ember.Size``, ``ember.device`` and dtypes are written as
  ``torch.Size``, ``torch.device`` and ``torch.float32`` (NOTE [ Writing torch globals
  without torch ]); loading maps every such global back to Ember (NOTE [ Weights-only
  unpickling ]).
* ``data/<key>`` -- each storage's raw little-endian bytes, aligned to 64 bytes in the file
  (``mmap=True`` maps them in place); shared storages are written once (NOTE [ Storage
  sharing on save ]) and shared again on load (NOTE [ Loaded storages ]).
* ``byteorder`` (``little``), ``version`` (``3``), ``.format_version`` (``1``),
  ``.storage_alignment`` (``64``) and ``.data/serialization_id`` (40 digits derived from
  the contents), in PyTorch's order and layout (see :mod:`._zipformat`).

``ember.load`` also reads PyTorch's legacy (pre-1.6, non-zip) format (NOTE [ Legacy
checkpoint format ]); ``ember.save`` writes only the zip format. TorchScript archives are
refused with a clear error. ``weights_only=False`` loads arbitrary pickles (whole
modules); only use it for files you trust.
"""

from __future__ import annotations

from ._load import load
from ._save import DEFAULT_PROTOCOL, save
from ._storage import Storage
from ._unpickler import add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals

__all__ = ["save", "load", "add_safe_globals", "clear_safe_globals", "get_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL", "Storage"]
