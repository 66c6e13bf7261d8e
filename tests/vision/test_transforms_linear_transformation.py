"""LinearTransformation: flatten, subtract the mean vector, multiply, reshape (torchvision)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.vision import transforms as T


@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_matches_numpy_on_images_and_batches(device):
    rng = np.random.default_rng(0)
    m = rng.normal(size=(12, 12)).astype(np.float32)
    mean = rng.normal(size=12).astype(np.float32)
    t = T.LinearTransformation(ember.tensor(m, device=device), ember.tensor(mean, device=device))
    for shape in ((3, 2, 2), (4, 3, 2, 2), (1, 4, 3)):
        x = rng.normal(size=shape).astype(np.float32)
        out = t(ember.tensor(x, device=device))
        assert tuple(out.shape) == shape
        want = ((x.reshape(-1, 12) - mean) @ m).reshape(shape)
        np.testing.assert_allclose(out.cpu().numpy(), want, rtol=1e-5, atol=1e-5)


def test_zca_whitening_decorrelates():
    rng = np.random.default_rng(1)
    data = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4))
    mean = data.mean(0)
    cov = (data - mean).T @ (data - mean) / len(data)
    u, s, _ = np.linalg.svd(cov)
    zca = u @ np.diag(1.0 / np.sqrt(s)) @ u.T
    t = T.LinearTransformation(ember.tensor(zca), ember.tensor(mean))
    out = t(ember.tensor(data.reshape(500, 1, 2, 2))).numpy().reshape(500, 4)
    np.testing.assert_allclose(out.T @ out / len(out), np.eye(4), atol=1e-8)


def test_matrix_is_cast_to_the_promoted_dtype():
    # float64 image - float32 mean promotes to float64; the matrix follows (as torchvision).
    t = T.LinearTransformation(ember.eye(4) * 3, ember.zeros(4))
    out = t(ember.ones(1, 2, 2, dtype=ember.float64))
    assert out.dtype == ember.float64
    np.testing.assert_array_equal(out.numpy(), np.full((1, 2, 2), 3.0))


def test_errors_match_torchvision():
    with pytest.raises(ValueError, match=r"transformation_matrix should be square\. Got "
                                         r"\(2, 3\) rectangular matrix\."):
        T.LinearTransformation(ember.zeros(2, 3), ember.zeros(2))
    with pytest.raises(ValueError, match=r"mean_vector should have the same length 3 as any one "
                                         r"of the dimensions of the transformation_matrix "
                                         r"\[\(2, 2\)\]"):
        T.LinearTransformation(ember.zeros(2, 2), ember.zeros(3))
    with pytest.raises(ValueError, match="Input tensors should be on the same device. Got"):
        T.LinearTransformation(ember.zeros(2, 2), ember.zeros(2, device="ref"))
    with pytest.raises(ValueError, match=r"Input tensors should have the same dtype\. Got "
                                         r"ember\.float32 and ember\.float64"):
        T.LinearTransformation(ember.zeros(2, 2), ember.zeros(2, dtype=ember.float64))
    t = T.LinearTransformation(ember.eye(4), ember.zeros(4))
    with pytest.raises(ValueError, match=r"incompatible shape\.\[1 x 2 x 3\] != 4"):
        t(ember.zeros(1, 2, 3))
    with pytest.raises(ValueError, match="should be on the same device as transformation matrix"):
        t(ember.zeros(1, 2, 2, device="ref"))


def test_repr():
    t = T.LinearTransformation(ember.eye(2), ember.tensor([0.5, 1.0]))
    assert repr(t) == ("LinearTransformation(transformation_matrix=[[1.0, 0.0], [0.0, 1.0]], "
                       "mean_vector=[0.5, 1.0])")
