"""Variable-length sequences: ``PackedSequence``, ``pack_padded_sequence``,
``pad_packed_sequence``, ``pad_sequence``, ``unpad_sequence``, ``pack_sequence`` and
``unpack_sequence``, as ``torch.nn.utils.rnn``.

# NOTE [ Packed layout ]
A packed sequence stores the time steps one after the other: step ``t`` holds the
``batch_sizes[t]`` sequences still running at ``t`` (sequences sorted by decreasing length),
so ``data`` is ``(sum(lengths), *)``. ``sorted_indices`` maps sorted to original batch
positions and ``unsorted_indices`` is its inverse. Packing and unpacking are slices,
concatenations and stacks, so gradients flow through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import ember
from ember import Tensor

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence", "invert_permutation"]


class _PackedSequenceBase(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedSequenceBase):
    """Holds the data and ``batch_sizes`` of a packed batch of sequences (see NOTE [ Packed
    layout ]). Build it with :func:`pack_padded_sequence` or :func:`pack_sequence`.

    Attributes:
        data: the packed time steps, ``(sum(lengths), *)``.
        batch_sizes: int64, the number of sequences running at each time step.
        sorted_indices: how the batch was sorted by length (or ``None``).
        unsorted_indices: the inverse permutation (or ``None``).

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pack_sequence
        >>> pack_sequence([ember.tensor([1, 2, 3]), ember.tensor([4])]).batch_sizes
        tensor([2, 1, 1])
    """

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None,
                sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if isinstance(data, (list, tuple)) and len(data) == 2:
                data, batch_sizes = data
            else:
                raise TypeError("PackedSequence requires batch_sizes")
        if batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU. Instances of "
                             "PackedSequence should never be created manually. They should be "
                             "instantiated by functions like pack_sequence and "
                             "pack_padded_sequences in nn.utils.rnn. "
                             "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_"
                             "sequence")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def _apply(self, fn: Any) -> PackedSequence:
        return type(self)(fn(self.data), self.batch_sizes,
                          None if self.sorted_indices is None else
                          self.sorted_indices.to(fn(self.data).device),
                          None if self.unsorted_indices is None else
                          self.unsorted_indices.to(fn(self.data).device))

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """A copy with ``data`` moved/cast by ``Tensor.to`` (indices follow the device)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return self._apply(lambda _: data)

    def cpu(self) -> PackedSequence:
        return self.to("cpu")

    def cuda(self, *args: Any, **kwargs: Any) -> PackedSequence:
        return self._apply(lambda d: d.cuda(*args, **kwargs))

    def double(self) -> PackedSequence:
        return self.to(dtype=ember.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=ember.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=ember.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=ember.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=ember.int32)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation given as an index tensor."""
    if permutation is None:
        return None
    out = ember.empty_like(permutation)
    return out.scatter_(0, permutation, ember.arange(permutation.numel(),
                                                     device=permutation.device))


def _as_lengths(lengths: Any) -> Tensor:
    if isinstance(lengths, Tensor):
        return lengths.to("cpu").long()
    return ember.as_tensor(list(lengths), dtype=ember.int64, device="cpu")


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Packs a padded batch ``(T, B, *)`` (or ``(B, T, *)`` with ``batch_first``) of
    sequences with the given ``lengths``.

    Args:
        input: the padded batch.
        lengths: the length of each sequence (a list or a 1-D CPU int64 tensor).
        batch_first: ``input`` is ``(B, T, *)``.
        enforce_sorted: require ``lengths`` in decreasing order; with ``False`` the batch is
            sorted here and the permutation kept in the result.

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pack_padded_sequence
        >>> x = ember.tensor([[1, 2, 3], [4, 5, 0]]).T
        >>> pack_padded_sequence(x, [3, 2]).data
        tensor([1, 4, 2, 5, 3])
    """
    lengths = _as_lengths(lengths)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = ember.sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if batch_first:
        input = input.transpose(0, 1)
    lens = [int(v) for v in lengths.tolist()]
    batch = input.shape[1] if input.dim() > 1 else 0
    if len(lens) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lens)} (batch_size={batch})")
    if lens and lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    for a, b in zip(lens, lens[1:]):
        if a < b:
            raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                               "`enforce_sorted` is True. You can pass `enforce_sorted=False` "
                               "to pack_padded_sequence and/or pack_sequence to sidestep this "
                               "requirement if you do not need ONNX exportability.")
    if lens and lens[0] > input.shape[0]:
        raise RuntimeError(f"Expected the longest sequence to be at most {input.shape[0]} "
                           f"long, but got length {lens[0]}")
    steps = lens[0] if lens else 0
    sizes = [sum(1 for n in lens if n > t) for t in range(steps)]
    data = ember.cat([input[t, :bs] for t, bs in enumerate(sizes)]) if sizes else \
        input.reshape((0,) + tuple(input.shape[2:]))
    return PackedSequence(data, ember.tensor(sizes, dtype=ember.int64, device="cpu"),
                          sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0, total_length: int | None = None
                        ) -> tuple[Tensor, Tensor]:
    """Inverse of :func:`pack_padded_sequence`: returns the padded batch and the lengths
    (an int64 CPU tensor), in the original batch order.

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pack_sequence, pad_packed_sequence
        >>> packed = pack_sequence([ember.tensor([1, 2]), ember.tensor([3])])
        >>> pad_packed_sequence(packed, batch_first=True)
        (tensor([[1, 2],
                [3, 0]]), tensor([2, 1]))
    """
    sizes = [int(v) for v in sequence.batch_sizes.tolist()]
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {steps}")
        steps = total_length
    data = sequence.data
    batch = sizes[0] if sizes else 0
    feature = tuple(data.shape[1:])
    rows, offset = [], 0
    for bs in sizes:
        chunk = data[offset:offset + bs]
        offset += bs
        if bs < batch:
            fill = chunk.new_full((batch - bs,) + feature, padding_value)
            chunk = ember.cat([chunk, fill])
        rows.append(chunk)
    for _ in range(steps - len(sizes)):
        rows.append(data.new_full((batch,) + feature, padding_value))
    padded = ember.stack(rows) if rows else data.new_zeros((0, batch) + feature)
    lengths = ember.tensor([sum(1 for s in sizes if s > b) for b in range(batch)],
                           dtype=ember.int64, device="cpu")
    if batch_first:
        padded = padded.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.to("cpu")]
    return padded, lengths


