"""Views share memory as in PyTorch: writes through a view reach its base, and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def _base(ember: Any, device: str) -> Any:
    return ember.arange(12.0, device=device).reshape(3, 4)


def _expected(fn: Callable[[list[list[float]]], None]) -> list[list[float]]:
    rows = [[float(4 * r + c) for c in range(4)] for r in range(3)]
    fn(rows)
    return rows


def _set(rows: list[list[float]], cells: list[tuple[int, int]], value: float) -> None:
    for r, c in cells:
        rows[r][c] = value


def _row_fill(t: Any) -> None:
    t[1].fill_(-1.0)


def _col_setitem(t: Any) -> None:
    t[:, 1:3] = 7.0


def _transpose_setitem(t: Any) -> None:
    t.t()[0, 2] = 9.0  # base[2, 0]


def _step_inplace(t: Any) -> None:
    t[::2].add_(100.0)


def _view_flat(t: Any) -> None:
    t.view(12)[5] = -5.0  # base[1, 1]


def _diagonal_fill(t: Any) -> None:
    t.diagonal().fill_(0.5)


def _chained(t: Any) -> None:
    t[1:][:, ::2].mul_(2.0)


def _transpose_copy(t: Any) -> None:
    import ember

    t.T.copy_(ember.zeros(4, 3, device=t.device) + 3.0)


CASES = {
    "select-fill_": (_row_fill, lambda r: _set(r, [(1, c) for c in range(4)], -1.0)),
    "slice-setitem": (_col_setitem, lambda r: _set(r, [(i, c) for i in range(3)
                                                       for c in (1, 2)], 7.0)),
    "transpose-setitem": (_transpose_setitem, lambda r: _set(r, [(2, 0)], 9.0)),
    "step-slice-add_": (_step_inplace, lambda r: [r[i].__setitem__(c, r[i][c] + 100.0)
                                                   for i in (0, 2) for c in range(4)]),
    "view-setitem": (_view_flat, lambda r: _set(r, [(1, 1)], -5.0)),
    "diagonal-fill_": (_diagonal_fill, lambda r: _set(r, [(0, 0), (1, 1), (2, 2)], 0.5)),
    "chained-mul_": (_chained, lambda r: [r[i].__setitem__(c, r[i][c] * 2.0)
                                          for i in (1, 2) for c in (0, 2)]),
    "transpose-copy_": (_transpose_copy, lambda r: _set(r, [(i, c) for i in range(3)
                                                            for c in range(4)], 3.0)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_write_through_view_reaches_base(device: str, name: str) -> None:
    import ember

    write, expect = CASES[name]
    base = _base(ember, device)
    write(base)
    assert base.tolist() == _expected(expect)


def test_base_write_visible_in_views(device: str) -> None:
    import ember

    base = _base(ember, device)
    row, col, tr = base[2], base[:, 3], base.t()
    base[2, 3] = -1.0
    assert row.tolist()[3] == -1.0
    assert col.tolist()[2] == -1.0
    assert tr.tolist()[3][2] == -1.0


def test_expand_reads_broadcast_values(device: str) -> None:
    import ember

    t = ember.tensor([[1.0], [2.0]], device=device).expand(2, 3)
    assert t.tolist() == [[1.0] * 3, [2.0] * 3]
    assert (t + 0).tolist() == [[1.0] * 3, [2.0] * 3]


def test_views_report_shared_storage(device: str) -> None:
    import ember

    base = _base(ember, device)
    view = base[:, 1]
    assert view.stride() == (4,)
    assert view.storage_offset() == 1
    assert base.t().stride() == (1, 4)
    assert base.clone().tolist() is not base.tolist()


def test_complex_part_views_alias(ember_suite: Any, device: str) -> None:
    """``view_as_real``/``view_as_complex`` (and so ``.real``/``.imag``) share memory, with
    PyTorch's layout: (real, imag) pairs, strides and offset counted in real elements."""
    import ember

    if "view_as_real" not in ember_suite.capabilities:
        pytest.skip("the backend declares no view_as_real kernel: .real/.imag are copies")
    if "complex64" not in ember_suite.dtypes:
        pytest.skip("the backend has no complex64")
    z = ember.tensor([[1 + 2j, 3 - 1j, -0.5j], [5j, 2 + 0j, 1 - 1j]], device=device)
    pairs = ember.view_as_real(z.T)
    assert (pairs.shape, pairs.stride(), pairs.storage_offset()) == ((3, 2, 2), (2, 6, 1), 0)
    assert (z.imag.stride(), z[1].imag.storage_offset()) == ((6, 2), 7)
    z.real[0, 1] = 7.0
    z.imag.mul_(2.0)
    pairs[2, 1, 0] = -4.0  # z[1, 2].real
    back = ember.view_as_complex(ember.view_as_real(z))
    back[1, 0] += 1.0
    assert z.tolist() == [[1 + 4j, 7 - 2j, -1j], [1 + 10j, 2 + 0j, -4 - 2j]]
    x = ember.arange(8.0, device=device).reshape(2, 2, 2)
    ember.view_as_complex(x)[1, 0] = 9 - 9j
    assert x.tolist() == [[[0.0, 1.0], [2.0, 3.0]], [[9.0, -9.0], [6.0, 7.0]]]
