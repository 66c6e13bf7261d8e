"""The ``svd`` primitive on the NumPy and reference backends: ``U diag(S) Vh`` rebuilds the
matrix, ``U``/``Vh`` are orthonormal, ``S`` matches ``svdvals`` (rank-deficient, wide, tall,
batched and 1-wide matrices)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.backend import registry

SHAPES = [(3, 3), (4, 2), (2, 4), (2, 3, 3), (3, 1), (1, 3), (5, 5)]


@pytest.mark.parametrize("device", ["cpu", "ref"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_svd_rebuilds_the_matrix_with_orthonormal_factors(device, shape):
    a = np.random.default_rng(0).standard_normal(shape)
    if shape == (5, 5):
        a[:, 3] = a[:, 0] - a[:, 1]  # rank 4: a zero singular value
    be = registry.backend(ember.device(device))
    u, s, vh = (np.array(be.to_list(t)) for t in be.svd(ember.tensor(a, device=device)._data))
    k = min(shape[-2:])
    assert u.shape == shape[:-1] + (k,) and s.shape == shape[:-2] + (k,)
    assert vh.shape == shape[:-2] + (k, shape[-1])
    np.testing.assert_allclose(u @ (s[..., :, None] * vh), a, atol=1e-12)
    np.testing.assert_allclose(np.swapaxes(u, -1, -2) @ u, np.broadcast_to(np.eye(k), s.shape[:-1]
                                                                          + (k, k)), atol=1e-12)
    np.testing.assert_allclose(vh @ np.swapaxes(vh, -1, -2),
                               np.broadcast_to(np.eye(k), s.shape[:-1] + (k, k)), atol=1e-12)
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), atol=1e-12)
    assert np.all(np.diff(s, axis=-1) <= 1e-15)  # descending