def pad_sequence(sequences: Tensor | Sequence[Tensor], batch_first: bool = False,
                 padding_value: float = 0.0, padding_side: str = "right") -> Tensor:
    """Stacks sequences ``(L_i, *)`` of different lengths into ``(T, B, *)`` (or
    ``(B, T, *)``), padding with ``padding_value`` on the ``padding_side``.

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pad_sequence
        >>> pad_sequence([ember.tensor([1, 2]), ember.tensor([3])], batch_first=True)
        tensor([[1, 2],
                [3, 0]])
    """
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    seqs = list(sequences.unbind(0)) if isinstance(sequences, Tensor) else list(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    from ..functional._windows import ConstantPad

    longest = max(s.shape[0] for s in seqs)
    padded = []
    for s in seqs:
        extra = longest - s.shape[0]
        pad = (0, extra) if padding_side == "right" else (extra, 0)
        pads = (pad,) + ((0, 0),) * (s.dim() - 1)
        padded.append(ConstantPad.apply(s, pads, padding_value) if extra else s)
    return ember.stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False
                   ) -> list[Tensor]:
    """Splits a padded batch back into a list of sequences of the given ``lengths``.

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import unpad_sequence
        >>> x = ember.tensor([[1, 2], [3, 0]])
        >>> unpad_sequence(x, ember.tensor([2, 1]), batch_first=True)
        [tensor([1, 2]), tensor([3])]
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(n)] for seq, n in zip(padded_sequences.unbind(0), lengths.tolist())]


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Packs a list of sequences ``(L_i, *)`` (``pad_sequence`` then
    ``pack_padded_sequence``).

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pack_sequence
        >>> pack_sequence([ember.tensor([1, 2]), ember.tensor([3])]).data
        tensor([1, 3, 2])
    """
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Inverse of :func:`pack_sequence`: the list of sequences.

    Examples:
        >>> import ember
        >>> from ember.nn.utils.rnn import pack_sequence, unpack_sequence
        >>> unpack_sequence(pack_sequence([ember.tensor([1, 2]), ember.tensor([3])]))
        [tensor([1, 2]), tensor([3])]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)

