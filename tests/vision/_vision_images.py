"""Shared sample images for the functional-transform tests."""

from __future__ import annotations

import numpy as np

import ember

RNG = np.random.default_rng(0)
U8 = RNG.integers(0, 256, (7, 10, 3), dtype=np.uint8)  # HWC
F32 = RNG.random((3, 9, 13)).astype(np.float32)  # CHW


def chw(arr: np.ndarray) -> ember.Tensor:
    return ember.tensor(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def pil_rgb():
    from PIL import Image

    return Image.fromarray(U8, "RGB")
